import Foundation

/// What the study service and its clients report beyond the storage's own errors.
public enum ServiceError: LocalizedError, Equatable, Sendable {
    /// A request field the server cannot read: the RPC, the field, and why.
    case malformed(rpc: String, field: String, reason: String)
    /// The call carried no token, or the wrong one.
    case unauthenticated(String)
    /// The server could not be reached within the retry budget: the address and the last error.
    case unreachable(address: String, reason: String)
    /// Any other status the server answered with: the code's name and the server's message.
    case server(code: String, message: String)
    /// Options of `symstudy serve` or of a client that do not fit together.
    case invalidConfiguration(String)

    public var errorDescription: String? {
        switch self {
        case .malformed(let rpc, let field, let reason): return "\(rpc): field '\(field)': \(reason)"
        case .unauthenticated(let why): return why
        case .unreachable(let address, let reason): return "the study server at \(address) is not reachable: \(reason)"
        case .server(let code, let message): return "the study server answered \(code): \(message)"
        case .invalidConfiguration(let why): return why
        }
    }
}
