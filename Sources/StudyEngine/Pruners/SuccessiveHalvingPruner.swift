import Foundation
import Synchronization

/// Asynchronous successive halving (Optuna's `SuccessiveHalvingPruner`).
///
/// Rung r ends at step `minResource * reductionFactor^(minEarlyStoppingRate + r)`. When a trial reaches
/// the end of its current rung, the value it reported at that step is recorded in its system attribute
/// `completed_rung_<r>` (as Optuna stores it), and the trial goes on only if that value is among the best
/// `1 / reductionFactor` of all values recorded for the rung so far (the best one while fewer than
/// `reductionFactor` trials have one); otherwise it is pruned. A NaN value is pruned.
public final class SuccessiveHalvingPruner: Pruner {
    /// The resource (steps) of the first rung; `.auto` takes 1% of the longest COMPLETE trial (at least 1).
    public let minResource: PruningResource
    public let reductionFactor: Int
    /// Rungs skipped at the start (Hyperband's bracket index).
    public let minEarlyStoppingRate: Int
    /// A trial is pruned at a rung while at most this many trials (itself included) have reached it.
    public let bootstrapCount: Int

    /// The first rung's resource once known (fixed, or estimated at the first call with a COMPLETE trial).
    private let resolvedMinResource: Mutex<Int?>

    /// - Throws: `PrunerError.invalidArgument` for `minResource < 1`, `reductionFactor < 2`, a negative
    ///   early-stopping rate or bootstrap count, or a bootstrap count with `.auto` min resource.
    public init(minResource: PruningResource = .auto, reductionFactor: Int = 4, minEarlyStoppingRate: Int = 0,
                bootstrapCount: Int = 0) throws {
        if case .steps(let steps) = minResource, steps < 1 {
            throw PrunerError.invalidArgument(name: "min_resource",
                message: "The value of `min_resource` is \(steps), but must be either `min_resource >= 1` or 'auto'")
        }
        guard reductionFactor >= 2 else {
            throw PrunerError.invalidArgument(name: "reduction_factor",
                message: "The value of `reduction_factor` is \(reductionFactor), but must be `reduction_factor >= 2`")
        }
        guard minEarlyStoppingRate >= 0 else {
            throw PrunerError.invalidArgument(name: "min_early_stopping_rate",
                message: "The value of `min_early_stopping_rate` is \(minEarlyStoppingRate), but must be `min_early_stopping_rate >= 0`")
        }
        guard bootstrapCount >= 0 else {
            throw PrunerError.invalidArgument(name: "bootstrap_count",
                message: "The value of `bootstrap_count` is \(bootstrapCount), but must be `bootstrap_count >= 0`")
        }
        if bootstrapCount > 0, minResource == .auto {
            throw PrunerError.invalidArgument(name: "bootstrap_count",
                message: "bootstrap_count > 0 and min_resource == 'auto' are mutually incompatible, bootstrap_count is \(bootstrapCount)")
        }
        self.minResource = minResource
        self.reductionFactor = reductionFactor
        self.minEarlyStoppingRate = minEarlyStoppingRate
        self.bootstrapCount = bootstrapCount
        if case .steps(let steps) = minResource {
            resolvedMinResource = Mutex(steps)
        } else {
            resolvedMinResource = Mutex(nil)
        }
    }

    /// The system attribute holding a trial's value at the end of `rung`.
    public static func completedRungKey(_ rung: Int) -> String { "completed_rung_\(rung)" }

    public func prune(study: Study, trial: FrozenTrial) throws -> Bool {
        guard let step = trial.lastStep, let value = trial.intermediateValues[step] else { return false }
        var rung = Self.currentRung(of: trial)
        var trials: [FrozenTrial]?

        while true {
            let minResource: Int
            if let known = resolvedMinResource.withLock({ $0 }) {
                minResource = known
            } else {
                let all = try trials ?? study.trials()
                trials = all
                guard let estimate = Self.estimateMinResource(all) else { return false }
                minResource = resolvedMinResource.withLock { resolved in
                    if resolved == nil { resolved = estimate }
                    return resolved!
                }
            }
            guard let promotionStep = rungPromotionStep(minResource: minResource, rung: rung),
                  step >= promotionStep
            else { return false }
            if value.isNaN { return true }

            let all = try trials ?? study.trials()
            trials = all
            let key = Self.completedRungKey(rung)
            try study.storage.setTrialSystemAttribute(trialID: trial.id, key: key, value: .double(value))

            // The trials were read before this call stored its value, so the trial competes once.
            var competing: [Double] = []
            for other in all {
                if let recorded = other.systemAttributes[key]?.doubleValue { competing.append(recorded) }
            }
            competing.append(value)
            if competing.count <= bootstrapCount { return true }
            let direction = try study.prunerDirection(for: "SuccessiveHalvingPruner")
            if !Self.isPromotable(value, competing: &competing, reductionFactor: reductionFactor, direction: direction) {
                return true
            }
            rung += 1
        }
    }

    /// `minResource * reductionFactor^(minEarlyStoppingRate + rung)`, or nil when it does not fit in an Int
    /// (no step reaches it).
    private func rungPromotionStep(minResource: Int, rung: Int) -> Int? {
        var result = minResource
        for _ in 0..<(minEarlyStoppingRate + rung) {
            let (product, overflow) = result.multipliedReportingOverflow(by: reductionFactor)
            if overflow { return nil }
            result = product
        }
        return result
    }

    /// The number of rungs the trial has completed (its `completed_rung_<r>` attributes).
    static func currentRung(of trial: FrozenTrial) -> Int {
        var rung = 0
        while trial.systemAttributes[completedRungKey(rung)] != nil { rung += 1 }
        return rung
    }

    /// Optuna's "auto" min resource: the largest last step of the COMPLETE trials divided by 100 (at least 1).
    static func estimateMinResource(_ trials: [FrozenTrial]) -> Int? {
        var lastStep: Int?
        for trial in trials where trial.state == .complete {
            if let step = trial.lastStep, step > (lastStep ?? Int.min) { lastStep = step }
        }
        guard let lastStep else { return nil }
        return max(lastStep / 100, 1)
    }

    /// True when `value` is within the best `max(count / reductionFactor, 1)` of `competing` (which includes it).
    static func isPromotable(_ value: Double, competing: inout [Double], reductionFactor: Int,
                             direction: StudyDirection) -> Bool {
        let promotableIndex = max(competing.count / reductionFactor - 1, 0)
        competing.sort()
        if direction == .maximize {
            return value >= competing[competing.count - 1 - promotableIndex]
        }
        return value <= competing[promotableIndex]
    }
}
