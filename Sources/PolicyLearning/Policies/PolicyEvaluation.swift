import Environments
import Foundation

/// A symbolic policy's returns over seeded episodes of an environment (seeds `seed`, `seed + 1`, ...), acting
/// on the object-level state; for Pong also the points won and lost.
public struct PolicyEvaluation: Sendable {
    public var returns: [Double] = []
    public var lengths: [Int] = []
    public var pointsWon = 0, pointsLost = 0

    public var meanReturn: Double { returns.isEmpty ? .nan : returns.reduce(0, +) / Double(returns.count) }
    /// The share of points won (games), or nil when no points were played.
    public var pointShare: Double? { pointsWon + pointsLost == 0 ? nil : Double(pointsWon) / Double(pointsWon + pointsLost) }

    /// Plays `episodes` episodes of `environment` (a registry id) with `policy`, each at most `maxSteps` steps
    /// (default: the environment's own limit), on `threads` threads (the result does not depend on them).
    /// - Throws: `EnvironmentError` for an unknown environment, `PolicyLearningError.mismatch` when the
    ///   policy's actions do not fit the environment's action space.
    public static func run(_ policy: SymbolicPolicy, environment: String, episodes: Int, seed: UInt64, maxSteps: Int = .max,
                           threads: Int = 1) throws -> PolicyEvaluation {
        try EnvironmentRegistry.visit(environment, seed: seed, Visitor(policy: policy, episodes: episodes, seed: seed, maxSteps: maxSteps, threads: threads))
    }

    struct Visitor: EnvironmentVisitor {
        var policy: SymbolicPolicy, episodes: Int, seed: UInt64, maxSteps: Int, threads: Int

        func visit<E: Environment>(_ environment: E) throws -> PolicyEvaluation {
            switch policy.decoding {
            case .rounded(let actions), .argmax(let actions):
                for action in actions {
                    do { _ = try environment.action(.discrete(action)) } catch {
                        throw PolicyLearningError.mismatch("the policy's action \(action) is not an action of \(environment.id) (\(environment.actionSpace))")
                    }
                }
            case .continuous(let low, _):
                do { _ = try environment.action(.continuous(low)) } catch {
                    throw PolicyLearningError.mismatch("the policy's \(low.count)-dimensional continuous actions do not fit \(environment.id) (\(environment.actionSpace))")
                }
            }
            let policy = self.policy
            let played = ParallelEpisodes.run(environment, count: episodes, seed: seed, threads: threads, maxSteps: maxSteps) { env in
                // Checked above: every action the decoding can give is valid.
                try! env.action(policy.act(state: env.objects))
            }
            var result = PolicyEvaluation()
            result.returns = played.map(\.totalReward)
            result.lengths = played.map(\.length)
            if E.self == Pong.self || E.self == Freeway.self {
                result.pointsWon = Int(played.reduce(0) { $0 + $1.positiveReward })
                result.pointsLost = played.reduce(0) { $0 + $1.negativeSteps }
            }
            return result
        }
    }
}
