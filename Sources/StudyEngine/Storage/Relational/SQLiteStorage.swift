/// Studies in an SQLite file with Optuna 5's schema (Optuna's `sqlite:///path` storage): Optuna and
/// optuna-dashboard open what symstudy writes, and symstudy continues studies Optuna wrote.
///
/// Any number of threads and processes may share one file: the file is switched to WAL mode (a file
/// Optuna made in its default rollback-journal mode is switched too), each change is one `BEGIN
/// IMMEDIATE` transaction, and a locked database is waited for and retried rather than reported. A file
/// that is not an SQLite database, or that holds another schema or another version of Optuna's, is
/// refused with `StorageError` and left byte for byte as it was.
public final class SQLiteStorage: RelationalStorage, @unchecked Sendable {
    /// The database file.
    public let path: String

    /// Opens the file, creating it and Optuna's schema when it does not exist or is empty.
    ///
    /// - Parameters:
    ///   - path: the database file (its folder must exist).
    ///   - heartbeatInterval: seconds between heartbeats of running trials (Optuna's
    ///     `heartbeat_interval`); nil turns heartbeats and stale-trial failing off.
    ///   - gracePeriod: seconds without a heartbeat before a running trial is failed (Optuna's
    ///     `grace_period`; default twice the interval).
    /// - Throws: `StorageError.notAnOptunaDatabase` (not SQLite, or other tables),
    ///   `StorageError.incompatibleSchema` (another version of Optuna's schema), `StorageError.backend`.
    public init(path: String, heartbeatInterval: Double? = nil, gracePeriod: Double? = nil) throws {
        self.path = path
        try super.init(backend: try SQLiteBackend(path: path), heartbeatInterval: heartbeatInterval, gracePeriod: gracePeriod)
    }
}
