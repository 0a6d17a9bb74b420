import Environments
import Foundation

/// What plays an environment in `replay` and `transfer`: a symbolic policy (acting on the object-level
/// state) or a teacher (acting on the flat observation).
public enum Agent: Sendable {
    case symbolic(SymbolicPolicy)
    case teacher(Teacher)

    public var name: String {
        switch self {
        case .symbolic: return "symbolic policy"
        case .teacher(let teacher): return teacher.name
        }
    }

    /// The agent's action in the environment's current state.
    @inline(__always) func actionValue<E: Environment>(_ environment: E) -> ActionValue {
        switch self {
        case .symbolic(let policy): return policy.act(state: environment.objects)
        case .teacher(let teacher): return teacher.action(environment.observation)
        }
    }
}
