import Environments
import Foundation
import StudyEngine
import SymbolicRegression
import Testing
import TestSupport
@testable import PolicyLearning

@Suite("Distillation and regression objectives") struct DistillTests {
    static let pong = TestEnvironment.shared.appendingPathComponent("data/distill/distill-pong.json").path
    static let feynman = TestEnvironment.shared.appendingPathComponent("data/sr/feynman-I.14.3_train.csv").path
    static let studies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("studies")

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("distill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("DiffSES JSON: the public dataset loads; a bad record is named by its index and key")
    func datasets() throws {
        let dataset = try DistillDataset.load(Self.pong)
        #expect(dataset.count == 20000)
        #expect(dataset.states[0][1] == ObjectState(type: 1, x: 37, y: 97, xVelocity: -2, yVelocity: -2.63))
        #expect(dataset.discreteActions?.prefix(2) == [1, 2])

        let good = #"{"type": 0, "x_velocity": 0, "y_velocity": 1, "x_position": 140, "y_position": 96}"#
        let cases: [(String, String)] = [
            ("[{\"state\": [\(good)], \"teacher_action\": 1}, {\"state\": [\(good), {\"type\": 1, \"x_position\": 3}], \"teacher_action\": 0}]",
             "record 1, key 'state[1].y_position': missing"),
            ("[{\"state\": [\(good)], \"teacher_action\": \"up\"}]", "record 0, key 'teacher_action': must be a number"),
            ("[{\"state\": [\(good)]}]", "record 0, key 'teacher_action': missing"),
            ("[{\"state\": [{\"type\": 1.5, \"x_position\": 3}], \"teacher_action\": 0}]", "record 0, key 'state[0].type': must be an integer"),
            ("[{\"state\": [\(good)], \"teacher_action\": 1}", "not valid JSON at byte"),
            ("[]", "has no records"),
        ]
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, (text, fragment)) in cases.enumerated() {
            let path = folder.appendingPathComponent("bad\(index).json").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: DatasetError.self) { try DistillDataset.load(path) }
            do { _ = try DistillDataset.load(path) } catch {
                #expect(error.localizedDescription.hasPrefix(path) && error.localizedDescription.contains(fragment), "\(error.localizedDescription)")
            }
        }
        // The recorder's CSV reads back to the same states (absent slots left out) and actions.
        let recorded = try DatasetRecorder.record(Teacher(scripted: .cartPoleAngle), environment: "CartPole-v1", episodes: 2, seed: 0, maxRows: 50)
        let csv = try DistillDataset.parseCSV(recorded.csv, source: "cartpole.csv")
        #expect(csv.count == 50)
        #expect(csv.states.map { $0.map(\.x) } == recorded.rows.map { $0.objects.map(\.x) })
        #expect(csv.discreteActions == recorded.rows.map { if case .discrete(let a) = $0.action { return a } else { return -1 } })
        #expect(throws: DatasetError.self) { try DistillDataset.parseCSV("o0_type,o0_x,o0_y,o0_vx,o0_vy,teacher_action\n0,1,2,x,4,1\n", source: "bad.csv") }
    }

    @Test("splits: row ranges, a seeded fraction (same seed, same rows; disjoint, complete), bad ranges")
    func splits() throws {
        let ranges = try DatasetSplit.ranges(train: 0...14999, test: 15000...19999).indices(count: 20000, source: "d")
        #expect(ranges.train.count == 15000 && ranges.test.first == 15000 && ranges.test.count == 5000)
        let a = try DatasetSplit.fraction(test: 0.25, seed: 7).indices(count: 1000, source: "d")
        let b = try DatasetSplit.fraction(test: 0.25, seed: 7).indices(count: 1000, source: "d")
        let c = try DatasetSplit.fraction(test: 0.25, seed: 8).indices(count: 1000, source: "d")
        #expect(a == b && a.test != c.test && a.test.count == 250)
        #expect(Set(a.train).union(a.test).count == 1000 && Set(a.train).isDisjoint(with: a.test))
        #expect(throws: DatasetError.self) { try DatasetSplit.ranges(train: 0...10, test: 5...20).indices(count: 30, source: "d") }
        #expect(throws: DatasetError.self) { try DatasetSplit.ranges(train: 0...10, test: 11...40).indices(count: 30, source: "d") }
    }

    static func distillStudy(_ extra: String = "") -> String {
        """
        objective:
          kind: distill
          dataset: \(pong)
          features:
            objects: [{type: 0, name: player}, {type: 1, name: ball}]
            fields: [y, dy]
            relations: [{kind: dy, from: player, to: ball}]
          decoding: {rounded: [1, 0, 2]}
          split: {train: [0, 2999], test: [15000, 16999]}
        \(extra)
        trials: 1
        """
    }

    @Test("distill: a small fit on distill-pong reports each generation, scores held-out rows, stores a policy that acts the same")
    func distill() throws {
        let definition = try StudyDefinition.parse(Self.distillStudy(), file: "/tmp/distill-test.yaml")
        let objective = try #require(try StudyObjectives.make(definition) as? DistillObjective)
        #expect(objective.trainCount == 3000 && objective.testCount == 2000)
        let parameters: [String: ParameterValue] = ["population_size": .int(300), "generations": .int(6), "function_set": .string("comparison"),
                                                    "const_range": .string("-10,10"), "parsimony_coefficient": .double(1e-4)]
        let reports = Reports()
        let context = ObjectiveContext(parameters: parameters, seed: 5, trialNumber: 0) { step, value in reports.add(step, value); return false }
        let outcome = try objective.run(context)
        #expect(reports.steps == Array(0..<6))
        let fidelity = try #require(outcome.metrics["test_fidelity"])
        #expect(fidelity > 0.6 && fidelity <= 1, "\(outcome.metrics)")
        #expect(outcome.metrics["train_fidelity"]! > 0.6)
        let policyText = try #require(outcome.userAttributes["policy"]).jsonText
        let policy = try SymbolicPolicy.parse(policyText)
        #expect(Double(policy.programs[0].length) == outcome.metrics["size"])
        #expect(objective.fidelity(policy, columns: objective.testColumns, actions: objective.testActions) == fidelity)
        #expect(outcome.expression?.objectValue?["text"]?.stringValue?.isEmpty == false)
        // The same seed gives the same policy.
        let again = try objective.run(ObjectiveContext(parameters: parameters, seed: 5, trialNumber: 0))
        #expect(again.userAttributes["policy"] == outcome.userAttributes["policy"])
    }

    @Test("distill with argmax logits and with continuous actions: one program per output, scored and stored")
    func otherDecodings() throws {
        let dataset = try DistillDataset.load(Self.pong)
        let featurizer = try #require(Featurizer.standard(for: "pong"))
        let small = DistillDataset(source: dataset.source, states: Array(dataset.states.prefix(1200)), actions: Array(dataset.actions.prefix(1200)))
        let argmax = try DistillObjective(dataset: small, featurizer: featurizer, decoding: .argmax(actions: [0, 1, 2]),
                                          split: .ranges(train: 0...999, test: 1000...1199))
        let parameters: [String: ParameterValue] = ["population_size": .int(100), "generations": .int(3), "function_set": .string("comparison")]
        let steps = Reports()
        let outcome = try argmax.run(ObjectiveContext(parameters: parameters, seed: 2, trialNumber: 0) { step, value in steps.add(step, value); return false })
        #expect(steps.steps == Array(0..<9))
        let policy = try SymbolicPolicy.parse(try #require(outcome.userAttributes["policy"]).jsonText)
        #expect(policy.programs.count == 3 && outcome.expression?.objectValue?["outputs"]?.arrayValue?.count == 3)
        #expect(outcome.metrics["test_fidelity"]! > 0.3)
        // The ball's y velocity as a continuous "action": one program, clipped to [-10, 10].
        let continuous = DistillDataset(source: "vy", states: small.states, actions: small.states.map { [$0[1].yVelocity] })
        let objective = try DistillObjective(dataset: continuous, featurizer: featurizer, decoding: .continuous(low: [-10], high: [10]),
                                             split: .fraction(test: 0.2, seed: 0), tolerance: 0.01)
        let fitted = try objective.run(ObjectiveContext(parameters: parameters, seed: 2, trialNumber: 0))
        #expect(fitted.metrics["test_fidelity"]! > 0.9, "\(fitted.metrics)")  // ball_dy itself is a feature
        // A pruner's stop ends the trial as pruned.
        #expect(throws: TrialPruned.self) {
            try argmax.run(ObjectiveContext(parameters: parameters, seed: 2, trialNumber: 0) { _, _ in true })
        }
    }

    @Test("GP parameters from a trial: presets, ranges, scaled probabilities, bad values named")
    func gpParameters() throws {
        let context = ObjectiveContext(parameters: ["function_set": .string("comparison"), "const_range": .double(2.5), "init_depth_min": .int(2),
                                                    "init_depth_extra": .int(3), "p_crossover": .double(0.9), "p_point_mutation": .double(0.2),
                                                    "scale_probabilities": .bool(true), "tournament": .int(7), "parsimony": .string("auto")],
                                       seed: 9, trialNumber: 0, threads: 2)
        let p = try GPTrialParameters.read(context, base: GPParameters())
        #expect(p.functionSet.builtins.map(\.name) == ["add", "sub", "mul", "gt"])
        #expect(p.constRange == -2.5...2.5 && p.initDepth == 2...5 && p.tournamentSize == 7 && p.parsimonyCoefficient == .auto)
        #expect(abs(p.pCrossover + p.pSubtreeMutation + p.pHoistMutation + p.pPointMutation - 0.999) < 1e-12)
        #expect(p.randomState == 9 && p.threads == 2)
        #expect(throws: ObjectiveError.self) {
            try GPTrialParameters.read(ObjectiveContext(parameters: ["function_set": .string("add,nope")], seed: 0, trialNumber: 0), base: GPParameters())
        }
        #expect(throws: ObjectiveError.self) {
            try GPTrialParameters.read(ObjectiveContext(parameters: ["p_crossover": .double(0.99), "p_point_mutation": .double(0.1)], seed: 0, trialNumber: 0), base: GPParameters())
        }
        // The pattern search moves a threshold constant to where the score is highest.
        let program = Program([.function(.gt), .feature(0), .constant(0.2)])
        let best = ConstantSearch(budget: 200).improve(program) { candidate in -abs(candidate.nodes[2].value - 3.7) }
        #expect(abs(best.program.nodes[2].value - 3.7) < 0.05)
    }

    @Test("regress: a small fit on Feynman I.14.3 with a seeded split reports R2 and MSE on held-out rows")
    func regress() throws {
        let text = """
        objective: {kind: regress, train: \(Self.feynman), target: U, split: {test_fraction: 0.2, seed: 1}}
        trials: 1
        """
        let objective = try #require(try StudyObjectives.make(try StudyDefinition.parse(text, file: "/tmp/regress-test.yaml")) as? RegressObjective)
        #expect(objective.test.rowCount == 1500 && objective.train.rowCount == 6000)
        let context = ObjectiveContext(parameters: ["population_size": .int(200), "generations": .int(5), "function_set": .string("add,sub,mul")],
                                       seed: 1, trialNumber: 0)
        let outcome = try objective.run(context)
        #expect(outcome.metrics["test_r2"]! > 0.5, "\(outcome.metrics)")
        #expect(outcome.metrics["test_mse"]! >= 0 && outcome.metrics["size"]! >= 1)
    }

    @Test("bad distill and regress sections: one error with the file, the key path and the line", arguments: [
        (distillStudy("  episods: 3"), 10, "objective.episods", "unknown key 'episods'"),
        (distillStudy().replacingOccurrences(of: "to: ball", with: "to: bal"), 7, "objective.features.relations[0].to", "no object named 'bal'"),
        (distillStudy().replacingOccurrences(of: "16999", with: "26999"), 9, "objective.split.test", "beyond the dataset's 20000 rows"),
        (distillStudy().replacingOccurrences(of: "[1, 0, 2]", with: "[1, 0]"), 3, "objective.dataset", "action 2 is not in the decoding's action set"),
        (distillStudy().replacingOccurrences(of: "rounded:", with: "round:"), 8, "objective.decoding", "unknown decoding 'round'"),
        (distillStudy().replacingOccurrences(of: "fields: [y, dy]", with: "fields: [y, vy]"), 6, "objective.features.fields[1]", "a field is one of"),
        (distillStudy().replacingOccurrences(of: "name: player}", with: "name: player, fields: [x, vy]}"), 5, "objective.features.objects[0].fields[1]", "a field is one of"),
        (distillStudy().replacingOccurrences(of: "name: player}", with: "name: player, fields: []}"), 5, "objective.features.objects[0].fields", "fields list is not empty"),
        (distillStudy().replacingOccurrences(of: pong, with: "/no/such.json"), 3, "objective.dataset", "no such file"),
        (distillStudy("  environment: Pongg"), 10, "objective.environment", "Pongg"),
        ("objective: {kind: regress, train: \(feynman), target: W}\ntrials: 1\n", 1, "objective.train", "no target column 'W'"),
        ("objective: {kind: regress, train: \(feynman)}\nsearch_space:\n  populaton_size: 100\n", 3, "search_space.populaton_size", "no parameter 'populaton_size'"),
    ])
    func badSections(text: String, line: Int, keyPath: String, fragment: String) {
        do {
            _ = try StudyObjectives.make(try StudyDefinition.parse(text, file: "/tmp/bad-distill.yaml"))
            Issue.record("accepted: \(text)")
        } catch let error as StudyFileError {
            #expect(error.file == "/tmp/bad-distill.yaml")
            #expect(error.line == line, "\(error.errorDescription ?? "")")
            #expect(error.keyPath == keyPath, "\(error.errorDescription ?? "")")
            #expect(error.message.contains(fragment), "\(error.message)")
        } catch {
            Issue.record("not a StudyFileError: \(error)")
        }
    }

    @Test("the shipped studies read and build their objectives (the recorded ones record their dataset)")
    func shippedStudies() throws {
        for name in ["feynman-regress", "diffses-pong"] {
            let definition = try StudyDefinition.load(file: Self.studies.appendingPathComponent("\(name).yaml").path)
            _ = try StudyObjectives.make(definition)
        }
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["pong-distill", "cartpole-distill"] {
            let copy = folder.appendingPathComponent("\(name).yaml").path
            try FileManager.default.copyItem(atPath: Self.studies.appendingPathComponent("\(name).yaml").path, toPath: copy)
            let objective = try #require(try StudyObjectives.make(try StudyDefinition.load(file: copy)) as? DistillObjective)
            #expect(objective.environment != nil && objective.trainCount > 1000)
        }
    }
}

/// Intermediate values a test objective reported.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [(Int, Double)] = []
    func add(_ step: Int, _ value: Double) { lock.withLock { values.append((step, value)) } }
    var steps: [Int] { lock.withLock { values.map(\.0) } }
}
