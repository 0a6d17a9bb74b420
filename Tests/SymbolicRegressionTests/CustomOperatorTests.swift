import Foundation
import Testing
@testable import SymbolicRegression

struct Hypot: BinaryOperator {
    var name: String { "hypot" }
    func callAsFunction(_ a: Double, _ b: Double) -> Double { Swift.min((a * a + b * b).squareRoot(), 1e30) }
}

struct Reciprocal: UnaryOperator {
    var name: String { "reciprocal" }
    func callAsFunction(_ x: Double) -> Double { 1 / x }
}

struct Shadow: UnaryOperator {
    var name: String { "sin" }
    func callAsFunction(_ x: Double) -> Double { x }
}

@Suite struct CustomOperatorTests {
    @Test func unprotectedOperatorIsRefusedAtRegistration() {
        do {
            _ = try FunctionSet(["add"], custom: [.unary(Reciprocal())])
            Issue.record("an operator that divides by zero was registered")
        } catch let error as FunctionSetError {
            guard case .notProtected(let name, let arguments, _) = error else { Issue.record("\(error)"); return }
            #expect(name == "reciprocal" && arguments == [0])
            #expect(error.localizedDescription.contains("reciprocal"))
        } catch { Issue.record("\(error)") }
    }

    @Test func badNamesAreRefused() {
        #expect(throws: FunctionSetError.shadowsBuiltin("sin")) { try FunctionSet(["add"], custom: [.unary(Shadow())]) }
        #expect(throws: FunctionSetError.unknownOperator("nope")) { try FunctionSet(["add", "nope"]) }
        #expect(throws: FunctionSetError.duplicate("add")) { try FunctionSet(["add", "add"]) }
        #expect(throws: FunctionSetError.duplicate("hypot")) { try FunctionSet(["add"], custom: [.binary(Hypot()), .binary(Hypot())]) }
    }

    @Test func registeredOperatorEvaluatesFastAndExactAndEvolves() throws {
        let set = try FunctionSet(["add", "mul"], custom: [.binary(Hypot())])
        let program = Program([Node.custom(0, arity: 2), .feature(0), .feature(1)])
        let data = try Dataset(rows: [[3, 4], [5, 12]], target: [5, 13])
        #expect(try ExactEvaluator(functionSet: set).predict(program, on: data) == [5, 13])
        #expect(SRTestSupport.fastOutput(program, data, set) == [5, 13])
        #expect(InfixFormat.string(program, functionSet: set) == "hypot(x0, x1)")
        #expect(try InfixFormat.parse("hypot(x0, x1)", functionSet: set) == program)
        var p = GPParameters()
        p.functionSet = set
        p.populationSize = 50
        p.generations = 2
        p.randomState = 1
        try SymbolicRegressor(parameters: p).fit(data)
    }
}
