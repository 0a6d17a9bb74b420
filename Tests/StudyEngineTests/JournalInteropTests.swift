import Foundation
import Synchronization
import Testing
import TestSupport
@testable import StudyEngine

/// Python Optuna 5.0.0 and symstudy on one journal file: each reads what the other wrote, and both append to
/// it at the same time.
@Suite("Journal storage with Python Optuna")
struct JournalInteropTests {
    /// Python helpers: `storage(path, lock)` opens the journal as Optuna does, `dump(storage)` prints every
    /// study and trial as JSON with sorted keys (the form `optunaView` makes on our side).
    static let pythonHelpers = #"""
    import json, os, sys, time
    from datetime import timezone
    import optuna
    from optuna.distributions import distribution_to_json
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend, JournalFileOpenLock, JournalFileSymlinkLock
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    def storage(path, lock="symlink"):
        lock_obj = JournalFileOpenLock(path) if lock == "open" else JournalFileSymlinkLock(path)
        return JournalStorage(JournalFileBackend(path, lock_obj=lock_obj))

    def when(dt):
        return None if dt is None else dt.astimezone(timezone.utc).isoformat(timespec="microseconds")

    def dump(s):
        out = []
        for st in s.get_all_studies():
            trials = [{
                "id": t._trial_id, "number": t.number, "state": t.state.name, "values": t.values,
                "params": t.params,
                "distributions": {k: distribution_to_json(v) for k, v in t.distributions.items()},
                "intermediate_values": {str(k): v for k, v in t.intermediate_values.items()},
                "user_attrs": t.user_attrs, "system_attrs": t.system_attrs,
                "datetime_start": when(t.datetime_start), "datetime_complete": when(t.datetime_complete),
            } for t in s.get_all_trials(st._study_id, deepcopy=False)]
            out.append({"id": st._study_id, "name": st.study_name, "directions": [d.name for d in st.directions],
                        "user_attrs": st.user_attrs, "system_attrs": st.system_attrs, "trials": trials})
        return json.dumps(out, sort_keys=True)

    """#

    static func python(_ body: String, _ arguments: [String]) throws -> String {
        try TestEnvironment.runPython(pythonHelpers + body, arguments)
    }

    /// What `dump` prints in Python, made from our side of the journal.
    static func optunaView(_ storage: any StudyStorage) throws -> String {
        func time(_ date: Date?) -> JSONValue { date.map { .string(JournalTimestamp.format($0)) } ?? .null }
        let studies = try storage.allStudies().map { summary -> JSONValue in
            let trials = try storage.trials(studyID: summary.id).map { trial -> JSONValue in
                var steps: [String: JSONValue] = [:]
                for (step, value) in trial.intermediateValues { steps[String(step)] = .double(value) }
                return .object([
                    "id": .int(trial.id), "number": .int(trial.number), "state": .string(trial.state.optunaName),
                    "values": trial.values.map { .array($0.map(JSONValue.double)) } ?? .null,
                    "params": .object(trial.params.mapValues(\.jsonValue)),
                    "distributions": .object(trial.distributions.mapValues { .string($0.optunaJSON) }),
                    "intermediate_values": .object(steps),
                    "user_attrs": .object(trial.userAttributes), "system_attrs": .object(trial.systemAttributes),
                    "datetime_start": time(trial.datetimeStart), "datetime_complete": time(trial.datetimeComplete),
                ])
            }
            return .object([
                "id": .int(summary.id), "name": .string(summary.name),
                "directions": .array(summary.directions.map { .string($0.optunaName) }),
                "user_attrs": .object(summary.userAttributes), "system_attrs": .object(summary.systemAttributes),
                "trials": .array(trials),
            ])
        }
        return JSONValue.array(studies).jsonText
    }

    @Test func journalWrittenBySymstudyLoadsInOptuna() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("swift.log")
        let storage = try JournalStorage(path: path)
        let study = try Study.create(name: "swift-study", storage: storage, direction: .minimize,
                                     sampler: RandomSampler(seed: 7), pruner: NopPruner())
        try study.setUserAttribute("dataset", ["rows": 200, "name": "cartpole é", "scale": 0.5])
        try study.setSystemAttribute("sampler", "random")
        try study.enqueueTrial(params: ["x": 0.25, "optimizer": "sgd"])
        try study.optimize(nTrials: 6) { (trial: Trial) throws -> Double in
            let x = try trial.suggestFloat("x", -1, 1)
            let lr = try trial.suggestFloat("lr", 1e-5, 1, log: true)
            let grid = try trial.suggestFloat("grid", 0, 1, step: 0.25)
            let n = try trial.suggestInt("n", 1, 64, log: true)
            let k = try trial.suggestInt("k", 0, 10, step: 2)
            let optimizer = try trial.suggestCategorical("optimizer", ["adam", "sgd"])
            _ = try trial.suggestCategorical("width", [16, 32, 64])
            _ = try trial.suggestCategorical("flag", [true, false])
            _ = try trial.suggestCategorical("ratio", [0.5, 1.5])
            try trial.report(x * 2, step: 0)
            try trial.report(.nan, step: 5)
            let expression: JSONValue = ["infix": .string("x0 * \(k)"), "size": 3, "optimizer": .string(optimizer)]
            try trial.setUserAttribute("expression", expression)
            if trial.number == 3 { throw TrialPruned() }
            if trial.number == 4 { throw StudyError.invalidArgument("objective failed") }
            return x * x + lr + grid + Double(n)
        }
        try study.enqueueTrial(params: ["x": 0.5])
        let multi = try Study.create(name: "pareto", storage: storage, directions: [.minimize, .maximize],
                                     sampler: RandomSampler(seed: 1))
        try multi.optimize(nTrials: 3) { (trial: Trial) throws -> [Double] in
            let a = try trial.suggestFloat("a", 0, 1)
            return [a, 1 - a]
        }
        _ = try storage.createTrial(studyID: multi.id, template: FrozenTrial(
            state: .complete, values: [0.5, .infinity], datetimeStart: Date(timeIntervalSince1970: 1_700_000_000.25),
            datetimeComplete: Date(timeIntervalSince1970: 1_700_000_003.5),
            params: ["a": 0.75], distributions: ["a": .float(try FloatDistribution(low: 0, high: 1))],
            userAttributes: ["imported": true], intermediateValues: [1: 2.5, 10: -1]))

        // What the file holds is what the objective reported (both readers agree on the file, below).
        let reread = try JournalStorage(path: path)
        let trials = try reread.trials(studyID: study.id)
        #expect(trials.map(\.state) == [.complete, .complete, .complete, .pruned, .fail, .complete, .waiting])
        for trial in trials where trial.state != .waiting {
            let p = trial.params
            let x = try #require(p["x"]?.doubleValue), k = try #require(p["k"]?.intValue)
            #expect(trial.intermediateValues[0] == x * 2 && trial.intermediateValues[5]?.isNaN == true)
            #expect(trial.userAttributes["expression"]?.objectValue?["infix"] == .string("x0 * \(k)"))
            #expect(p.count == 9 && p["width"]?.intValue != nil && p["flag"]?.boolValue != nil && p["ratio"]?.doubleValue != nil)
            guard trial.state == .complete else { continue }
            let expected = x * x + p["lr"]!.doubleValue! + p["grid"]!.doubleValue! + Double(p["n"]!.intValue!)
            #expect(trial.value == expected)
        }
        #expect(trials[0].params["x"] == .double(0.25) && trials[0].params["optimizer"] == .string("sgd"))
        #expect(trials[6].systemAttributes["fixed_params"] == ["x": 0.5] && trials[6].datetimeStart == nil)
        let imported = try #require(try reread.trials(studyID: multi.id).last)
        #expect(imported.values == [0.5, .infinity] && imported.intermediateValues == [1: 2.5, 10: -1])
        #expect(imported.datetimeStart == Date(timeIntervalSince1970: 1_700_000_000.25))
        #expect(imported.datetimeComplete == Date(timeIntervalSince1970: 1_700_000_003.5))
        #expect(imported.params == ["a": 0.75] && imported.userAttributes == ["imported": true])
        #expect(try reread.studyUserAttributes(id: study.id) == ["dataset": ["rows": 200, "name": "cartpole é", "scale": 0.5]])

        let expected = try Self.optunaView(storage)
        #expect(try Self.python("print(dump(storage(sys.argv[1])))", [path]).trimmingCharacters(in: .newlines) == expected)
        #expect(expected.contains("\"state\": \"PRUNED\"") && expected.contains("\"state\": \"FAIL\"") && expected.contains("\"state\": \"WAITING\""))
        // Optuna's own API over the same file.
        let summary = try Self.python("""
            st = optuna.load_study(study_name="swift-study", storage=storage(sys.argv[1]))
            done = st.get_trials(states=[optuna.trial.TrialState.COMPLETE])
            print(len(st.trials), len(done), st.best_trial.number, st.best_value == min(t.value for t in done), st.trials[0].params["x"])
            """, [path])
        let best = try study.bestTrial
        #expect(summary.split(separator: " ").map(String.init) == ["7", "4", "\(best.number)", "True", "0.25\n"])
    }

    @Test func journalWrittenByOptunaIsReadAndContinued() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("python.log")
        let optunaDump = try Self.python(#"""
            s = storage(sys.argv[1])
            st = optuna.create_study(study_name="py", storage=s, sampler=optuna.samplers.RandomSampler(seed=3))
            st.set_user_attr("note", {"nested": [1, 2.5, None, "é"], "nan": float("nan")})
            s.set_study_system_attr(st._study_id, "owner", "python")
            st.enqueue_trial({"x": 0.5, "opt": "sgd"})
            def objective(t):
                x = t.suggest_float("x", -1, 1)
                lr = t.suggest_float("lr", 1e-5, 1, log=True)
                n = t.suggest_int("n", 1, 64, log=True)
                k = t.suggest_int("k", 0, 10, step=2)
                opt = t.suggest_categorical("opt", ["adam", "sgd"])
                w = t.suggest_categorical("w", [16, 32, 1.5, True])
                t.report(x, 0)
                t.report(float("nan"), 1)
                t.set_user_attr("expression", {"infix": "x0 + %d" % k, "unicode": "😀"})
                if t.number == 2:
                    raise optuna.TrialPruned()
                if t.number == 3:
                    raise ValueError("bad trial")
                return x * x + lr + n
            st.optimize(objective, n_trials=6, catch=(ValueError,))
            st.add_trial(optuna.trial.create_trial(params={"x": 0.1}, distributions={"x": optuna.distributions.FloatDistribution(-1, 1)},
                                                   value=0.01, intermediate_values={3: 0.5}, user_attrs={"imported": True}))
            st.enqueue_trial({"x": 0.25})
            mo = optuna.create_study(study_name="mo", storage=s, directions=["minimize", "maximize"])
            mo.optimize(lambda t: (t.suggest_float("a", 0, 1), 2.0), n_trials=2)
            optuna.create_study(study_name="gone", storage=s)
            optuna.delete_study(study_name="gone", storage=s)
            print(dump(s))
            """#, [path])
        let storage = try JournalStorage(path: path)
        #expect(try Self.optunaView(storage) == optunaDump.trimmingCharacters(in: .newlines))
        #expect(try storage.allStudies().map(\.name) == ["py", "mo"])

        // Continue the study: the first ask takes the trial Python enqueued last.
        let study = try Study.load(name: "py", storage: storage, sampler: RandomSampler(seed: 5), pruner: NopPruner())
        let before = try study.trials().count
        try study.optimize(nTrials: 3) { (trial: Trial) throws -> Double in
            let x = try trial.suggestFloat("x", -1, 1)
            let opt = try trial.suggestCategorical("opt", ["adam", "sgd"])
            try trial.report(x, step: 0)
            try trial.setUserAttribute("by", "symstudy")
            return x + (opt == "sgd" ? 1 : 0)
        }
        let trials = try study.trials()
        #expect(trials.count == before + 2)  // the enqueued trial and two new ones
        let enqueued = try #require(trials.first { $0.params["x"] == .double(0.25) })
        #expect(enqueued.state == .complete && enqueued.userAttributes["by"] == "symstudy")
        #expect(throws: DistributionError.self) {
            let trial = try study.ask()
            _ = try trial.suggestInt("opt", 0, 1)  // another kind than Python's categorical
        }
        let pythonView = try Self.python("print(dump(storage(sys.argv[1])))", [path])
        #expect(try Self.optunaView(storage) == pythonView.trimmingCharacters(in: .newlines))
        let count = try Self.python("""
            st = optuna.load_study(study_name="py", storage=storage(sys.argv[1]))
            print(len(st.trials), sum(t.user_attrs.get("by") == "symstudy" for t in st.trials))
            """, [path])
        #expect(count == "\(before + 3) 3\n")
    }

    /// 2 Python Optuna processes and 2 symstudy writers append 50 trials each to one journal at the same time:
    /// exactly 200 trials, numbered 0 to 199, all complete, and Python and symstudy see the same study.
    @Test(arguments: [JournalLockKind.symlink, .open])
    func pythonAndSymstudyWriteOneJournalAtOnce(_ lock: JournalLockKind) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("shared.log")
        let lockName = lock == .symlink ? "symlink" : "open"
        let study = try Study.create(name: "race", storage: JournalStorage(path: path, lock: lock), direction: .minimize)
        let go = folder.path("go")
        let pythonErrors = Mutex<[String]>([])
        let group = DispatchGroup()
        for writer in 0..<2 {
            DispatchQueue.global().async(group: group) {
                do {
                    try Self.python("""
                        s = storage(sys.argv[1], sys.argv[2])
                        st = optuna.load_study(study_name="race", storage=s, sampler=optuna.samplers.RandomSampler(seed=int(sys.argv[3])))
                        open(sys.argv[4] + ".ready" + sys.argv[3], "w").close()
                        while not os.path.exists(sys.argv[4]):
                            time.sleep(0.001)
                        def objective(t):
                            x = t.suggest_float("x", -10, 10)
                            y = t.suggest_int("y", 0, 10)
                            t.suggest_categorical("c", ["a", "b"])
                            t.report(x, 0)
                            t.set_user_attr("writer", "python-" + sys.argv[3])
                            return x * x + y
                        st.optimize(objective, n_trials=50)
                        """, [path, lockName, "\(writer)", go])
                } catch {
                    pythonErrors.withLock { $0.append("\(error)") }
                }
            }
        }
        // Start together, once both Python processes have imported Optuna and opened the journal.
        let deadline = Date().addingTimeInterval(60)
        while !(0..<2).allSatisfy({ FileManager.default.fileExists(atPath: go + ".ready\($0)") }) {
            guard Date() < deadline, pythonErrors.withLock({ $0.isEmpty }) else { break }
            Thread.sleep(forTimeInterval: 0.005)
        }
        FileManager.default.createFile(atPath: go, contents: nil)
        let swiftErrors = Mutex<[String]>([])
        for writer in 0..<2 {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    // Each writer has its own storage, as a separate process would.
                    let storage = try JournalStorage(path: path, lock: lock)
                    let mine = try Study.load(name: "race", storage: storage, sampler: RandomSampler(seed: UInt64(10 + writer)), pruner: NopPruner())
                    try mine.optimize(nTrials: 50, catching: .none) { (trial: Trial) throws -> Double in
                        let x = try trial.suggestFloat("x", -10, 10)
                        let y = try trial.suggestInt("y", 0, 10)
                        _ = try trial.suggestCategorical("c", ["a", "b"])
                        try trial.report(x, step: 0)
                        try trial.setUserAttribute("writer", .string("swift-\(writer)"))
                        Thread.sleep(forTimeInterval: 0.002)  // a little work, so that the writers interleave
                        return x * x + Double(y)
                    }
                } catch {
                    swiftErrors.withLock { $0.append("\(error)") }
                }
            }
            thread.start()
        }
        group.wait()
        #expect(pythonErrors.withLock { $0 }.isEmpty, "\(pythonErrors.withLock { $0 })")
        #expect(swiftErrors.withLock { $0 }.isEmpty, "\(swiftErrors.withLock { $0 })")

        let storage = try JournalStorage(path: path, lock: lock)
        let trials = try storage.trials(studyID: study.id)
        #expect(trials.map(\.number) == Array(0..<200))
        #expect(trials.allSatisfy { $0.state == .complete })
        var perWriter: [String: Int] = [:]
        for trial in trials { perWriter[trial.userAttributes["writer"]?.stringValue ?? "none", default: 0] += 1 }
        #expect(perWriter == ["python-0": 50, "python-1": 50, "swift-0": 50, "swift-1": 50])
        // The writers really interleaved: neither side's trials form one block.
        let sides = trials.map { $0.userAttributes["writer"]?.stringValue?.hasPrefix("python") == true }
        #expect(zip(sides, sides.dropFirst()).filter { $0 != $1 }.count > 2)
        let pythonView = try Self.python("print(dump(storage(sys.argv[1], sys.argv[2])))", [path, lockName])
        #expect(try Self.optunaView(storage) == pythonView.trimmingCharacters(in: .newlines))
        #expect(!FileManager.default.fileExists(atPath: path + ".lock"))
    }

    /// The lock excludes across languages: a line appended by whoever holds the lock comes before the line of
    /// the writer that waited for it, in both directions.
    @Test(arguments: [JournalLockKind.symlink, .open])
    func lockExcludesPythonAndSymstudy(_ lock: JournalLockKind) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("locked.log")
        let lockName = lock == .symlink ? "symlink" : "open"
        let storage = try JournalStorage(path: path, lock: lock)
        let study = try storage.createStudy(name: "s", directions: [.minimize])
        let line = #"{"op_code":2,"worker_id":"held","study_id":0,"user_attr":{"holder":"HOLDER"}}"#

        // Python holds the lock; our write waits for it.
        let held = folder.path("held")
        let python = DispatchGroup()
        let pythonError = Mutex<String?>(nil)
        DispatchQueue.global().async(group: python) {
            do {
                try Self.python("""
                    lock = (JournalFileOpenLock if sys.argv[2] == "open" else JournalFileSymlinkLock)(sys.argv[1])
                    lock.acquire()
                    open(sys.argv[3], "w").close()
                    time.sleep(0.4)
                    with open(sys.argv[1], "ab") as f:
                        f.write((sys.argv[4] + "\\n").encode())
                    lock.release()
                    """, [path, lockName, held, line.replacingOccurrences(of: "HOLDER", with: "python")])
            } catch {
                pythonError.withLock { $0 = "\(error)" }
            }
        }
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: held), Date() < deadline, pythonError.withLock({ $0 == nil }) {
            Thread.sleep(forTimeInterval: 0.002)
        }
        try storage.setStudyUserAttribute(studyID: study, key: "waiter", value: "swift")
        python.wait()
        #expect(pythonError.withLock { $0 } == nil)

        // We hold the lock; Python's write waits for it.
        let started = folder.path("started")
        let fileLock = JournalFileLock(journalPath: path, kind: lock, gracePeriod: 30)
        try fileLock.acquire()
        DispatchQueue.global().async(group: python) {
            do {
                try Self.python("""
                    s = storage(sys.argv[1], sys.argv[2])
                    open(sys.argv[3], "w").close()
                    s.set_study_user_attr(0, "waiter", "python")
                    """, [path, lockName, started])
            } catch {
                pythonError.withLock { $0 = "\(error)" }
            }
        }
        while !FileManager.default.fileExists(atPath: started), Date() < deadline, pythonError.withLock({ $0 == nil }) {
            Thread.sleep(forTimeInterval: 0.002)
        }
        Thread.sleep(forTimeInterval: 0.2)  // Python is waiting for the lock now
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data((line.replacingOccurrences(of: "HOLDER", with: "swift") + "\n").utf8))
        try handle.close()
        #expect(fileLock.release())
        python.wait()
        #expect(pythonError.withLock { $0 } == nil)

        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let order = lines.compactMap { line -> String? in
            for tag in ["\"holder\":\"python\"", "\"waiter\":\"swift\"", "\"holder\":\"swift\"", "\"waiter\":\"python\""] where line.contains(tag) { return tag }
            return nil
        }
        #expect(order == ["\"holder\":\"python\"", "\"waiter\":\"swift\"", "\"holder\":\"swift\"", "\"waiter\":\"python\""])
        #expect(try storage.studyUserAttributes(id: study) == ["holder": "swift", "waiter": "python"])
    }

    /// A lock left by a writer that died is broken after the grace period, by us as by Python.
    @Test func abandonedLockIsBrokenAfterTheGracePeriod() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("stale.log")
        let storage = try JournalStorage(path: path, lockGracePeriod: 0.3)
        let study = try storage.createStudy(name: "s", directions: [.minimize])
        try FileManager.default.createSymbolicLink(atPath: path + ".lock", withDestinationPath: "stale.log")
        _ = try storage.createTrial(studyID: study, template: nil)
        #expect(!FileManager.default.fileExists(atPath: path + ".lock"))
        // Python, with its own grace period, breaks the lock our dead writer would have left.
        try FileManager.default.createSymbolicLink(atPath: path + ".lock", withDestinationPath: "stale.log")
        let count = try Self.python("""
            lock = JournalFileSymlinkLock(sys.argv[1], grace_period=1)
            s = JournalStorage(JournalFileBackend(sys.argv[1], lock_obj=lock))
            s.create_new_trial(0)
            print(len(s.get_all_trials(0)))
            """, [path])
        #expect(count == "2\n")
        #expect(try storage.trialCount(studyID: study, states: nil) == 2)
    }
}
