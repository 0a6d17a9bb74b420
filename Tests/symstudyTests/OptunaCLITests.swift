import Foundation
import StudyEngine
import Testing
import TestSupport

/// symstudy's Optuna verbs print what Optuna 5.0.0's own CLI prints on the same database, and a script can
/// drive a study with `ask` and `tell` the way it drives Optuna's.
@Suite("Optuna's command-line verbs") struct OptunaCLITests {
    /// Optuna's CLI, run with the reference Python.
    static func optuna(_ arguments: [String]) throws -> ProcessResult {
        let script = "import sys, warnings; warnings.simplefilter('ignore'); from optuna.cli import main; sys.argv = ['optuna'] + sys.argv[1:]; sys.exit(main())"
        return try TestProcess.run(URL(fileURLWithPath: try TestEnvironment.python()), ["-c", script] + arguments)
    }

    static func symstudy(_ arguments: [String]) throws -> ProcessResult {
        try TestProcess.runProduct("symstudy", arguments)
    }

    static func temporaryDatabase() throws -> (URL, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("symstudy-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (folder, "sqlite:///\(folder.path)/cli.db")
    }

    /// A study Optuna writes with every kind of parameter, states, user attributes and a second, two-objective study.
    static let makeStudies = #"""
import sys, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
url = sys.argv[1]
study = optuna.create_study(study_name="mixed", storage=url, sampler=optuna.samplers.RandomSampler(seed=4))
study.set_user_attr("owner", "cli-test")
def objective(trial):
    x = trial.suggest_float("x", -5, 5)
    trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    trial.suggest_int("n", 1, 9)
    c = trial.suggest_categorical("act", ["relu", "tanh"])
    trial.suggest_categorical("flag", [True, False])
    trial.set_user_attr("expression", "x * (x - 1)")
    if trial.number == 3:
        raise optuna.TrialPruned()
    if trial.number == 5:
        raise ValueError("boom")
    return x * x + (0 if c == "relu" else 1)
study.optimize(objective, n_trials=8, catch=(ValueError,))
multi = optuna.create_study(study_name="two", storage=url, directions=["minimize", "maximize"], sampler=optuna.samplers.RandomSampler(seed=5))
multi.optimize(lambda t: (t.suggest_float("a", 0, 1), t.suggest_float("b", 0, 1)), n_trials=6)
"""#

    @Test("trials, best-trial, best-trials, studies and study-names print as Optuna's CLI prints them")
    func sameOutputAsOptuna() throws {
        let (folder, url) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestEnvironment.runPython(Self.makeStudies, [url])
        var commands: [[String]] = [["study-names"], ["study-names", "-f", "json"]]
        for format in ["table", "json", "yaml", "value"] {
            commands.append(["studies", "-f", format])
            for flatten in [[], ["--flatten"]] {
                commands.append(["trials", "--study-name", "mixed", "-f", format] + flatten)
                commands.append(["trials", "--study-name", "two", "-f", format] + flatten)
                commands.append(["best-trial", "--study-name", "mixed", "-f", format] + flatten)
                commands.append(["best-trials", "--study-name", "two", "-f", format] + flatten)
            }
        }
        for command in commands {
            let theirs = try Self.optuna(command + ["--storage", url])
            let ours = try Self.symstudy(command + ["--storage", url])
            #expect(theirs.status == 0, "optuna \(command): \(theirs.stderr)")
            #expect(ours.status == 0, "symstudy \(command): \(ours.stderr)")
            #expect(ours.stdout == theirs.stdout, "\(command.joined(separator: " "))\n--- optuna\n\(theirs.stdout)--- symstudy\n\(ours.stdout)")
        }
    }

    @Test("a shell-style loop of create-study, ask and tell; Optuna reads the result; TPE state lives in storage")
    func askAndTell() throws {
        let (folder, url) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try Self.symstudy(["create-study", "--study-name", "loop", "--storage", url, "--direction", "minimize"])
        #expect(created.status == 0 && created.stdout == "loop\n", "\(created.stderr)")
        let again = try Self.symstudy(["create-study", "--study-name", "loop", "--storage", url])
        #expect(again.status != 0 && again.stderr.contains("already exists"))
        #expect(try Self.symstudy(["create-study", "--study-name", "loop", "--storage", url, "--skip-if-exists"]).status == 0)

        let space = #"{"x": {"name": "FloatDistribution", "attributes": {"low": -10.0, "high": 10.0, "log": false, "step": null}}, "k": {"name": "IntDistribution", "attributes": {"low": 1, "high": 4, "log": false, "step": 1}}}"#
        var seen: [Double] = []
        for number in 0..<14 {
            let asked = try Self.symstudy(["ask", "--study-name", "loop", "--storage", url, "--sampler", "TPESampler",
                                           "--sampler-kwargs", #"{"n_startup_trials": 5, "seed": \#(number)}"#, "--search-space", space])
            #expect(asked.status == 0, "\(asked.stderr)")
            let reply = try JSONValue.parse(asked.stdout)
            #expect(reply.objectValue?["number"]?.intValue == number)
            let params = try #require(reply.objectValue?["params"]?.objectValue)
            let x = try #require(params["x"]?.doubleValue), k = try #require(params["k"]?.intValue)
            #expect((-10...10).contains(x) && (1...4).contains(k))
            seen.append(x)
            let value = (x - 3) * (x - 3) + Double(k)
            let told = try Self.symstudy(["tell", "--study-name", "loop", "--storage", url, "--trial-number", "\(number)", "--values", "\(value)"])
            #expect(told.status == 0, "\(told.stderr)")
        }
        // TPE after its startup trials concentrates near the optimum x = 3.
        let late = seen.suffix(5).map { abs($0 - 3) }.reduce(0, +) / 5
        let early = seen.prefix(5).map { abs($0 - 3) }.reduce(0, +) / 5
        #expect(late < early)

        let pruned = try Self.symstudy(["ask", "--study-name", "loop", "--storage", url])
        #expect(pruned.status == 0)
        #expect(try Self.symstudy(["tell", "--study-name", "loop", "--storage", url, "--trial-number", "14", "--state", "pruned"]).status == 0)
        let finished = try Self.symstudy(["tell", "--study-name", "loop", "--storage", url, "--trial-number", "14", "--values", "1"])
        #expect(finished.status != 0 && finished.stderr.contains("14"))
        #expect(try Self.symstudy(["tell", "--study-name", "loop", "--storage", url, "--trial-number", "14", "--values", "1", "--skip-if-finished"]).status == 0)

        let check = try TestEnvironment.runPython("""
        import sys, optuna
        s = optuna.load_study(study_name="loop", storage=sys.argv[1])
        print(len(s.trials), sum(t.state.name == "COMPLETE" for t in s.trials), s.trials[14].state.name, round(s.best_value, 6))
        """, [url])
        let fields = check.split(separator: " ").map(String.init)
        #expect(fields[0] == "15" && fields[1] == "14" && fields[2] == "PRUNED")

        #expect(try Self.symstudy(["delete-study", "--study-name", "loop", "--storage", url]).status == 0)
        #expect(try Self.symstudy(["study-names", "--storage", url]).stdout == "\n")
    }

    @Test("bad input: an unknown study, an unknown sampler, a bad search space, an unknown scheme")
    func badInput() throws {
        let (folder, url) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Self.symstudy(["create-study", "--study-name", "s", "--storage", url]).status == 0)
        let cases: [([String], String)] = [
            (["trials", "--study-name", "nope", "--storage", url], "nope"),
            (["ask", "--study-name", "s", "--storage", url, "--sampler", "CmaEsSampler"], "unknown sampler 'CmaEsSampler'"),
            (["ask", "--study-name", "s", "--storage", url, "--search-space", "{\"x\": 1}"], "parameter 'x'"),
            (["ask", "--study-name", "s", "--storage", url, "--sampler-kwargs", "{}"], "--sampler-kwargs is set without --sampler"),
            (["studies", "--storage", "mysql://h/db"], "unknown scheme 'mysql'"),
            (["tell", "--study-name", "s", "--storage", url, "--trial-number", "0", "--values", "1"], "0"),
        ]
        for (arguments, fragment) in cases {
            let result = try Self.symstudy(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(fragment), "\(arguments): \(result.stderr)")
        }
        let trials = try TestEnvironment.runPython("import sys, optuna; print(len(optuna.load_study(study_name='s', storage=sys.argv[1]).trials))", [url])
        #expect(trials == "0\n")  // none of the failed commands left a trial behind
    }
}
