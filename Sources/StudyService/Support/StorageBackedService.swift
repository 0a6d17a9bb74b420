import GRPCCore

/// What the two services' handlers share: storage calls run on the thread that answers the call (the server
/// gives its calls threads of their own, see `StudyServer`), and errors (the storage's, or a field that cannot
/// be read) become the status codes Optuna's client maps (`ServiceErrorCoding`).
protocol StorageBackedService {}

extension StorageBackedService {
    /// Runs a storage call; its error becomes an RPCError.
    func perform<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw ServiceErrorCoding.rpcError(for: error) }
    }

    /// Reads request fields; an error becomes an RPCError.
    func decoding<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw ServiceErrorCoding.rpcError(for: error) }
    }
}
