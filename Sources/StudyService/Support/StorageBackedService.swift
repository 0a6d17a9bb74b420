import GRPCCore

/// What the two services' handlers share: storage calls run off the gRPC threads, and errors (the storage's,
/// or a field that cannot be read) become the status codes Optuna's client maps (`ServiceErrorCoding`).
protocol StorageBackedService {}

extension StorageBackedService {
    /// Runs a blocking storage call; its error becomes an RPCError.
    func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do { return try await BlockingWork.run(body) } catch { throw ServiceErrorCoding.rpcError(for: error) }
    }

    /// Reads request fields; an error becomes an RPCError.
    func decoding<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw ServiceErrorCoding.rpcError(for: error) }
    }
}
