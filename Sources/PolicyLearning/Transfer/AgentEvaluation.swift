import Environments
import Foundation

/// Plays an agent (a symbolic policy or a teacher) on an environment that may be changed, for `replay` and
/// `transfer`.
public enum AgentEvaluation {
    /// Plays `episodes` episodes of `environment` (a registry id) changed by `changes` with `agent`, over all
    /// cores; with `framesFolder`, episode 0 is also played alone and its first `maxFrames` frames are written
    /// there as PNG files (`frame_00000.png`, ...), for the games that render (Pong, Freeway).
    /// - Throws: `TransferError.mismatch` when the agent's actions do not fit the environment (checked on the
    ///   first state), environment errors for an unknown id or bad changes.
    public static func run(_ agent: Agent, environment: String, changes: EnvironmentChanges = EnvironmentChanges(),
                           episodes: Int, seed: UInt64, framesFolder: String? = nil, maxFrames: Int = 1000) throws -> PolicyEvaluation {
        try changes.visit(environment, seed: seed, Visitor(agent: agent, episodes: episodes, seed: seed, framesFolder: framesFolder, maxFrames: maxFrames))
    }

    struct Visitor: EnvironmentVisitor {
        var agent: Agent, episodes: Int, seed: UInt64, framesFolder: String?, maxFrames: Int

        func visit<E: Environment>(_ environment: E) throws -> PolicyEvaluation {
            do { _ = try environment.action(agent.actionValue(environment)) } catch {
                throw TransferError.mismatch("the \(agent.name) does not fit \(environment.id) (\(environment.actionSpace)): \(error.localizedDescription)")
            }
            if let framesFolder { try writeFrames(environment, folder: framesFolder) }
            let agent = self.agent
            let played = ParallelEpisodes.run(environment, count: episodes, seed: seed) { env in
                // Checked on the first state above; an action out of range later falls back to the first action.
                (try? env.action(agent.actionValue(env))) ?? (try! env.action(Self.fallback(env.actionSpace)))
            }
            var result = PolicyEvaluation()
            result.returns = played.map(\.totalReward)
            result.lengths = played.map(\.length)
            if environment is Pong || environment is Freeway {
                result.pointsWon = Int(played.reduce(0) { $0 + $1.positiveReward })
                result.pointsLost = played.reduce(0) { $0 + $1.negativeSteps }
            }
            return result
        }

        static func fallback(_ space: ActionSpace) -> ActionValue {
            switch space {
            case .discrete: return .discrete(0)
            case .box(let low, _): return .continuous(low)
            }
        }

        func writeFrames<E: Environment>(_ environment: E, folder: String) throws {
            guard environment is any Renderable else {
                throw EnvironmentError.invalidParameter(environment.id, "--render-frames needs a game that renders (Pong, Freeway)")
            }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var env = environment
            env.reset(seed: seed)
            for index in 0..<maxFrames {
                try (env as! any Renderable).writePNG("\(folder)/frame_\(String(format: "%05d", index)).png")
                let action = try (try? env.action(agent.actionValue(env))) ?? env.action(Self.fallback(env.actionSpace))
                if env.step(action).done { break }
            }
        }
    }
}
