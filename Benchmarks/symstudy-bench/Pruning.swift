import ArgumentParser
import Foundation
import StudyEngine
import Synchronization

/// The synthetic learning curve of `functions.py` (`curve_value`), reproduced exactly, noise included.
enum LearningCurve {
    static let steps = 50
    static let parameters = [
        BenchmarkParameter(name: "x0", kind: .float(low: -5, high: 5, log: false)),
        BenchmarkParameter(name: "x1", kind: .float(low: -5, high: 5, log: false)),
        BenchmarkParameter(name: "lr", kind: .float(low: 1e-4, high: 1, log: true)),
    ]

    static func splitmix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A deterministic standard normal draw (Box-Muller on two splitmix64 uniforms), as `gauss_noise`.
    static func gaussNoise(seed: Int, trialNumber: Int, step: Int) -> Double {
        var state = UInt64(seed) &* 1_000_003 &* 1_000_003 &+ UInt64(trialNumber) &* 1_000_003 &+ UInt64(step)
        let a = splitmix64(&state), b = splitmix64(&state)
        let u1 = 1.0 - Double(a >> 11) * (1.0 / 9007199254740992.0)
        let u2 = Double(b >> 11) * (1.0 / 9007199254740992.0)
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    static func final(_ p: [String: ParameterValue]) -> Double {
        let v = log10(p["lr"]!.doubleValue!) + 2.0
        let x0 = p["x0"]!.doubleValue! - 1.0, x1 = p["x1"]!.doubleValue! + 2.0
        return 0.1 * x0 * x0 + 0.1 * x1 * x1 + 0.5 * v * v
    }

    static func value(_ p: [String: ParameterValue], step: Int, seed: Int, trialNumber: Int) -> Double {
        let tau = min(max(5.0 * (1e-2 / p["lr"]!.doubleValue!).squareRoot(), 1.0), 100.0)
        return final(p) + 3.0 * exp(-Double(step) / tau) + 0.05 * gaussNoise(seed: seed, trialNumber: trialNumber, step: step)
    }
}

/// Pruning on the synthetic learning curve (the counterpart of `bench_pruning.py`).
struct Pruning: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Steps saved and quality kept by each pruner on a synthetic learning curve.")

    @Option(help: "Comma-separated pruners: median, sha, hyperband, nop.") var pruners = "median,sha,hyperband,nop"
    @Option(help: "Seeds 0..<seeds.") var seeds = 10
    @Option(help: "Trials per study.") var nTrials = 100
    @Option(help: "Worker threads running studies at once.") var workers = 2
    @Option(help: "Output JSON path.") var out = "results/symstudy_pruning.json"

    static func makePruner(_ kind: String) throws -> any Pruner {
        switch kind {
        case "median": return try MedianPruner(nStartupTrials: 5, nWarmupSteps: 5)
        case "sha": return try SuccessiveHalvingPruner()
        case "hyperband": return try HyperbandPruner()
        case "nop": return NopPruner()
        default: throw BenchError("unknown pruner '\(kind)'; choose from median, sha, hyperband, nop")
        }
    }

    func run() throws {
        let kinds = pruners.split(separator: ",").map(String.init)
        for kind in kinds { _ = try Self.makePruner(kind) }
        let tasks = kinds.flatMap { kind in (0..<seeds).map { (kind, $0) } }
        let results = ResultCollector()
        let next = Atomic<Int>(0)
        let trials = nTrials
        let start = Clock.wall()
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < tasks.count else { return }
                let (kind, seed) = tasks[index]
                do {
                    let record = try Self.runOne(kind: kind, seed: seed, trials: trials)
                    results.append(record)
                } catch {
                    FileHandle.standardError.write("\(kind)/\(seed) failed: \(error)\n".data(using: .utf8)!)
                }
            }
        }
        let raw = results.all
        for kind in kinds {
            let rows = raw.filter { $0["pruner"] as? String == kind }
            func median(_ key: String) -> Double { Statistics.median(rows.compactMap { ($0[key] as? NSNumber)?.doubleValue ?? $0[key] as? Double }) }
            print(String(format: "%-10@ steps med=%.0f pruned med=%.0f best med=%.4f true-final med=%.4f", kind as NSString,
                         median("total_steps"), median("n_pruned"), median("best_value"), median("best_true_final")))
        }
        try writeJSON(["env": environmentInfo(), "total_wall_s": Clock.wall() - start, "raw": raw], to: out)
    }

    static func runOne(kind: String, seed: Int, trials: Int) throws -> [String: Any] {
        let study = try Study.create(name: "pruning-\(kind)-\(seed)", direction: .minimize,
                                     sampler: TPESampler(seed: UInt64(seed)), pruner: try makePruner(kind))
        let steps = Atomic<Int>(0)
        let wall0 = Clock.wall()
        try study.optimize(nTrials: trials, catching: .none) { trial in
            var params: [String: ParameterValue] = [:]
            for parameter in LearningCurve.parameters { params[parameter.name] = try parameter.suggest(on: trial) }
            var value = 0.0
            for step in 1...LearningCurve.steps {
                value = LearningCurve.value(params, step: step, seed: seed, trialNumber: trial.number)
                try trial.report(value, step: step)
                steps.wrappingAdd(1, ordering: .relaxed)
                if try trial.shouldPrune() { throw TrialPruned() }
            }
            return value
        }
        let all = try study.trials()
        let best = try study.bestTrial
        return ["pruner": kind, "seed": seed, "wall_s": Clock.wall() - wall0, "total_steps": steps.load(ordering: .relaxed),
                "n_complete": all.filter { $0.state == .complete }.count, "n_pruned": all.filter { $0.state == .pruned }.count,
                "best_value": best.value!, "best_true_final": LearningCurve.final(best.params), "best_trial_number": best.number]
    }
}
