import Foundation

/// Keeps the trials whose best intermediate value is within the given percentile of the COMPLETE
/// trials' values at the same step, and prunes the rest (Optuna's `PercentilePruner`).
///
/// A trial is judged at its latest reported step, only on the first report of each pruning interval
/// (steps `nWarmupSteps + k * intervalSteps`, postponed to the next report when a step is missing),
/// and only once `nStartupTrials` trials are COMPLETE. A trial whose values are all NaN is pruned; NaN
/// values of other trials are ignored.
public final class PercentilePruner: Pruner {
    /// Percent of trials kept, in [0, 100] (25 keeps the best quarter).
    public let percentile: Double
    /// Nothing is pruned until this many trials are COMPLETE.
    public let nStartupTrials: Int
    /// Nothing is pruned at steps below this one.
    public let nWarmupSteps: Int
    /// Steps between pruning checks, counted from `nWarmupSteps`.
    public let intervalSteps: Int
    /// A trial is not pruned at a step where fewer COMPLETE trials reported a value.
    public let nMinTrials: Int

    /// - Throws: `PrunerError.invalidArgument` for a percentile outside [0, 100], negative startup trials
    ///   or warm-up steps, or an interval or minimum trial count below 1.
    public init(percentile: Double, nStartupTrials: Int = 5, nWarmupSteps: Int = 0, intervalSteps: Int = 1,
                nMinTrials: Int = 1) throws {
        guard 0 <= percentile, percentile <= 100 else {
            throw PrunerError.invalidArgument(name: "percentile",
                message: "Percentile must be between 0 and 100 inclusive, but got percentile=\(percentile).")
        }
        try Self.validate(nStartupTrials: nStartupTrials, nWarmupSteps: nWarmupSteps, intervalSteps: intervalSteps,
                          nMinTrials: nMinTrials)
        self.percentile = percentile
        self.nStartupTrials = nStartupTrials
        self.nWarmupSteps = nWarmupSteps
        self.intervalSteps = intervalSteps
        self.nMinTrials = nMinTrials
    }

    static func validate(nStartupTrials: Int, nWarmupSteps: Int, intervalSteps: Int, nMinTrials: Int) throws {
        guard nStartupTrials >= 0 else {
            throw PrunerError.invalidArgument(name: "n_startup_trials",
                message: "Number of startup trials cannot be negative, but got n_startup_trials=\(nStartupTrials).")
        }
        guard nWarmupSteps >= 0 else {
            throw PrunerError.invalidArgument(name: "n_warmup_steps",
                message: "Number of warmup steps cannot be negative, but got n_warmup_steps=\(nWarmupSteps).")
        }
        guard intervalSteps >= 1 else {
            throw PrunerError.invalidArgument(name: "interval_steps",
                message: "Pruning interval steps must be at least 1, but got interval_steps=\(intervalSteps).")
        }
        guard nMinTrials >= 1 else {
            throw PrunerError.invalidArgument(name: "n_min_trials",
                message: "Number of trials for pruning must be at least 1, but got n_min_trials=\(nMinTrials).")
        }
    }

    public func prune(study: Study, trial: FrozenTrial) throws -> Bool {
        try prune(study: study, trial: trial, name: "PercentilePruner")
    }

    func prune(study: Study, trial: FrozenTrial, name: String) throws -> Bool {
        // Optuna counts COMPLETE trials first; the step checks below have no side effects, so doing the
        // cheap ones first gives the same answers.
        guard let step = trial.lastStep, step >= nWarmupSteps,
              IntermediateValues.isFirstInInterval(step: step, steps: trial.intermediateValues.keys,
                                                   warmupSteps: nWarmupSteps, intervalSteps: intervalSteps)
        else { return false }
        let completed = try study.trials(states: [.complete])
        guard !completed.isEmpty, completed.count >= nStartupTrials else { return false }

        let direction = try study.prunerDirection(for: name)
        let best = IntermediateValues.best(of: trial.intermediateValues.values, direction: direction)
        if best.isNaN { return true }

        var valuesAtStep: [Double] = []
        valuesAtStep.reserveCapacity(completed.count)
        for other in completed {
            if let value = other.intermediateValues[step] { valuesAtStep.append(value) }
        }
        guard valuesAtStep.count >= nMinTrials else { return false }
        let percent = direction == .maximize ? 100 - percentile : percentile
        let threshold = IntermediateValues.nanPercentile(&valuesAtStep, percent: percent)
        if threshold.isNaN { return false }
        return direction == .maximize ? best < threshold : best > threshold
    }
}
