import GRPCCore
import Synchronization

/// Counts the calls a server answered, by method (`optuna.StorageService/GetTrial`, `symstudy.StudyService/Ask`).
final class CallCounter: ServerInterceptor {
    private let counts = Mutex<[String: Int]>([:])

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let method = context.descriptor.fullyQualifiedMethod
        counts.withLock { $0[method, default: 0] += 1 }
        return try await next(request, context)
    }

    var snapshot: [String: Int] { counts.withLock { $0 } }
}
