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
            // Check the teacher's action space against the environment once, then play over all cores.
            _ = try environment.action(teacher.action(environment.observation))
            let teacher = self.teacher
            let played = ParallelEpisodes.run(environment, count: episodes, seed: seed) { env in
                try! env.action(teacher.action(env.observation))
            }
            var result = TeacherEvaluation()
            result.returns = played.map(\.totalReward)
            result.lengths = played.map(\.length)
            if E.self == Pong.self {
                result.pointsWon = Int(played.reduce(0) { $0 + $1.positiveReward })
                result.pointsLost = played.reduce(0) { $0 + $1.negativeSteps }
            }
            return result
        }
    }
}
