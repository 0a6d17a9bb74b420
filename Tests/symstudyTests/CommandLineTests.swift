import Foundation
import Testing
import TestSupport

/// Runs the built `symstudy` binary, as a user would.
enum SymstudyBinary {
    /// Runs the binary with `arguments`; returns its exit status and what it printed.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try TestProcess.runProduct("symstudy", arguments, environment: environment, input: input)
        return (result.status, result.stdout, result.stderr)
    }
}

@Suite struct CommandLineTests {
    @Test func versionPrintsTheVersion() throws {
        let result = try SymstudyBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test func helpNamesTheTool() throws {
        let result = try SymstudyBinary.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: symstudy"))
    }

    @Test func unknownOptionFailsWithAMessage() throws {
        let result = try SymstudyBinary.run(["--no-such-option"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no-such-option"))
    }
}
