import Environments
import Foundation

/// How a teacher and a symbolic policy hold up when the game changes: each one's return on the environment
/// as it is and as changed, and the drop.
public struct TransferComparison: Sendable {
    /// One agent's returns before and after the change.
    public struct Row: Sendable {
        public var agent: String
        public var before: PolicyEvaluation
        public var after: PolicyEvaluation

        /// Mean return before minus after (positive: the change hurt).
        public var drop: Double { before.meanReturn - after.meanReturn }
        /// The drop as a share of the return before (nil when that is 0).
        public var relativeDrop: Double? { before.meanReturn == 0 ? nil : drop / Swift.abs(before.meanReturn) }
    }

    public var environment: String
    public var changes: EnvironmentChanges
    public var episodes: Int
    public var seed: UInt64
    public var rows: [Row]

    /// Plays every agent `episodes` seeded episodes on the environment unchanged and changed (the same seeds).
    public static func run(agents: [Agent], environment: String, changes: EnvironmentChanges, episodes: Int,
                           seed: UInt64) throws -> TransferComparison {
        let rows = try agents.map { agent in
            Row(agent: agent.name,
                before: try AgentEvaluation.run(agent, environment: environment, episodes: episodes, seed: seed),
                after: try AgentEvaluation.run(agent, environment: environment, changes: changes, episodes: episodes, seed: seed))
        }
        return TransferComparison(environment: environment, changes: changes, episodes: episodes, seed: seed, rows: rows)
    }
}
