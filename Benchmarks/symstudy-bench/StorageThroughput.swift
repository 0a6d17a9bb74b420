import ArgumentParser
import Foundation
import StudyEngine
import StudyService

/// One worker process of `storage-throughput` (and of the crash and load tests): opens a shared storage,
/// waits at a file barrier, runs `--trials` trials of the 11-parameter objective, and writes what it saw.
struct StorageWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage-worker", abstract: "Run trials of the overhead objective on a shared storage (one worker process).")

    @Option(help: "Storage URL.") var storage: String
    @Option(help: "Study name (created if missing).") var study = "throughput"
    @Option(help: "random or tpe.") var sampler = "random"
    @Option(help: "Sampler seed.") var seed: UInt64 = 0
    @Option(help: "Trials to run.") var trials: Int
    @Option(help: "Worker threads in this process.") var jobs = 1
    @Option(help: "Seconds each objective sleeps (to hold trials RUNNING, for the crash test).") var sleep = 0.0
    @Option(help: "Heartbeat interval in seconds (off when absent).") var heartbeatInterval: Double?
    @Option(help: "Grace period in seconds.") var gracePeriod: Double?
    @Flag(help: "Re-queue trials of dead workers (RetryFailedTrialCallback).") var retry = false
    @Option(help: "Write 'ready' here, then wait for the file <barrier>.go before starting.") var barrier: String?
    @Option(help: "Write this worker's JSON report here.") var out: String?
    @Option(help: "Worker index for the report.") var index = 0
    @Flag(help: "Print 'complete N' for each trial this worker completes (for the crash test).") var logTrials = false
    @Flag(help: "Ctrl-C stops after the running trial; a second Ctrl-C or SIGTERM fails it and quits.") var handleInterrupts = false

    func run() throws {
        let url = try StorageURL(parsing: storage)
        let opened = try ServiceStorageOpener.open(url, sampler: SamplerKind.specification(sampler, seed: seed))
            ?? url.open(heartbeatInterval: heartbeatInterval, gracePeriod: gracePeriod)
        let study = try Study.create(name: self.study, storage: opened, direction: .minimize,
                                     sampler: try SamplerKind.parse(sampler)[0].make(seed: seed), pruner: NopPruner(),
                                     loadIfExists: true, staleTrialCallback: retry ? RetryFailedTrialCallback().callback : nil)
        if let barrier {
            try Data("ready".utf8).write(to: URL(fileURLWithPath: barrier + ".ready.\(index)"))
            while !FileManager.default.fileExists(atPath: barrier + ".go") { usleep(1000) }
        }
        let start = Date().timeIntervalSince1970, cpuStart = Clock.processCPU()
        var errors: [String] = []
        let pause = sleep
        let interrupts = handleInterrupts ? InterruptHandler(study: study) : nil
        defer { interrupts?.cancel() }
        var callbacks: [StudyCallback] = []
        if logTrials {
            callbacks.append { _, trial in
                guard trial.state == .complete else { return }
                FileHandle.standardOutput.write(Data("complete \(trial.number)\n".utf8))
            }
        }
        do {
            try study.optimize(nTrials: trials, jobs: jobs, catching: .none, callbacks: callbacks) { trial in
                var params: [String: ParameterValue] = [:]
                for parameter in BenchmarkFunction.overheadSpace { params[parameter.name] = try parameter.suggest(on: trial) }
                if pause > 0 { Thread.sleep(forTimeInterval: pause) }
                return BenchmarkFunction.overheadObjective(params)
            }
        } catch {
            errors.append("\(type(of: error)): \((error as? any LocalizedError)?.errorDescription ?? "\(error)")")
        }
        let end = Date().timeIntervalSince1970
        let report: [String: Any] = ["worker": index, "quota": trials, "t_start": start, "t_end": end,
                                     "cpu_s": Clock.processCPU() - cpuStart, "errors": errors,
                                     "rate_per_s": Double(trials) / max(end - start, 1e-9)]
        if let out { try writeJSON(report, to: out) }
        if !errors.isEmpty { throw BenchError("worker \(index): \(errors.joined(separator: "; "))") }
    }
}

/// Trials per second with 1, 2 and 4 worker processes on one storage (the counterpart of
/// `bench_sqlite_parallel.py`), with an audit of the trials left in storage.
struct StorageThroughput: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage-throughput", abstract: "Trials per second of several worker processes sharing one storage.")

    @Option(help: "Comma-separated samplers: random, tpe.") var samplers = "random,tpe"
    @Option(help: "Comma-separated process counts.") var processes = "1,2,4"
    @Option(help: "Trials per run, split evenly over the processes.") var nTrialsTotal = 1000
    @Option(help: "sqlite, journal or postgres.") var storageKind = "sqlite"
    @Option(help: "PostgreSQL server URL (storage-kind postgres): each run gets a fresh database on it.") var postgresURL: String?
    @Option(help: "Where storage files go (default: a fresh temporary folder).") var workdir: String?
    @Option(help: "Output JSON path.") var out = "results/symstudy_storage_throughput.json"

    func run() throws {
        let folder = workdir ?? NSTemporaryDirectory() + "symstudy-tp-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var runs: [[String: Any]] = []
        for sampler in samplers.split(separator: ",").map(String.init) {
            for count in processes.split(separator: ",").compactMap({ Int($0) }) {
                let url = try freshStorage(folder: folder, sampler: sampler, processes: count)
                let run = try Self.runWorkers(storage: url, sampler: sampler, processes: count,
                                              trialsEach: nTrialsTotal / count, folder: folder)
                print(String(format: "%@ %-7@ P=%d %9.2f trials/s %9.2f per CPU-s wall=%.2fs errors=%d db=%@", storageKind, sampler, count,
                             run["complete_per_s"] as! Double, run["complete_per_cpu_s"] as! Double, run["wall_s"] as! Double,
                             run["n_errors"] as! Int, "\(run["db"]!)"))
                runs.append(run.merging(["sampler": sampler, "storage": storageKind]) { $1 })
                try writeJSON(["env": environmentInfo(), "runs": runs], to: out)
            }
        }
    }

    private func freshStorage(folder: String, sampler: String, processes: Int) throws -> String {
        let name = "tp_\(sampler)_\(processes)"
        switch storageKind {
        case "sqlite":
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: "\(folder)/\(name).db\(suffix)") }
            return "sqlite:///\(folder)/\(name).db"
        case "journal":
            for suffix in ["", ".lock"] { try? FileManager.default.removeItem(atPath: "\(folder)/\(name).log\(suffix)") }
            return "journal://\(folder)/\(name).log"
        case "postgres":
            guard let postgresURL else { throw BenchError("--postgres-url is needed for storage-kind postgres") }
            let storage = try StorageURL(parsing: postgresURL).open()
            for summary in try storage.allStudies() { try storage.deleteStudy(id: summary.id) }
            return postgresURL
        default:
            throw BenchError("unknown storage kind '\(storageKind)' (sqlite, journal, postgres)")
        }
    }

    /// Starts `processes` storage-worker processes at one barrier, waits for them, audits the storage.
    static func runWorkers(storage: String, sampler: String, processes: Int, trialsEach: Int, folder: String,
                           extraArguments: [String] = []) throws -> [String: Any] {
        let study = try Study.create(name: "throughput", storage: try StorageURL(parsing: storage).open(), direction: .minimize,
                                     loadIfExists: true)
        let barrier = "\(folder)/barrier-\(UUID().uuidString)"
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var children: [Process] = []
        for index in 0..<processes {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["storage-worker", "--storage", storage, "--study", study.name, "--sampler", sampler,
                                 "--seed", "\(1000 + index)", "--trials", "\(trialsEach)", "--barrier", barrier,
                                 "--out", "\(barrier).report.\(index).json", "--index", "\(index)"] + extraArguments
            try process.run()
            children.append(process)
        }
        while (0..<processes).contains(where: { !FileManager.default.fileExists(atPath: "\(barrier).ready.\($0)") }) {
            if children.contains(where: { !$0.isRunning && $0.terminationStatus != 0 }) { throw BenchError("a worker failed to start") }
            usleep(2000)
        }
        let loadBefore = Clock.loadAverage()
        try Data().write(to: URL(fileURLWithPath: barrier + ".go"))
        for child in children { child.waitUntilExit() }
        var workers: [[String: Any]] = []
        for index in 0..<processes {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(barrier).report.\(index).json"))
            workers.append(try JSONSerialization.jsonObject(with: data) as! [String: Any])
        }
        let start = workers.map { $0["t_start"] as! Double }.min()!, end = workers.map { $0["t_end"] as! Double }.max()!
        let cpu = workers.map { $0["cpu_s"] as! Double }.reduce(0, +)
        let audit = try Self.audit(study: study)
        let complete = (audit["by_state"] as! [String: Int])["COMPLETE"] ?? 0
        return ["processes": processes, "requested": trialsEach * processes, "wall_s": end - start, "cpu_s": cpu,
                "complete_per_s": Double(complete) / (end - start), "complete_per_cpu_s": Double(complete) / cpu,
                "n_errors": workers.map { ($0["errors"] as! [Any]).count }.reduce(0, +),
                "complete_minus_requested": complete - trialsEach * processes, "db": audit,
                "loadavg_1_5_15_before": loadBefore, "workers": workers]
    }

    /// Trials by state, duplicated numbers and gaps in 0..<count.
    static func audit(study: Study) throws -> [String: Any] {
        let trials = try study.trials()
        var byState: [String: Int] = [:]
        for trial in trials { byState[trial.state.optunaName, default: 0] += 1 }
        let numbers = trials.map(\.number)
        let duplicated = numbers.count - Set(numbers).count
        let missing = Set(0..<numbers.count).subtracting(numbers).count
        return ["trials_rows": trials.count, "by_state": byState, "duplicated_numbers": duplicated,
                "missing_numbers_in_0_to_n-1": missing]
    }
}
