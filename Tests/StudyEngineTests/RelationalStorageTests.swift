import Foundation
import Testing
import TestSupport
@testable import StudyEngine

/// What the SQLite and PostgreSQL storages share beyond the conformance suite: several connections and
/// processes on one database, and the refusal of databases they must not touch.
@Suite("Relational storages")
struct RelationalStorageTests {
    /// The worker executable built beside the test binary.
    static func workerPath() throws -> String {
        let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let path = folder.appendingPathComponent("symstudy-storage-worker").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestEnvironment.Missing(description: "\(path) is missing: build with `swift build --build-tests`")
        }
        return path
    }

    /// Two storage objects on one database (as two processes would hold it) write at once; each sees the
    /// other's trials, including changes to trials it had already read.
    @Test(arguments: InteropTarget.Kind.allCases)
    func connectionsSeeEachOther(_ kind: InteropTarget.Kind) throws {
        let target = try InteropTarget.make(kind)
        let a = target.storage, b = try target.reopen()
        let study = try a.createStudy(name: "shared", directions: [.minimize])
        #expect(try b.trials(studyID: study).isEmpty)
        let first = try a.createTrial(studyID: study, template: nil)
        #expect(try b.trials(studyID: study).map(\.state) == [.running])  // b has now cached a running trial
        try a.setTrialUserAttribute(trialID: first.id, key: "k", value: 1)
        #expect(try b.trials(studyID: study).first?.userAttributes == ["k": 1])
        try a.setTrialState(trialID: first.id, state: .complete, values: [2])
        #expect(try b.trials(studyID: study, states: [.complete]).map(\.values) == [[2]])
        #expect(try b.trial(id: first.id).state == .complete)

        let errors = ConcurrentErrors()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let storage = worker % 2 == 0 ? a : b
            errors.record {
                for index in 0..<50 {
                    let trial = try storage.createTrial(studyID: study, template: nil)
                    try storage.setTrialIntermediateValue(trialID: trial.id, step: 0, value: Double(index))
                    try storage.setTrialState(trialID: trial.id, state: .complete, values: [Double(worker)])
                    _ = try storage.trials(studyID: study)
                }
            }
        }
        #expect(errors.all.isEmpty, "\(errors.all)")
        for storage in [a, b] {
            let trials = try storage.trials(studyID: study)
            #expect(trials.map(\.number) == Array(0...200))
            #expect(trials.allSatisfy { $0.state == .complete && $0.values != nil })
            #expect(Set(trials.map(\.id)).count == 201)
        }
        // A study deleted through one connection is gone for the other.
        try a.deleteStudy(id: study)
        #expect(throws: StorageError.self) { try b.trials(studyID: study) }
    }

    /// Three processes with two threads each, and two threads of this process, run one study at once.
    @Test(arguments: InteropTarget.Kind.allCases)
    func processesShareOneStudy(_ kind: InteropTarget.Kind) throws {
        let target = try InteropTarget.make(kind)
        let study = try Study.create(name: "crowd", storage: target.storage, direction: .minimize)
        let worker = try Self.workerPath()
        let location = (target.storage as? SQLiteStorage)?.path ?? target.optunaURL
        var processes: [Process] = []
        for _ in 0..<3 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: worker)
            process.arguments = [kind == .sqlite ? "sqlite" : "postgres", location, "crowd", "40", "2"]
            process.standardError = Pipe()
            try process.run()
            processes.append(process)
        }
        let local = try Study.load(name: "crowd", storage: try target.reopen(), sampler: RandomSampler(seed: 9))
        try local.optimize(nTrials: 30, jobs: 2, catching: .none) { trial in
            let x = try trial.suggestFloat("x", -1, 1)
            try trial.report(x, step: 0)
            try trial.setUserAttribute("pid", .int(Int(ProcessInfo.processInfo.processIdentifier)))
            return x * x
        }
        for process in processes {
            process.waitUntilExit()
            let stderr = String(decoding: (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "worker failed: \(stderr)")
        }
        let trials = try study.trials()
        #expect(trials.map(\.number) == Array(0..<150))
        #expect(trials.allSatisfy { $0.state == .complete && $0.intermediateValues.count == 1 && $0.userAttributes["pid"] != nil })
        let perProcess = Dictionary(grouping: trials, by: { $0.userAttributes["pid"]!.intValue! }).mapValues(\.count)
        #expect(perProcess.values.sorted() == [30, 40, 40, 40])
        // Every write of every process is there: the value is the objective of the stored params.
        for trial in trials where trial.params.count == 3 {
            let x = trial.params["x"]!.doubleValue!, k = Double(trial.params["k"]!.intValue!)
            #expect(trial.value == x * x + k + (trial.params["c"] == "p" ? 0 : 1))
            #expect(trial.intermediateValues[0] == x)
        }
    }
}

/// Errors thrown on many threads, collected.
final class ConcurrentErrors: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []

    func record(_ body: () throws -> Void) {
        do { try body() } catch {
            lock.lock()
            errors.append("\(error)")
            lock.unlock()
        }
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return errors
    }
}
