import Foundation
import StudyEngine
import Testing
@testable import PolicyLearning

@Suite("Study files") struct StudyDefinitionTests {
    static let valid = """
    name: demo
    storage: sqlite:///demo.db
    objective:
      kind: command
      command: [python3, -c, "print(1)"]
    objectives:
      - {metric: value, direction: maximize}
    search_space:
      generations: 20
      population_size: {int: [200, 2000], log: true}
      parsimony: {float: [1.0e-5, 1.0e-2], log: true}
      tournament: {int: [5, 50], step: 5}
      functions: {categorical: [arithmetic, comparison]}
    sampler: {name: TPESampler, options: {seed: 3, n_startup_trials: 4}}
    pruner: {name: MedianPruner, options: {n_warmup_steps: 2}}
    trials: 12
    seeds_per_trial: 2
    seed: 7
    """

    @Test("a valid file: every key, relative storage resolved beside the file")
    func valid() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("studies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let definition = try StudyDefinition.parse(Self.valid, file: folder.appendingPathComponent("demo.yaml").path)
        #expect(definition.name == "demo")
        #expect(definition.storageURL == "sqlite:///" + folder.appendingPathComponent("demo.db").path)
        #expect(definition.objectiveKind == "command")
        #expect(definition.targets == [.init(metric: "value", direction: .maximize)])
        #expect(definition.searchSpace.count == 5)
        #expect(definition.searchSpace[0] == SearchParameter(name: "generations", value: .fixed(.int(20)), line: 9))
        #expect(definition.searchSpace[1].value == .searched(.int(try IntDistribution(low: 200, high: 2000, log: true))))
        #expect(definition.searchSpace[4].value == .searched(.categorical(try CategoricalDistribution(choices: [.string("arithmetic"), .string("comparison")]))))
        #expect(definition.sampler == SamplerSpecification(name: "TPESampler", options: ["seed": 3, "n_startup_trials": 4]))
        #expect(definition.trials == 12 && definition.seedsPerTrial == 2 && definition.seed == 7)
        let objective = try StudyObjectives.make(definition)
        #expect(objective is CommandObjective)
    }

    @Test("the default storage is an SQLite file beside the study file; the name defaults to the file's")
    func defaults() throws {
        let definition = try StudyDefinition.parse("objective: {kind: command, command: 'true'}\ntrials: 1\n", file: "/tmp/feynman.yaml")
        #expect(definition.name == "feynman")
        #expect(definition.storageURL == "sqlite:////tmp/feynman.db")
        #expect(definition.sampler.name == "TPESampler" && definition.pruner.name == "MedianPruner")
    }

    /// Each bad file names its file, line and key path.
    @Test("bad files: one error with the file, the line and the key path", arguments: [
        ("objective: {kind: command, command: 'true'}\nnmae: x\n", 2, "nmae", "unknown key 'nmae'"),
        ("objective: {kind: distil}\n", 1, "objective.kind", "unknown objective kind 'distil'"),
        ("objective: {kind: command, command: 'true'}\ntrials: many\n", 2, "trials", "expected an integer, found the text 'many'"),
        ("objective: {kind: command, command: 'true'}\nsearch_space:\n  lr: {float: [0.1, 0.01]}\n", 3, "search_space.lr", "low"),
        ("objective: {kind: command, command: 'true'}\nsearch_space:\n  lr: {float: [0.0, 1.0], log: true}\n", 3, "search_space.lr", "log"),
        ("objective: {kind: command, command: 'true'}\nsearch_space:\n  n: {int: [1, 10], stp: 2}\n", 3, "search_space.n.stp", "unknown key 'stp'"),
        ("objective: {kind: command, command: 'true'}\nsearch_space:\n  n: {int: [1]}\n", 3, "search_space.n.int", "two bounds"),
        ("objective: {kind: command, command: 'true'}\nsampler: {name: CmaEsSampler}\n", 2, "sampler", "unknown sampler 'CmaEsSampler'"),
        ("objective: {kind: command, command: 'true'}\npruner: {name: MedianPruner, options: {n_warmup: 1}}\n", 2, "pruner", "no option 'n_warmup'"),
        ("objective: {kind: command, command: 'true'}\nobjectives:\n  - {metric: value, direction: up}\n", 3, "objectives[0].direction", "minimize or maximize"),
        ("name: x\n  bad: [\n", 2, "", "not valid YAML"),
        ("objective: {kind: command, command: 'true', working_directory: /no/such/dir}\n", 1, "objective.working_directory", "does not exist"),
    ])
    func badFiles(text: String, line: Int, keyPath: String, fragment: String) {
        do {
            let definition = try StudyDefinition.parse(text, file: "/tmp/bad.yaml")
            _ = try StudyObjectives.make(definition)
            Issue.record("accepted: \(text)")
        } catch let error as StudyFileError {
            #expect(error.file == "/tmp/bad.yaml")
            #expect(error.line == line, "\(error.errorDescription ?? "")")
            #expect(error.keyPath == keyPath, "\(error.errorDescription ?? "")")
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.errorDescription?.hasPrefix("/tmp/bad.yaml:\(line)") == true)
        } catch {
            Issue.record("not a StudyFileError: \(error)")
        }
    }

    @Test("a metric the objective does not report is an error naming the objectives line")
    func unknownMetric() throws {
        let definition = try StudyDefinition.parse("objective: {kind: command, command: 'true'}\nobjectives:\n  - {metric: fidelity, direction: maximize}\n", file: "/tmp/m.yaml")
        #expect(throws: StudyFileError.self) { try StudyObjectives.make(definition) }
    }

    @Test("a missing study file is an error naming it")
    func missingFile() {
        #expect(throws: StudyFileError.self) { try StudyDefinition.load(file: "/no/such/study.yaml") }
    }
}

@Suite("The command objective") struct CommandObjectiveTests {
    static func objective(_ script: String) throws -> CommandObjective {
        let folder = FileManager.default.temporaryDirectory
        return CommandObjective(command: ["/bin/sh", "-c", script], workingDirectory: folder)
    }

    @Test("parameters arrive on stdin and in the environment; printed lines are intermediate values, the last the value")
    func protocolOfLines() throws {
        let reported = ReportLog()
        let objective = try Self.objective(#"read -r p; echo "log: $p"; echo 3; echo 2; echo "5 1.5"; echo "$SYMSTUDY_PARAM_X $SYMSTUDY_PARAM_NAME_1 $SYMSTUDY_TRIAL_NUMBER" >&2; echo "0.25 7""#)
        let context = ObjectiveContext(parameters: ["x": .double(0.5), "name-1": .string("a")], seed: 1, trialNumber: 4) { step, value in
            reported.add(step, value)
            return false
        }
        let outcome = try objective.run(context)
        #expect(outcome.metrics == ["value": 0.25, "value_1": 7])
        #expect(reported.all == [[0, 3], [1, 2], [5, 1.5]])
    }

    @Test("a pruned trial stops the program; a failing program and a non-numeric last line fail the trial")
    func pruneAndFail() throws {
        let slow = try Self.objective("for i in 1 2 3 4 5 6 7 8 9; do echo $i; sleep 0.2; done; echo 0")
        let started = Date()
        #expect(throws: TrialPruned.self) {
            try slow.run(ObjectiveContext(parameters: [:], seed: 1, trialNumber: 0) { step, _ in step >= 1 })
        }
        #expect(Date().timeIntervalSince(started) < 1.5)  // it did not run to its end
        let failing = try Self.objective("echo oops >&2; exit 3")
        do {
            _ = try failing.run(ObjectiveContext(parameters: [:], seed: 1, trialNumber: 0))
            Issue.record("a failing command passed")
        } catch {
            #expect("\(error.localizedDescription)".contains("status 3") && "\(error.localizedDescription)".contains("oops"))
        }
        #expect(throws: ObjectiveError.self) {
            try Self.objective("echo 1; echo done").run(ObjectiveContext(parameters: [:], seed: 1, trialNumber: 0))
        }
    }
}

final class ReportLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [[Double]] = []
    func add(_ step: Int, _ value: Double) {
        lock.lock()
        entries.append([Double(step), value])
        lock.unlock()
    }
    var all: [[Double]] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }
}
