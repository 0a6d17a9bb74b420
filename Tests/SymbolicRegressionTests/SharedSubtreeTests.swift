import Foundation
import Testing
@testable import SymbolicRegression

/// Subtrees several programs of a generation share are computed once (SharedSubtrees): the scores, hence the
/// whole run, must be bitwise those of computing every program on its own.
@Suite struct SharedSubtreeTests {
    static let functions = try! FunctionSet(["add", "sub", "mul", "div", "sin", "cos", "log", "sqrt"])

    static func parameters(_ configure: (inout GPParameters) -> Void = { _ in }) -> GPParameters {
        var p = GPParameters()
        p.populationSize = 400
        p.generations = 8
        p.randomState = 7
        p.functionSet = functions
        p.stoppingCriteria = -1
        configure(&p)
        return p
    }

    static func fit(_ data: Dataset, sampleWeight: [Double]? = nil, _ configure: (inout GPParameters) -> Void) throws -> SymbolicRegressor {
        let regressor = SymbolicRegressor(parameters: parameters(configure))
        try regressor.fit(data, sampleWeight: sampleWeight)
        return regressor
    }

    /// Every generation's record and the final population, with and without sharing and on 1 and 2 threads.
    static func expectSameRuns(_ data: Dataset, sampleWeight: [Double]? = nil,
                               _ configure: @escaping (inout GPParameters) -> Void) throws {
        let alone = try fit(data, sampleWeight: sampleWeight) { configure(&$0); $0.subtreeSharing = false }
        let shared = try fit(data, sampleWeight: sampleWeight) { configure(&$0); $0.subtreeSharing = true }
        let sharedOnTwo = try fit(data, sampleWeight: sampleWeight) { configure(&$0); $0.subtreeSharing = true; $0.threads = 2 }
        for run in [shared, sharedOnTwo] {
            #expect(run.runDetails.map(\.bestFitness) == alone.runDetails.map(\.bestFitness))
            #expect(run.runDetails.map(\.averageFitness) == alone.runDetails.map(\.averageFitness))
            #expect(run.population.map(\.rawFitness) == alone.population.map(\.rawFitness))
            #expect(run.population.map(\.program) == alone.population.map(\.program))
            #expect(run.program == alone.program)
            #expect(run.nodeEvaluations == alone.nodeEvaluations)
            #expect(run.computedNodeEvaluations < 0.8 * run.nodeEvaluations)
        }
        #expect(shared.computedNodeEvaluations == sharedOnTwo.computedNodeEvaluations)
        #expect(alone.computedNodeEvaluations == alone.nodeEvaluations)
    }

    static func data(rows: Int = 700) throws -> Dataset {
        var rng = RandomSource(seed: 3)
        let x = (0..<rows).map { _ in [rng.uniform(-2, 2), rng.uniform(0.5, 3), rng.uniform(-1, 1)] }
        return try Dataset(rows: x, target: x.map { $0[0] * $0[0] * $0[1] + sin($0[2]) })
    }

    @Test func gplearnSettingsScoreBitwiseAsWithoutSharing() throws {
        // MAE, parsimony, tournaments of 20: many children per winner, hence many shared subtrees.
        try Self.expectSameRuns(try Self.data()) { _ in }
    }

    @Test func linearScalingR2AndElitismScoreBitwiseAsWithoutSharing() throws {
        try Self.expectSameRuns(try Self.data()) {
            $0.metric = .r2
            $0.linearScaling = true
            $0.tournamentSize = 5
            $0.elitism = 3
            $0.maxLength = 40
        }
    }

    @Test func subsamplesSampleWeightsAndMaterialisedMetricsScoreBitwiseAsWithoutSharing() throws {
        let data = try Self.data(rows: 500)
        let weights = (0..<500).map { 0.5 + Double($0 % 7) / 4 }
        // Out-of-bag rows differ per program, so only whole copies with all rows reuse a score; Spearman needs
        // every prediction (the materialised path).
        try Self.expectSameRuns(data, sampleWeight: weights) { $0.maxSamples = 0.7 }
        try Self.expectSameRuns(data) { $0.metric = .spearman }
    }

    @Test func aSubtreeTwoDistinctParentsReadGetsOneColumnAndCopiesShareTheirScore() throws {
        let x0 = Node.feature(0), x1 = Node.feature(1)
        let product = [Node.function(.mul), x0, x1]
        let first = Program([.function(.add)] + product + [x0])                  // x0 * x1 + x0
        let second = Program([.function(.sub)] + product + [.constant(1)])       // x0 * x1 - 1
        let small = Program([.function(.sin), x1])                               // one operator: read once
        let programs: [Program?] = [first, second, first, nil, small]
        let shared = SharedSubtrees(programs: programs, featureCount: 2, stride: 64, minimumFunctions: 1,
                                    maximumColumns: 100, threads: 1, workspace: SharingWorkspace())
        // Columns: x0 * x1 (read by add and by sub) and the whole of `first` (two programs).
        #expect(shared.columns.map(\.program).contains(Program(product)))
        #expect(shared.columns.map(\.program).contains(first))
        #expect(shared.columns.count == 2)
        #expect(shared.firstCopy == [0, 1, 0, -1, 4])
        #expect(shared.marks[0].count == 1 && shared.marks[0][0].start == 0 && shared.marks[0][0].end == 5)
        #expect(shared.marks[1].map { [$0.start, $0.end] } == [[1, 4]])
        #expect(shared.marks[3].isEmpty && shared.marks[4].isEmpty)
        // The column of `first` reads the product's column.
        let whole = shared.columns.firstIndex { $0.program == first }!
        #expect(shared.columns[whole].marks.map { [$0.start, $0.end] } == [[1, 4]])
        // Computed: the product once, `first`'s add and x0 once, `second`'s sub and constant, `small` whole.
        #expect(shared.computedNodes == 3 + 2 + 2 + 2)
    }

    @Test func sharedColumnsGiveEachProgramItsOwnOutputBitwise() throws {
        let data = try Self.data(rows: 1_000)
        let fitness = FitnessFunction(data: data, target: data.target!, functionSet: Self.functions, metric: .meanSquaredError,
                                      linearScaling: false, transform: nil, sampleWeight: nil, threads: 2, blockSize: 64)
        let generator = ProgramGenerator(parameters: Self.parameters(), featureCount: 3)
        var rng = RandomSource(seed: 11)
        var programs = (0..<60).map { _ in generator.build(&rng) }
        // Children of a few parents, as a generation has them.
        for index in 0..<240 {
            let parent = programs[index % 6], donor = programs[(index * 7) % 60]
            programs.append(generator.crossover(parent, donor, &rng))
        }
        let shared = SharedSubtrees(programs: programs, featureCount: 3, stride: fitness.data.stride, minimumFunctions: 1,
                                    maximumColumns: 1_000, threads: 2, workspace: SharingWorkspace())
        #expect(shared.columns.count > 10)
        for index in shared.columns.indices { shared.computeColumn(index, with: fitness, worker: 0) }
        for (index, program) in programs.enumerated() {
            let alone = fitness.score(program, inBag: nil, worker: 0)
            let withColumns = fitness.score(program, inBag: nil, worker: 1, marks: shared.marks[index], shared: shared)
            #expect(alone.raw.bitPattern == withColumns.raw.bitPattern, "program \(index)")
        }
    }
}
