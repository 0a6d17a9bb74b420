import Foundation

/// Prunes a trial whose best intermediate value is worse than the median of the COMPLETE trials' values
/// at the same step (Optuna's `MedianPruner`, the default pruner): a `PercentilePruner` at 50%.
public final class MedianPruner: Pruner {
    private let percentilePruner: PercentilePruner

    /// Nothing is pruned until this many trials are COMPLETE.
    public var nStartupTrials: Int { percentilePruner.nStartupTrials }
    /// Nothing is pruned at steps below this one.
    public var nWarmupSteps: Int { percentilePruner.nWarmupSteps }
    /// Steps between pruning checks, counted from `nWarmupSteps`.
    public var intervalSteps: Int { percentilePruner.intervalSteps }
    /// A trial is not pruned at a step where fewer COMPLETE trials reported a value.
    public var nMinTrials: Int { percentilePruner.nMinTrials }

    /// - Throws: `PrunerError.invalidArgument` for negative startup trials or warm-up steps, or an
    ///   interval or minimum trial count below 1.
    public init(nStartupTrials: Int = 5, nWarmupSteps: Int = 0, intervalSteps: Int = 1, nMinTrials: Int = 1) throws {
        percentilePruner = try PercentilePruner(percentile: 50, nStartupTrials: nStartupTrials,
                                                nWarmupSteps: nWarmupSteps, intervalSteps: intervalSteps,
                                                nMinTrials: nMinTrials)
    }

    /// Optuna's defaults: 5 startup trials, no warm-up, every step, one trial at the step.
    public convenience init() {
        try! self.init(nStartupTrials: 5)
    }

    public func prune(study: Study, trial: FrozenTrial) throws -> Bool {
        try percentilePruner.prune(study: study, trial: trial, name: "MedianPruner")
    }
}
