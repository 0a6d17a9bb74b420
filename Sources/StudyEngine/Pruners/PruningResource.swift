import Foundation

/// A resource bound of successive halving and Hyperband (a number of steps), fixed or estimated from
/// the first COMPLETE trials (Optuna's `"auto"`).
public enum PruningResource: Sendable, Hashable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// Estimated from the COMPLETE trials' last steps once one exists; nothing is pruned before.
    case auto
    /// A fixed number of steps.
    case steps(Int)

    public init(integerLiteral value: Int) { self = .steps(value) }

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .steps(let steps): return "\(steps)"
        }
    }
}
