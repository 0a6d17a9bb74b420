import Foundation
@testable import SymbolicRegression

/// What the tests need beside the package: the reference Python (numpy, sympy) of scripts/python-env.sh and
/// the shared data. Tests that need them fail with a message saying how to get them; they never skip.
enum TestSupport {
    struct Missing: Error, CustomStringConvertible { var description: String }

    static let shared = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static func dataFile(_ name: String) -> String { shared.appendingPathComponent("data/sr/\(name)").path }

    /// The python of the test virtualenv (`SYMSTUDY_PYTHON`, else `~/.venvs/symstudy-test/bin/python`).
    static func python() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["SYMSTUDY_PYTHON"],
                          NSHomeDirectory() + "/.venvs/symstudy-test/bin/python"].compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing(description: "no Python with numpy and sympy: run scripts/test.sh, or scripts/python-env.sh and set SYMSTUDY_PYTHON")
        }
        return found
    }

    /// Runs an executable; returns stdout, throws with stderr when it fails.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        nonisolated(unsafe) var stderrData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { stderrData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Missing(description: "\(executable) exited with \(process.terminationStatus): \(String(decoding: stderrData, as: UTF8.self))")
        }
        return String(decoding: stdout, as: UTF8.self)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("symstudy-sr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The fast evaluator's output for every row.
    static func fastOutput(_ program: Program, _ data: Dataset, _ functionSet: FunctionSet) -> [Double] {
        let floatData = FloatData(data)
        let evaluator = ProgramEvaluator(data: floatData, functionSet: functionSet)
        let scratch = EvaluationScratch(blockSize: 64, rows: data.rowCount)
        _ = evaluator.run(CompiledProgram(program, functionSet: functionSet), fitness: .none, scratch: scratch, materialize: true)
        return (0..<data.rowCount).map { Double(scratch.column[$0]) }
    }

    static let all = try! FunctionSet(builtins: BuiltinOperator.allCases)
}
