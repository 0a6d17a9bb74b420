import ArgumentParser
import Environments
import Foundation
import PolicyLearning

/// `symstudy record ENV --teacher FILE`: the teacher's state-action pairs as a DiffSES dataset.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a teacher's object-level states and actions as a DiffSES dataset (JSON or CSV).",
        discussion: "FILE is written by `symstudy teach` (a PPO or a scripted teacher). Episodes are seeded --seed, --seed + 1, ..."
    )

    @Argument(help: "The environment id.") var environment: String
    @Option(help: "The teacher file.") var teacher: String
    @Option(help: "Episodes to record.") var episodes = 10
    @Option(help: "Stop after this many rows.") var maxRows: Int?
    @Option(help: "End each episode after this many steps.") var episodeSteps: Int?
    @Option(help: "Seed of the first episode.") var seed: UInt64 = 0
    @Option(help: "Output format: json (DiffSES) or csv.") var format = "json"
    @Option(help: "Output file (default: standard output).") var out: String?

    func validate() throws {
        guard ["json", "csv"].contains(format) else { throw ValidationError("--format must be json or csv, not '\(format)'") }
        guard episodes > 0 else { throw ValidationError("--episodes must be positive, not \(episodes)") }
        if let maxRows, maxRows <= 0 { throw ValidationError("--max-rows must be positive, not \(maxRows)") }
        if let episodeSteps, episodeSteps <= 0 { throw ValidationError("--episode-steps must be positive, not \(episodeSteps)") }
    }

    func run() throws {
        let loaded = try Teacher.load(teacher)
        let recorded = try DatasetRecorder.record(loaded, environment: environment, episodes: episodes, seed: seed, maxRows: maxRows ?? .max,
                                                  maxEpisodeSteps: episodeSteps ?? .max)
        let text = format == "json" ? recorded.json : recorded.csv
        if let out {
            try text.write(toFile: out, atomically: true, encoding: .utf8)
            FileHandle.standardError.write(Data("wrote \(recorded.rows.count) rows to \(out); \(loaded.name) mean return \(String(format: "%.2f", recorded.evaluation.meanReturn)) over \(recorded.evaluation.returns.count) episodes\n".utf8))
        } else {
            print(text, terminator: "")
        }
    }
}
