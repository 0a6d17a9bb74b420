import Environments
import Foundation

/// A teacher's returns over seeded episodes (seeds `seed`, `seed + 1`, ...), deterministic actions, the
/// environment's own time limit; for Pong also the points won and lost.
public struct TeacherEvaluation: Sendable {
    public var returns: [Double] = []
    public var lengths: [Int] = []
    public var pointsWon = 0, pointsLost = 0

    public var meanReturn: Double { returns.isEmpty ? .nan : returns.reduce(0, +) / Double(returns.count) }
    /// The share of points won (Pong), or nil when no points were played.
    public var pointShare: Double? { pointsWon + pointsLost == 0 ? nil : Double(pointsWon) / Double(pointsWon + pointsLost) }

    /// Plays `episodes` episodes of `environment` (a registry id) with `teacher`.
    /// - Throws: `PolicyLearningError.mismatch` when the teacher was made for another environment.
    public static func run(_ teacher: Teacher, environment: String, episodes: Int = 20, seed: UInt64 = 0) throws -> TeacherEvaluation {
        guard teacher.environment == environment else {
            throw PolicyLearningError.mismatch("the \(teacher.name) was made for \(teacher.environment), not \(environment)")
        }
        return try EnvironmentRegistry.visit(environment, seed: seed, Visitor(teacher: teacher, episodes: episodes, seed: seed))
    }

    struct Visitor: EnvironmentVisitor {
        var teacher: Teacher, episodes: Int, seed: UInt64
        func visit<E: Environment>(_ environment: E) throws -> TeacherEvaluation {
            var env = environment, result = TeacherEvaluation()
            for episode in 0..<episodes {
                env.reset(seed: seed &+ UInt64(episode))
                var total = 0.0, length = 0
                while true {
                    let t = env.step(try env.action(teacher.action(env.observation)))
                    total += t.reward
                    length += 1
                    if t.reward > 0 { result.pointsWon += Int(t.reward) } else if t.reward < 0 && E.self == Pong.self { result.pointsLost += 1 }
                    if t.done { break }
                }
                result.returns.append(total)
                result.lengths.append(length)
            }
            if E.self != Pong.self { result.pointsWon = 0 }
            return result
        }
    }
}
