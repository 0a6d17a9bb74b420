/// Whether an objective is to be minimised or maximised.
public enum StudyDirection: Int, Sendable, Hashable, CaseIterable, Codable {
    /// Optuna's `NOT_SET`, only seen in databases written before a direction was chosen.
    case notSet = 0
    case minimize = 1
    case maximize = 2

    /// The name Optuna stores (`MINIMIZE`, `MAXIMIZE`, `NOT_SET`).
    public var optunaName: String {
        switch self {
        case .notSet: return "NOT_SET"
        case .minimize: return "MINIMIZE"
        case .maximize: return "MAXIMIZE"
        }
    }

    /// The direction named as Optuna names it, case-insensitively (`minimize`, `MAXIMIZE`, ...).
    public init?(optunaName: String) {
        switch optunaName.uppercased() {
        case "MINIMIZE": self = .minimize
        case "MAXIMIZE": self = .maximize
        case "NOT_SET": self = .notSet
        default: return nil
        }
    }

    /// True when `a` is strictly better than `b` in this direction.
    @inline(__always)
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        self == .maximize ? a > b : a < b
    }

    /// `value` turned into a loss: itself when minimising, negated when maximising.
    @inline(__always)
    public func loss(_ value: Double) -> Double { self == .maximize ? -value : value }
}

extension StudyDirection: CustomStringConvertible {
    public var description: String { optunaName }
}
