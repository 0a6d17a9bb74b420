import ArgumentParser
import Environments
import Foundation
import PolicyLearning
import StudyEngine

/// `symstudy replay STUDY|FILE --env ENV`: plays a symbolic policy (the best trial of a study, or a policy
/// JSON file) for some seeded episodes and reports the mean return (for Pong also the share of points won).
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Play a symbolic policy in an environment and report its mean return.")

    @OptionGroup var source: PolicySource
    @Option(help: "The environment id (\(EnvironmentRegistry.nativeIDs.joined(separator: ", ")))." ) var env: String
    @Option(help: "Episodes to play.") var episodes = 10
    @Option(help: "Seed of the first episode (episode i uses seed + i).") var seed: UInt64 = 0
    @Option(help: "Write the frames of the first episode as PNG files into this folder (Pong, Freeway).") var renderFrames: String?
    @Option(help: "At most this many frames.") var maxFrames = 1000
    @Option(name: [.short, .long], help: "text or json.") var format = "text"

    func validate() throws {
        guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1, not \(episodes)") }
        guard maxFrames >= 1 else { throw ValidationError("--max-frames must be at least 1, not \(maxFrames)") }
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json, not '\(format)'") }
    }

    func run() throws {
        let (policy, origin) = try source.policy()
        let result = try AgentEvaluation.run(.symbolic(policy), environment: env, episodes: episodes, seed: seed,
                                              framesFolder: renderFrames, maxFrames: maxFrames)
        if format == "json" {
            print(Self.json(result, extra: ["source": .string(origin), "environment": .string(env), "episodes": .int(episodes),
                                            "seed": .int(Int(seed))]).jsonText)
            return
        }
        print("symbolic policy of \(origin) on \(env), \(episodes) episode(s) from seed \(seed):")
        print("mean return \(Self.number(result.meanReturn)) (min \(Self.number(result.returns.min()!)), max \(Self.number(result.returns.max()!))), mean length \(Self.number(Double(result.lengths.reduce(0, +)) / Double(episodes))) steps")
        if let share = result.pointShare {
            print("points won \(String(format: "%.1f", 100 * share))% (\(result.pointsWon) of \(result.pointsWon + result.pointsLost))")
        }
        if let renderFrames { print("frames of episode 0 in \(renderFrames)") }
    }

    static func number(_ value: Double) -> String { String(format: "%.4g", value) }

    /// An evaluation as JSON: mean return, returns, mean length, and points for games.
    static func json(_ result: PolicyEvaluation, extra: [String: JSONValue] = [:]) -> JSONValue {
        var fields = extra
        fields["mean_return"] = .double(result.meanReturn)
        fields["returns"] = .array(result.returns.map(JSONValue.double))
        fields["mean_length"] = .double(Double(result.lengths.reduce(0, +)) / Double(max(1, result.lengths.count)))
        if let share = result.pointShare {
            fields["points_won"] = .int(result.pointsWon)
            fields["points_lost"] = .int(result.pointsLost)
            fields["point_share"] = .double(share)
        }
        return .object(fields)
    }
}
