import Foundation
import Testing

/// Runs the built `symstudy` binary, as a user would.
enum SymstudyBinary {
    static var url: URL {
        // The test bundle sits in the same products folder as the executable.
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("symstudy").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("symstudy")
    }

    /// Runs the binary with `arguments`; returns its exit status and what it printed.
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
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
