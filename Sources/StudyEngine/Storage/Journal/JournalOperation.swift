import Foundation

/// One line of Optuna's journal: an operation on the storage, with Optuna's operation codes
/// (`optuna.storages.journal._storage.JournalOperation`). Trial parameters are in internal representation
/// (a categorical's choice index), as the journal holds them.
enum JournalOperation: Sendable {
    case createStudy(name: String, directions: [StudyDirection])
    case deleteStudy(studyID: Int)
    case setStudyUserAttribute(studyID: Int, key: String, value: JSONValue)
    case setStudySystemAttribute(studyID: Int, key: String, value: JSONValue)
    /// A new trial: RUNNING without a template, else a copy of the template.
    case createTrial(studyID: Int, datetimeStart: Date?, template: TrialTemplate?)
    case setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: ParameterDistribution)
    /// `datetime` is the start for RUNNING, the completion for a finished state.
    case setTrialState(trialID: Int, state: TrialState, values: [Double]?, datetime: Date?)
    case setTrialIntermediateValue(trialID: Int, step: Int, value: Double)
    case setTrialUserAttribute(trialID: Int, key: String, value: JSONValue)
    case setTrialSystemAttribute(trialID: Int, key: String, value: JSONValue)
    /// Written by another port of Optuna (Rustuna); Optuna's replay skips it, and so do we.
    case discardTrials

    /// What a trial created from a template starts as (Optuna's `create_new_trial(template_trial=...)`).
    struct TrialTemplate: Sendable {
        var state: TrialState
        var values: [Double]?
        var datetimeComplete: Date?
        var distributions: [String: ParameterDistribution]
        /// Internal representations, by parameter name; every name has a distribution.
        var params: [String: Double]
        var userAttributes: [String: JSONValue]
        var systemAttributes: [String: JSONValue]
        var intermediateValues: [Int: Double]
    }

    /// Optuna's operation code.
    var code: Int {
        switch self {
        case .createStudy: return 0
        case .deleteStudy: return 1
        case .setStudyUserAttribute: return 2
        case .setStudySystemAttribute: return 3
        case .createTrial: return 4
        case .setTrialParameter: return 5
        case .setTrialState: return 6
        case .setTrialIntermediateValue: return 7
        case .setTrialUserAttribute: return 8
        case .setTrialSystemAttribute: return 9
        case .discardTrials: return 10
        }
    }

    /// The highest operation code Optuna knows.
    static let highestCode = 10

    /// True for the writes `JournalDurability.finishedTrials` makes durable at once: those that change a
    /// study or finish a trial, and trials made from templates (enqueued or added). Writes to a running trial
    /// are not: the next durable write (its end, at the latest) makes them durable with it.
    var isDurabilityPoint: Bool {
        switch self {
        case .createStudy, .deleteStudy, .setStudyUserAttribute, .setStudySystemAttribute, .discardTrials: return true
        case .createTrial(_, _, let template): return template != nil
        case .setTrialState(_, let state, _, _): return state.isFinished
        case .setTrialParameter, .setTrialIntermediateValue, .setTrialUserAttribute, .setTrialSystemAttribute: return false
        }
    }
}
