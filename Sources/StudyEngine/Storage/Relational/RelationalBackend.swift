import Foundation

/// One connection of a backend, inside a write transaction or a read.
protocol RelationalSession {
    /// Runs a query and returns its rows.
    func query(_ statement: SQLStatement, _ arguments: [SQLValue]) throws -> SQLRows
    /// Runs a statement and returns how many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ statement: SQLStatement, _ arguments: [SQLValue]) throws -> Int
    /// A number that changes when another connection commits to the database, read on this connection
    /// (SQLite's `PRAGMA data_version`); nil when the backend can not tell, so readers must assume change.
    func changeToken() throws -> Int?
}

/// Where Optuna's tables live: an SQLite file or a PostgreSQL database. `RelationalStorage` holds the
/// storage logic and all SQL, once; a backend only connects, runs statements and delimits transactions.
protocol RelationalBackend: AnyObject, Sendable {
    var dialect: SQLDialect { get }
    /// The database as messages name it: the file's path, or `host:port/database`.
    var location: String { get }
    /// Readies a database that holds Optuna's schema (or nothing yet) for writing: SQLite switches to WAL.
    /// Called only once the contents were checked, so that a database of anything else stays untouched.
    func prepareForWriting() throws
    /// Runs `body` on one connection, each statement on its own (autocommit).
    func read<Result>(_ body: (any RelationalSession) throws -> Result) throws -> Result
    /// Runs `body` in one write transaction, which holds the locks that make it atomic against every
    /// other writer (SQLite: `BEGIN IMMEDIATE`); commits when `body` returns, rolls back when it throws.
    /// When the database is busy the whole transaction is retried, so `body` may run more than once.
    func write<Result>(_ body: (any RelationalSession) throws -> Result) throws -> Result
    /// Releases the connections. Later calls fail.
    func close()
}

/// Commands that delimit a transaction.
struct TransactionCommands: Sendable {
    let begin: SQLStatement
    let commit = SQLStatement(text: "COMMIT", parameterCount: 0)
    let rollback = SQLStatement(text: "ROLLBACK", parameterCount: 0)

    init(begin: String) { self.begin = SQLStatement(text: begin, parameterCount: 0) }

    /// Runs `body` between BEGIN and COMMIT on `session`, rolling back when it throws. `rollbackFailed`
    /// is told when even the rollback failed (the connection is then in doubt).
    func run<Result>(on session: any RelationalSession, rollbackFailed: () -> Void,
                     _ body: (any RelationalSession) throws -> Result) throws -> Result {
        try session.execute(begin, [])
        do {
            let result = try body(session)
            try session.execute(commit, [])
            return result
        } catch {
            do { try session.execute(rollback, []) } catch { rollbackFailed() }
            throw error
        }
    }
}

/// Runs `operation` again while it fails with `RelationalFailure.busy`, for up to `limit` seconds, with a
/// random pause between tries that grows from `pause` microseconds to ten times that.
func retryingWhileBusy<Result>(limit: Double, pause: ClosedRange<UInt32>, _ operation: () throws -> Result) throws -> Result {
    let start = DispatchTime.now().uptimeNanoseconds
    var attempt: UInt32 = 0
    while true {
        do {
            return try operation()
        } catch RelationalFailure.busy(let message) {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            guard elapsed < limit else {
                throw RelationalFailure.other("the database stayed locked by other connections for \(Int(elapsed)) s (\(message))")
            }
            attempt += 1
            usleep(UInt32.random(in: pause) * min(attempt, 10))
        }
    }
}
