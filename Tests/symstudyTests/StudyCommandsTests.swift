import Foundation
import StudyEngine
import Testing
import TestSupport

/// The study-reading commands (`studies`, `trials`, `best`, `importance`, `delete`) on real SQLite files,
/// reached by name and `--storage`, or by the study file.
@Suite("Study-reading commands") struct StudyCommandsTests {
    /// A command study: value (x - 0.5)^2 + 0.01 y, 6 random trials, storage beside the file.
    static func commandStudy(in folder: TemporaryFolder, trials: Int = 6) throws -> String {
        let file = folder.path("quadratic.yaml")
        try """
        objective:
          kind: command
          command: 'python3 -c "import os; x = float(os.environ[\\"SYMSTUDY_PARAM_X\\"]); y = int(os.environ[\\"SYMSTUDY_PARAM_Y\\"]); print((x - 0.5) ** 2 + 0.01 * y)"'
        search_space:
          x: {float: [-2, 2]}
          y: {int: [0, 10]}
        sampler: {name: RandomSampler, options: {seed: 3}}
        trials: \(trials)
        """.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A two-objective study with expressions: (fidelity max, size min).
    static func paretoStudy(at url: String) throws {
        let study = try Study.create(name: "front", storage: try StorageURL(parsing: url).open(), directions: [.maximize, .minimize])
        try study.setSystemAttribute("study:metric_names", .array(["fidelity", "size"]))
        let rows: [(Double, Double, String)] = [(0.90, 5, "x0"), (0.95, 9, "gt(x0, x1)"), (0.80, 9, "x1"), (0.99, 15, "add(gt(x0, x1), x2)"), (0.95, 11, "mul(x0, x1)")]
        try study.optimize(nTrials: rows.count) { (trial: Trial) throws -> [Double] in
            let row = rows[trial.number]
            _ = try trial.suggestFloat("p", 0, 1)
            try trial.setUserAttribute("expression", ["text": .string(row.2), "size": .int(Int(row.1))])
            return [row.0, row.1]
        }
    }

    @Test("a study file gives the name and storage: trials --state, studies, best and importance read it")
    func studyFileForm() throws {
        let folder = try TemporaryFolder()
        let file = try Self.commandStudy(in: folder)
        let run = try SymstudyBinary.run(["optimize", file, "--plain"])
        #expect(run.status == 0, "\(run.stderr)")

        let trials = try SymstudyBinary.run(["trials", file, "--state", "complete", "-f", "csv", "--flatten"])
        #expect(trials.status == 0, "\(trials.stderr)")
        let lines = trials.stdout.split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines[0].hasPrefix("number,value,"))
        let values = lines.dropFirst().map { Double($0.split(separator: ",")[1])! }

        let studies = try SymstudyBinary.run(["studies", file, "-f", "json"])
        #expect(studies.status == 0, "\(studies.stderr)")
        #expect(studies.stdout.contains("\"name\": \"quadratic\"") && studies.stdout.contains("\"n_trials\": 6"))

        let best = try SymstudyBinary.run(["best", file, "-f", "json"])
        #expect(best.status == 0, "\(best.stderr)")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(best.stdout.utf8)) as? [[String: Any]])
        #expect(shown.count == 1 && shown[0]["trial"] != nil && shown[0]["expression"] is NSNull)

        let top = try SymstudyBinary.run(["best", file, "--top", "3", "-f", "csv"])
        let topValues = top.stdout.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[1])! }
        #expect(topValues == Array(values.sorted().prefix(3)))

        let importance = try SymstudyBinary.run(["importance", file, "-f", "csv"])
        #expect(importance.status == 0, "\(importance.stderr)")
        #expect(importance.stdout.contains("PED-ANOVA importances for value (6 COMPLETE trials)"))
        let shares = importance.stdout.split(separator: "\n").dropFirst(2).map { $0.split(separator: ",") }
        #expect(Set(shares.map { String($0[0]) }) == ["x", "y"])
        #expect(abs(shares.map { Double($0[1])! }.reduce(0, +) - 1) < 1e-9)
        let fanova = try SymstudyBinary.run(["importance", file, "--method", "fanova"])
        #expect(fanova.status == 0 && fanova.stdout.contains("fANOVA"), "\(fanova.stderr)")
    }

    @Test("best shows the Pareto front of two objectives, ordered by the first, with sizes and expressions")
    func paretoFront() throws {
        let folder = try TemporaryFolder()
        let url = "sqlite:///" + folder.path("front.db")
        try Self.paretoStudy(at: url)
        let result = try SymstudyBinary.run(["best", "front", "--storage", url, "-f", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        // (0.80, 9) is dominated by (0.95, 9) and (0.90, 5) is not; (0.95, 11) is dominated by (0.95, 9).
        #expect(result.stdout == "trial,fidelity,size,expression\n3,0.99,15.0,\"add(gt(x0, x1), x2)\"\n1,0.95,9.0,\"gt(x0, x1)\"\n0,0.9,5.0,x0\n")
        let table = try SymstudyBinary.run(["best", "front", "--storage", url, "--top", "1"])
        #expect(table.stdout.contains("| add(gt(x0, x1), x2) |"))
        #expect(table.stdout.split(separator: "\n").count == 5)  // rules, header and one row
    }

    @Test("errors: an unknown study lists the studies, a missing database is not created, a bad URL is named")
    func errors() throws {
        let folder = try TemporaryFolder()
        let url = "sqlite:///" + folder.path("front.db")
        try Self.paretoStudy(at: url)
        for command in ["best", "importance", "trials", "delete"] {
            let unknown = try SymstudyBinary.run([command, "frnt", "--storage", url])
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("no study named 'frnt'") && unknown.stderr.contains("its studies: front"), "\(command): \(unknown.stderr)")
        }
        _ = try Study.create(name: "empty", storage: try StorageURL(parsing: url).open(), direction: .minimize)
        for command in [["best"], ["export", "--format", "python"]] {
            let empty = try SymstudyBinary.run([command[0], "empty", "--storage", url] + command.dropFirst())
            #expect(empty.status != 0 && empty.stderr.contains("study 'empty' has no COMPLETE trial yet"), "\(command): \(empty.stderr)")
        }
        let missing = folder.path("missing.db")
        let noFile = try SymstudyBinary.run(["best", "front", "--storage", "sqlite:///" + missing])
        #expect(noFile.status != 0 && noFile.stderr.contains("no file \(missing)"))
        #expect(!FileManager.default.fileExists(atPath: missing))
        let badScheme = try SymstudyBinary.run(["best", "front", "--storage", "mysql://x/y"])
        #expect(badScheme.status != 0 && badScheme.stderr.contains("mysql://x/y"))
        let noStudyFile = try SymstudyBinary.run(["best", folder.path("nothing.yaml")])
        #expect(noStudyFile.status != 0 && noStudyFile.stderr.contains("no study file"))
        let notAStorage = folder.path("text.db")
        try "hello".write(toFile: notAStorage, atomically: true, encoding: .utf8)
        let text = try SymstudyBinary.run(["best", "front", "--storage", "sqlite:///" + notAStorage])
        #expect(text.status != 0 && text.stderr.contains("not an Optuna storage"))
        #expect(try String(contentsOfFile: notAStorage, encoding: .utf8) == "hello")
    }

    @Test("delete asks first: no answer or 'n' keeps the study and fails; 'y' or --yes deletes it")
    func deleteAsks() throws {
        let folder = try TemporaryFolder()
        let url = "sqlite:///" + folder.path("front.db")
        try Self.paretoStudy(at: url)
        for answer in ["", "n\n", "maybe\n"] {
            let kept = try SymstudyBinary.run(["delete", "front", "--storage", url], input: answer)
            #expect(kept.status != 0 && kept.stderr.contains("was not deleted"))
        }
        #expect(try StorageURL(parsing: url).open().allStudies().map(\.name) == ["front"])
        let confirmed = try SymstudyBinary.run(["delete", "front", "--storage", url], input: "y\n")
        #expect(confirmed.status == 0, "\(confirmed.stderr)")
        #expect(confirmed.stderr.contains("Delete study 'front' with its 5 trial(s)"))
        #expect(try StorageURL(parsing: url).open().allStudies().isEmpty)
        try Self.paretoStudy(at: url)
        let forced = try SymstudyBinary.run(["delete", "front", "--storage", url, "--yes"])
        #expect(forced.status == 0 && forced.stdout.contains("deleted study 'front' (5 trial(s))"))
        #expect(try StorageURL(parsing: url).open().allStudies().isEmpty)
    }
}
