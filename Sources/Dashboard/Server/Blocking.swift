import Dispatch

/// Runs blocking work (storage reads, chart drawing) on a dispatch queue and awaits its result.
enum Blocking {
    private static let queue = DispatchQueue(label: "symstudy.dashboard.blocking", attributes: .concurrent)

    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
