import Foundation
import Synchronization
import Testing
@testable import StudyEngine

struct ObjectiveFailure: Error, Equatable {
    let code: Int
}

@Suite("Studies: optimize")
struct StudyOptimizeTests {
    @Test(arguments: [1, 4])
    func runsExactlyNTrialsWithUniqueDenseNumbers(jobs: Int) throws {
        let study = try makeStudy(seed: 3)
        let called = Mutex<[Int]>([])
        try study.optimize(nTrials: 60, jobs: jobs, callbacks: [{ _, trial in
            called.withLock { $0.append(trial.number) }
        }]) { trial in
            let x = try trial.suggestFloat("x", -10, 10)
            let n = try trial.suggestInt("n", 0, 5)
            return x * x + Double(n)
        }
        let trials = try study.trials()
        #expect(trials.count == 60)
        #expect(trials.map(\.number) == Array(0..<60))
        #expect(Set(trials.map(\.id)).count == 60)
        #expect(trials.allSatisfy { $0.state == .complete && $0.datetimeComplete != nil })
        #expect(called.withLock { $0 }.sorted() == Array(0..<60))  // once per trial
        let best = try study.bestTrial
        #expect(trials.allSatisfy { $0.value! >= best.value! })
        // A second optimize continues the numbering.
        try study.optimize(nTrials: 5, jobs: jobs) { trial in try trial.suggestFloat("x", -10, 10) }
        #expect(try study.trials().map(\.number) == Array(0..<65))
    }

    @Test func failingObjectivesAreRecordedAndTheStudyGoesOn() throws {
        let study = try makeStudy()
        try study.optimize(nTrials: 10) { trial in
            let x = try trial.suggestFloat("x", 0, 1)
            if trial.number % 3 == 0 { throw ObjectiveFailure(code: trial.number) }
            return x
        }
        let failed = try study.trials(states: [.fail])
        #expect(failed.map(\.number) == [0, 3, 6, 9])
        #expect(try study.trials(states: [.complete]).count == 6)
        for trial in failed {
            let reason = try #require(trial.systemAttributes["fail_reason"]?.stringValue)
            #expect(reason.hasPrefix("ObjectiveFailure: ") && reason.contains("\(trial.number)"))
            #expect(trial.values == nil && trial.params["x"] != nil)
        }
    }

    @Test func catchingNoneRethrowsAfterRecordingTheTrial() throws {
        let study = try makeStudy()
        #expect(throws: ObjectiveFailure(code: 2)) {
            try study.optimize(nTrials: 10, catching: .none) { trial in
                if trial.number == 2 { throw ObjectiveFailure(code: 2) }
                return 1
            }
        }
        let trials = try study.trials()
        #expect(trials.map(\.state) == [.complete, .complete, .fail])
        #expect(trials[2].systemAttributes["fail_reason"] != nil)
    }

    @Test func catchingMatchingCatchesOnlyWhatItMatches() throws {
        let study = try makeStudy()
        let catching = ErrorCatching.matching { ($0 as? ObjectiveFailure)?.code == 1 }
        #expect(throws: ObjectiveFailure(code: 2)) {
            try study.optimize(nTrials: 10, catching: catching) { trial in
                if trial.number == 1 { throw ObjectiveFailure(code: 1) }
                if trial.number == 3 { throw ObjectiveFailure(code: 2) }
                return 0
            }
        }
        #expect(try study.trials().map(\.state) == [.complete, .fail, .complete, .fail])
    }

    @Test func trialPrunedEndsTheTrialAsPruned() throws {
        let study = try makeStudy(pruner: LastValueAbovePruner(threshold: 0.5))
        try study.optimize(nTrials: 12) { trial in
            let x = try trial.suggestFloat("x", 0, 1)
            for step in 0..<3 {
                try trial.report(x + Double(step) * 0.1, step: step)
                if try trial.shouldPrune() { throw TrialPruned() }
            }
            return x
        }
        let trials = try study.trials()
        #expect(trials.count == 12)
        for trial in trials {
            let x = trial.params["x"]!.doubleValue!
            if x + 0.2 > 0.5 {
                #expect(trial.state == .pruned)
                #expect(trial.value == trial.intermediateValues[trial.lastStep!])  // its last intermediate value
            } else {
                #expect(trial.state == .complete && trial.value == x)
            }
        }
        #expect(trials.contains { $0.state == .pruned } && trials.contains { $0.state == .complete })
    }

    @Test(arguments: [1, 4])
    func stopFromACallbackEndsOptimize(jobs: Int) throws {
        let study = try makeStudy()
        try study.optimize(nTrials: 1000, jobs: jobs, callbacks: [{ study, trial in
            if trial.number >= 4 { study.stop() }
        }]) { trial in try trial.suggestFloat("x", 0, 1) }
        let trials = try study.trials()
        if jobs == 1 { #expect(trials.count == 5) } else { #expect(trials.count >= 5 && trials.count < 20) }
        #expect(trials.allSatisfy { $0.state == .complete })
        // stop() does not outlive its optimize call.
        try study.optimize(nTrials: 3) { trial in try trial.suggestFloat("x", 0, 1) }
        #expect(try study.trials().count == trials.count + 3)
    }

    @Test(arguments: [1, 4])
    func timeoutEndsOptimize(jobs: Int) throws {
        let study = try makeStudy()
        let started = Date()
        try study.optimize(timeout: 0.3, jobs: jobs) { trial in
            Thread.sleep(forTimeInterval: 0.01)
            return try trial.suggestFloat("x", 0, 1)
        }
        let elapsed = Date().timeIntervalSince(started)
        let trials = try study.trials()
        #expect(!trials.isEmpty && trials.allSatisfy { $0.state == .complete })
        #expect(elapsed >= 0.3 && elapsed < 30)  // approximately: trials started before the deadline finish
        #expect(trials.map(\.number) == Array(0..<trials.count))
    }

    @Test func callbacksSeeFinishedTrialsOfEveryState() throws {
        let study = try makeStudy()
        let seen = Mutex<[TrialState]>([])
        try study.optimize(nTrials: 6, callbacks: [{ _, trial in seen.withLock { $0.append(trial.state) } }]) { trial in
            switch trial.number % 3 {
            case 0: return 1
            case 1: throw TrialPruned()
            default: return .nan
            }
        }
        #expect(seen.withLock { $0 } == [.complete, .pruned, .fail, .complete, .pruned, .fail])
        #expect(try study.trials(states: [.fail]).allSatisfy { $0.systemAttributes["fail_reason"] == "The value nan is not acceptable" })
    }

    @Test func multiObjectiveOptimize() throws {
        let study = try makeStudy([.minimize, .maximize])
        #expect(throws: StudyError.self) { try study.optimize(nTrials: 1) { _ in 1.0 } }
        try study.optimize(nTrials: 20, jobs: 2) { trial in
            let x = try trial.suggestFloat("x", 0, 1)
            return [x, x * x]
        }
        #expect(try study.trials(states: [.complete]).count == 20)
        #expect(try !study.bestTrials.isEmpty)
    }

    @Test func invalidArgumentsAreRejected() throws {
        let study = try makeStudy()
        #expect(throws: StudyError.self) { try study.optimize(nTrials: -1) { _ in 0.0 } }
        #expect(throws: StudyError.self) { try study.optimize(nTrials: 1, timeout: -1) { _ in 0.0 } }
        #expect(throws: StudyError.self) { try study.optimize(nTrials: 1, jobs: 0) { _ in 0.0 } }
        try study.optimize(nTrials: 0) { _ in 0.0 }
        #expect(try study.trials().isEmpty)
    }
}
