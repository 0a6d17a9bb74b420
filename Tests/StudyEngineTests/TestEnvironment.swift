import Foundation

/// What `scripts/test.sh` provides beside the package: the reference Python with Optuna 5.0.0 and a
/// throw-away PostgreSQL server. Tests that need them fail with a message saying how to get them; they never
/// skip (a skipped test is not a passing one).
enum TestEnvironment {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// `../shared` beside the repository: reference data and harnesses.
    static let shared = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    /// The python of the test virtualenv (`SYMSTUDY_PYTHON`, else `~/.venvs/symstudy-test/bin/python`).
    static func python() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["SYMSTUDY_PYTHON"],
                          NSHomeDirectory() + "/.venvs/symstudy-test/bin/python"].compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing(description: "no Python with Optuna 5.0.0: run scripts/test.sh, or scripts/python-env.sh and set SYMSTUDY_PYTHON")
        }
        return found
    }

    /// The URL of the test PostgreSQL server (`SYMSTUDY_TEST_POSTGRES_URL`, set by scripts/test.sh).
    static func postgresURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["SYMSTUDY_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw Missing(description: "SYMSTUDY_TEST_POSTGRES_URL is not set: run scripts/test.sh, or start a server with scripts/postgres.sh start DIR and export the URL it prints")
        }
        return url
    }

    /// Runs `python -c script args...` with the reference Python; returns stdout, throws with stderr on failure.
    @discardableResult
    static func runPython(_ script: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try python())
        process.arguments = ["-c", script] + arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes at once so a chatty stderr cannot block the child.
        nonisolated(unsafe) var stderrData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { stderrData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let stdout = String(decoding: stdoutData, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Missing(description: "python exited with \(process.terminationStatus): \(String(decoding: stderrData, as: UTF8.self))")
        }
        return stdout
    }
}
