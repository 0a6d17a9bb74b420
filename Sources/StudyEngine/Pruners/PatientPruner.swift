import Foundation

/// Waits until a trial has not improved for `patience` steps, then lets the wrapped pruner decide, or
/// prunes when there is none (Optuna's `PatientPruner`: early stopping within one trial).
///
/// Improvement compares the best value before the last `patience + 1` reported steps with the best value
/// among them, by more than `minDelta`. NaN values are ignored; when either side is all NaN the trial is
/// not pruned.
public final class PatientPruner: Pruner {
    /// Decides once the trial stopped improving; nil prunes it then.
    public let wrappedPruner: (any Pruner)?
    /// Reported steps without improvement before pruning is considered.
    public let patience: Int
    /// Improvements of at most this much do not count.
    public let minDelta: Double

    /// - Throws: `PrunerError.invalidArgument` for a negative patience or min delta.
    public init(wrapping wrappedPruner: (any Pruner)?, patience: Int, minDelta: Double = 0) throws {
        guard patience >= 0 else {
            throw PrunerError.invalidArgument(name: "patience", message: "patience cannot be negative but got \(patience).")
        }
        guard !(minDelta < 0) else {
            throw PrunerError.invalidArgument(name: "min_delta", message: "min_delta cannot be negative but got \(minDelta).")
        }
        self.wrappedPruner = wrappedPruner
        self.patience = patience
        self.minDelta = minDelta
    }

    public func prune(study: Study, trial: FrozenTrial) throws -> Bool {
        let values = trial.intermediateValues
        guard values.count > patience + 1 else { return false }
        let steps = values.keys.sorted()
        let split = steps.count - patience - 1
        // As in Optuna, any direction other than minimize counts as maximize here.
        let direction: StudyDirection = try study.prunerDirection(for: "PatientPruner") == .minimize ? .minimize : .maximize
        let bestBefore = IntermediateValues.best(of: steps[..<split].lazy.map { values[$0]! }, direction: direction)
        let bestAfter = IntermediateValues.best(of: steps[split...].lazy.map { values[$0]! }, direction: direction)
        let stalled = direction == .minimize ? bestBefore + minDelta < bestAfter : bestBefore - minDelta > bestAfter
        guard stalled else { return false }
        return try wrappedPruner?.prune(study: study, trial: trial) ?? true
    }
}
