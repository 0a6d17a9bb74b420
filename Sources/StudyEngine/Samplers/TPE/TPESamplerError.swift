import Foundation

/// Why `TPESampler` rejected its settings or the output of a user-supplied function.
public enum TPESamplerError: LocalizedError, Equatable, Sendable {
    case groupNeedsMultivariate
    case negativePriorWeight(Double)
    case invalidWeights(count: Int, weights: [Double], reason: String)

    public var errorDescription: String? {
        switch self {
        case .groupNeedsMultivariate:
            return "``group`` option can only be enabled when ``multivariate`` is enabled (got multivariate: false, group: true)."
        case .negativePriorWeight(let weight):
            return "A non-negative value must be specified for prior_weight, but got \(weight)."
        case .invalidWeights(let count, let weights, let reason):
            return "The `weights` function \(reason): it returned \(weights) for \(count) trials."
        }
    }
}
