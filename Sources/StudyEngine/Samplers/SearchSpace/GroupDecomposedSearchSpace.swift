import Synchronization

/// The search space split into disjoint groups of parameters that always occur together
/// (Optuna's `_GroupDecomposedSearchSpace` and `_SearchSpaceGroup`): for every finished trial, each
/// group lies wholly inside or wholly outside the trial's parameters. Conditional spaces (parameters
/// suggested only in some branches) decompose into one group per branch.
///
/// Each group keeps the distribution of the trial that introduced its parameters. Trials are read
/// once each, in number order, which gives the same groups, in the same order, as Optuna's re-reading
/// of every trial. One instance follows one study; given another study it starts over.
public final class GroupDecomposedSearchSpace: Sendable {
    /// Whether PRUNED trials count (COMPLETE ones always do).
    public let includePruned: Bool

    private struct State {
        var studyKey: (ObjectIdentifier, Int)?
        var groups: [[String: ParameterDistribution]] = []
        var processed: [Bool] = []
    }

    private let state = Mutex(State())

    public init(includePruned: Bool = false) { self.includePruned = includePruned }

    /// The groups after reading the study's finished trials.
    public func calculate(study: Study) throws -> [[String: ParameterDistribution]] {
        let trials = try study.trials()
        return state.withLock { state in
            let key = (ObjectIdentifier(study.storage), study.id)
            if let current = state.studyKey, current != key { state = State() }
            state.studyKey = key
            for trial in trials {
                guard trial.state == .complete || (includePruned && trial.state == .pruned) else { continue }
                if trial.number >= state.processed.count {
                    state.processed.append(contentsOf: repeatElement(false, count: trial.number + 1 - state.processed.count))
                }
                if state.processed[trial.number] { continue }
                state.processed[trial.number] = true
                Self.add(trial.distributions, to: &state.groups)
            }
            return state.groups
        }
    }

    /// Refines `groups` by one trial's parameters (Optuna's `add_distributions`): each group splits into
    /// its part inside and its part outside the trial; the trial's new parameters form a group of their own.
    public static func add(_ distributions: [String: ParameterDistribution], to groups: inout [[String: ParameterDistribution]]) {
        var remaining = Set(distributions.keys)
        var next: [[String: ParameterDistribution]] = []
        for group in groups {
            let inside = group.filter { distributions[$0.key] != nil }
            let outside = group.filter { distributions[$0.key] == nil }
            if !inside.isEmpty { next.append(inside) }
            if !outside.isEmpty { next.append(outside) }
            remaining.subtract(group.keys)
        }
        let fresh = distributions.filter { remaining.contains($0.key) }
        if !fresh.isEmpty { next.append(fresh) }
        groups = next
    }
}
