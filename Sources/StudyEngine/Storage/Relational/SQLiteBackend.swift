import Foundation
import GRDB
import GRDBSQLite

/// An SQLite file through GRDB: one connection (a `DatabaseQueue`, so this process's threads take turns),
/// WAL journal mode once the file is known to be an Optuna storage, statements prepared once and cached.
///
/// Many processes may open the same file. A write transaction starts with `BEGIN IMMEDIATE`, so it holds
/// the file's write lock from its first statement and never has to upgrade a read lock (the deadlock
/// that makes SQLite answer "database is locked" at once). While another process holds the lock, the busy
/// handler sleeps in short random steps; when SQLite gives up anyway the whole transaction is rolled
/// back and retried, for up to `busyLimit` seconds.
final class SQLiteBackend: RelationalBackend, @unchecked Sendable {
    let dialect = SQLDialect.sqlite
    let location: String
    private let queue: DatabaseQueue
    /// Seconds a statement or transaction keeps being retried while the database is locked.
    static let busyLimit: Double = 600

    init(path: String) throws {
        location = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw StorageError.notAnOptunaDatabase(location: path, reason: "it is a directory, not an SQLite file")
        }
        var configuration = Configuration()
        configuration.label = "symstudy"
        configuration.busyMode = .callback { tries in
            // 20-100 microseconds at first, growing to at most 2-10 milliseconds: lock holders here
            // commit within tens of microseconds, so short sleeps keep the hand-over fast.
            usleep(UInt32.random(in: 20...100) * UInt32(min(tries + 1, 100)))
            return tries < 4_000
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            switch error.resultCode.primaryResultCode {
            case .SQLITE_NOTADB:
                throw StorageError.notAnOptunaDatabase(location: path, reason: "the file is not an SQLite database (SQLite: \(error.message ?? "file is not a database"))")
            case .SQLITE_CORRUPT:
                throw StorageError.notAnOptunaDatabase(location: path, reason: "the SQLite file is damaged (SQLite: \(error.message ?? "malformed"))")
            case .SQLITE_CANTOPEN:
                throw StorageError.backend("cannot open the SQLite file \(path): \(error.message ?? "unable to open database file") (does its folder exist, and may it be written?)")
            default:
                throw StorageError.backend("cannot open the SQLite file \(path): \(error.message ?? "\(error)")")
            }
        }
    }

    func prepareForWriting() throws {
        try retrying {
            try queue.inDatabase { db in
                let session = SQLiteSession(db: db)
                var mode = try session.query(SQLStatement(text: "PRAGMA journal_mode", parameterCount: 0), []).values.first?.text
                // Another process may be in the middle of a transaction: WAL can only begin between them.
                var attempts = 0
                while mode?.lowercased() != "wal", attempts < 100 {
                    attempts += 1
                    do {
                        mode = try session.query(SQLStatement(text: "PRAGMA journal_mode = WAL", parameterCount: 0), []).values.first?.text
                    } catch RelationalFailure.busy {}
                    if mode?.lowercased() != "wal" { usleep(UInt32.random(in: 1_000...10_000)) }
                }
                // Durable against a crash of the process (SIGKILL); WAL's usual setting.
                try session.execute(SQLStatement(text: "PRAGMA synchronous = NORMAL", parameterCount: 0), [])
            }
        }
    }

    func read<Result>(_ body: (any RelationalSession) throws -> Result) throws -> Result {
        try retrying { try queue.inDatabase { db in try body(SQLiteSession(db: db)) } }
    }

    func write<Result>(_ body: (any RelationalSession) throws -> Result) throws -> Result {
        try retrying {
            // A failed rollback means SQLite already rolled back (after I/O errors, say): nothing to do.
            try queue.inDatabase { db in try Self.transaction.run(on: SQLiteSession(db: db), rollbackFailed: {}, body) }
        }
    }

    private static let transaction = TransactionCommands(begin: "BEGIN IMMEDIATE TRANSACTION")

    /// Runs `operation` again while the database is locked, for up to `busyLimit` seconds.
    private func retrying<Result>(_ operation: () throws -> Result) throws -> Result {
        try retryingWhileBusy(limit: Self.busyLimit, pause: 50...500, operation)
    }

    func close() {
        try? queue.close()
    }
}

/// One turn on the SQLite connection: statements stepped through SQLite's C API (GRDB prepares and
/// caches them), values bound and read without per-value allocations beyond the strings themselves.
struct SQLiteSession: RelationalSession {
    let db: Database

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    private static let dataVersion = SQLStatement(text: "PRAGMA data_version", parameterCount: 0)

    func query(_ statement: SQLStatement, _ arguments: [SQLValue]) throws -> SQLRows {
        let handle = try prepare(statement, arguments)
        defer { sqlite3_reset(handle) }
        let columns = Int(sqlite3_column_count(handle))
        var rows = SQLRows(columnCount: columns)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw failure(code, statement) }
            for column in 0..<Int32(columns) {
                switch sqlite3_column_type(handle, column) {
                case SQLITE_INTEGER: rows.values.append(.int(Int(sqlite3_column_int64(handle, column))))
                case SQLITE_FLOAT: rows.values.append(.double(sqlite3_column_double(handle, column)))
                case SQLITE_NULL: rows.values.append(.null)
                default:
                    let count = Int(sqlite3_column_bytes(handle, column))
                    if let bytes = sqlite3_column_text(handle, column) {
                        rows.values.append(.text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)))
                    } else {
                        rows.values.append(.text(""))
                    }
                }
            }
        }
    }

    @discardableResult
    func execute(_ statement: SQLStatement, _ arguments: [SQLValue]) throws -> Int {
        let handle = try prepare(statement, arguments)
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return Int(sqlite3_changes(db.sqliteConnection)) }
            guard code == SQLITE_ROW else { throw failure(code, statement) }
        }
    }

    func changeToken() throws -> Int? { try query(Self.dataVersion, []).values.first?.int }

    private func prepare(_ statement: SQLStatement, _ arguments: [SQLValue]) throws -> OpaquePointer {
        precondition(arguments.count == statement.parameterCount, "\(statement.text) takes \(statement.parameterCount) arguments, not \(arguments.count)")
        let handle: OpaquePointer
        do {
            handle = try db.cachedStatement(sql: statement.text).sqliteStatement
        } catch let error as DatabaseError {
            throw Self.failure(code: error.extendedResultCode.rawValue, message: error.message ?? "\(error)", sql: statement.text)
        }
        sqlite3_reset(handle)
        for (offset, value) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, index)
            case .int(let int): code = sqlite3_bind_int64(handle, index, Int64(int))
            case .double(let double): code = sqlite3_bind_double(handle, index, double)
            case .text(var text):
                code = text.withUTF8 { utf8 in
                    guard let base = utf8.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
                    return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                        sqlite3_bind_text(handle, index, $0, Int32(utf8.count), Self.transient)
                    }
                }
            }
            guard code == SQLITE_OK else { throw failure(code, statement) }
        }
        return handle
    }

    private func failure(_ code: Int32, _ statement: SQLStatement) -> RelationalFailure {
        let extended = sqlite3_extended_errcode(db.sqliteConnection)
        return Self.failure(code: extended != 0 ? extended : code,
                            message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.text)
    }

    static func failure(code: Int32, message: String, sql: String) -> RelationalFailure {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy("SQLite: \(message)")
        case SQLITE_CONSTRAINT: return .constraint("SQLite: \(message)")
        default: return .other("SQLite error \(code): \(message), in \(sql.prefix(200))")
        }
    }
}
