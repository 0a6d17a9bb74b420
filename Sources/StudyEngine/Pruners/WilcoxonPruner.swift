import Foundation

/// Prunes a trial once a Wilcoxon signed-rank test says, at level `pThreshold`, that it is worse than the
/// best trial on the steps both reported (Optuna's `WilcoxonPruner`). Steps are problem instances (e.g.
/// folds or test cases) and may be reported in any order; the same step must mean the same instance in
/// every trial.
///
/// Never prunes while fewer than `max(2, nStartupSteps)` steps are shared with the best trial, when either
/// trial has a non-finite value, or when the trial's mean is still no worse than the best trial's mean.
public final class WilcoxonPruner: Pruner {
    /// The p-value below which the trial is pruned, in [0, 1].
    public let pThreshold: Double
    /// Steps shared with the best trial before pruning starts (at least 2 are always needed).
    public let nStartupSteps: Int

    /// - Throws: `PrunerError.invalidArgument` for a negative `nStartupSteps` or `pThreshold` outside [0, 1].
    public init(pThreshold: Double = 0.1, nStartupSteps: Int = 2) throws {
        guard nStartupSteps >= 0 else {
            throw PrunerError.invalidArgument(name: "n_startup_steps",
                message: "n_startup_steps must be nonnegative but got \(nStartupSteps).")
        }
        guard 0 <= pThreshold, pThreshold <= 1 else {
            throw PrunerError.invalidArgument(name: "p_threshold",
                message: "p_threshold must be between 0 and 1 but got \(pThreshold).")
        }
        self.pThreshold = pThreshold
        self.nStartupSteps = nStartupSteps
    }

    public func prune(study: Study, trial: FrozenTrial) throws -> Bool {
        let values = trial.intermediateValues
        guard !values.isEmpty, values.values.allSatisfy(\.isFinite) else { return false }
        let direction = try study.prunerDirection(for: "WilcoxonPruner")
        let best: FrozenTrial
        do {
            best = try study.bestTrial
        } catch StudyError.noCompleteTrial {
            return false
        }
        let bestValues = best.intermediateValues
        guard !bestValues.isEmpty, bestValues.values.allSatisfy(\.isFinite) else { return false }

        let steps = values.keys.sorted()
        var differences: [Double] = []
        differences.reserveCapacity(steps.count)
        for step in steps {
            if let bestValue = bestValues[step] { differences.append(values[step]! - bestValue) }
        }
        guard differences.count >= max(2, nStartupSteps) else { return false }

        // Optuna sums in report order; the steps' order here (sorted) can differ in the last bits.
        let mean = steps.reduce(0.0) { $0 + values[$1]! } / Double(values.count)
        let bestMean = bestValues.keys.sorted().reduce(0.0) { $0 + bestValues[$1]! } / Double(bestValues.count)
        let alternative: WilcoxonSignedRankTest.Alternative
        let averageIsBest: Bool
        if direction == .maximize {
            alternative = .less
            averageIsBest = bestMean <= mean
        } else {
            alternative = .greater
            averageIsBest = bestMean >= mean
        }
        let p = WilcoxonSignedRankTest.pValue(differences, alternative: alternative)
        // A significant test while this trial's mean is no worse than the best one's is not trusted.
        if p < pThreshold, averageIsBest { return false }
        return p < pThreshold
    }
}
