import ArgumentParser
import Foundation
import SymbolicRegression

/// `symstudy-bench sr ...`: the symbolic-regression engine's side of Benchmarks/symbolic-regression/compare_sr.sh,
/// over ../shared/data/sr, in the JSON shape of ../shared/bench/sr's harnesses.
struct SymbolicRegressionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sr",
        abstract: "Symbolic-regression benchmarks: whole-fit throughput, quality over seeds, evaluation alone on Operon's trees.",
        subcommands: [SRThroughput.self, SRQuality.self, SREvalOnly.self]
    )
}

/// Options shared by the fitting benchmarks: problems, budget and GP preset.
struct SRCommonOptions: ParsableArguments {
    @Option(help: "Problems: names, or public / heldout / all, optionally ':nguyen' or ':feynman'.") var problems = "all:nguyen,all:feynman"
    @Option(help: "Programs per generation.") var population = 1000
    @Option(help: "Generations.") var generations = 20
    @Option(help: "Preset: 'gplearn' (gplearn's defaults) or 'symstudy' (linear scaling, bloat limits, smaller tournaments).") var preset = "symstudy"
    @Option(help: "Levenberg-Marquardt iterations per generation for the best share (0: off).") var constantFitting = 0
    @Option(help: "Share of each generation whose constants are fitted (with --constant-fitting).") var constantFittingShare = 0.02
    @Option(help: "Rows used by the per-generation constant fit (with --constant-fitting).") var constantFittingRows = 500
    @Option(help: "Data folder (../shared/data/sr).") var data = SRManifest.defaultFolder
    @Option(help: "Rows per evaluation block.") var blockSize = 512
    @Option(help: "Overrides the preset's depth range of the initial programs, LOW,HIGH.") var initDepth: String?
    @Option(help: "Overrides the preset's init method: grow, full, half and half.") var initMethod: String?
    @Option(help: "Overrides the preset's tournament size.") var tournamentSize: Int?
    @Option(help: "Overrides the preset's elitism (programs copied unchanged into the next generation).") var elitism: Int?
    @Option(help: "Overrides the preset's maximum program length.") var maxLength: Int?
    @Option(help: "Overrides the preset's crossover probability.") var pCrossover: Double?
    @Option(help: "Overrides the preset's subtree, hoist and point mutation probabilities, as S,H,P.") var pMutations: String?
    @Flag(help: "Compute every program's subtrees itself (no shared subtrees), to measure what sharing saves.") var noSharing = false

    /// The GP parameters of a preset; the function set is the harness's (sr_common.GP_FUNCTIONS).
    func parameters(seed: UInt64, threads: Int) throws -> GPParameters {
        var p = GPParameters()
        p.populationSize = population
        p.generations = generations
        p.functionSet = try FunctionSet(["add", "sub", "mul", "div", "sin", "cos", "log", "sqrt"])
        p.randomState = seed
        p.threads = threads
        p.blockSize = blockSize
        p.subtreeSharing = !noSharing
        switch preset {
        case "gplearn": break
        case "symstudy":
            p.metric = .r2
            p.linearScaling = true
            p.tournamentSize = 5
            p.parsimonyCoefficient = .fixed(0.0)
            p.initDepth = 2...5
            p.maxLength = 50
            p.maxDepth = 10
            p.pCrossover = 0.8
            p.pSubtreeMutation = 0.06
            p.pHoistMutation = 0.04
            p.pPointMutation = 0.06
            p.pPointReplace = 0.1
            p.elitism = 5
            p.stoppingCriteria = 1.0
        default: throw ValidationError("--preset must be gplearn or symstudy, not '\(preset)'")
        }
        if constantFitting > 0, preset == "symstudy" {
            // With constant fitting the search only has to find the structure: Levenberg-Marquardt gives it its
            // coefficients. Small initial programs and gentler tournaments keep more structures alive (on the 160
            // Nguyen runs of seeds 0-19 exact recoveries went from 28 to 63; without constant fitting the same
            // change costs test R2 on Feynman, hence only here).
            p.initDepth = 1...2
            p.tournamentSize = 3
        }
        if let initDepth {
            let parts = initDepth.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 2, let low = parts[0], let high = parts[1], low <= high else {
                throw ValidationError("--init-depth must be LOW,HIGH, not '\(initDepth)'")
            }
            p.initDepth = low...high
        }
        if let initMethod { p.initMethod = try InitMethod(name: initMethod) }
        if let tournamentSize { p.tournamentSize = tournamentSize }
        if let elitism { p.elitism = elitism }
        if let maxLength { p.maxLength = maxLength }
        if let pCrossover { p.pCrossover = pCrossover }
        if let pMutations {
            let parts = pMutations.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
            guard parts.count == 3, let subtree = parts[0], let hoist = parts[1], let point = parts[2] else {
                throw ValidationError("--p-mutations must be S,H,P, not '\(pMutations)'")
            }
            (p.pSubtreeMutation, p.pHoistMutation, p.pPointMutation) = (subtree, hoist, point)
        }
        if constantFitting > 0 {
            p.constantFitting = ConstantFitting(iterations: constantFitting, share: constantFittingShare, maxRows: constantFittingRows)
        }
        return p
    }
}

struct SRThroughput: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "throughput",
        abstract: "Whole fits on the 10,000-row sets (bench_throughput.py's rows): node evaluations per wall and CPU second.")

    @OptionGroup var common: SRCommonOptions
    @Option(help: "Comma-separated thread counts.") var threads = "1,2"
    @Option(help: "Fits per problem and thread count, the thread counts taking turns (1, 2, 1, 2, ...): on a shared or virtual machine one fit of a tenth of a second is at the mercy of the moment, so compare_sr.py takes medians.")
    var repeats = 1
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Option(help: "Output JSON path.") var out = "results/symstudy_throughput.json"

    func run() throws {
        let manifest = try SRManifest(folder: common.data)
        var runs: [[String: Any]] = []
        let threadCounts = threads.split(separator: ",").compactMap { Int($0) }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        for name in try manifest.select(common.problems) {
            let problem = try manifest.problem(name)
            let train = try problem.throughputRows()
            for repeatIndex in 0..<repeats {
                // Measured right before the fits it describes (it changes when the host moves the vCPUs).
                let roundTrip = threadCounts.contains { $0 > 1 } ? coreRoundTripNanoseconds() : .nan
                for threadCount in threadCounts {
                    let parameters = try common.parameters(seed: seed, threads: threadCount)
                    let load0 = SRLoad.start()
                    let (report, regressor) = try OneShotFit.run(parameters: parameters, train: train)
                    let load = SRLoad.stop(load0)
                    let meanLength = regressor.runDetails.map(\.averageLength).reduce(0, +) / Double(max(1, regressor.runDetails.count))
                    var record: [String: Any] = [
                        "problem": name, "tool": "symstudy", "preset": common.preset, "threads": threadCount, "rows": report.rows,
                        "wall_s": report.wallSeconds, "cpu_s": report.cpuSeconds, "node_evals": report.nodeEvaluations,
                        "computed_node_evals": report.computedNodeEvaluations,
                        "node_evals_per_s": report.nodeEvaluationsPerSecond, "node_evals_per_cpu_s": report.nodeEvaluationsPerCPUSecond,
                        "mean_evaluated_length": meanLength, "generations": report.generations, "train_r2": report.train["r2"] ?? -1,
                        "final_length": report.size, "model": report.program, "seed": Int(seed), "repeat": repeatIndex,
                        "foreign_cpu_share": load.foreignShare, "loadavg_1m_after": load.loadAfter,
                    ]
                    if roundTrip.isFinite { record["core_round_trip_ns"] = roundTrip }
                    runs.append(record)
                    print(String(format: "%-18@ symstudy thr=%d rep=%d rows=%d wall=%7.3fs mean_len=%.1f Mnode/s=%9.1f Mnode/CPU-s=%9.1f computed=%.1f%% foreign_cpu=%.2f core_rt=%.0fns r2=%.4f",
                                 name, threadCount, repeatIndex, report.rows, report.wallSeconds, meanLength,
                                 report.nodeEvaluationsPerSecond / 1e6, report.nodeEvaluationsPerCPUSecond / 1e6,
                                 100 * report.computedNodeEvaluations / max(report.nodeEvaluations, 1), load.foreignShare,
                                 roundTrip, report.train["r2"] ?? -1))
                    try writeJSON(["env": environmentInfo(), "runs": runs], to: out)
                }
            }
        }
    }
}

struct SRQuality: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Fits on each problem's train file over seeds; test R2, size and a SymPy model for exact-recovery checks.")

    @OptionGroup var common: SRCommonOptions
    @Option(help: "Seeds as LOW-HIGH or a comma list.") var seeds = "0-9"
    @Option(help: "Worker threads per fit.") var threads = 1
    @Option(help: "Output JSON path.") var out = "results/symstudy_quality.json"

    func run() throws {
        let manifest = try SRManifest(folder: common.data)
        let seedList: [UInt64]
        if seeds.contains("-") {
            let parts = seeds.split(separator: "-").compactMap { UInt64($0) }
            guard parts.count == 2 else { throw ValidationError("--seeds must be LOW-HIGH or a list") }
            seedList = Array(parts[0]...parts[1])
        } else { seedList = seeds.split(separator: ",").compactMap { UInt64($0) } }
        var runs: [[String: Any]] = []
        for name in try manifest.select(common.problems) {
            let problem = try manifest.problem(name)
            let train = try CSVDataset.read(path: problem.train)
            let test = try CSVDataset.read(path: problem.test)
            for seed in seedList {
                let parameters = try common.parameters(seed: seed, threads: threads)
                let (report, _) = try OneShotFit.run(parameters: parameters, train: train, test: test)
                let r2 = report.test?["r2"] ?? -.infinity
                runs.append([
                    "problem": name, "family": problem.family, "split": problem.split, "tool": "symstudy",
                    "preset": common.preset, "constant_fitting": common.constantFitting, "seed": Int(seed),
                    "train_rows": report.rows, "wall_s": report.wallSeconds, "cpu_s": report.cpuSeconds,
                    "node_evals": report.nodeEvaluations, "r2_test": r2.isFinite ? r2 : -10.0, "r2_train": report.train["r2"] ?? -10.0,
                    "size_native": report.size, "model": report.program, "sympy": report.sympy, "program_json": report.programJSON,
                ])
                print(String(format: "%-18@ symstudy seed=%d wall=%6.2fs r2=%.6f size=%d", name, Int(seed), report.wallSeconds, r2, report.size))
                try writeJSON(["env": environmentInfo(), "runs": runs], to: out)
            }
        }
    }
}

struct SREvalOnly: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evalonly",
        abstract: "Evaluation alone (with the R2 fitness fused) on the trees operon_probe.py exported, checked against Operon's outputs.")

    @Option(help: "Problems whose trees/<problem>.trees exist.") var problems = "nguyen-5,nguyen-1,feynman-I.9.18"
    @Option(help: "Folder of the .trees and .check files.") var trees = "trees"
    @Option(help: "Comma-separated thread counts.") var threads = "1,2"
    @Option(help: "Repetition label.") var rep = 0
    @Option(help: "Data folder (../shared/data/sr).") var data = SRManifest.defaultFolder
    @Option(help: "Rows per evaluation block.") var blockSize = 512
    @Option(help: "Output JSON-lines path (appended).") var out = "results/symstudy_evalonly.jsonl"

    func run() throws {
        let manifest = try SRManifest(folder: data)
        for name in problems.split(separator: ",").map(String.init) {
            let dataset = try manifest.problem(name).throughputRows()
            let file = try OperonTreeFile(path: "\(trees)/\(name).trees")
            let check = try file.verify(against: "\(trees)/\(name).check", data: dataset)
            for threadCount in threads.split(separator: ",").compactMap({ Int($0) }) {
                let load0 = SRLoad.start()
                let timing = try TreeTiming.run(file.programs, data: dataset, threads: threadCount, blockSize: blockSize)
                let load = SRLoad.stop(load0)
                let nodeEvals = Double(file.operonLength) * Double(dataset.rowCount)
                let record: [String: Any] = [
                    "tool": "symstudy", "mode": "evaluate+R2(linear scaling)", "problem": name, "threads": threadCount, "rep": rep,
                    "trees": file.programs.count, "rows": dataset.rowCount, "node_evals": nodeEvals,
                    "wall_s": timing.wall, "cpu_s": timing.cpu, "ne_per_wall_s": nodeEvals / timing.wall, "ne_per_cpu_s": nodeEvals / timing.cpu,
                    "checksum": timing.checksum, "check_trees": check.trees, "check_agree": check.agree,
                    "foreign_cpu_share": load.foreignShare, "loadavg_1m_after": load.loadAfter,
                ]
                let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
                let line = String(decoding: data, as: UTF8.self)
                print(line)
                let url = URL(fileURLWithPath: out)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                if !FileManager.default.fileExists(atPath: out) { _ = FileManager.default.createFile(atPath: out, contents: nil) }
                let handle = try FileHandle(forWritingTo: url)
                handle.seekToEndOfFile()
                handle.write((line + "\n").data(using: .utf8)!)
                try handle.close()
            }
        }
    }
}
