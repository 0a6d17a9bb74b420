import Foundation
import Testing
@testable import SymbolicRegression

@Suite struct ConstantFittingTests {
    static let set = SRTestSupport.all

    @Test func reverseModeJacobianMatchesFiniteDifferences() throws {
        var rng = RandomSource(seed: 13)
        let data = try Dataset(rows: (0..<50).map { _ in [rng.uniform(0.2, 2), rng.uniform(-2, 2)] })
        // 1.3 * sin(0.7 * x0) + x1 / (0.5 + x0) + exp(-0.2 * x1) + log(2.0 * x0) + sqrt(0.9 * x0)
        let program = Program([.function(.add), .function(.add), .function(.add), .function(.add),
                               .function(.mul), .constant(1.3), .function(.sin), .function(.mul), .constant(0.7), .feature(0),
                               .function(.div), .feature(1), .function(.add), .constant(0.5), .feature(0),
                               .function(.exp), .function(.mul), .constant(-0.2), .feature(1),
                               .function(.log), .function(.mul), .constant(2.0), .feature(0),
                               .function(.sqrt), .function(.mul), .constant(0.9), .feature(0)])
        let gradient = ProgramGradient(functionSet: Self.set)
        let (values, jacobian, count) = try gradient.jacobian(program, on: data)
        #expect(count == 6)
        let exact = ExactEvaluator(functionSet: Self.set)
        #expect(values == (try exact.predict(program, on: data)))
        let constants = program.constants
        for k in 0..<count {
            var plus = program, minus = program
            var up = constants, down = constants
            up[k] += 1e-6; down[k] -= 1e-6
            plus.constants = up; minus.constants = down
            let f1 = try exact.predict(plus, on: data), f0 = try exact.predict(minus, on: data)
            for row in 0..<data.rowCount {
                let numeric = (f1[row] - f0[row]) / 2e-6
                #expect(Swift.abs(numeric - jacobian[row * count + k]) < 1e-5 * Swift.max(1, Swift.abs(numeric)), "constant \(k) row \(row)")
            }
        }
        let seed = (0..<data.rowCount).map { Double($0 % 5) - 2 }
        let vjp = try gradient.gradient(program, on: data, seed: seed)
        for k in 0..<count {
            let expected = (0..<data.rowCount).reduce(0.0) { $0 + seed[$1] * jacobian[$1 * count + k] }
            #expect(Swift.abs(vjp[k] - expected) < 1e-9 * Swift.max(1, Swift.abs(expected)))
        }
    }

    @Test func levenbergMarquardtRecoversConstants() throws {
        var rng = RandomSource(seed: 2)
        let x = (0..<200).map { _ in rng.uniform(-2, 2) }
        let y = x.map { 2.5 * Foundation.sin(1.7 * $0) + 0.3 * $0 * $0 }
        let program = Program([.function(.add), .function(.mul), .constant(1), .function(.sin), .function(.mul), .constant(1.2), .feature(0),
                               .function(.mul), .constant(0.1), .function(.mul), .feature(0), .feature(0)])
        let result = try #require(LevenbergMarquardt(functionSet: Self.set).fit(program, columns: [x], target: y, linearScaling: false, iterations: 100))
        let c = result.program.constants
        #expect(Swift.abs(c[0] - 2.5) < 1e-6 && Swift.abs(c[1] - 1.7) < 1e-6 && Swift.abs(c[2] - 0.3) < 1e-6, "\(c)")
        #expect(result.squaredError < 1e-10)
        let scaled = try #require(LevenbergMarquardt(functionSet: Self.set).fit(Program([.function(.sin), .function(.mul), .constant(1.2), .feature(0)]),
                                                                             columns: [x], target: x.map { 4 + 3 * Foundation.sin(1.5 * $0) },
                                                                             linearScaling: true, iterations: 100))
        #expect(Swift.abs(scaled.offset - 4) < 1e-6 && Swift.abs(scaled.scale - 3) < 1e-6 && Swift.abs(scaled.program.constants[0] - 1.5) < 1e-6)
    }

    @Test func simplifierShortensWithoutChangingPredictions() throws {
        let cases: [(Program, Int)] = [
            (Program([.function(.add), .feature(0), .constant(0)]), 1),
            (Program([.function(.mul), .constant(1), .function(.sin), .feature(0)]), 2),
            (Program([.function(.sub), .feature(0), .feature(0)]), 1),
            (Program([.function(.add), .feature(0), .feature(0)]), 3),
            (Program([.function(.add), .function(.mul), .constant(2), .feature(0), .function(.mul), .constant(3), .feature(0)]), 3),
            (Program([.function(.add), .function(.mul), .constant(2), .constant(3), .feature(1)]), 3),
            (Program([.function(.neg), .function(.neg), .feature(1)]), 1),
            (Program([.function(.div), .function(.sin), .feature(0), .function(.sin), .feature(0)]), 1),
            (Program([.function(.mul), .feature(0), .feature(0)]), 2),
        ]
        var rng = RandomSource(seed: 1)
        let data = try Dataset(rows: (0..<40).map { _ in [rng.uniform(-3, 3), rng.uniform(-3, 3)] })
        let exact = ExactEvaluator(functionSet: Self.set)
        for (program, length) in cases {
            let simplified = Simplifier(functionSet: Self.set).simplify(program)
            #expect(simplified.length == length, "\(InfixFormat.string(program, functionSet: Self.set)) -> \(InfixFormat.string(simplified, functionSet: Self.set))")
            let a = try exact.predict(program, on: data), b = try exact.predict(simplified, on: data)
            #expect(zip(a, b).allSatisfy { Swift.abs($0 - $1) <= 1e-12 * Swift.max(1, Swift.abs($0)) })
        }
    }
}
