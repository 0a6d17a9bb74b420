import Foundation

/// Why a distribution, or a value for one, was rejected. The messages are Optuna's, prefixed by the
/// parameter's name when it is known (values written as Python writes them).
public enum DistributionError: LocalizedError, Equatable, Sendable {
    case lowGreaterThanHigh(name: String?, low: String, high: String)
    case logNeedsPositiveLow(name: String?, low: String, high: String)
    case logIntNeedsLowAtLeastOne(name: String?, low: Int, high: Int)
    /// A float distribution with both `log` and `step`.
    case logWithStep(name: String?)
    /// An int distribution with `log` and a step other than 1.
    case intLogWithStep(name: String?, step: Int)
    case nonPositiveStep(name: String?, step: String)
    /// `high - low` is not a multiple of `step`; `suggestedHigh` is the `high` Optuna would use instead.
    case stepDoesNotFit(name: String?, low: String, high: String, step: String, suggestedHigh: String)
    /// A bound or the step is infinite or NaN (or, for ints, `high - low` overflows).
    case nonFiniteBound(name: String?, low: String, high: String, step: String?)
    case emptyChoices(name: String?)
    case duplicateChoices(name: String?, choice: String)
    case valueOutOfDomain(name: String?, value: String, distribution: String)
    case valueOfWrongType(name: String?, value: String, distribution: String)
    /// An enqueued (fixed) value outside the distribution the objective suggests it with.
    case fixedValueOutOfDomain(name: String, value: String, distribution: String)
    /// The parameter was suggested with another distribution earlier in the same trial.
    case incompatible(name: String, existing: String, requested: String)
    /// The parameter has another kind, log setting or choices than in earlier trials of the study
    /// (Optuna's `check_distribution_compatibility`); `reason` is Optuna's message.
    case incompatibleWithStudy(name: String, existing: String, requested: String, reason: String)
    case unknownDistributionJSON(String)

    private static func subject(_ name: String?) -> String { name.map { "parameter '\($0)': " } ?? "" }

    public var errorDescription: String? {
        switch self {
        case .lowGreaterThanHigh(let name, let low, let high):
            return Self.subject(name) + "`low <= high` must hold, but got (low=\(low), high=\(high))."
        case .logNeedsPositiveLow(let name, let low, let high):
            return Self.subject(name) + "`low > 0` must hold for `log=True`, but got (low=\(low), high=\(high))."
        case .logIntNeedsLowAtLeastOne(let name, let low, let high):
            return Self.subject(name) + "`low >= 1` must hold for `log=True`, but got (low=\(low), high=\(high))."
        case .logWithStep(let name):
            return Self.subject(name) + "The parameter `step` is not supported when `log` is true."
        case .intLogWithStep(let name, let step):
            return Self.subject(name) + "Samplers and other components in Optuna only accept step is 1 when `log` argument is True (step=\(step))."
        case .nonPositiveStep(let name, let step):
            return Self.subject(name) + "`step > 0` must hold, but got step=\(step)."
        case .stepDoesNotFit(let name, let low, let high, let step, let suggestedHigh):
            return Self.subject(name) + "The distribution is specified by [\(low), \(high)] and step=\(step), but the range is not divisible by `step`: use high=\(suggestedHigh) (Optuna would silently replace high with it)."
        case .nonFiniteBound(let name, let low, let high, let step):
            return Self.subject(name) + "The bounds and the step must be finite numbers, but got (low=\(low), high=\(high)\(step.map { ", step=\($0)" } ?? ""))."
        case .emptyChoices(let name):
            return Self.subject(name) + "The `choices` must contain one or more elements."
        case .duplicateChoices(let name, let choice):
            return Self.subject(name) + "The `choices` must not repeat an element, but \(choice) appears more than once."
        case .valueOutOfDomain(let name, let value, let distribution):
            return Self.subject(name) + "The value \(value) is not in \(distribution)."
        case .valueOfWrongType(let name, let value, let distribution):
            return Self.subject(name) + "The value \(value) has the wrong type for \(distribution)."
        case .fixedValueOutOfDomain(let name, let value, let distribution):
            return "Fixed parameter '\(name)' with value \(value) is out of range for distribution \(distribution)."
        case .incompatible(let name, let existing, let requested):
            return "parameter '\(name)' was already suggested with \(existing) and cannot be suggested with \(requested) in the same trial."
        case .incompatibleWithStudy(let name, let existing, let requested, let reason):
            return "parameter '\(name)': \(reason) (earlier trials: \(existing); now: \(requested))"
        case .unknownDistributionJSON(let text):
            return "not an Optuna distribution: \(text)"
        }
    }
}
