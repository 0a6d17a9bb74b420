import Foundation
import Testing
import TestSupport
@testable import StudyEngine

/// A relational storage under test and the URL Python Optuna opens the same database with.
struct InteropTarget: @unchecked Sendable {
    let storage: RelationalStorage
    let optunaURL: String
    /// Keeps the database alive as long as the target.
    let owner: AnyObject

    enum Kind: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    static func make(_ kind: Kind) throws -> InteropTarget {
        switch kind {
        case .sqlite:
            let folder = try TemporaryFolder()
            let path = folder.path("interop.db")
            return InteropTarget(storage: try SQLiteStorage(path: path), optunaURL: "sqlite:///\(path)", owner: folder)
        case .postgres:
            let database = try PostgresTestDatabase()
            // SQLAlchemy 2.1's default PostgreSQL driver is psycopg 3; the test environment has psycopg2.
            let url = database.url.replacingOccurrences(of: "postgresql://", with: "postgresql+psycopg2://")
            return InteropTarget(storage: try PostgresStorage(url: url), optunaURL: url, owner: database)
        }
    }

    /// Another storage object on the same database (as another process would open it).
    func reopen() throws -> RelationalStorage {
        if let path = (storage as? SQLiteStorage)?.path { return try SQLiteStorage(path: path) }
        return try PostgresStorage(url: optunaURL)
    }
}

/// Python Optuna 5.0.0 (and optuna-dashboard) reading and writing the databases symstudy writes.
@Suite("Relational storages with Python Optuna")
struct RelationalInteropTests {
    /// Every study as Optuna sees it, as JSON: numbers as numbers, non-finite ones as "inf", "-inf", "nan",
    /// datetimes as wall-clock microseconds since 1970.
    static let dumpScript = #"""
    import datetime, json, math, sys
    import optuna
    from optuna.distributions import distribution_to_json
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    url = sys.argv[1]
    def num(v):
        if v is None: return None
        if isinstance(v, float) and math.isnan(v): return "nan"
        if isinstance(v, float) and math.isinf(v): return "inf" if v > 0 else "-inf"
        return v
    def micros(d):
        return None if d is None else (d - datetime.datetime(1970, 1, 1)) // datetime.timedelta(microseconds=1)
    out = {}
    for name in optuna.get_all_study_names(url):
        s = optuna.load_study(study_name=name, storage=url)
        out[name] = {
            "directions": [d.name for d in s.directions],
            "user_attrs": s.user_attrs, "system_attrs": s._storage.get_study_system_attrs(s._study_id),
            "trials": [{
                "number": t.number, "state": t.state.name,
                "values": None if t.values is None else [num(v) for v in t.values],
                "params": t.params,
                "distributions": {k: distribution_to_json(d) for k, d in t.distributions.items()},
                "intermediate_values": {str(k): num(v) for k, v in t.intermediate_values.items()},
                "user_attrs": t.user_attrs, "system_attrs": t.system_attrs,
                "start": micros(t.datetime_start), "complete": micros(t.datetime_complete),
            } for t in s.trials],
        }
    print(json.dumps(out, sort_keys=True))
    """#

    /// The same view, from symstudy's side.
    static func symstudyView(_ storage: any StudyStorage) throws -> [String: JSONValue] {
        func number(_ value: Double) -> JSONValue {
            if value.isNaN { return "nan" }
            if value.isInfinite { return value > 0 ? "inf" : "-inf" }
            return .double(value)
        }
        func micros(_ date: Date?) -> JSONValue {
            guard let date, let wall = OptunaDatetime.wallMicroseconds(OptunaDatetime.text(date)) else { return nil }
            return .int(Int(wall))
        }
        var view: [String: JSONValue] = [:]
        for summary in try storage.allStudies() {
            let trials = try storage.trials(studyID: summary.id).map { trial -> JSONValue in
                .object([
                    "number": .int(trial.number), "state": .string(trial.state.optunaName),
                    "values": trial.values.map { .array($0.map(number)) } ?? nil,
                    "params": .object(trial.params.mapValues(\.jsonValue)),
                    "distributions": .object(trial.distributions.mapValues { .string($0.optunaJSON) }),
                    "intermediate_values": .object(Dictionary(uniqueKeysWithValues: trial.intermediateValues.map { (String($0.key), number($0.value)) })),
                    "user_attrs": .object(trial.userAttributes), "system_attrs": .object(trial.systemAttributes),
                    "start": micros(trial.datetimeStart), "complete": micros(trial.datetimeComplete),
                ])
            }
            view[summary.name] = .object([
                "directions": .array(summary.directions.map { .string($0.optunaName) }),
                "user_attrs": .object(summary.userAttributes), "system_attrs": .object(summary.systemAttributes),
                "trials": .array(trials),
            ])
        }
        return view
    }

    /// Compares the two views; datetimes may differ by the microsecond a round trip through `Date` costs.
    static func expectSameView(_ optuna: [String: JSONValue], _ symstudy: [String: JSONValue]) {
        #expect(Set(optuna.keys) == Set(symstudy.keys))
        for (name, study) in symstudy {
            guard case .object(var ours) = study, case .object(var theirs)? = optuna[name] else { continue }
            let ourTrials = ours.removeValue(forKey: "trials")?.arrayValue ?? []
            let theirTrials = theirs.removeValue(forKey: "trials")?.arrayValue ?? []
            #expect(ours == theirs, "study \(name)")
            #expect(ourTrials.count == theirTrials.count, "study \(name)")
            for (our, their) in zip(ourTrials, theirTrials) {
                guard var a = our.objectValue, var b = their.objectValue else { continue }
                for key in ["start", "complete"] {
                    let x = a.removeValue(forKey: key), y = b.removeValue(forKey: key)
                    if let x = x?.intValue, let y = y?.intValue {
                        #expect(abs(x - y) <= 1, "study \(name) trial \(a["number"]!) \(key)")
                    } else {
                        #expect(x == y, "study \(name) trial \(a["number"]!) \(key)")
                    }
                }
                #expect(a == b, "study \(name) trial \(a["number"]!)")
            }
        }
    }

    static func optunaView(_ url: String) throws -> [String: JSONValue] {
        try JSONValue.parse(try TestEnvironment.runPython(dumpScript, [url])).objectValue ?? [:]
    }

    /// A study with every kind of parameter, trial state and value encoding, and a multi-objective one.
    static func writeShowcase(_ storage: any StudyStorage) throws {
        let study = try Study.create(name: "showcase", storage: storage, direction: .minimize, sampler: RandomSampler(seed: 7))
        try study.setUserAttribute("owner", "symstudy")
        try study.setUserAttribute("best", ["infix": "x0 * 2 + 1.5", "tree": [1, 0, 2.5], "complexity": 5, "r2": 0.987654321])
        try study.setSystemAttribute("symstudy:version", 1)
        func suggestAll(_ trial: Trial) throws {
            _ = try trial.suggestFloat("f_plain", -5, 5)
            _ = try trial.suggestFloat("f_log", 1e-5, 1e-1, log: true)
            _ = try trial.suggestFloat("f_step", 0, 1, step: 0.25)
            _ = try trial.suggestInt("i_plain", 0, 100)
            _ = try trial.suggestInt("i_log", 1, 1024, log: true)
            _ = try trial.suggestInt("i_step", 0, 100, step: 5)
            _ = try trial.suggest("c_str", .categorical(try CategoricalDistribution(choices: ["relu", "tanh", "sigmoid"])))
            _ = try trial.suggest("c_mixed", .categorical(try CategoricalDistribution(choices: [.bool(true), .int(3), .double(2.5), .string("x")])))
        }
        let complete = try study.ask()
        try suggestAll(complete)
        for step in 0..<3 { try complete.report(Double(step) + 0.25, step: step) }
        try complete.setUserAttribute("expression", ["infix": "sin(x0) / 2", "nodes": 4, "é": "😀"])
        try study.tell(complete, value: 1.5)

        let pruned = try study.ask()
        try suggestAll(pruned)
        try pruned.report(2, step: 0)
        try pruned.report(.infinity, step: 1)
        try pruned.report(-.infinity, step: 2)
        try pruned.report(.nan, step: 3)
        try pruned.report(0.5, step: 4)
        try study.tell(pruned, state: .pruned)

        let failed = try study.ask()
        try suggestAll(failed)
        try study.tell(failed, state: .fail)

        let infinite = try study.ask()
        try suggestAll(infinite)
        try study.tell(infinite, value: .infinity)

        let running = try study.ask()
        _ = try running.suggestFloat("f_plain", -5, 5)
        try study.enqueueTrial(params: ["f_plain": .double(0.5), "c_str": .string("tanh")], userAttributes: ["queued": true])

        let pareto = try Study.create(name: "pareto", storage: storage, directions: [.minimize, .maximize], sampler: RandomSampler(seed: 8))
        for values in [[1.0, 2.0], [0.5, -.infinity], [-.infinity, .infinity]] {
            let trial = try pareto.ask()
            _ = try trial.suggestFloat("x", 0, 1)
            try pareto.tell(trial, values: values)
        }
    }

    @Test(arguments: InteropTarget.Kind.allCases)
    func optunaReadsWhatSymstudyWrites(_ kind: InteropTarget.Kind) throws {
        let target = try InteropTarget.make(kind)
        try Self.writeShowcase(target.storage)
        let theirs = try Self.optunaView(target.optunaURL)
        let ours = try Self.symstudyView(target.storage)
        #expect(ours["showcase"]?.objectValue?["trials"]?.arrayValue?.count == 6)
        Self.expectSameView(theirs, ours)
        // And a storage opened afresh (nothing from this process's cache) reads the same.
        Self.expectSameView(theirs, try Self.symstudyView(try target.reopen()))
    }

    static let optunaStartScript = #"""
    import sys, optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    url = sys.argv[1]
    study = optuna.create_study(study_name="continued", storage=url, sampler=optuna.samplers.RandomSampler(seed=3))
    def objective(t):
        x = t.suggest_float("x", -5, 5)
        n = t.suggest_int("n", 1, 64, log=True)
        c = t.suggest_categorical("c", ["a", "b", "c"])
        for step in range(3):
            t.report(x * x + step, step)
        t.set_user_attr("written_by", "optuna")
        return x * x + n / 64 + "abc".index(c)
    study.optimize(objective, n_trials=8)
    study.enqueue_trial({"x": 1.25, "n": 8, "c": "b"})
    study.set_user_attr("started_by", "optuna")
    """#

    static let optunaContinueScript = #"""
    import json, sys, optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    url = sys.argv[1]
    study = optuna.load_study(study_name="continued", storage=url, sampler=optuna.samplers.TPESampler(seed=5, n_startup_trials=5))
    before = [(t.number, t.state.name, t.params, t.user_attrs.get("written_by"), len(t.intermediate_values)) for t in study.trials]
    def objective(t):
        x = t.suggest_float("x", -5, 5)
        n = t.suggest_int("n", 1, 64, log=True)
        c = t.suggest_categorical("c", ["a", "b", "c"])
        return x * x + n / 64 + "abc".index(c)
    study.optimize(objective, n_trials=3)
    print(json.dumps({"before": before, "after": [t.number for t in study.trials],
                      "states": [t.state.name for t in study.trials], "best": study.best_trial.number,
                      "user_attrs": study.user_attrs}))
    """#

    @Test(arguments: InteropTarget.Kind.allCases)
    func symstudyContinuesWhatOptunaStarted(_ kind: InteropTarget.Kind) throws {
        let target = try InteropTarget.make(kind)
        try TestEnvironment.runPython(Self.optunaStartScript, [target.optunaURL])
        let storage = try target.reopen()
        let study = try Study.load(name: "continued", storage: storage, sampler: TPESampler(seed: 1))
        #expect(try study.trials().count == 9)
        #expect(try study.userAttributes == ["started_by": "optuna"])
        try study.optimize(nTrials: 6) { trial in
            let x = try trial.suggestFloat("x", -5, 5)
            let n = try trial.suggestInt("n", 1, 64, log: true)
            let c = try trial.suggestCategorical("c", ["a", "b", "c"])
            for step in 0..<3 { try trial.report(x * x + Double(step), step: step) }
            try trial.setUserAttribute("written_by", "symstudy")
            return x * x + Double(n) / 64 + Double(["a", "b", "c"].firstIndex(of: c)!)
        }
        let trials = try study.trials()
        #expect(trials.map(\.number) == Array(0..<14))
        // The enqueued trial ran first, with Optuna's fixed parameters.
        #expect(trials[8].state == .complete && trials[8].params == ["x": .double(1.25), "n": .int(8), "c": .string("b")])

        let result = try JSONValue.parse(try TestEnvironment.runPython(Self.optunaContinueScript, [target.optunaURL]))
        let before = result.objectValue?["before"]?.arrayValue ?? []
        #expect(before.count == 14)
        for (number, row) in before.enumerated() {
            let fields = row.arrayValue ?? []
            #expect(fields.first?.intValue == number)
            #expect(fields[safe: 1]?.stringValue == "COMPLETE", "trial \(number)")
            #expect(fields[safe: 2]?.objectValue?.keys.sorted() == ["c", "n", "x"], "trial \(number)")
            #expect(fields[safe: 3]?.stringValue == (number < 8 ? "optuna" : "symstudy"), "trial \(number)")
            #expect(fields[safe: 4]?.intValue == 3, "trial \(number)")
        }
        #expect(result.objectValue?["after"] == .array((0..<17).map { .int($0) }))
        #expect(result.objectValue?["states"]?.arrayValue?.allSatisfy { $0 == "COMPLETE" } == true)
        // symstudy sees Optuna's continuation too.
        #expect(try target.reopen().trials(studyID: study.id).count == 17)
        #expect(try study.trials().count == 17)
    }

    static let dashboardScript = #"""
    import json, sys
    from wsgiref.util import setup_testing_defaults
    from optuna_dashboard import wsgi
    app = wsgi(sys.argv[1])
    def get(path):
        environ = {}
        setup_testing_defaults(environ)
        environ["PATH_INFO"] = path
        status = []
        body = b"".join(app(environ, lambda s, headers, exc_info=None: status.append(s)))
        return status[0], json.loads(body)
    status, listing = get("/api/studies")
    out = {"status": status, "studies": {}}
    for summary in listing["study_summaries"]:
        status, detail = get("/api/studies/%d" % summary["study_id"])
        out["studies"][summary["study_name"]] = {
            "status": status,
            "directions": summary["directions"],
            "trials": [[t["number"], t["state"], sorted(p["name"] for p in t["params"]), t.get("values")] for t in detail["trials"]],
            "best": [t["number"] for t in detail["best_trials"]],
            "intermediate": detail["has_intermediate_values"],
        }
    print(json.dumps(out))
    """#

    @Test(arguments: InteropTarget.Kind.allCases)
    func dashboardReadsWhatSymstudyWrites(_ kind: InteropTarget.Kind) throws {
        let target = try InteropTarget.make(kind)
        try Self.writeShowcase(target.storage)
        let result = try JSONValue.parse(try TestEnvironment.runPython(Self.dashboardScript, [target.optunaURL]))
        #expect(result.objectValue?["status"] == "200 OK")
        let showcase = result.objectValue?["studies"]?.objectValue?["showcase"]?.objectValue
        #expect(showcase?["status"] == "200 OK")
        let rows = showcase?["trials"]?.arrayValue ?? []
        #expect(rows.map { $0.arrayValue?.first?.intValue } == [0, 1, 2, 3, 4, 5])
        #expect(rows.map { $0.arrayValue?[safe: 1]?.stringValue } == ["Complete", "Pruned", "Fail", "Complete", "Running", "Waiting"])
        #expect(rows.first?.arrayValue?[safe: 2]?.arrayValue?.count == 8)
        #expect(showcase?["best"] == [0])
        #expect(showcase?["intermediate"] == true)
        let pareto = result.objectValue?["studies"]?.objectValue?["pareto"]?.objectValue
        #expect(pareto?["directions"] == ["minimize", "maximize"])
        #expect(pareto?["trials"]?.arrayValue?.count == 3)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
