import Foundation

/// Errors of pruners: arguments Optuna rejects, and pruning a study the pruner cannot judge.
public enum PrunerError: LocalizedError, Equatable, Sendable {
    /// An argument out of its range; the message is Optuna's and names the argument and its value.
    case invalidArgument(name: String, message: String)
    /// The pruner needs the study's single direction but the study has several objectives.
    case multiObjectiveStudy(pruner: String, objectives: Int)

    public var errorDescription: String? {
        switch self {
        case .invalidArgument(_, let message): return message
        case .multiObjectiveStudy(let pruner, let objectives):
            return "A single direction cannot be retrieved from a multi-objective study (\(objectives) objectives): "
                + "\(pruner) prunes single-objective studies only."
        }
    }
}

extension Study {
    /// The direction of a single-objective study, or the error a pruner throws for a multi-objective one
    /// (where Optuna's pruners read `study.direction` and get a `RuntimeError`).
    func prunerDirection(for pruner: String) throws -> StudyDirection {
        guard !isMultiObjective else { throw PrunerError.multiObjectiveStudy(pruner: pruner, objectives: directions.count) }
        return directions[0]
    }
}
