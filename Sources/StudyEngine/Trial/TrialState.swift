/// The life-cycle state of a trial, with Optuna's numbering (`RUNNING=0 ... WAITING=4`).
public enum TrialState: Int, Sendable, Hashable, CaseIterable, Codable {
    case running = 0
    case complete = 1
    case pruned = 2
    case fail = 3
    case waiting = 4

    /// True for complete, pruned and failed trials (not for running or waiting ones).
    public var isFinished: Bool { self != .running && self != .waiting }

    /// The name Optuna stores in its database (`RUNNING`, `COMPLETE`, ...).
    public var optunaName: String {
        switch self {
        case .running: return "RUNNING"
        case .complete: return "COMPLETE"
        case .pruned: return "PRUNED"
        case .fail: return "FAIL"
        case .waiting: return "WAITING"
        }
    }

    /// The state named as Optuna names it, case-insensitively.
    public init?(optunaName: String) {
        switch optunaName.uppercased() {
        case "RUNNING": self = .running
        case "COMPLETE": self = .complete
        case "PRUNED": self = .pruned
        case "FAIL": self = .fail
        case "WAITING": self = .waiting
        default: return nil
        }
    }
}

extension TrialState: CustomStringConvertible {
    public var description: String { optunaName }
}
