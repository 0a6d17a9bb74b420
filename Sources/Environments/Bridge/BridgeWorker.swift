import Foundation

/// One Python worker process of the bridge: started with the worker script, fed one JSON request per line on
/// its stdin, read one JSON reply per line from its stdout. Requests are serialised by a lock, so one worker
/// serves one caller at a time; run several workers for parallel episodes.
final class BridgeWorker: @unchecked Sendable {
    let python: String
    let process = Process()
    let input: FileHandle
    let output: FileHandle
    var buffer = Data()
    let lock = NSLock()
    let errors = Pipe()

    /// The Python that runs workers: `SYMSTUDY_BRIDGE_PYTHON`, else `SYMSTUDY_PYTHON`, else
    /// `~/.venvs/symstudy-bridge/bin/python`, else `python3` on the PATH.
    static func defaultPython() -> String? {
        let env = ProcessInfo.processInfo.environment
        let candidates = [env["SYMSTUDY_BRIDGE_PYTHON"], env["SYMSTUDY_PYTHON"],
                          NSHomeDirectory() + "/.venvs/symstudy-bridge/bin/python"].compactMap { $0 }.filter { !$0.isEmpty }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        for directory in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The command that installs `packages` for `python`, for error messages.
    static func installHint(_ python: String?, _ packages: String) -> String {
        guard let python else {
            return "python3 -m venv ~/.venvs/symstudy-bridge && ~/.venvs/symstudy-bridge/bin/pip install \(packages)"
        }
        return "\(python) -m pip install \(packages)   (or make a virtualenv outside the repo: python3 -m venv ~/.venvs/symstudy-bridge && ~/.venvs/symstudy-bridge/bin/pip install \(packages); set SYMSTUDY_BRIDGE_PYTHON to its python)"
    }

    /// Starts a worker.
    /// - Throws: `EnvironmentError.bridge` naming the install command when no Python is found.
    init(python: String? = BridgeWorker.defaultPython()) throws {
        guard let python else {
            throw EnvironmentError.bridge("no Python found; install one with the bridge's packages: \(Self.installHint(nil, "gymnasium"))")
        }
        self.python = python
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", "-c", BridgeWorkerScript.source]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = errors
        do { try process.run() } catch {
            throw EnvironmentError.bridge("cannot start \(python): \(error.localizedDescription); \(Self.installHint(nil, "gymnasium"))")
        }
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
    }

    deinit {
        if process.isRunning {
            try? input.write(contentsOf: Data("{\"cmd\": \"close\"}\n".utf8))
            try? input.close()
            process.waitUntilExit()
        }
    }

    /// Sends `request` and returns the decoded reply.
    /// - Throws: `EnvironmentError.bridge` with the worker's error, the install command for a missing
    ///   package, or what the worker printed on stderr when it died.
    func call(_ request: [String: Any]) throws -> BridgeReply {
        lock.lock()
        defer { lock.unlock() }
        let line = try JSONSerialization.data(withJSONObject: request) + Data("\n".utf8)
        do { try input.write(contentsOf: line) } catch { throw died() }
        guard let replyLine = readLine() else { throw died() }
        // JSONDecoder reads numbers exactly (JSONSerialization on Linux can be one unit in the last place off).
        guard let reply = try? JSONDecoder().decode(BridgeReply.self, from: replyLine) else {
            throw EnvironmentError.bridge("the worker answered something that is not JSON: \(String(decoding: replyLine.prefix(200), as: UTF8.self))")
        }
        if let error = reply.error {
            if let packages = reply.install {
                throw EnvironmentError.bridge("\(error) in \(python); install with: \(Self.installHint(python, packages))")
            }
            throw EnvironmentError.bridge(error)
        }
        return reply
    }

    func readLine() -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                return Data(line)
            }
            let chunk = output.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    func died() -> EnvironmentError {
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile().suffix(2000), as: UTF8.self)
        return .bridge("the worker (\(python)) exited with status \(process.terminationStatus): \(stderr)")
    }
}

/// One reply of the worker; which fields are present depends on the request.
struct BridgeReply: Decodable {
    struct Space: Decodable { var type: String; var n: Int?; var low: [Double]?; var high: [Double]? }
    struct RawObject: Decodable { var category: String; var x: Double; var y: Double; var w: Double; var h: Double }
    var error: String?
    var install: String?
    var action_space: Space?
    var max_episode_steps: Int?
    var observation_size: Int?
    var observation: [Double]?
    var state: [Double]?
    var objects: [RawObject]?
    var reward: Double?
    var terminated: Bool?
    var truncated: Bool?
}
