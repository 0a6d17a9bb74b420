import Foundation
import TestSupport
@testable import SymbolicRegression

/// What the tests need beside the package: the reference Python (numpy, sympy) of scripts/python-env.sh and
/// the shared data. Tests that need them fail with a message saying how to get them; they never skip.
enum SRTestSupport {
    static func dataFile(_ name: String) -> String { TestEnvironment.shared.appendingPathComponent("data/sr/\(name)").path }

    /// The python of the test virtualenv (`SYMSTUDY_PYTHON`, else `~/.venvs/symstudy-test/bin/python`).
    static func python() throws -> String { try TestEnvironment.python() }

    /// Runs an executable; returns stdout, throws with stderr when it fails.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> String {
        let result = try TestProcess.run(URL(fileURLWithPath: executable), arguments, input: input)
        guard result.status == 0 else {
            throw TestEnvironment.Missing(description: "\(executable) exited with \(result.status): \(result.stderr)")
        }
        return result.stdout
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
