import Foundation
import Testing
@testable import SymbolicRegression

@Suite struct OperatorProtectionTests {
    static let probes: [Double] = [0, -0.0, 1, -1, 0.5, -2, 0.001, -0.001, 0.0009, 1e-30, -1e-30, 1e-45, 3, 80, 81, -90,
                                   100, 1e6, -1e6, 1e20, -1e20, 3e38, -3e38, Double(Float.greatestFiniteMagnitude), .pi / 2]

    /// Every operator, exact and fast, returns a finite value for every combination of probe arguments.
    @Test(arguments: BuiltinOperator.allCases)
    func noNaNOrInfinityLeavesAnOperator(op: BuiltinOperator) throws {
        let arity = op.arity
        var rows: [[Double]] = []
        for a in Self.probes {
            for b in (arity > 1 ? Self.probes : [0]) {
                for c in (arity > 2 ? [0.0, -1e30, 2] : [0]) { rows.append([a, b, c, arity > 3 ? 1e30 : 0]) }
            }
        }
        let data = try Dataset(rows: rows)
        let program = Program([.function(op)] + (0..<arity).map { .feature($0) })
        let exact = try ExactEvaluator(functionSet: SRTestSupport.all).predict(program, on: data)
        let fast = SRTestSupport.fastOutput(program, data, SRTestSupport.all)
        for (row, value) in exact.enumerated() {
            #expect(value.isFinite, "\(op.name)\(rows[row].prefix(arity)) exact = \(value)")
            #expect(fast[row].isFinite, "\(op.name)\(rows[row].prefix(arity)) fast = \(fast[row])")
        }
        let partials = rows.map { op.partials($0[0], $0[1], $0[2], $0[3]) }
        #expect(partials.allSatisfy { $0.0.isFinite && $0.1.isFinite && $0.2.isFinite && $0.3.isFinite }, "\(op.name) partials")
    }

    /// The fast Float kernels agree with the exact Double semantics on ordinary arguments.
    @Test(arguments: BuiltinOperator.allCases)
    func fastKernelsAgreeWithExactSemantics(op: BuiltinOperator) throws {
        var rng = RandomSource(seed: 7)
        let rows = (0..<500).map { _ in (0..<4).map { _ in rng.uniform(-4, 4) } }
        let data = try Dataset(rows: rows)
        let program = Program([.function(op)] + (0..<op.arity).map { .feature($0) })
        let exact = try ExactEvaluator(functionSet: SRTestSupport.all).predict(program, on: data)
        let fast = SRTestSupport.fastOutput(program, data, SRTestSupport.all)
        for row in rows.indices {
            let a = Float(rows[row][0]), b = Float(rows[row][1])
            // Rows on a protection boundary or a step may fall either side in Float.
            if Swift.abs(Swift.abs(a) - 0.001) < 1e-6 || Swift.abs(Swift.abs(b) - 0.001) < 1e-6 || Swift.abs(a - b) < 1e-5 { continue }
            // tan near its poles amplifies the rounding of its argument to Float.
            if op == .tan, Swift.abs(exact[row]) > 50 { continue }
            let tolerance = 2e-5 * Swift.max(1, Swift.abs(exact[row]))
            #expect(Swift.abs(fast[row] - exact[row]) <= tolerance, "\(op.name)\(rows[row].prefix(op.arity)): fast \(fast[row]) exact \(exact[row])")
        }
    }

    @Test func gplearnProtectionValues() {
        #expect(BuiltinOperator.div.apply(3, 0) == 1)
        #expect(BuiltinOperator.div.apply(3, 0.0005) == 1)
        #expect(BuiltinOperator.div.apply(3, 2) == 1.5)
        #expect(BuiltinOperator.log.apply(0) == 0)
        #expect(BuiltinOperator.log.apply(-Foundation.exp(1.0)) == 1)
        #expect(BuiltinOperator.sqrt.apply(-4) == 2)
        #expect(BuiltinOperator.inv.apply(0) == 0)
        #expect(BuiltinOperator.inv.apply(-4) == -0.25)
        #expect(BuiltinOperator.exp.apply(1000) == Foundation.exp(80.0))
        #expect(BuiltinOperator.pow.apply(-2, 3) == 8)
        #expect(BuiltinOperator.pow.apply(0, 3) == 0)
        #expect(BuiltinOperator.mul.apply(1e300, 1e300) == Double(Float.greatestFiniteMagnitude))
        #expect(BuiltinOperator.gt.apply(2, 1) == 1 && BuiltinOperator.gt.apply(1, 2) == 0)
        #expect(BuiltinOperator.ifThenElse.apply(1, 5, 7) == 5 && BuiltinOperator.ifThenElse.apply(-1, 5, 7) == 7)
        #expect(BuiltinOperator.and.apply(1, 1) == 1 && BuiltinOperator.and.apply(1, -1) == 0)
        #expect(BuiltinOperator.or.apply(-1, 1) == 1 && BuiltinOperator.or.apply(-1, 0) == 0)
        #expect(BuiltinOperator.isLeftOf.apply(1, 3) == 1 && BuiltinOperator.isRightOf.apply(1, 3) == 0)
        #expect(BuiltinOperator.xDistance.apply(1, 3) == 2)
        #expect(BuiltinOperator.xyDistance.apply(0, 0, 3, 4) == 5)
        #expect(BuiltinOperator.withinRange.apply(1, 3, 1, 5) == 1 && BuiltinOperator.withinRange.apply(1, 3, 2.5, 5) == 0)
    }
}
