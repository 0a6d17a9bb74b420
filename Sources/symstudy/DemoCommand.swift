import ArgumentParser
import Foundation
import StudyEngine

/// `symstudy demo`: a study on the Branin function, to see the engine work end to end.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a study on the Branin function and print the best trial and the parameter importances."
    )

    @Option(help: "Number of trials.") var trials = 100
    @Option(help: "Sampler: tpe or random.") var sampler = "tpe"
    @Option(help: "Seed of the sampler.") var seed: UInt64 = 0
    @Option(help: "Worker threads running trials at once.") var jobs = 1

    func validate() throws {
        guard trials > 0 else { throw ValidationError("--trials must be positive, not \(trials)") }
        guard ["tpe", "random"].contains(sampler) else {
            throw ValidationError("--sampler must be tpe or random, not '\(sampler)'")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
    }

    func run() throws {
        let chosen: any Sampler = sampler == "tpe" ? TPESampler(seed: seed) : RandomSampler(seed: seed)
        let study = try Study.create(name: "branin-demo", direction: .minimize, sampler: chosen)
        let started = Date()
        try study.optimize(nTrials: trials, jobs: jobs) { trial in
            let x0 = try trial.suggestFloat("x0", -5, 10)
            let x1 = try trial.suggestFloat("x1", 0, 15)
            let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
            let term = x1 - b * x0 * x0 + c * x0 - 6
            return term * term + 10 * (1 - t) * cos(x0) + 10
        }
        let best = try study.bestTrial
        let elapsed = Date().timeIntervalSince(started)
        print("study '\(study.name)': \(trials) trials with \(sampler) (seed \(seed)) in \(String(format: "%.3f", elapsed)) s")
        print("best trial #\(best.number): value \(best.value!) (optimum 0.397887...)")
        for name in best.params.keys.sorted() { print("  \(name) = \(best.params[name]!)") }
    }
}
