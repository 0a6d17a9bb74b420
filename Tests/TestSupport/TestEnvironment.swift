import Foundation

/// What `scripts/test.sh` provides beside the package: the reference Python with Optuna 5.0.0 and a
/// throw-away PostgreSQL server. Tests that need them fail with a message saying how to get them; they never
/// skip (a skipped test is not a passing one).
public enum TestEnvironment {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// `../shared` beside the repository: reference data and harnesses.
    public static let shared = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    /// The python of the test virtualenv (`SYMSTUDY_PYTHON`, else `~/.venvs/symstudy-test/bin/python`).
    public static func python() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["SYMSTUDY_PYTHON"],
                          NSHomeDirectory() + "/.venvs/symstudy-test/bin/python"].compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing(description: "no Python with Optuna 5.0.0: run scripts/test.sh, or scripts/python-env.sh and set SYMSTUDY_PYTHON")
        }
        return found
    }

    /// The URL of the test PostgreSQL server (`SYMSTUDY_TEST_POSTGRES_URL`, set by scripts/test.sh).
    public static func postgresURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["SYMSTUDY_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw Missing(description: "SYMSTUDY_TEST_POSTGRES_URL is not set: run scripts/test.sh, or start a server with scripts/postgres.sh start DIR and export the URL it prints")
        }
        return url
    }

    /// Runs `python -c script args...` with the reference Python; returns stdout, throws with stderr on failure.
    @discardableResult
    public static func runPython(_ script: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws -> String {
        let result = try TestProcess.run(URL(fileURLWithPath: try python()), ["-c", script] + arguments, environment: environment)
        guard result.status == 0 else {
            throw Missing(description: "python exited with \(result.status): \(result.stderr)")
        }
        return result.stdout
    }
}
