import Foundation

/// Why a distribution, or a value for one, was rejected. The messages follow Optuna's.
public enum DistributionError: LocalizedError, Equatable, Sendable {
    case lowGreaterThanHigh(name: String?, low: String, high: String)
    case logNeedsPositiveLow(name: String?, low: String, high: String)
    case logIntNeedsLowAtLeastOne(name: String?, low: Int, high: Int)
    case logWithStep(name: String?)
    case nonPositiveStep(name: String?, step: String)
    case stepDoesNotFit(name: String?, low: String, high: String, step: String, suggestedHigh: String)
    case nonFiniteBound(name: String?, low: String, high: String)
    case emptyChoices(name: String?)
    case duplicateChoices(name: String?, choice: String)
    case valueOutOfDomain(name: String?, value: String, distribution: String)
    case valueOfWrongType(name: String?, value: String, distribution: String)
    case incompatible(name: String, existing: String, requested: String)
    case unknownDistributionJSON(String)

    private static func subject(_ name: String?) -> String { name.map { "parameter '\($0)': " } ?? "" }

    public var errorDescription: String? {
        switch self {
        case .lowGreaterThanHigh(let name, let low, let high):
            return Self.subject(name) + "The `low` value must be smaller than or equal to the `high` value (low=\(low), high=\(high))."
        case .logNeedsPositiveLow(let name, let low, let high):
            return Self.subject(name) + "The `low` value must be larger than 0 for a log distribution (low=\(low), high=\(high))."
        case .logIntNeedsLowAtLeastOne(let name, let low, let high):
            return Self.subject(name) + "The `low` value must be equal to or greater than 1 for a log distribution (low=\(low), high=\(high))."
        case .logWithStep(let name):
            return Self.subject(name) + "The parameter `step` is not supported when `log` is true (an int distribution with log takes only step 1)."
        case .nonPositiveStep(let name, let step):
            return Self.subject(name) + "The `step` value must be non-zero positive value, but step=\(step)."
        case .stepDoesNotFit(let name, let low, let high, let step, let suggestedHigh):
            return Self.subject(name) + "The range [\(low), \(high)] is not divisible by `step` \(step); use high=\(suggestedHigh) (Optuna would silently replace high by it)."
        case .nonFiniteBound(let name, let low, let high):
            return Self.subject(name) + "The bounds must be finite (low=\(low), high=\(high))."
        case .emptyChoices(let name):
            return Self.subject(name) + "The `choices` must contain one or more elements."
        case .duplicateChoices(let name, let choice):
            return Self.subject(name) + "The `choices` must not repeat an element, but \(choice) appears twice."
        case .valueOutOfDomain(let name, let value, let distribution):
            return Self.subject(name) + "The value \(value) is not in \(distribution)."
        case .valueOfWrongType(let name, let value, let distribution):
            return Self.subject(name) + "The value \(value) has the wrong type for \(distribution)."
        case .incompatible(let name, let existing, let requested):
            return "parameter '\(name)' was already suggested with \(existing) and cannot be suggested with \(requested) in the same trial."
        case .unknownDistributionJSON(let text):
            return "not an Optuna distribution: \(text)"
        }
    }
}
