import Foundation
import Testing
@testable import StudyEngine

/// Prunes a trial whose last intermediate value exceeds `threshold` (a pruner whose answer tests can predict).
final class LastValueAbovePruner: Pruner {
    let threshold: Double
    init(threshold: Double) { self.threshold = threshold }
    func prune(study: Study, trial: FrozenTrial) throws -> Bool {
        guard let step = trial.lastStep, let value = trial.intermediateValues[step] else { return false }
        return value > threshold
    }
}

func makeStudy(_ directions: [StudyDirection] = [.minimize], seed: UInt64 = 1, pruner: any Pruner = NopPruner(),
               storage: any StudyStorage = InMemoryStorage(), name: String? = nil) throws -> Study {
    try Study.create(name: name, storage: storage, directions: directions, sampler: RandomSampler(seed: seed), pruner: pruner)
}

@Suite("Trials")
struct TrialTests {
    @Test func aNewTrialIsRunningWithItsNumberAndStartTime() throws {
        let study = try makeStudy()
        let first = try study.ask()
        let second = try study.ask()
        #expect(first.number == 0 && second.number == 1 && first.id != second.id)
        let frozen = try study.storage.trial(id: first.id)
        #expect(frozen.state == .running && frozen.datetimeStart != nil && frozen.datetimeComplete == nil)
        #expect(first.datetimeStart == frozen.datetimeStart)
        try study.tell(first, value: 1)
        let done = try study.storage.trial(id: first.id)
        #expect(done.state == .complete && done.values == [1] && done.datetimeComplete != nil)
        #expect(done.datetimeComplete! >= done.datetimeStart!)
    }

    @Test func suggestionsLieInTheirDistributions() throws {
        let study = try makeStudy(seed: 7)
        for _ in 0..<50 {
            let trial = try study.ask()
            let x = try trial.suggestFloat("x", -2, 3)
            let lr = try trial.suggestFloat("lr", 1e-5, 1e-1, log: true)
            let q = try trial.suggestFloat("q", 0, 1, step: 0.25)
            let n = try trial.suggestInt("n", -3, 9, step: 3)
            let units = try trial.suggestInt("units", 1, 1024, log: true)
            let optimizer = try trial.suggestCategorical("optimizer", ["adam", "sgd"])
            let depth = try trial.suggestCategorical("depth", [2, 4, 8])
            let rate = try trial.suggestCategorical("rate", [0.1, 0.5])
            let flag = try trial.suggestCategorical("flag", [true, false])
            #expect((-2...3).contains(x) && (1e-5...1e-1).contains(lr))
            #expect([0, 0.25, 0.5, 0.75, 1].contains(q))
            #expect([-3, 0, 3, 6, 9].contains(n) && (1...1024).contains(units))
            #expect(["adam", "sgd"].contains(optimizer) && [2, 4, 8].contains(depth) && [0.1, 0.5].contains(rate))
            _ = flag
            let stored = try study.storage.trial(id: trial.id)
            #expect(stored.params["x"] == .double(x) && stored.params["n"] == .int(n) && stored.params["units"] == .int(units))
            #expect(stored.params["optimizer"] == .string(optimizer) && stored.params["depth"] == .int(depth))
            #expect(stored.params["rate"] == .double(rate) && stored.params["flag"] == .bool(flag))
            #expect(trial.params == stored.params && trial.distributions == stored.distributions)
            try study.tell(trial, value: x)
        }
        // Both booleans come up over 50 trials.
        #expect(Set(try study.trials().compactMap { $0.params["flag"] }).count == 2)
    }

    @Test func theSameSeedGivesTheSameSuggestions() throws {
        func run() throws -> [Double] {
            let study = try makeStudy(seed: 42)
            return try (0..<10).map { _ in
                let trial = try study.ask()
                let value = try trial.suggestFloat("x", 0, 1) + Double(try trial.suggestInt("n", 0, 100))
                try study.tell(trial, value: value)
                return value
            }
        }
        #expect(try run() == run())
    }

    @Test func suggestingANameAgain() throws {
        let study = try makeStudy()
        let trial = try study.ask()
        let x = try trial.suggestFloat("x", 0, 1)
        #expect(try trial.suggestFloat("x", 0, 1) == x)  // same distribution: same value
        let choice = try trial.suggestCategorical("c", ["a", "b", "c"])
        #expect(try trial.suggestCategorical("c", ["a", "b", "c"]) == choice)
        // Any other distribution under the same name is an error naming the parameter (stricter than Optuna).
        #expect(errorMessage { _ = try trial.suggestFloat("x", 0, 2) }?.hasPrefix("parameter 'x' was already suggested with") == true)
        #expect(throws: DistributionError.self) { try trial.suggestInt("x", 0, 1) }
        #expect(throws: DistributionError.self) { try trial.suggestCategorical("c", ["a", "b"]) }
        #expect(trial.params["x"] == .double(x))
    }

    @Test func invalidSuggestionsNameTheParameter() throws {
        let trial = try makeStudy().ask()
        #expect(errorMessage { _ = try trial.suggestFloat("lr", 0, 1, log: true) }
            == "parameter 'lr': `low > 0` must hold for `log=True`, but got (low=0.0, high=1.0).")
        #expect(errorMessage { _ = try trial.suggestInt("units", 0, 10, step: 3) }?.contains("use high=9") == true)
        #expect(errorMessage { _ = try trial.suggestCategorical("opt", [String]()) }
            == "parameter 'opt': The `choices` must contain one or more elements.")
        #expect(trial.params.isEmpty)
    }

    @Test func singleValuedDistributionsGiveTheirValue() throws {
        let trial = try makeStudy().ask()
        #expect(try trial.suggestFloat("a", 2.5, 2.5) == 2.5)
        #expect(try trial.suggestInt("b", 7, 7) == 7)
        #expect(try trial.suggestCategorical("c", ["only"]) == "only")
    }

    @Test func reportKeepsTheFirstValueOfAStepAndRejectsNegativeSteps() throws {
        let study = try makeStudy()
        let trial = try study.ask()
        try trial.report(3.0, step: 0)
        try trial.report(2.0, step: 1)
        try trial.report(99.0, step: 1)  // ignored, as in Optuna
        try trial.report(1.5, step: 10)
        #expect(throws: StudyError.self) { try trial.report(1.0, step: -1) }
        let stored = try study.storage.trial(id: trial.id)
        #expect(stored.intermediateValues == [0: 3.0, 1: 2.0, 10: 1.5])
        #expect(trial.snapshot.intermediateValues == stored.intermediateValues && stored.lastStep == 10)
    }

    @Test func shouldPruneAsksThePruner() throws {
        let study = try makeStudy(pruner: LastValueAbovePruner(threshold: 5))
        let trial = try study.ask()
        #expect(try !trial.shouldPrune())
        try trial.report(4, step: 0)
        #expect(try !trial.shouldPrune())
        try trial.report(6, step: 1)
        #expect(try trial.shouldPrune())
        #expect(try !makeStudy(pruner: NopPruner()).ask().shouldPrune())
    }

    @Test func multiObjectiveTrialsCannotReportOrPrune() throws {
        let trial = try makeStudy([.minimize, .maximize]).ask()
        #expect(throws: StudyError.multiObjectiveUnsupported("Trial.report")) { try trial.report(1, step: 0) }
        #expect(throws: StudyError.multiObjectiveUnsupported("Trial.shouldPrune")) { try trial.shouldPrune() }
    }

    @Test func attributesAreJSONValuesInStorage() throws {
        let study = try makeStudy()
        let trial = try study.ask()
        let expression: JSONValue = ["infix": "x0 * 2.5", "complexity": 3, "metrics": ["mse": 0.01], "tree": [1, 2, nil]]
        try trial.setUserAttribute("expression", expression)
        try trial.setUserAttribute("seed", 12)
        try trial.setSystemAttribute("worker", "w1")
        let stored = try study.storage.trial(id: trial.id)
        #expect(stored.userAttributes == ["expression": expression, "seed": 12])
        #expect(stored.systemAttributes["worker"] == "w1")
        #expect(trial.userAttributes == stored.userAttributes && trial.systemAttributes["worker"] == "w1")
        try study.tell(trial, value: 0)
        #expect(throws: StorageError.trialFinished(number: 0, state: .complete)) { try trial.setUserAttribute("late", 1) }
        #expect(throws: StorageError.self) { try trial.report(1, step: 5) }
        #expect(throws: StorageError.self) { try trial.suggestFloat("late", 0, 1) }
    }

    @Test func trialStatesUseOptunasNames() {
        #expect(TrialState.allCases.map(\.optunaName) == ["RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"])
        #expect(TrialState.allCases.map(\.rawValue) == [0, 1, 2, 3, 4])
        #expect(TrialState(optunaName: "pruned") == .pruned && TrialState(optunaName: "DONE") == nil)
        #expect(TrialState.allCases.filter(\.isFinished) == [.complete, .pruned, .fail])
    }
}
