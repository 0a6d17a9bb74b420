import Foundation
import TestSupport
import StudyEngine
@testable import StudyService
import Synchronization

/// Servers, processes and scripts for the service's tests: in-process servers on a free loopback port, the
/// real `symstudy` binary as a child process, and the Python checks in Tests/Fixtures/service.
enum ServiceTestSupport {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/Fixtures/service")

    /// A server on 127.0.0.1 and a free port over `storage`.
    static func startServer(storage: any StudyStorage = InMemoryStorage(),
                            _ configure: (inout StudyServerConfiguration) -> Void = { _ in }) throws -> StudyServer {
        var configuration = StudyServerConfiguration(port: 0)
        configure(&configuration)
        return try StudyServer.start(storage: storage, configuration: configuration)
    }

    /// Runs a fixture script with the test Python; returns its stdout (throws with stderr on failure).
    @discardableResult
    static func python(_ script: String, _ arguments: [String]) throws -> String {
        let text = try String(contentsOf: fixtures.appendingPathComponent(script), encoding: .utf8)
        return try TestEnvironment.runPython(text, arguments)
    }

    /// The JSON object a script printed last.
    static func json(_ output: String) throws -> [String: JSONValue] {
        let line = output.split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try JSONValue.parse(line).objectValue else { throw TestEnvironment.Missing(description: "not a JSON object: \(output)") }
        return object
    }

    /// The built products folder (beside the test bundle): `symstudy`, `symstudy-bench`.
    static func product(_ name: String) throws -> String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if folder.pathExtension == "xctest" || folder.path.contains(".xctest/") {
            while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
        }
        let path = folder.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestEnvironment.Missing(description: "no \(name) at \(path): build it first (swift build --build-tests builds every product)")
        }
        return path
    }

    static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("symstudy-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Polls `condition` every 50 ms for up to `seconds`.
    static func eventually(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try condition()
    }
}

/// A child process whose output is collected, and which can be killed (SIGKILL) or stopped (SIGTERM).
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private final class Buffer: Sendable {
        let data = Mutex(Data())
    }
    private let output = Buffer()
    private let errors = Buffer()
    private let pipes: (out: Pipe, err: Pipe)

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        pipes = (out, err)
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            output.data.withLock { $0.append(data) }
        }
        err.fileHandleForReading.readabilityHandler = { [errors] handle in
            let data = handle.availableData
            errors.data.withLock { $0.append(data) }
        }
        try process.run()
    }

    /// Python with `-c` and a fixture script.
    static func python(_ script: String, _ arguments: [String]) throws -> ChildProcess {
        let text = try String(contentsOf: ServiceTestSupport.fixtures.appendingPathComponent(script), encoding: .utf8)
        return try ChildProcess(try TestEnvironment.python(), ["-c", text] + arguments)
    }

    var stdout: String { output.data.withLock { String(decoding: $0, as: UTF8.self) } }
    var stderr: String { errors.data.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Waits until stdout has a line containing `text`; returns that line.
    func waitForLine(containing text: String, seconds: Double = 60) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw TestEnvironment.Missing(description: "no line with '\(text)' from \(process.executableURL!.lastPathComponent): stdout \(stdout) stderr \(stderr)")
    }

    /// The port in a `symstudy serve` start line ("listening on 127.0.0.1:PORT ...").
    func servePort() throws -> Int {
        let line = try waitForLine(containing: "listening on")
        let address = line.components(separatedBy: "listening on ").last?.split(separator: " ").first ?? ""
        guard let port = Int(address.split(separator: ":").last?.filter(\.isNumber) ?? "") else {
            throw TestEnvironment.Missing(description: "no port in '\(line)'")
        }
        return port
    }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    func terminate() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Waits for the process to end; returns its exit status.
    @discardableResult
    func wait(seconds: Double = 120) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill() }
        process.waitUntilExit()
        drain()
        return process.terminationStatus
    }

    /// Reads what the pipes still hold once the process has ended (the handlers may not have seen it yet).
    private func drain() {
        for (pipe, buffer) in [(pipes.out, output), (pipes.err, errors)] {
            pipe.fileHandleForReading.readabilityHandler = nil
            let rest = pipe.fileHandleForReading.readDataToEndOfFile()
            buffer.data.withLock { $0.append(rest) }
        }
    }

    deinit { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }
}
