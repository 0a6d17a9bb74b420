import Foundation
import PostgresNIO
import Synchronization

/// A PostgreSQL database through postgres-nio, driven synchronously: the backend owns an event loop
/// thread and a small pool of connections, and the calling (worker) thread blocks on each statement's
/// future. Callers are never that event loop's thread, so the waits are safe; they do not involve
/// Swift's cooperative thread pool either.
///
/// Write transactions run at READ COMMITTED and take row locks (`FOR NO KEY UPDATE`) where Optuna takes
/// them (the study's row while numbering a trial, the trial's row while changing it); a deadlock or a
/// serialisation failure rolls the transaction back and runs it again.
final class PostgresBackend: RelationalBackend, @unchecked Sendable {
    let dialect = SQLDialect.postgres
    let location: String
    let url: PostgresURL
    private let configuration: PostgresConnection.Configuration
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let logger: Logger
    private let slots: DispatchSemaphore
    private let pool = Mutex<Pool>(Pool())
    private let nextConnectionID = Atomic<Int>(0)
    /// Connections open at once, at most.
    static let maximumConnections = 8
    /// Seconds a transaction is retried after deadlocks before the error is reported.
    static let retryLimit: Double = 120

    private struct Pool {
        var idle: [PostgresConnection] = []
        var closed = false
    }

    /// Connects once, so that an unreachable server or a refused login is reported here.
    init(url: PostgresURL) throws {
        self.url = url
        location = url.redacted
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        // Timestamps read as text (`::text`) must be ISO.
        configuration.options.additionalStartupParameters = [("DateStyle", "ISO, MDY"), ("application_name", "symstudy")]
        self.configuration = configuration
        var logger = Logger(label: "symstudy.postgres")
        logger.logLevel = .critical
        self.logger = logger
        slots = DispatchSemaphore(value: Self.maximumConnections)
        do {
            let first = try connect()
            pool.withLock { $0.idle.append(first) }
        } catch let failure as RelationalFailure {
            try? group.syncShutdownGracefully()
            throw StorageError.connectionFailed(server: url.server, reason: failure.message)
        }
    }

    private func connect() throws -> PostgresConnection {
        let id = nextConnectionID.add(1, ordering: .relaxed).newValue
        do {
            return try PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger).wait()
        } catch {
            throw RelationalFailure.connection(Self.describe(error))
        }
    }

    /// Runs `body` on a pooled connection; a connection that broke is dropped from the pool.
    private func withConnection<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        slots.wait()
        defer { slots.signal() }
        let reused = try pool.withLock { pool -> PostgresConnection? in
            guard !pool.closed else { throw RelationalFailure.other("the storage was closed") }
            return pool.idle.popLast()
        }
        let connection = try reused.flatMap { $0.isClosed ? nil : $0 } ?? connect()
        defer {
            let keep = pool.withLock { pool -> Bool in
                guard !pool.closed, !connection.isClosed else { return false }
                pool.idle.append(connection)
                return true
            }
            if !keep { try? connection.close().wait() }
        }
        return try body(connection)
    }

    func prepareForWriting() throws {}

    func read<Result>(_ body: (any RelationalSession) throws -> Result) throws -> Result {
        try withConnection { try body(PostgresSession(connection: $0, logger: logger)) }
    }

    func write<Result>(_ body: (any RelationalSession) throws -> Result) throws -> Result {
        try retryingWhileBusy(limit: Self.retryLimit, pause: 1_000...5_000) {
            try withConnection { connection in
                // A connection whose rollback failed is in doubt: closing it drops it from the pool.
                try Self.transaction.run(on: PostgresSession(connection: connection, logger: logger),
                                         rollbackFailed: { try? connection.close().wait() }, body)
            }
        }
    }

    private static let transaction = TransactionCommands(begin: "BEGIN")

    func close() {
        let connections = pool.withLock { pool -> [PostgresConnection]? in
            guard !pool.closed else { return nil }
            pool.closed = true
            defer { pool.idle = [] }
            return pool.idle
        }
        guard let connections else { return }
        for connection in connections { try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }

    /// Runs one statement outside a transaction on a connection of its own (`CREATE DATABASE` and the like).
    static func executeStandalone(url: String, sql: String) throws {
        let backend = try PostgresBackend(url: try PostgresURL(url))
        defer { backend.close() }
        _ = try backend.read { try $0.execute(SQLStatement(text: sql, parameterCount: 0), []) }
    }

    // MARK: Errors

    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        if let underlying = error.underlying { return String(describing: underlying) }
        return error.code.description
    }

    static func failure(_ error: any Error, sql: String) -> RelationalFailure {
        guard let error = error as? PSQLError else { return .other(String(describing: error)) }
        if let state = error.serverInfo?[.sqlState] {
            let message = "PostgreSQL: \(describe(error))"
            switch state {
            case "40001", "40P01": return .busy(message)
            case let state where state.hasPrefix("23"): return .constraint(message)
            default: return .other("\(message), in \(sql.prefix(200))")
            }
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return .connection(describe(error))
        default:
            return .other("PostgreSQL: \(describe(error)), in \(sql.prefix(200))")
        }
    }
}

/// Statements on one PostgreSQL connection, each a blocking wait on its future.
struct PostgresSession: RelationalSession {
    let connection: PostgresConnection
    let logger: Logger

    private func run(_ statement: SQLStatement, _ arguments: [SQLValue]) throws -> PostgresQueryResult {
        precondition(arguments.count == statement.parameterCount, "\(statement.text) takes \(statement.parameterCount) arguments, not \(arguments.count)")
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: bindings.appendNull()
            case .int(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            }
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: statement.text, binds: bindings), logger: logger).wait()
        } catch {
            throw PostgresBackend.failure(error, sql: statement.text)
        }
    }

    func query(_ statement: SQLStatement, _ arguments: [SQLValue]) throws -> SQLRows {
        let result = try run(statement, arguments)
        var rows = SQLRows(columnCount: result.rows.first.map { $0.count } ?? 0)
        do {
            for row in result.rows {
                for cell in row { rows.values.append(try Self.value(of: cell)) }
            }
        } catch {
            throw RelationalFailure.other("PostgreSQL: a value could not be read (\(error)), in \(statement.text.prefix(200))")
        }
        return rows
    }

    @discardableResult
    func execute(_ statement: SQLStatement, _ arguments: [SQLValue]) throws -> Int {
        try run(statement, arguments).metadata.rows ?? 0
    }

    /// PostgreSQL has no cheap "did anyone commit" counter: readers assume change.
    func changeToken() throws -> Int? { nil }

    private static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .int(try cell.decode(Int.self))
        case .float4, .float8, .numeric: return .double(try cell.decode(Double.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .timestamp, .timestamptz:
            // A naive timestamp decodes as if UTC: its wall-clock text is the stored value.
            let date = try cell.decode(Date.self)
            return .text(OptunaDatetime.wallText(microseconds: Int64((date.timeIntervalSince1970 * 1_000_000).rounded())))
        default: return .text(try cell.decode(String.self))
        }
    }
}
