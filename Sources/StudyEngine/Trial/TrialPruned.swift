import Foundation

/// Thrown by an objective to end its trial as PRUNED (Optuna's `TrialPruned`).
public struct TrialPruned: LocalizedError, Sendable {
    public var message: String
    public init(_ message: String = "trial was pruned") { self.message = message }
    public var errorDescription: String? { message }
}
