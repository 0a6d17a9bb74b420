import Foundation
import Synchronization
import Testing
@testable import StudyEngine

@Suite("Studies: creation, ask and tell, queue, best trials")
struct StudyTests {
    @Test func createLoadAndDuplicateNames() throws {
        let storage = InMemoryStorage()
        let study = try makeStudy([.maximize], storage: storage, name: "s1")
        #expect(study.name == "s1" && study.directions == [.maximize] && study.direction == .maximize && !study.isMultiObjective)
        try study.tell(try study.ask(), value: 2)
        let loaded = try Study.load(name: "s1", storage: storage, sampler: RandomSampler(seed: 1), pruner: NopPruner())
        #expect(try loaded.id == study.id && loaded.directions == [.maximize] && loaded.trials().count == 1)
        #expect(throws: StorageError.duplicatedStudy("s1")) { try makeStudy([.maximize], storage: storage, name: "s1") }
        let again = try Study.create(name: "s1", storage: storage, direction: .maximize, sampler: RandomSampler(seed: 1),
                                     pruner: NopPruner(), loadIfExists: true)
        #expect(try again.id == study.id && again.trials().count == 1)
        #expect(throws: StorageError.self) {
            try Study.create(name: "s1", storage: storage, direction: .minimize, sampler: RandomSampler(seed: 1),
                             pruner: NopPruner(), loadIfExists: true)
        }
        #expect(throws: StorageError.self) { try Study.load(name: "missing", storage: storage) }
        let multi = try makeStudy([.minimize, .maximize, .minimize], storage: storage, name: "s2")
        #expect(try multi.isMultiObjective && Study.load(name: "s2", storage: storage).directions == [.minimize, .maximize, .minimize])
        let unnamed = try makeStudy(storage: storage)
        #expect(unnamed.name.hasPrefix("no-name-"))
        #expect(throws: StorageError.self) { try makeStudy([], storage: storage) }
    }

    @Test func tellCompletePrunedAndFail() throws {
        let study = try makeStudy()
        let complete = try study.ask()
        #expect(try study.tell(complete, values: [1.5]).state == .complete)

        let pruned = try study.ask()
        try pruned.report(4, step: 0)
        try pruned.report(3, step: 2)
        let prunedFrozen = try study.tell(pruned, state: .pruned)
        #expect(prunedFrozen.state == .pruned && prunedFrozen.values == [3])  // the last intermediate value
        let prunedEarly = try study.ask()
        #expect(try study.tell(prunedEarly, state: .pruned).values == nil)
        let prunedNaN = try study.ask()
        try prunedNaN.report(.nan, step: 0)
        #expect(try study.tell(prunedNaN, state: .pruned).values == nil)

        let failed = try study.ask()
        let failedFrozen = try study.tell(failed, state: .fail)
        #expect(failedFrozen.state == .fail && failedFrozen.values == nil && failedFrozen.datetimeComplete != nil)
        #expect(try study.trials(states: [.complete]).map(\.number) == [0])
        #expect(try study.trials(states: [.pruned]).map(\.number) == [1, 2, 3])
        #expect(try study.trials(states: [.fail, .running]).map(\.number) == [4])
    }

    @Test func badValuesFailTheTrialWhenNoStateIsGiven() throws {
        let study = try makeStudy()
        let nan = try study.tell(try study.ask(), values: [.nan])
        #expect(nan.state == .fail && nan.values == nil)
        #expect(nan.systemAttributes["fail_reason"] == "The value nan is not acceptable")
        let count = try study.tell(try study.ask(), values: [1, 2])
        #expect(count.state == .fail)
        #expect(count.systemAttributes["fail_reason"] == "The number of the values 2 did not match the number of the objectives 1")
        let none = try study.tell(try study.ask(), values: nil)
        #expect(none.state == .fail && none.systemAttributes["fail_reason"] == "The value None could not be cast to float.")
        let infinite = try study.tell(try study.ask(), values: [.infinity])
        #expect(infinite.state == .complete && infinite.values == [.infinity])
    }

    @Test func tellRejectsContradictoryArguments() throws {
        let study = try makeStudy()
        let trial = try study.ask()
        #expect(throws: StudyError.self) { try study.tell(trial, values: [.nan], state: .complete) }
        #expect(throws: StudyError.self) { try study.tell(trial, values: nil, state: .complete) }
        #expect(throws: StudyError.self) { try study.tell(trial, values: [1], state: .pruned) }
        #expect(throws: StudyError.self) { try study.tell(trial, values: [1], state: .fail) }
        #expect(throws: StudyError.self) { try study.tell(trial, values: nil, state: .running) }
        #expect(try study.storage.trial(id: trial.id).state == .running)  // none of them changed it
        #expect(throws: StorageError.self) { try study.tell(trialNumber: 5, values: [1]) }
    }

    @Test func tellingAFinishedTrialErrorsUnlessSkipIfFinished() throws {
        let study = try makeStudy()
        let trial = try study.ask()
        try study.tell(trial, value: 1)
        #expect(throws: StudyError.cannotTell(number: 0, state: .complete)) { try study.tell(trial, value: 2) }
        #expect(errorMessage { try study.tell(trial, value: 2) } == "Cannot tell a COMPLETE trial (trial 0).")
        let skipped = try study.tell(trial, values: [2], skipIfFinished: true)
        #expect(skipped.values == [1] && skipped.state == .complete)
        #expect(try study.tell(trialNumber: 0, values: nil, state: .fail, skipIfFinished: true).state == .complete)
    }

    @Test func askWithFixedDistributions() throws {
        let study = try makeStudy()
        let x = ParameterDistribution.float(try FloatDistribution(low: 0, high: 1))
        let kind = ParameterDistribution.categorical(try CategoricalDistribution(choices: ["a", "b"]))
        let trial = try study.ask(fixedDistributions: ["x": x, "kind": kind])
        #expect(Set(trial.params.keys) == ["x", "kind"] && trial.distributions == ["x": x, "kind": kind])
        #expect(try trial.suggestFloat("x", 0, 1) == trial.params["x"]!.doubleValue!)
        #expect(try study.storage.trial(id: trial.id).params == trial.params)
    }

    @Test func enqueuedTrialsComeFirstWithTheirFixedValues() throws {
        let study = try makeStudy()
        try study.enqueueTrial(params: ["x": 0.25, "n": 3, "opt": "sgd", "flag": true], userAttributes: ["source": "grid"])
        try study.enqueueTrial(params: ["x": 0.75])
        #expect(try study.trials(states: [.waiting]).count == 2)
        let first = try study.ask()
        #expect(first.number == 0)
        #expect(try first.suggestFloat("x", 0, 1) == 0.25)
        #expect(try first.suggestInt("n", 0, 10) == 3)
        #expect(try first.suggestCategorical("opt", ["adam", "sgd"]) == "sgd")
        #expect(try first.suggestCategorical("flag", [false, true]) == true)
        let free = try first.suggestFloat("free", 5, 6)  // not fixed: sampled
        #expect((5...6).contains(free))
        #expect(first.userAttributes["source"] == "grid")
        try study.tell(first, value: 1)
        let second = try study.ask()
        #expect(try second.number == 1 && second.suggestFloat("x", 0, 1) == 0.75)
        let third = try study.ask()
        #expect(try third.number == 2 && study.trials(states: [.waiting]).isEmpty)
        // JSON has one number type: a fixed 2 serves a float parameter, a fixed 4.0 an int one.
        try study.enqueueTrial(params: ["a": 2, "b": 4.0, "c": 1])
        let fourth = try study.ask()
        #expect(try fourth.suggestFloat("a", 0, 5) == 2.0 && fourth.suggestInt("b", 0, 5) == 4)
        #expect(try fourth.suggestCategorical("c", [0.5, 1.0]) == 1.0)
    }

    @Test func anOutOfRangeFixedValueIsAClearError() throws {
        let study = try makeStudy()
        try study.enqueueTrial(params: ["x": 5.0, "opt": "rmsprop", "n": 2.5])
        let trial = try study.ask()
        #expect(errorMessage { _ = try trial.suggestFloat("x", 0, 1) }
            == "Fixed parameter 'x' with value 5.0 is out of range for distribution FloatDistribution(high=1.0, log=False, low=0.0, step=None).")
        #expect(throws: DistributionError.self) { try trial.suggestCategorical("opt", ["adam", "sgd"]) }
        #expect(throws: DistributionError.self) { try trial.suggestInt("n", 0, 5) }
        #expect(trial.params.isEmpty)
    }

    @Test func enqueueSkipIfExists() throws {
        let study = try makeStudy()
        try study.enqueueTrial(params: ["x": 0.5, "n": 2], skipIfExists: true)
        try study.enqueueTrial(params: ["n": 2, "x": 0.5], skipIfExists: true)  // same as the waiting one
        #expect(try study.trials().count == 1)
        try study.enqueueTrial(params: ["x": 0.5], skipIfExists: true)  // other names: not a repeat
        try study.enqueueTrial(params: ["x": 0.5, "n": 3], skipIfExists: true)  // other value
        #expect(try study.trials().count == 3)
        let trial = try study.ask()
        _ = try trial.suggestFloat("x", 0, 1)
        _ = try trial.suggestInt("n", 0, 5)
        try study.tell(trial, value: 1)
        try study.enqueueTrial(params: ["x": 0.5, "n": 2.0], skipIfExists: true)  // matches the finished trial
        try study.enqueueTrial(params: ["x": .double(.nan)], skipIfExists: true)
        try study.enqueueTrial(params: ["x": .double(.nan)], skipIfExists: true)  // NaN repeats NaN
        #expect(try study.trials().count == 4)
        try study.enqueueTrial(params: ["x": 0.5, "n": 2])  // without skipIfExists it is added
        #expect(try study.trials().count == 5)
    }

    @Test func bestTrialForMinimizeAndMaximize() throws {
        for direction in [StudyDirection.minimize, .maximize] {
            let study = try makeStudy([direction])
            #expect(throws: StudyError.noCompleteTrial(study: study.name)) { try study.bestTrial }
            let values = [3.0, -1.0, 7.0, -1.0, 2.0]
            for value in values {
                let trial = try study.ask()
                _ = try trial.suggestFloat("x", value - 1, value + 1)
                try study.tell(trial, value: value)
            }
            // A failed and a pruned trial with a better value do not count.
            let pruned = try study.ask()
            try pruned.report(direction == .minimize ? -100 : 100, step: 0)
            try study.tell(pruned, state: .pruned)
            try study.tell(try study.ask(), state: .fail)
            let best = try study.bestTrial
            let expectedNumber = direction == .minimize ? 1 : 2  // the first of ties
            #expect(best.number == expectedNumber)
            #expect(try study.bestValue == values[expectedNumber])
            #expect(try study.bestParams == best.params)
            #expect(try study.storage.bestTrial(studyID: study.id).number == expectedNumber)
            // One objective: bestTrials holds every trial with the best value.
            #expect(try study.bestTrials.map(\.number) == (direction == .minimize ? [1, 3] : [2]))
        }
        let multi = try makeStudy([.minimize, .minimize])
        #expect(throws: StudyError.self) { try multi.bestTrial }
    }

    /// The Pareto front by definition: the trials no other trial dominates.
    static func bruteForceFront(_ points: [[Double]], _ directions: [StudyDirection]) -> [Int] {
        let losses = points.map { point in point.indices.map { directions[$0].loss(point[$0]) } }
        return points.indices.filter { candidate in
            !points.indices.contains { other in
                let noWorse = losses[other].indices.allSatisfy { losses[other][$0] <= losses[candidate][$0] }
                let better = losses[other].indices.contains { losses[other][$0] < losses[candidate][$0] }
                return noWorse && better
            }
        }
    }

    @Test(arguments: [[StudyDirection.minimize, .maximize], [.minimize, .minimize, .maximize], [.maximize, .maximize]])
    func bestTrialsIsTheParetoFront(directions: [StudyDirection]) throws {
        let random = RandomSource(seed: UInt64(directions.count * 10 + directions.first!.rawValue))
        for round in 0..<5 {
            let study = try makeStudy(directions)
            var points: [[Double]] = []
            for _ in 0..<120 {
                // Coarse values, so that ties and duplicates occur.
                let point = directions.map { _ in Double(random.integer(below: round == 0 ? 4 : 25)) }
                points.append(point)
                try study.tell(try study.ask(), values: point)
            }
            try study.tell(try study.ask(), state: .fail)
            let expected = Self.bruteForceFront(points, directions)
            #expect(try study.bestTrials.map(\.number) == expected)
            #expect(!expected.isEmpty)
        }
    }

    @Test func trialListingsFilterByState() throws {
        let study = try makeStudy()
        try study.tell(try study.ask(), value: 1)
        try study.tell(try study.ask(), state: .fail)
        _ = try study.ask()
        try study.enqueueTrial(params: ["x": 1])
        #expect(try study.trials().map(\.state) == [.complete, .fail, .running, .waiting])
        #expect(try study.trials(states: [.running, .waiting]).map(\.number) == [2, 3])
        #expect(try study.trials(states: []).isEmpty)
        let view = study.filtered { $0.state == .complete }
        #expect(try view.trials().map(\.number) == [0])
    }

    @Test func studyAttributes() throws {
        let study = try makeStudy()
        try study.setUserAttribute("dataset", ["name": "cartpole", "rows": 1000])
        try study.setSystemAttribute("version", 1)
        #expect(try study.userAttributes == ["dataset": ["name": "cartpole", "rows": 1000]])
        #expect(try study.systemAttributes == ["version": 1])
    }
}
