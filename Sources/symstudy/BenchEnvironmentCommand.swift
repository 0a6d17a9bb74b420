import ArgumentParser
import Environments

/// `symstudy bench env ENV`: steps per second and per CPU-second of an environment with seeded random actions.
struct BenchEnvironmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Steps per second of an environment, single copies or the batch stepper, on one or more threads.",
        discussion: """
            With --copies equal to --threads every thread steps one environment; with more copies, every thread \
            steps its share with the batch stepper (classic control). Actions are seeded random draws made \
            before timing. Benchmarks/environments/compare_envs.sh runs this beside gymnax, EnvPool and Gymnasium.
            """
    )

    @Argument(help: "The environment id (\(EnvironmentRegistry.nativeIDs.joined(separator: ", "))).") var environment: String
    @Option(help: "Copies of the environment, split over the threads.") var copies = 1
    @Option(help: "Threads stepping at once.") var threads = 1
    @Option(help: "Seconds to measure.") var seconds = 2.0
    @Option(help: "Seed of the actions and initial states.") var seed: UInt64 = 0
    @Option(help: "Output format: text or json.") var format = "text"

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, not \(threads)") }
        guard copies >= threads else { throw ValidationError("--copies (\(copies)) must be at least --threads (\(threads))") }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive, not \(seconds)") }
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json, not '\(format)'") }
    }

    func run() throws {
        let r = try EnvironmentBenchmark.run(environment, copies: copies, threads: threads, seconds: seconds, seed: seed)
        if format == "json" {
            print(r.json)
        } else {
            print("\(r.env): \(r.copies) copies on \(r.threads) thread(s): \(r.steps) steps in \(r.wallSeconds) s wall, \(r.cpuSeconds) s CPU")
            print("  \(Int(r.stepsPerSecond)) steps/s, \(Int(r.stepsPerCPUSecond)) steps per CPU-second")
        }
    }
}
