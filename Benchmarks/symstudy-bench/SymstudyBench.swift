import ArgumentParser
import Foundation
import StudyEngine
import Synchronization

@main
struct SymstudyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symstudy-bench",
        abstract: "Benchmarks of symstudy's study engine, in the JSON shape of ../shared/bench/optuna's harnesses.",
        discussion: "Compare with Optuna in the same run: Benchmarks/study-engine/compare_optuna.sh runs both and prints the ratios.",
        subcommands: [Quality.self, Overhead.self, Pruning.self, StorageThroughput.self, StorageWorker.self, SymbolicRegressionBench.self]
    )
}

/// Final regret after fixed budgets on the benchmark functions (the counterpart of `bench_quality.py`).
struct Quality: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Final regret on the benchmark functions over seeds.")

    @Option(help: "Comma-separated functions, or 'all'.") var functions = "all"
    @Option(help: "Comma-separated samplers: tpe, tpe_indep, random.") var samplers = "tpe,random"
    @Option(help: "Seeds 0..<seeds.") var seeds = 20
    @Option(help: "Comma-separated trial budgets.") var budgets = "100,200"
    @Option(help: "Worker threads running studies at once.") var workers = 2
    @Option(help: "Output JSON path.") var out = "results/symstudy_quality.json"

    func run() throws {
        let functionList = functions == "all" ? BenchmarkFunction.all : try functions.split(separator: ",").map { name in
            guard let function = BenchmarkFunction.named(String(name)) else { throw BenchError("unknown function '\(name)'") }
            return function
        }
        let samplerList = try SamplerKind.parse(samplers)
        let budgetList = budgets.split(separator: ",").compactMap { Int($0) }.sorted()
        guard let maxBudget = budgetList.last else { throw BenchError("no budget in '\(budgets)'") }
        let checkpoints = Set([10, 25, 50] + budgetList)
        var tasks: [(BenchmarkFunction, SamplerKind, Int)] = []
        for function in functionList { for sampler in samplerList { for seed in 0..<seeds { tasks.append((function, sampler, seed)) } } }
        // Longest first (TPE on high-dimensional functions) for balance, as the Optuna harness does.
        tasks.sort { ($0.1 == .random ? 1 : 0, -$0.0.parameters.count) < ($1.1 == .random ? 1 : 0, -$1.0.parameters.count) }

        let loadBefore = Clock.loadAverage()
        let start = Clock.wall(), cpuStart = Clock.processCPU()
        let results = ResultCollector()
        let next = Atomic<Int>(0)
        let frozenTasks = tasks
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < frozenTasks.count else { return }
                let (function, sampler, seed) = frozenTasks[index]
                let record = Self.runOne(function: function, sampler: sampler, seed: seed, trials: maxBudget, checkpoints: checkpoints)
                let done = results.append(record)
                if done % 20 == 0 || done == frozenTasks.count {
                    FileHandle.standardError.write("\(done)/\(frozenTasks.count) tasks, \(Int(Clock.wall() - start))s\n".data(using: .utf8)!)
                }
            }
        }
        let raw = results.all
        try writeJSON([
            "env": environmentInfo(),
            "samplers": samplerList.map(\.rawValue),
            "functions": Dictionary(uniqueKeysWithValues: functionList.map { ($0.name, ["optimum": $0.optimum]) }),
            "budgets": budgetList, "seeds": Array(0..<seeds),
            "total_wall_s": Clock.wall() - start, "total_cpu_s": Clock.processCPU() - cpuStart,
            "loadavg_1_5_15_before": loadBefore, "loadavg_1_5_15_after": Clock.loadAverage(),
            "raw": raw,
        ], to: out)
    }

    static func runOne(function: BenchmarkFunction, sampler: SamplerKind, seed: Int, trials: Int, checkpoints: Set<Int>) -> [String: Any] {
        let wallStart = Clock.wall()
        var bestAt: [String: Double] = [:]
        var best = Double.infinity
        do {
            let study = try Study.create(direction: .minimize, sampler: sampler.make(seed: UInt64(seed)), pruner: NopPruner())
            for index in 1...trials {
                let trial = try study.ask()
                var params: [String: ParameterValue] = [:]
                for parameter in function.parameters { params[parameter.name] = try parameter.suggest(on: trial) }
                let value = function.evaluate(params)
                try study.tell(trial, value: value)
                best = min(best, value)
                if checkpoints.contains(index) { bestAt["\(index)"] = best }
            }
        } catch {
            FileHandle.standardError.write("\(function.name)/\(sampler.rawValue)/\(seed) failed: \(error)\n".data(using: .utf8)!)
        }
        return ["function": function.name, "sampler": sampler.rawValue, "seed": seed,
                "wall_s": Clock.wall() - wallStart, "best_at": bestAt]
    }
}

/// Sampler overhead per trial as the study grows (the counterpart of `bench_overhead.py`).
struct Overhead: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Per-trial sampling overhead at 100, 500, 1000 and 2000 finished trials.")

    @Option(help: "Comma-separated samplers: tpe, tpe_indep, random.") var samplers = "tpe,random"
    @Option(help: "Trials per study.") var nTrials = 2000
    @Option(help: "Sampler seed.") var seed = 0
    @Option(help: "Output JSON path.") var out = "results/symstudy_overhead.json"

    static let marks = [100, 500, 1000, 2000]
    static let window = 20

    func run() throws {
        var runs: [[String: Any]] = []
        for sampler in try SamplerKind.parse(samplers) {
            let study = try Study.create(direction: .minimize, sampler: sampler.make(seed: UInt64(seed)), pruner: NopPruner())
            var wallTimes: [Double] = [], cpuTimes: [Double] = []
            var digest: UInt64 = 0xcbf29ce484222325  // FNV-1a over the objective values' bits: same digest, same trials
            let loadBefore = Clock.loadAverage()
            let start = Clock.wall()
            for _ in 0..<nTrials {
                let wall0 = Clock.wall(), cpu0 = Clock.processCPU()
                let trial = try study.ask()
                var params: [String: ParameterValue] = [:]
                for parameter in BenchmarkFunction.overheadSpace { params[parameter.name] = try parameter.suggest(on: trial) }
                let value = BenchmarkFunction.overheadObjective(params)
                try study.tell(trial, value: value)
                digest = (digest ^ value.bitPattern) &* 0x100000001b3
                cpuTimes.append(Clock.processCPU() - cpu0)
                wallTimes.append(Clock.wall() - wall0)
            }
            var marks: [String: Any] = [:]
            var line = "memory  \(sampler.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) done=\(wallTimes.count)"
            for mark in Self.marks {
                guard wallTimes.count >= mark else { marks["\(mark)"] = NSNull(); continue }
                let wall = Array(wallTimes[(mark - Self.window)..<mark]), cpu = Array(cpuTimes[(mark - Self.window)..<mark])
                marks["\(mark)"] = ["median_ms": 1e3 * Statistics.median(wall), "mean_ms": 1e3 * Statistics.mean(wall),
                                    "cpu_median_ms": 1e3 * Statistics.median(cpu), "cpu_mean_ms": 1e3 * Statistics.mean(cpu)]
                line += String(format: " @%d=%.3f/%.3fms", mark, 1e3 * Statistics.median(wall), 1e3 * Statistics.median(cpu))
            }
            print(line + " digest=" + String(digest, radix: 16))
            runs.append(["sampler": sampler.rawValue, "storage": "memory", "n_trials_done": wallTimes.count,
                         "values_digest": String(digest, radix: 16),
                         "total_s": Clock.wall() - start, "marks": marks,
                         "loadavg_1_5_15_before": loadBefore, "loadavg_1_5_15_after": Clock.loadAverage()])
        }
        try writeJSON(["env": environmentInfo(), "window": Self.window, "runs": runs], to: out)
    }
}
