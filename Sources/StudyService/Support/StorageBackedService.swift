import GRPCCore
import StudyEngine

/// What the two services' handlers share: storage calls run on the thread that answers the call (the server
/// gives its calls threads of their own, see `StudyServer`), and errors (the storage's, or a field that cannot
/// be read) become the status codes Optuna's client maps (`ServiceErrorCoding`).
protocol StorageBackedService {}

extension StorageBackedService {
    /// Runs a storage call; its error becomes an RPCError.
    func perform<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw ServiceErrorCoding.rpcError(for: error) }
    }

    /// Runs `body` in one transaction of `storage` when it can group its calls (the relational storages): the
    /// many writes of one ask (a trial and each of its parameters) or one tell commit once, all or nothing.
    func grouped<T>(_ storage: any StudyStorage, _ body: () throws -> T) throws -> T {
        guard let grouping = storage as? any TransactionGroupingStorage else { return try body() }
        return try grouping.inOneTransaction(body)
    }

    /// Reads request fields; an error becomes an RPCError.
    func decoding<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw ServiceErrorCoding.rpcError(for: error) }
    }
}
