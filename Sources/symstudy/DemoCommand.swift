import ArgumentParser
import Foundation
import StudyEngine

/// `symstudy demo`: a study over a mixed search space (floats, a log float, ints, a categorical) whose
/// optimum is known, to see the engine work end to end.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a study on a mixed search space and print the best trial and the parameter importances.",
        discussion: """
            The objective is the 'mixed' benchmark function of ../shared/bench/optuna/functions.py: \
            minimum 0 at x=1, y=3, lr=1e-3, n=7, k=3, act=relu.
            """
    )

    @Option(help: "Number of trials.") var trials = 200
    @Option(help: "Sampler: tpe, random or nsga2.") var sampler = "tpe"
    @Option(help: "Seed of the sampler.") var seed: UInt64 = 0
    @Option(help: "Worker threads running trials at once.") var jobs = 1

    func validate() throws {
        guard trials > 0 else { throw ValidationError("--trials must be positive, not \(trials)") }
        guard ["tpe", "random", "nsga2"].contains(sampler) else {
            throw ValidationError("--sampler must be tpe, random or nsga2, not '\(sampler)'")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
    }

    func run() throws {
        let chosen: any Sampler
        switch sampler {
        case "random": chosen = RandomSampler(seed: seed)
        case "nsga2": chosen = try NSGAIISampler(seed: seed)
        default: chosen = TPESampler(seed: seed)
        }
        let study = try Study.create(name: "mixed-demo", direction: .minimize, sampler: chosen)
        let started = Date()
        try study.optimize(nTrials: trials, jobs: jobs) { trial in
            let x = try trial.suggestFloat("x", -5, 5)
            let y = try trial.suggestFloat("y", 0, 10)
            let lr = try trial.suggestFloat("lr", 1e-5, 1e-1, log: true)
            let n = try trial.suggestInt("n", 1, 20)
            let k = try trial.suggestInt("k", -10, 10)
            let act = try trial.suggestCategorical("act", ["relu", "tanh", "sigmoid", "linear"])
            let u = log10(lr) + 3, dx = x - 1
            let offset = ["relu": 0.0, "tanh": 0.5, "sigmoid": 1.0, "linear": 2.0][act]!
            let continuous: Double = dx * dx + 0.2 * dx * u + u * u + 0.5 * (y - 3) * (y - 3)
            let discrete: Double = 0.1 * Double((n - 7) * (n - 7)) + 0.5 * Double(abs(k - 3))
            return continuous + discrete + offset
        }
        let elapsed = Date().timeIntervalSince(started)
        let best = try study.bestTrial
        print("study '\(study.name)': \(trials) trials, sampler \(sampler) (seed \(seed)), \(jobs) job(s), \(String(format: "%.3f", elapsed)) s")
        print("best trial #\(best.number): value \(String(format: "%.6g", best.value!)) (optimum 0)")
        for name in best.params.keys.sorted() { print("  \(name) = \(best.params[name]!)") }
        print("parameter importances (PED-ANOVA):")
        for (name, importance) in try ParameterImportance.compute(study: study) {
            print("  \(name.padding(toLength: 4, withPad: " ", startingAt: 0)) \(String(format: "%.3f", importance))")
        }
    }
}
