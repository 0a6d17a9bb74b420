import Foundation

/// A policy's returns over seeded episodes (seeds `seed`, `seed + 1`, ...), on the environment's own time
/// limit; for games (Pong, Freeway) also the points won and lost.
public struct PolicyEvaluation: Sendable {
    public var returns: [Double] = []
    public var lengths: [Int] = []
    public var pointsWon = 0, pointsLost = 0

    public var meanReturn: Double { returns.isEmpty ? .nan : returns.reduce(0, +) / Double(returns.count) }
    /// The share of points won (Pong), nil when no points were played.
    public var pointShare: Double? { pointsWon + pointsLost == 0 ? nil : Double(pointsWon) / Double(pointsWon + pointsLost) }
}
