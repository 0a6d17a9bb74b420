import Foundation
import Testing
@testable import StudyEngine

@Suite("GridSampler")
struct GridSamplerTests {
    private static let grid: [String: [ParameterValue]] = [
        "x": [-1, 0, 1],
        "kind": ["a", "b"],
        "rate": [0.5, 1.5],
    ]

    /// A key for one combination of the grid's three parameters.
    private static func key(_ params: [String: ParameterValue]) -> String {
        "\(params["x"]!)|\(params["kind"]!)|\(params["rate"]!)"
    }

    private static func objective(_ trial: Trial) throws -> Double {
        let x = try trial.suggestInt("x", -2, 2)
        let kind = try trial.suggestCategorical("kind", ["a", "b", "c"])
        let rate = try trial.suggestFloat("rate", 0, 2)
        return Double(x) * rate + (kind == "a" ? 0 : 1)
    }

    /// Runs `optimize` without a trial count; a callback stops a runaway study after `limit` trials.
    private static func runUntilStopped(_ study: Study, jobs: Int = 1, limit: Int = 60) throws -> Int {
        let count = Mutex(0)
        try study.optimize(jobs: jobs, callbacks: [{ study, _ in
            let seen = count.withLock { value -> Int in
                value += 1
                return value
            }
            if seen >= limit { study.stop() }
        }], objective: objective)
        return count.withLock { $0 }
    }

    @Test("every grid point runs exactly once, then the study stops by itself")
    func everyPointOnce() throws {
        let sampler = try GridSampler(searchSpace: Self.grid, seed: 3)
        #expect(sampler.gridSize == 12)
        let study = try Study.create(sampler: sampler, pruner: NopPruner())
        #expect(try Self.runUntilStopped(study) == 12)

        let trials = try study.trials()
        #expect(trials.count == 12)
        #expect(trials.allSatisfy { $0.state == .complete })
        let seen = Set(trials.map { Self.key($0.params) })
        var all = Set<String>()
        for x in [-1, 0, 1] { for kind in ["a", "b"] { for rate in [0.5, 1.5] { all.insert("\(x)|\(kind)|\(rate)") } } }
        #expect(seen == all)
        // Trial n takes point n of the shuffled order, recorded as Optuna records it.
        for trial in trials {
            #expect(trial.systemAttributes[GridSampler.gridIDKey] == .int(trial.number))
            #expect(trial.params == sampler.point(trial.number))
            let space = try #require(trial.systemAttributes[GridSampler.searchSpaceKey]?.objectValue)
            #expect(space["x"] == .array([.int(-1), .int(0), .int(1)]))
            #expect(space["kind"] == .array([.string("a"), .string("b")]))
        }
        #expect(try sampler.isExhausted(study: study))
    }

    @Test("the order depends on the seed, and the same seed repeats it")
    func orderFollowsSeed() throws {
        func order(seed: UInt64?) throws -> [String] {
            let study = try Study.create(sampler: try GridSampler(searchSpace: Self.grid, seed: seed), pruner: NopPruner())
            _ = try Self.runUntilStopped(study)
            return try study.trials().map { Self.key($0.params) }
        }
        let first = try order(seed: 1)
        #expect(try order(seed: 1) == first)
        #expect(try order(seed: 2) != first)
        #expect(Set(try order(seed: 2)) == Set(first))
        // No seed means seed 0, as in Optuna: a fixed order.
        #expect(try order(seed: nil) == order(seed: 0))
    }

    @Test("ask and tell: the study is asked to stop after the last point is told")
    func askAndTellStops() throws {
        let study = try Study.create(sampler: try GridSampler(searchSpace: ["x": [1, 2, 3]]), pruner: NopPruner())
        var values: [Int] = []
        for index in 0..<3 {
            let trial = try study.ask()
            values.append(try trial.suggestInt("x", 0, 5))
            #expect(!study.isStopRequested)
            try study.tell(trial, value: Double(index))
        }
        #expect(study.isStopRequested)
        #expect(values.sorted() == [1, 2, 3])
    }

    @Test("parallel workers visit every point and stop")
    func parallelWorkers() throws {
        let study = try Study.create(sampler: try GridSampler(searchSpace: Self.grid, seed: 5), pruner: NopPruner())
        let count = try Self.runUntilStopped(study, jobs: 2)
        #expect(count >= 12 && count < 60)
        #expect(Set(try study.trials().map { Self.key($0.params) }).count == 12)
    }

    @Test("after the grid is done, another trial re-runs a point and the study stops")
    func exhaustedGridRerunsAPoint() throws {
        let study = try Study.create(sampler: try GridSampler(searchSpace: ["x": [1, 2]]), pruner: NopPruner())
        try study.optimize(nTrials: 2) { (trial: Trial) -> Double in Double(try trial.suggestInt("x", 0, 5)) }
        try study.optimize(nTrials: 5) { (trial: Trial) -> Double in Double(try trial.suggestInt("x", 0, 5)) }
        let trials = try study.trials()
        #expect(trials.count == 3)
        #expect([.int(1), .int(2)].contains(trials[2].params["x"]!))
    }

    @Test("a fully enqueued trial keeps its values and takes no grid point")
    func enqueued() throws {
        let study = try Study.create(sampler: try GridSampler(searchSpace: ["x": [1, 2]]), pruner: NopPruner())
        try study.enqueueTrial(params: ["x": 7])
        let trial = try study.ask()
        #expect(try trial.suggestInt("x", 0, 10) == 7)
        #expect(try study.storage.trial(id: trial.id).systemAttributes[GridSampler.gridIDKey] == nil)
        try study.tell(trial, value: 0)
        #expect(!study.isStopRequested)
    }

    @Test("an enqueued trial that leaves a parameter out is an error naming it")
    func enqueuedPartially() throws {
        let study = try Study.create(sampler: try GridSampler(searchSpace: ["x": [1, 2], "y": [3]]), pruner: NopPruner())
        try study.enqueueTrial(params: ["x": 2])
        let trial = try study.ask()
        #expect(try trial.suggestInt("x", 0, 10) == 2)
        #expect(throws: GridSamplerError.enqueuedTrialMissingParameter(name: "y")) { try trial.suggestInt("y", 0, 10) }
    }

    @Test("a parameter outside the grid is an error naming it")
    func parameterNotInGrid() throws {
        let study = try Study.create(sampler: try GridSampler(searchSpace: ["x": [1, 2]]), pruner: NopPruner())
        let trial = try study.ask()
        let error = try #require(throws: GridSamplerError.self) { try trial.suggestFloat("w", 0, 1) }
        #expect(error == .parameterNotInGrid(name: "w", gridParameters: ["x"]))
        #expect(error.localizedDescription.contains("'w'"))
    }

    @Test("a grid value outside the distribution, or of the wrong type, is an error naming the parameter")
    func valueOutsideDistribution() throws {
        let study = try Study.create(sampler: try GridSampler(searchSpace: ["x": [5], "s": ["fast"], "c": [2.0]]),
                                     pruner: NopPruner())
        let trial = try study.ask()
        let outside = try #require(throws: GridSamplerError.self) { try trial.suggestInt("x", 0, 3) }
        guard case .valueOutOfDistribution(let name, let value, _) = outside else {
            Issue.record("unexpected error \(outside)")
            return
        }
        #expect(name == "x" && value == "5")
        #expect(outside.localizedDescription.contains("'x'"))
        let wrongType = try #require(throws: GridSamplerError.self) { try trial.suggestFloat("s", 0, 1) }
        guard case .valueOfWrongType(let wrongName, _, _) = wrongType else {
            Issue.record("unexpected error \(wrongType)")
            return
        }
        #expect(wrongName == "s")
        #expect(throws: GridSamplerError.self) { try trial.suggestCategorical("c", ["a", "b"]) }
        // Python compares 2 == 2.0: a numeric grid value matches a numeric choice of the other type.
        #expect(try trial.suggestCategorical("c", [1, 2, 3]) == 2)
    }

    @Test("an empty list of values is rejected")
    func emptyValues() {
        #expect(throws: GridSamplerError.emptyValues(name: "y")) {
            try GridSampler(searchSpace: ["x": [1], "y": []])
        }
    }

    @Test("a grid point's values decode in name order, the last name varying fastest before shuffling")
    func points() throws {
        let sampler = try GridSampler(searchSpace: ["a": [1, 2], "b": ["u", "v", "w"]], seed: 11)
        let all = Set((0..<6).map { id in "\(sampler.point(id)["a"]!)\(sampler.point(id)["b"]!)" })
        #expect(all == ["1u", "1v", "1w", "2u", "2v", "2w"])
    }
}

import Synchronization
