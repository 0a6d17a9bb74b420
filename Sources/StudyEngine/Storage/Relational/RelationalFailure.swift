/// Why a backend's statement failed, as far as the storage logic must tell cases apart.
enum RelationalFailure: Error, Sendable {
    /// Another connection holds a lock (SQLite `SQLITE_BUSY`, PostgreSQL deadlock or serialization
    /// failure): the whole transaction may be retried.
    case busy(String)
    /// A UNIQUE or other constraint rejected the statement.
    case constraint(String)
    /// The server could not be reached, or the connection was lost.
    case connection(String)
    /// Anything else the database said.
    case other(String)

    var message: String {
        switch self {
        case .busy(let message), .constraint(let message), .connection(let message), .other(let message): return message
        }
    }
}
