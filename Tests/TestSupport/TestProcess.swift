import Foundation

/// What a finished child process left: its exit status and what it printed.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs the package's own executables and other programs from tests, as a user would.
public enum TestProcess {
    /// An executable product of this package (`symstudy`, `symstudy-bench`), from the folder the test bundle
    /// was built in.
    public static func product(_ name: String) -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent(name)
    }

    /// Starts `executable` with `arguments` (and `environment` added to this process's), without waiting.
    public static func start(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                             stdout: Any? = nil, stderr: Any? = nil) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let stdout { process.standardOutput = stdout }
        if let stderr { process.standardError = stderr }
        try process.run()
        return process
    }

    /// Runs `executable` to its end; both pipes are read at once, so a chatty child never blocks.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                           input: String? = nil) throws -> ProcessResult {
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try? inPipe.fileHandleForWriting.close()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a product of this package (`symstudy`, `symstudy-bench`).
    public static func runProduct(_ name: String, _ arguments: [String], environment: [String: String] = [:],
                                  input: String? = nil) throws -> ProcessResult {
        try run(product(name), arguments, environment: environment, input: input)
    }
}
