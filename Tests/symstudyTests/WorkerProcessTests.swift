import Foundation
import StudyEngine
import Testing
import TestSupport

/// Several worker processes on one storage: the crash test, the load tests and Ctrl-C (issue 10's proof).
/// Workers are `symstudy-bench storage-worker` processes running the 11-parameter objective.
@Suite("Worker processes on one storage", .serialized) struct WorkerProcessTests {
    static let bench = TestProcess.product("symstudy-bench")

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("symstudy-workers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func workerArguments(storage: String, trials: Int, index: Int, barrier: String, extra: [String] = []) -> [String] {
        ["storage-worker", "--storage", storage, "--study", "load", "--sampler", "random", "--seed", "\(100 + index)",
         "--trials", "\(trials)", "--index", "\(index)", "--barrier", barrier] + extra
    }

    /// The Python Optuna worker of the mixed journal load test: same objective, same barrier protocol.
    static let pythonJournalWorker = #"""
import os, sys, time, optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
optuna.logging.set_verbosity(optuna.logging.WARNING)
path, trials, index, barrier = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
storage = JournalStorage(JournalFileBackend(path))
study = optuna.load_study(study_name="load", storage=storage, sampler=optuna.samplers.RandomSampler(seed=200 + index))
open(f"{barrier}.ready.{index}", "w").close()
while not os.path.exists(barrier + ".go"):
    time.sleep(0.001)
def objective(trial):
    s = sum(trial.suggest_float(f"f{j}", -5, 5) ** 2 for j in range(6))
    s += trial.suggest_float("f6", 1e-4, 1, log=True) + trial.suggest_float("f7", 1e-4, 1, log=True)
    s += 0.01 * trial.suggest_int("i0", 0, 100) + 0.001 * trial.suggest_int("i1", 1, 1024, log=True)
    return s + "abcd".index(trial.suggest_categorical("c0", ["a", "b", "c", "d"]))
study.optimize(objective, n_trials=trials)
"""#

    /// Starts Swift workers (and Python ones for a journal), releases them together, waits, audits.
    static func loadTest(storage: String, swiftWorkers: Int, pythonWorkers: Int = 0, trialsEach: Int,
                         journalPath: String? = nil) throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let opened = try StorageURL(parsing: storage).open()
        let study = try Study.create(name: "load", storage: opened, direction: .minimize, loadIfExists: false)
        let barrier = directory.appendingPathComponent("barrier").path
        var children: [(Process, Pipe)] = []
        for index in 0..<swiftWorkers {
            let errors = Pipe()
            children.append((try TestProcess.start(bench, workerArguments(storage: storage, trials: trialsEach, index: index, barrier: barrier),
                                                   stderr: errors), errors))
        }
        for offset in 0..<pythonWorkers {
            let errors = Pipe()
            let python = URL(fileURLWithPath: try TestEnvironment.python())
            children.append((try TestProcess.start(python, ["-c", pythonJournalWorker, journalPath!, "\(trialsEach)", "\(swiftWorkers + offset)", barrier],
                                                   stderr: errors), errors))
        }
        let total = swiftWorkers + pythonWorkers
        let deadline = Date().addingTimeInterval(120)
        while (0..<total).contains(where: { !FileManager.default.fileExists(atPath: "\(barrier).ready.\($0)") }) {
            if let dead = children.first(where: { !$0.0.isRunning }) {
                Issue.record("a worker ended before the start: \(String(decoding: dead.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
                return
            }
            guard Date() < deadline else { Issue.record("workers did not get ready"); return }
            usleep(5000)
        }
        try Data().write(to: URL(fileURLWithPath: barrier + ".go"))
        for (child, errors) in children {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            child.waitUntilExit()
            #expect(child.terminationStatus == 0, "worker failed: \(text)")
        }
        let trials = try study.trials()
        #expect(trials.count == total * trialsEach)
        #expect(trials.map(\.number) == Array(0..<(total * trialsEach)))
        #expect(trials.allSatisfy { $0.state == .complete && $0.params.count == 11 && $0.value != nil })
    }

    @Test("load: 4 processes x 500 trials on one SQLite file")
    func loadSQLite() throws {
        let directory = try Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.loadTest(storage: "sqlite:///\(directory.path)/load.db", swiftWorkers: 4, trialsEach: 500)
    }

    @Test("load: 4 processes x 500 trials on PostgreSQL")
    func loadPostgres() throws {
        let url = try TestEnvironment.postgresURL()
        let storage = try StorageURL(parsing: url).open()
        if let existing = try? storage.studyID(named: "load") { try storage.deleteStudy(id: existing) }
        try Self.loadTest(storage: url, swiftWorkers: 4, trialsEach: 500)
        try storage.deleteStudy(id: try storage.studyID(named: "load"))
    }

    @Test("load: one journal file, 2 symstudy and 2 Python Optuna processes x 500 trials")
    func loadJournal() throws {
        let directory = try Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("load.log").path
        try Self.loadTest(storage: "journal://\(path)", swiftWorkers: 2, pythonWorkers: 2, trialsEach: 500, journalPath: path)
    }

    @Test("crash: a worker killed with SIGKILL mid-trial; its trial is failed by another worker and re-run")
    func crash() throws {
        let directory = try Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = "sqlite:///\(directory.path)/crash.db"
        let study = try Study.create(name: "load", storage: try StorageURL(parsing: storage).open(), direction: .minimize)
        let barrier = directory.appendingPathComponent("barrier").path
        let faults = ["--sleep", "0.05", "--heartbeat-interval", "0.2", "--grace-period", "1", "--retry"]
        let victimOutput = Pipe()
        let victim = try TestProcess.start(Self.bench, Self.workerArguments(storage: storage, trials: 60, index: 0, barrier: barrier,
                                                                            extra: faults + ["--log-trials"]), stdout: victimOutput)
        let survivors = try (1...3).map { index in
            try TestProcess.start(Self.bench, Self.workerArguments(storage: storage, trials: 60, index: index, barrier: barrier, extra: faults))
        }
        while (0..<4).contains(where: { !FileManager.default.fileExists(atPath: "\(barrier).ready.\($0)") }) { usleep(5000) }
        try Data().write(to: URL(fileURLWithPath: barrier + ".go"))

        // Kill the victim once it has completed a few trials: it is then inside its next one.
        var completedByVictim: [Int] = []
        var buffer = ""
        while completedByVictim.count < 3 {
            let chunk = victimOutput.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            buffer += String(decoding: chunk, as: UTF8.self)
            completedByVictim = buffer.split(separator: "\n").compactMap { Int($0.split(separator: " ").last ?? "") }
        }
        kill(victim.processIdentifier, SIGKILL)
        let killedAt = Date()
        victim.waitUntilExit()
        buffer += String(decoding: victimOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        completedByVictim = buffer.split(separator: "\n").compactMap { Int($0.split(separator: " ").last ?? "") }
        for survivor in survivors {
            survivor.waitUntilExit()
            #expect(survivor.terminationStatus == 0)
        }
        // Whatever the survivors did not sweep up, the next worker does: one more trial after the grace period.
        let wait = 1.2 - Date().timeIntervalSince(killedAt)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        let finisher = try TestProcess.run(Self.bench, Self.workerArguments(storage: storage, trials: 1, index: 4, barrier: barrier + "-finisher", extra: faults))
        #expect(finisher.status == 0, "\(finisher.stderr)")

        let trials = try study.trials()
        #expect(trials.map(\.number) == Array(0..<trials.count))
        let failed = trials.filter { $0.state == .fail }
        try #require(failed.count == 1, "states: \(trials.map(\.state))")
        #expect(!completedByVictim.contains(failed[0].number))
        #expect(trials.filter { $0.state == .complete }.count == 3 * 60 + completedByVictim.count + 1)
        #expect(trials.allSatisfy { $0.state == .complete || $0.state == .fail })
        let retries = trials.filter { RetryFailedTrialCallback.retriedTrialNumber($0) == failed[0].number }
        #expect(retries.count == 1 && retries[0].state == .complete && retries[0].params == failed[0].params)
    }

    @Test("Ctrl-C: once finishes the running trial and quits cleanly; twice or SIGTERM fails it")
    func interrupts() throws {
        let directory = try Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (signals, status) in [([SIGINT], Int32(0)), ([SIGINT, SIGINT], 130), ([SIGTERM], 143)] {
            let storage = "sqlite:///\(directory.path)/interrupt-\(status).db"
            let study = try Study.create(name: "load", storage: try StorageURL(parsing: storage).open(), direction: .minimize)
            let output = Pipe()
            let worker = try TestProcess.start(Self.bench, ["storage-worker", "--storage", storage, "--study", "load", "--trials", "100",
                                                            "--sleep", "0.4", "--handle-interrupts", "--log-trials"], stdout: output)
            _ = output.fileHandleForReading.availableData  // the first trial completed: the worker is in the second
            for signal in signals {
                kill(worker.processIdentifier, signal)
                usleep(50_000)
            }
            worker.waitUntilExit()
            #expect(worker.terminationStatus == status, "signals \(signals)")
            let trials = try study.trials()
            #expect(!trials.contains { $0.state == .running }, "no trial is left RUNNING after \(signals)")
            #expect(trials.count == 2)
            if status == 0 {
                #expect(trials.allSatisfy { $0.state == .complete })
            } else {
                let last = try #require(trials.last)
                #expect(last.state == .fail)
                #expect(last.systemAttributes["fail_reason"]?.stringValue?.contains(status == 130 ? "SIGINT" : "SIGTERM") == true)
            }
        }
    }
}
