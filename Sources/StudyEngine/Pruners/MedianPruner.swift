// Placeholder until the pruners land.
public final class MedianPruner: Pruner {
    public init() {}
    public func prune(study: Study, trial: FrozenTrial) throws -> Bool { false }
}
