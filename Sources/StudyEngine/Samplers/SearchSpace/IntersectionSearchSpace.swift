import Synchronization

/// The parameters every finished trial of a study has suggested with the same distribution
/// (Optuna's `IntersectionSearchSpace`). A parameter whose distribution changed between trials, or
/// that some trial lacks, is left out.
///
/// The result is kept between calls: a call reads only the trials added or still running since the
/// previous one. One instance follows one study; given another study it starts over.
public final class IntersectionSearchSpace: Sendable {
    /// Whether PRUNED trials count (COMPLETE ones always do; FAIL ones never).
    public let includePruned: Bool

    private struct State {
        var studyKey: (ObjectIdentifier, Int)?
        var searchSpace: [String: ParameterDistribution]?
        /// Trials numbered below this were all finished when last read.
        var cachedTrialNumber = -1
    }

    private let state = Mutex(State())

    public init(includePruned: Bool = false) { self.includePruned = includePruned }

    /// The intersection search space of the study's trials (empty before any trial finished).
    public func calculate(study: Study) throws -> [String: ParameterDistribution] {
        let trials = try study.trials()
        return state.withLock { state in
            let key = (ObjectIdentifier(study.storage), study.id)
            if let current = state.studyKey, current != key { state = State() }
            state.studyKey = key
            let result = Self.intersect(trials, includePruned: includePruned, searchSpace: state.searchSpace,
                                        cachedTrialNumber: state.cachedTrialNumber)
            state.searchSpace = result.searchSpace
            state.cachedTrialNumber = result.nextCachedTrialNumber
            return result.searchSpace ?? [:]
        }
    }

    /// The intersection search space of `trials` (in number order), computed from scratch.
    public static func intersection(of trials: [FrozenTrial], includePruned: Bool = false) -> [String: ParameterDistribution] {
        intersect(trials, includePruned: includePruned, searchSpace: nil, cachedTrialNumber: -1).searchSpace ?? [:]
    }

    /// Optuna's `_calculate`: walks the trials from the newest back to `cachedTrialNumber`, narrowing
    /// the space with each finished trial, and remembers the oldest unfinished trial to resume from.
    private static func intersect(_ trials: [FrozenTrial], includePruned: Bool,
                                  searchSpace: [String: ParameterDistribution]?, cachedTrialNumber: Int)
        -> (searchSpace: [String: ParameterDistribution]?, nextCachedTrialNumber: Int) {
        var searchSpace = searchSpace
        var next = -1
        for trial in trials.reversed() {
            switch trial.state {
            case .complete, .waiting, .running: break
            case .pruned where includePruned: break
            default: continue
            }
            if next == -1 { next = trial.number + 1 }
            if cachedTrialNumber > trial.number { break }
            if !trial.state.isFinished {
                next = trial.number
                continue
            }
            guard let current = searchSpace else {
                searchSpace = trial.distributions
                continue
            }
            searchSpace = current.filter { name, distribution in trial.distributions[name] == distribution }
        }
        return (searchSpace, next)
    }
}
