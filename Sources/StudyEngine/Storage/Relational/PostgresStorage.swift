/// Studies in a PostgreSQL database with Optuna 5's schema (Optuna's `postgresql://` storage): the
/// storage for many machines. Optuna's own workers may share the database with symstudy's.
///
/// The database must exist; its schema is created when it holds no tables, checked otherwise. A
/// database of other tables, or of another version of Optuna's schema, is refused with `StorageError`
/// and left unchanged.
public final class PostgresStorage: RelationalStorage, @unchecked Sendable {
    /// The database, without its password.
    public let url: String

    /// Connects to `postgresql://user:password@host:port/database` (`postgres://` and a driver suffix as
    /// in `postgresql+psycopg2://` are accepted; the port defaults to 5432, TLS is not spoken).
    ///
    /// - Parameters:
    ///   - heartbeatInterval: seconds between heartbeats of running trials (Optuna's
    ///     `heartbeat_interval`); nil turns heartbeats and stale-trial failing off.
    ///   - gracePeriod: seconds without a heartbeat before a running trial is failed (default twice the interval).
    /// - Throws: `StorageError.invalidURL`, `StorageError.connectionFailed` (naming host:port),
    ///   `StorageError.notAnOptunaDatabase`, `StorageError.incompatibleSchema`.
    public init(url: String, heartbeatInterval: Double? = nil, gracePeriod: Double? = nil) throws {
        let parsed = try PostgresURL(url)
        self.url = parsed.redacted
        try super.init(backend: try PostgresBackend(url: parsed), heartbeatInterval: heartbeatInterval, gracePeriod: gracePeriod)
    }
}
