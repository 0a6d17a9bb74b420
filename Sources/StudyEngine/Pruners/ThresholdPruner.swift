import Foundation

/// Prunes a trial whose latest intermediate value is below `lower`, above `upper`, or NaN (Optuna's
/// `ThresholdPruner`), checked after `nWarmupSteps` on the first report of each interval.
public final class ThresholdPruner: Pruner {
    /// Values below this are pruned (-infinity when not given).
    public let lower: Double
    /// Values above this are pruned (+infinity when not given).
    public let upper: Double
    /// Nothing is pruned at steps below this one.
    public let nWarmupSteps: Int
    /// Steps between pruning checks, counted from `nWarmupSteps`.
    public let intervalSteps: Int

    /// - Throws: `PrunerError.invalidArgument` when neither bound is given, `lower > upper`, the warm-up is
    ///   negative or the interval below 1.
    public init(lower: Double? = nil, upper: Double? = nil, nWarmupSteps: Int = 0, intervalSteps: Int = 1) throws {
        guard lower != nil || upper != nil else {
            throw PrunerError.invalidArgument(name: "lower", message: "Either lower or upper must be specified.")
        }
        let lower = lower ?? -.infinity
        let upper = upper ?? .infinity
        if lower > upper {
            throw PrunerError.invalidArgument(name: "lower", message: "lower should be smaller than upper.")
        }
        guard nWarmupSteps >= 0 else {
            throw PrunerError.invalidArgument(name: "n_warmup_steps",
                message: "Number of warmup steps cannot be negative but got \(nWarmupSteps).")
        }
        guard intervalSteps >= 1 else {
            throw PrunerError.invalidArgument(name: "interval_steps",
                message: "Pruning interval steps must be at least 1 but got \(intervalSteps).")
        }
        self.lower = lower
        self.upper = upper
        self.nWarmupSteps = nWarmupSteps
        self.intervalSteps = intervalSteps
    }

    public func prune(study: Study, trial: FrozenTrial) throws -> Bool {
        guard let step = trial.lastStep, step >= nWarmupSteps,
              IntermediateValues.isFirstInInterval(step: step, steps: trial.intermediateValues.keys,
                                                   warmupSteps: nWarmupSteps, intervalSteps: intervalSteps),
              let latest = trial.intermediateValues[step]
        else { return false }
        return latest.isNaN || latest < lower || latest > upper
    }
}
