/// The parameters every COMPLETE trial of a study suggested with the same distribution (Optuna's
/// `IntersectionSearchSpace` without pruned trials), updated incrementally from the trials added since
/// the last call. One instance serves one study.
struct NSGAIIIntersectionSearchSpace {
    private var cachedTrialNumber = -1
    private var searchSpace: [String: ParameterDistribution]?

    /// The intersection over `trials` (all of a study's trials, in number order).
    mutating func calculate(trials: [FrozenTrial]) -> [String: ParameterDistribution] {
        var nextCachedTrialNumber = -1
        for trial in trials.reversed() {
            guard trial.state == .complete || trial.state == .waiting || trial.state == .running else { continue }
            if nextCachedTrialNumber == -1 { nextCachedTrialNumber = trial.number + 1 }
            if cachedTrialNumber > trial.number { break }
            // An unfinished trial may complete later: start again from it next time.
            if !trial.state.isFinished {
                nextCachedTrialNumber = trial.number
                continue
            }
            guard let current = searchSpace else {
                searchSpace = trial.distributions
                continue
            }
            searchSpace = current.filter { trial.distributions[$0.key] == $0.value }
        }
        cachedTrialNumber = nextCachedTrialNumber
        return searchSpace ?? [:]
    }
}
