import Foundation

/// Called with each trial that `Study.failStaleTrials()` has just failed because its worker stopped beating.
public typealias StaleTrialCallback = @Sendable (Study, FrozenTrial) throws -> Void

/// Re-queues a trial whose worker died as a WAITING trial with the same parameters, so the next worker runs
/// it again (Optuna's `RetryFailedTrialCallback` / `RetryHeartbeatStaleTrialCallback`, same system
/// attributes: `failed_trial` is the number of the first trial of the series, `retry_history` every number
/// of it so far).
public struct RetryFailedTrialCallback: Sendable {
    /// How many times one trial may be re-run; nil: without end.
    public var maxRetry: Int?
    /// Whether the new trial starts with the intermediate values of the failed one.
    public var inheritIntermediateValues: Bool

    public init(maxRetry: Int? = nil, inheritIntermediateValues: Bool = false) {
        self.maxRetry = maxRetry
        self.inheritIntermediateValues = inheritIntermediateValues
    }

    /// The callback to pass as `staleTrialCallback`.
    public var callback: StaleTrialCallback {
        let maxRetry = maxRetry, inherit = inheritIntermediateValues
        return { study, trial in
            var attributes = trial.systemAttributes
            if attributes["failed_trial"] == nil { attributes["failed_trial"] = .int(trial.number) }
            var history = attributes["retry_history"]?.arrayValue ?? []
            history.append(.int(trial.number))
            attributes["retry_history"] = .array(history)
            if let maxRetry, maxRetry < history.count { return }
            let template = FrozenTrial(state: .waiting, params: trial.params, distributions: trial.distributions,
                                       userAttributes: trial.userAttributes, systemAttributes: attributes,
                                       intermediateValues: inherit ? trial.intermediateValues : [:])
            _ = try study.storage.createTrial(studyID: study.id, template: template)
        }
    }

    /// The number of the original trial that `trial` re-runs, if it is a retry.
    public static func retriedTrialNumber(_ trial: FrozenTrial) -> Int? { trial.systemAttributes["failed_trial"]?.intValue }

    /// The numbers of the earlier trials of the series that `trial` re-runs, oldest first.
    public static func retryHistory(_ trial: FrozenTrial) -> [Int] {
        trial.systemAttributes["retry_history"]?.arrayValue?.compactMap(\.intValue) ?? []
    }
}

extension Study {
    /// Fails every RUNNING trial of the study whose worker has not beaten its heartbeat within the storage's
    /// grace period, then calls `staleTrialCallback` with each (Optuna's `fail_stale_trials`). Storages without
    /// heartbeats have no stale trials. Returns the trials failed here (another worker may fail some first).
    @discardableResult
    public func failStaleTrials() throws -> [FrozenTrial] {
        guard let heartbeatStorage = storage as? any HeartbeatStorage else { return [] }
        let failed = try heartbeatStorage.failStaleTrials(studyID: id).map { try storage.trial(id: $0) }
        if let staleTrialCallback {
            for trial in failed { try staleTrialCallback(self, trial) }
        }
        return failed
    }
}
