import Foundation
import Synchronization

/// The write transaction a thread is grouping its storage calls into (`inOneTransaction`).
final class GroupedTransaction: @unchecked Sendable {
    let session: any RelationalSession
    init(session: any RelationalSession) { self.session = session }
}

extension RelationalStorage: TransactionGroupingStorage {
    /// Runs `body`, and every call it makes on this storage from this thread, in one write transaction:
    /// one commit (SQLite: one WAL append, one lock hand-over) instead of one per call, and all or nothing.
    /// Each call inside keeps its own atomicity through a savepoint. Other threads' calls wait until the
    /// transaction ends. Nested groups join the outer one. When `body` throws, everything it wrote is rolled
    /// back and this process's cache of the database is dropped (it may have noted writes that never landed).
    public func inOneTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        if groupedTransaction() != nil { return try body() }
        let thread = ObjectIdentifier(Thread.current)
        do {
            return try run {
                try backend.write { session in
                    groups.withLock { $0[thread] = GroupedTransaction(session: session) }
                    defer { groups.withLock { $0[thread] = nil } }
                    return try body()
                }
            }
        } catch {
            cache.forgetAll()
            firstDistributions.withLock { $0 = [:] }
            throw error
        }
    }

    /// The group this thread is in (every storage call asks: only a group in progress costs a thread lookup).
    func groupedTransaction() -> GroupedTransaction? {
        groups.withLock { $0.isEmpty ? nil : $0[ObjectIdentifier(Thread.current)] }
    }

    /// `backend.read`, or the grouped transaction's session when this thread is in one.
    func readSession<Result>(_ body: (any RelationalSession) throws -> Result) throws -> Result {
        if let group = groupedTransaction() { return try body(group.session) }
        return try backend.read(body)
    }

    /// `backend.write`, or a savepoint in the grouped transaction when this thread is in one.
    func writeTransaction<Result>(_ body: (any RelationalSession) throws -> Result) throws -> Result {
        guard let group = groupedTransaction() else { return try backend.write(body) }
        let session = group.session
        try session.execute(Self.savepoint, [])
        do {
            let result = try body(session)
            try session.execute(Self.releaseSavepoint, [])
            return result
        } catch {
            try? session.execute(Self.rollbackToSavepoint, [])
            try? session.execute(Self.releaseSavepoint, [])
            throw error
        }
    }

    private static let savepoint = SQLStatement(text: "SAVEPOINT symstudy_call", parameterCount: 0)
    private static let releaseSavepoint = SQLStatement(text: "RELEASE SAVEPOINT symstudy_call", parameterCount: 0)
    private static let rollbackToSavepoint = SQLStatement(text: "ROLLBACK TO SAVEPOINT symstudy_call", parameterCount: 0)
}
