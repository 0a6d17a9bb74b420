import Foundation
import Synchronization

/// Hyperband (Optuna's `HyperbandPruner`): several successive-halving brackets with different early-stopping
/// rates, each trial assigned to one bracket and judged only against the trials of its bracket.
///
/// There are `floor(log_rf(maxResource / minResource)) + 1` brackets; bracket b is a
/// `SuccessiveHalvingPruner` with `minEarlyStoppingRate = b` and gets a share of the trials proportional to
/// `ceil(nBrackets * rf^s / (s + 1))` with `s = nBrackets - 1 - b`. A trial's bracket is
/// `crc32("<study name>_<trial number>")` modulo the total share, as in Optuna, so the same study name gives
/// the same brackets. Each bracket's pruner sees only the bracket's trials (`bracketView(of:for:)`); samplers
/// see every trial, as in Optuna 5, whose samplers read trials through `Study._get_trials`, which the bracket
/// study does not filter (its docs describe a per-bracket view that 5.0.0 no longer applies to samplers).
public final class HyperbandPruner: Pruner {
    /// The resource (steps) of the first rung of the most aggressive bracket.
    public let minResource: Int
    /// The largest step a trial reaches; `.auto` takes the longest COMPLETE trial's last step + 1 once
    /// one exists (nothing is pruned before).
    public let maxResource: PruningResource
    public let reductionFactor: Int
    /// Passed to each bracket's successive-halving pruner.
    public let bootstrapCount: Int

    private struct Brackets {
        var pruners: [SuccessiveHalvingPruner] = []
        var budgets: [Int] = []
        var totalBudget = 0
    }

    private let brackets = Mutex(Brackets())

    /// - Throws: `PrunerError.invalidArgument` for a bootstrap count with `.auto` max resource, and (where
    ///   Optuna only fails at the first pruning) for `minResource < 1` or `reductionFactor < 2`.
    public init(minResource: Int = 1, maxResource: PruningResource = .auto, reductionFactor: Int = 3,
                bootstrapCount: Int = 0) throws {
        if bootstrapCount > 0, maxResource == .auto {
            throw PrunerError.invalidArgument(name: "bootstrap_count",
                message: "bootstrap_count > 0 and max_resource == 'auto' are mutually incompatible, bootstrap_count is \(bootstrapCount)")
        }
        // Optuna checks these when it builds the brackets; checking them here fails early with its messages.
        _ = try SuccessiveHalvingPruner(minResource: .steps(minResource), reductionFactor: reductionFactor,
                                        bootstrapCount: max(bootstrapCount, 0))
        self.minResource = minResource
        self.maxResource = maxResource
        self.reductionFactor = reductionFactor
        self.bootstrapCount = bootstrapCount
    }

    /// The number of brackets, once the max resource is known (nil before).
    public var bracketCount: Int? {
        let count = brackets.withLock { $0.pruners.count }
        return count == 0 ? nil : count
    }

    public func prune(study: Study, trial: FrozenTrial) throws -> Bool {
        let pruners: [SuccessiveHalvingPruner]
        if let initialized = try initializedPruners(study: study) {
            pruners = initialized
        } else {
            return false
        }
        let bracket = bracketID(studyName: study.name, trialNumber: trial.number)
        return try pruners[bracket].prune(study: bracketStudy(study, bracket: bracket), trial: trial)
    }

    /// The study as the trial's bracket sees it: only the trials of the same bracket (what Optuna's
    /// `_filter_study(study, trial).get_trials()` returns, and what the bracket's pruner judges against).
    public func bracketView(of study: Study, for trial: FrozenTrial) -> Study {
        bracketStudy(study, bracket: bracketID(studyName: study.name, trialNumber: trial.number))
    }

    /// Samplers see the whole study, as Optuna 5's samplers do under Hyperband (see the type's notes).
    public func samplerView(of study: Study, for trial: FrozenTrial) throws -> Study { study }

    /// The bracket of trial `trialNumber` in the study named `studyName`; 0 until the brackets exist.
    public func bracketID(studyName: String, trialNumber: Int) -> Int {
        brackets.withLock { brackets in
            guard !brackets.pruners.isEmpty else { return 0 }
            var remaining = Int(CRC32.checksum("\(studyName)_\(trialNumber)")) % brackets.totalBudget
            for (bracket, budget) in brackets.budgets.enumerated() {
                remaining -= budget
                if remaining < 0 { return bracket }
            }
            preconditionFailure("the bracket budgets sum to the total budget")
        }
    }

    /// A view of `study` holding the trials of `bracket`. As in Optuna, membership is decided when the trials
    /// are read, so a view made before the brackets exist (everything in bracket 0) narrows once they do.
    private func bracketStudy(_ study: Study, bracket: Int) -> Study {
        let name = study.name
        return study.filtered { [self] other in bracketID(studyName: name, trialNumber: other.number) == bracket }
    }

    /// The brackets' pruners, built at the first call where the max resource is known; nil before.
    private func initializedPruners(study: Study) throws -> [SuccessiveHalvingPruner]? {
        let existing = brackets.withLock { $0.pruners }
        if !existing.isEmpty { return existing }

        let resolvedMax: Int
        switch maxResource {
        case .steps(let steps):
            resolvedMax = steps
        case .auto:
            var lastStep: Int?
            for trial in try study.trials(states: [.complete]) {
                if let step = trial.lastStep, step > (lastStep ?? Int.min) { lastStep = step }
            }
            guard let lastStep else { return nil }
            resolvedMax = lastStep + 1
        }
        let bracketCount = Int((Foundation.log(Double(resolvedMax) / Double(minResource))
                                / Foundation.log(Double(reductionFactor))).rounded(.down)) + 1
        guard bracketCount >= 1 else { return nil }  // max resource below min resource: Optuna never prunes
        var built = Brackets()
        for bracket in 0..<bracketCount {
            let budget = trialAllocationBudget(bracket: bracket, bracketCount: bracketCount)
            built.budgets.append(budget)
            built.totalBudget += budget
            built.pruners.append(try SuccessiveHalvingPruner(
                minResource: .steps(minResource), reductionFactor: reductionFactor,
                minEarlyStoppingRate: bracket, bootstrapCount: bootstrapCount))
        }
        return brackets.withLock { brackets in
            if brackets.pruners.isEmpty { brackets = built }
            return brackets.pruners
        }
    }

    /// `ceil(nBrackets * rf^s / (s + 1))` with `s = nBrackets - 1 - bracket`, in floating point as Optuna
    /// computes it.
    private func trialAllocationBudget(bracket: Int, bracketCount: Int) -> Int {
        let s = bracketCount - 1 - bracket
        let power = Foundation.pow(Double(reductionFactor), Double(s))
        return Int((Double(bracketCount) * power / Double(s + 1)).rounded(.up))
    }
}
