/// Decides whether a running trial should stop early (Optuna's `BasePruner`).
public protocol Pruner: AnyObject, Sendable {
    /// True when `trial`, given its intermediate values so far, should be pruned.
    func prune(study: Study, trial: FrozenTrial) throws -> Bool
    /// The view of the study a sampler should see while sampling for `trial`. Hyperband narrows it to
    /// the trial's bracket; every other pruner returns the study itself.
    func samplerView(of study: Study, for trial: FrozenTrial) throws -> Study
}

extension Pruner {
    public func samplerView(of study: Study, for trial: FrozenTrial) throws -> Study { study }
}

/// Never prunes (Optuna's `NopPruner`).
public final class NopPruner: Pruner {
    public init() {}
    public func prune(study: Study, trial: FrozenTrial) throws -> Bool { false }
}
