import Foundation
import Testing
@testable import SymbolicRegression

@Suite struct VariationTests {
    static func generator(_ configure: (inout GPParameters) -> Void = { _ in }) throws -> ProgramGenerator {
        var p = GPParameters()
        p.functionSet = try FunctionSet(["add", "sub", "mul", "div", "sin", "if_then_else", "xy_distance"])
        configure(&p)
        return ProgramGenerator(parameters: p, featureCount: 3)
    }

    @Test(arguments: [InitMethod.grow, .full, .halfAndHalf])
    func builtProgramsAreValidWithinTheInitialDepth(method: InitMethod) throws {
        let generator = try Self.generator { $0.initMethod = method; $0.initDepth = 2...4 }
        var rng = RandomSource(seed: 11)
        var depths = Set<Int>()
        for _ in 0..<500 {
            let program = generator.build(&rng)
            #expect(program.isValid)
            #expect(program.depth >= 1 && program.depth <= 4)
            if method == .full { #expect(program.depth >= 2) }
            depths.insert(program.depth)
            #expect(program.nodes.allSatisfy { $0.kind != .feature || $0.featureIndex < 3 })
            #expect(program.constants.allSatisfy { $0 >= -1 && $0 <= 1 })
        }
        #expect(depths.count >= 2)
    }

    @Test func variationOperatorsKeepProgramsValid() throws {
        let generator = try Self.generator()
        var rng = RandomSource(seed: 5)
        for _ in 0..<300 {
            let parent = generator.build(&rng), donor = generator.build(&rng)
            let child = generator.crossover(parent, donor, &rng)
            #expect(child.isValid)
            #expect(generator.subtreeMutation(parent, &rng).isValid)
            let hoisted = generator.hoistMutation(parent, &rng)
            #expect(hoisted.isValid && hoisted.length <= parent.length)
            let mutated = generator.pointMutation(parent, &rng)
            #expect(mutated.isValid && mutated.length == parent.length)
            #expect(zip(mutated.nodes, parent.nodes).allSatisfy { $0.arity == $1.arity && $0.isFunction == $1.isFunction })
        }
    }

    @Test func subtreeSelectionPrefersFunctions() throws {
        let generator = try Self.generator()
        let program = Program([.function(.add), .feature(0), .feature(1)])
        var rng = RandomSource(seed: 2)
        var roots = 0
        for _ in 0..<10_000 where generator.randomSubtree(program.nodes, &rng) == 0..<3 { roots += 1 }
        // 0.9 / (0.9 + 0.1 + 0.1) = 0.818
        #expect(Swift.abs(Double(roots) / 10_000 - 0.818) < 0.02)
    }

    @Test func bloatLimitsHoldForTheWholeRun() throws {
        var rng = RandomSource(seed: 9)
        let rows = (0..<200).map { _ in [rng.uniform(-1, 1), rng.uniform(-1, 1)] }
        let data = try Dataset(rows: rows, target: rows.map { $0[0] * $0[1] + $0[0] })
        var p = GPParameters()
        p.populationSize = 200
        p.generations = 6
        p.randomState = 4
        p.maxDepth = 4
        p.maxLength = 15
        p.initDepth = 2...4
        p.parsimonyCoefficient = .fixed(0)
        let regressor = SymbolicRegressor(parameters: p)
        try regressor.fit(data)
        let offspring = regressor.population.filter { $0.origin != .initial }
        #expect(!offspring.isEmpty)
        #expect(offspring.allSatisfy { $0.program.depth <= 4 && $0.length <= 15 })
        #expect(regressor.population.contains { if case .bloatRejected = $0.origin { return true } else { return false } })
    }

    @Test func programStructure() {
        let program = Program([.function(.add), .function(.mul), .feature(0), .constant(2), .function(.sin), .feature(1)])
        #expect(program.isValid && program.depth == 2 && program.length == 6)
        #expect(program.subtreeEnd(from: 1) == 4)
        #expect(program.children(of: 0) == [1, 4])
        #expect(!Program([.function(.add), .feature(0)]).isValid)
        #expect(!Program([.feature(0), .feature(1)]).isValid)
        #expect(Program([.feature(0)]).depth == 0)
    }
}
