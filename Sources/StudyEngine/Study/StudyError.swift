import Foundation

/// Errors in using a study or a trial; the messages follow Optuna's.
public enum StudyError: LocalizedError, Equatable, Sendable {
    case cannotTell(number: Int, state: TrialState)
    case wrongNumberOfValues(given: Int, objectives: Int)
    case notAFiniteNumber(value: String)
    case multiObjectiveUnsupported(String)
    case singleObjectiveOnly(String)
    case invalidArgument(String)
    case noCompleteTrial(study: String)

    public var errorDescription: String? {
        switch self {
        case .cannotTell(let number, let state): return "Cannot tell a \(state) trial (trial \(number))."
        case .wrongNumberOfValues(let given, let objectives):
            return "The number of the values \(given) did not match the number of the objectives \(objectives)"
        case .notAFiniteNumber(let value): return "The value \(value) is not acceptable"
        case .multiObjectiveUnsupported(let what): return "\(what) is not supported for multi-objective optimization."
        case .singleObjectiveOnly(let what):
            return "\(what) is defined for single-objective studies; for several objectives use bestTrials (the Pareto front)."
        case .invalidArgument(let why): return why
        case .noCompleteTrial(let study): return "Study '\(study)' has no COMPLETE trial yet."
        }
    }
}
