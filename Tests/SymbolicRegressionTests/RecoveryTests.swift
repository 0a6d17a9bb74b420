import Foundation
import Testing
@testable import SymbolicRegression

/// Exact recovery of simple formulas with a fixed seed: the simplified program equals the formula on a dense grid.
@Suite struct RecoveryTests {
    static func recovers(_ program: Program, _ truth: (Double) -> Double, _ set: FunctionSet) throws -> Bool {
        let grid = try Dataset(columns: [(0...400).map { -1 + Double($0) / 200 }])
        let values = try ExactEvaluator(functionSet: set).predict(program, on: grid)
        return zip(grid.columns[0], values).allSatisfy { Swift.abs(truth($0) - $1) < 1e-9 }
    }

    @Test func recoversXSquaredPlusX() throws {
        let x = (0..<50).map { -1 + 2 * Double($0) / 49 }
        let data = try Dataset(columns: [x], target: x.map { $0 * $0 + $0 })
        var p = GPParameters()
        p.populationSize = 500
        p.generations = 15
        p.functionSet = try FunctionSet(["add", "sub", "mul", "div"])
        p.constRange = nil
        p.randomState = 0
        p.stoppingCriteria = 1e-12
        let regressor = SymbolicRegressor(parameters: p)
        try regressor.fit(data)
        let program = Simplifier(functionSet: p.functionSet).simplify(try #require(regressor.program))
        #expect(try Self.recovers(program, { $0 * $0 + $0 }, p.functionSet), "\(InfixFormat.string(program, functionSet: p.functionSet))")
    }

    @Test func recoversNguyen1FromItsTrainingFile() throws {
        let data = try CSVDataset.read(path: SRTestSupport.dataFile("nguyen-1_train.csv"))
        var p = GPParameters()
        p.populationSize = 1000
        p.generations = 20
        p.functionSet = try FunctionSet(["add", "sub", "mul", "div", "sin", "cos", "log", "sqrt"])
        p.constRange = nil
        p.randomState = 1
        p.stoppingCriteria = 1e-12
        p.parsimonyCoefficient = .fixed(0.0005)
        p.threads = 2
        let regressor = SymbolicRegressor(parameters: p)
        try regressor.fit(data)
        let program = Simplifier(functionSet: p.functionSet).simplify(try #require(regressor.program))
        #expect(try Self.recovers(program, { $0 * $0 * $0 + $0 * $0 + $0 }, p.functionSet), "\(InfixFormat.string(program, functionSet: p.functionSet))")
    }
}
