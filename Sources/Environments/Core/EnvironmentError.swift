import Foundation

/// What can go wrong when making, driving or feeding an environment; each message names the environment and
/// the value at fault.
public enum EnvironmentError: LocalizedError, Equatable, Sendable {
    /// No environment has this id; lists the ones that exist.
    case unknownEnvironment(String, known: [String])
    /// A state given to `setState` (or `--from-state`) does not fit the environment.
    case invalidState(String, String)
    /// An action outside the action space.
    case invalidAction(String, String)
    /// A file could not be read or decoded.
    case invalidFile(String, String)
    /// A parameter of a configurable game is out of range.
    case invalidParameter(String, String)
    /// The Python bridge failed: Python or a package missing, the worker died, a protocol error.
    case bridge(String)

    public var errorDescription: String? {
        switch self {
        case .unknownEnvironment(let id, let known):
            return "unknown environment '\(id)'; known: \(known.joined(separator: ", ")), or gym:ID / ocatari:ID through the Python bridge"
        case .invalidState(let id, let why): return "invalid state for \(id): \(why)"
        case .invalidAction(let id, let why): return "invalid action for \(id): \(why)"
        case .invalidFile(let path, let why): return "\(path): \(why)"
        case .invalidParameter(let id, let why): return "invalid parameter for \(id): \(why)"
        case .bridge(let why): return "Python bridge: \(why)"
        }
    }
}
