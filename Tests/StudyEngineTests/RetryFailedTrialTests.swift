import Foundation
import Testing
@testable import StudyEngine

@Suite("Retrying trials of dead workers") struct RetryFailedTrialTests {
    /// A study with one trial that ran, reported and was failed, as `failStaleTrials` leaves it.
    private func failedTrial(_ study: Study) throws -> FrozenTrial {
        let trial = try study.ask()
        _ = try trial.suggestFloat("x", 0, 1)
        _ = try trial.suggestCategorical("c", ["a", "b"])
        try trial.report(0.5, step: 1)
        try trial.setUserAttribute("note", "kept")
        try study.storage.setTrialState(trialID: trial.id, state: .fail, values: nil)
        return try study.storage.trial(id: trial.id)
    }

    @Test("the retry is WAITING with the same params, distributions and user attributes, and Optuna's system attributes")
    func retry() throws {
        let study = try Study.create(direction: .minimize, sampler: RandomSampler(seed: 1))
        let failed = try failedTrial(study)
        try RetryFailedTrialCallback().callback(study, failed)
        let waiting = try #require(try study.trials(states: [.waiting]).first)
        #expect(waiting.params == failed.params && waiting.distributions == failed.distributions)
        #expect(waiting.userAttributes == ["note": "kept"])
        #expect(waiting.intermediateValues.isEmpty)
        #expect(RetryFailedTrialCallback.retriedTrialNumber(waiting) == failed.number)
        #expect(RetryFailedTrialCallback.retryHistory(waiting) == [failed.number])

        // The retry runs with the failed trial's values.
        let rerun = try study.ask()
        #expect(rerun.id == waiting.id)
        #expect(try rerun.suggestFloat("x", 0, 1) == failed.params["x"]?.doubleValue)
    }

    @Test("a series keeps its first number and grows its history; max retry ends it; intermediate values on request")
    func series() throws {
        let study = try Study.create(direction: .minimize, sampler: RandomSampler(seed: 2))
        let first = try failedTrial(study)
        let callback = RetryFailedTrialCallback(maxRetry: 2, inheritIntermediateValues: true).callback
        try callback(study, first)
        var retry = try study.storage.trial(id: try study.ask().id)
        #expect(retry.intermediateValues == [1: 0.5])
        try study.storage.setTrialState(trialID: retry.id, state: .fail, values: nil)
        try callback(study, try study.storage.trial(id: retry.id))
        retry = try study.storage.trial(id: try study.ask().id)
        #expect(RetryFailedTrialCallback.retriedTrialNumber(retry) == first.number)
        #expect(RetryFailedTrialCallback.retryHistory(retry) == [first.number, first.number + 1])
        try study.storage.setTrialState(trialID: retry.id, state: .fail, values: nil)
        try callback(study, try study.storage.trial(id: retry.id))
        #expect(try study.trials(states: [.waiting]).isEmpty)  // the third retry is one too many
    }
}
