import ArgumentParser
import Environments
import Foundation
import PolicyLearning

/// `symstudy teach ENV`: trains a PPO teacher (or writes a scripted one) and prints its mean return over 20
/// seeded episodes.
struct TeachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teach",
        abstract: "Train a PPO teacher for an environment (or write a scripted one) and print its returns.",
        discussion: """
            PPO uses the environment's preset (PPOConfiguration.preset); --steps and --seed override it. \
            --scripted NAME writes a hand-written teacher instead (\(ScriptedTeacher.allCases.map(\.rawValue).joined(separator: ", "))). \
            --evaluate FILE only evaluates an existing teacher. The figure printed is the mean return of \
            deterministic actions over --episodes episodes seeded 0, 1, ...; for Pong also the share of points won.
            """
    )

    @Argument(help: "The environment id.") var environment: String
    @Option(help: "Where to write the teacher (JSON).") var out: String?
    @Option(help: "Environment steps of training (default: the preset's).") var steps: Int?
    @Option(help: "Seed of the training.") var seed: UInt64 = 0
    @Option(help: "Write this scripted teacher instead of training.") var scripted: String?
    @Option(help: "Evaluate this teacher file instead of training.") var evaluate: String?
    @Option(help: "Episodes of the evaluation.") var episodes = 20
    @Flag(help: "Print no training progress.") var quiet = false

    func validate() throws {
        if let scripted, ScriptedTeacher(rawValue: scripted) == nil {
            throw ValidationError("--scripted must be one of \(ScriptedTeacher.allCases.map(\.rawValue).joined(separator: ", ")), not '\(scripted)'")
        }
        if let steps, steps <= 0 { throw ValidationError("--steps must be positive, not \(steps)") }
        guard episodes > 0 else { throw ValidationError("--episodes must be positive, not \(episodes)") }
    }

    struct Train: EnvironmentVisitor {
        var configuration: PPOConfiguration, quiet: Bool
        func visit<E: Environment>(_ environment: E) throws -> Teacher {
            var trainer = PPOTrainer(configuration: configuration) { _ in environment }
            let started = Date()
            var lastPrint = 0
            try trainer.train { steps, meanReturn in
                if !quiet && (steps - lastPrint >= configuration.totalSteps / 20 || steps >= configuration.totalSteps) {
                    lastPrint = steps
                    say(String(format: "  %8d steps  mean return of the last 20 training episodes %9.2f  (%.0f s)", steps, meanReturn, Date().timeIntervalSince(started)))
                }
            }
            return Teacher(environment: environment.id, model: trainer.model, training: configuration, steps: trainer.stepsDone)
        }
    }

    func run() throws {
        let teacher: Teacher
        if let evaluate {
            teacher = try Teacher.load(evaluate)
        } else if let scripted {
            teacher = Teacher(scripted: ScriptedTeacher(rawValue: scripted)!)
        } else {
            var configuration = PPOConfiguration.preset(for: environment)
            if let steps { configuration.totalSteps = steps }
            configuration.seed = seed
            say("training a PPO teacher for \(environment): \(configuration.totalSteps) steps, \(configuration.environments) envs x \(configuration.stepsPerEnvironment) steps per update, seed \(seed)")
            teacher = try EnvironmentRegistry.visit(environment, seed: seed, Train(configuration: configuration, quiet: quiet))
        }
        if let out, evaluate == nil {
            try teacher.save(out)
            say("wrote \(out)")
        }
        let result = try TeacherEvaluation.run(teacher, environment: environment, episodes: episodes)
        say("\(teacher.name) on \(environment): mean return \(String(format: "%.2f", result.meanReturn)) over \(episodes) episodes (seeds 0-\(episodes - 1)), min \(String(format: "%.2f", result.returns.min()!)), max \(String(format: "%.2f", result.returns.max()!))")
        if let share = result.pointShare {
            say("  points won \(result.pointsWon) of \(result.pointsWon + result.pointsLost) (\(String(format: "%.1f", 100 * share))%)")
        }
    }
}

/// Writes a line to standard output at once (unbuffered), so training progress shows as it comes in a log file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
