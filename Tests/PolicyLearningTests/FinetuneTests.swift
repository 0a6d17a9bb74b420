import Environments
import Foundation
import StudyEngine
import SymbolicRegression
import TestSupport
import Testing
@testable import PolicyLearning

@Suite("Fine-tuning") struct FinetuneTests {
    /// The weak CartPole start: pushes left unless the pole leans far right, so it falls within ~10 steps.
    static let weakExpression = "((dx_cart_pole * 0.3) + (dvx_cart_pole * 0.05)) + 0.3"

    static func study(_ searchSpace: String, start: String = "{expression: \"\(weakExpression)\", decoding: rounded}",
                      extra: String = "", folder: TemporaryFolder) throws -> StudyDefinition {
        let text = """
        objective:
          kind: finetune
          environment: CartPole-v1
          start: \(start)
          eval_episodes: 20
        \(extra)
        search_space:
        \(searchSpace)
        trials: 1
        """
        return try StudyDefinition.parse(text, file: folder.path("cartpole-finetune.yaml"))
    }

    static func run(_ definition: StudyDefinition, seed: UInt64 = 3) throws -> ObjectiveOutcome {
        let objective = try StudyObjectives.make(definition)
        var parameters: [String: ParameterValue] = [:]
        for parameter in definition.searchSpace {
            if case .fixed(let value) = parameter.value { parameters[parameter.name] = value }
        }
        return try objective.run(ObjectiveContext(parameters: parameters, seed: seed, trialNumber: 0, threads: 2))
    }

    // MARK: Gradients

    /// A minibatch of random rows for a policy: features, sampled actions, old log-probabilities spread so that
    /// rows fall on both sides of the clip range, advantages and teacher actions.
    static func batch<E: Environment>(_ stepper: PolicyStepper<E>, programs: [Program], logStd: [Double], rows: Int,
                                      generator g: inout SeededGenerator) -> ConstantPPO<E>.Rollout {
        let f = stepper.policy.featureCount, dim = stepper.head.actionDimension
        var r = ConstantPPO<E>.Rollout(features: [], actions: [], logProbabilities: [], values: [], rewards: [], dones: [],
                                       teacher: [], hasTeacher: [])
        let buffers = stepper.makeBuffers(longest: programs.map(\.length).max()!, observationCount: 1)
        for _ in 0..<rows {
            let x = (0..<f).map { _ in g.uniform(-1.5, 1.5) }
            r.features += x
            x.withUnsafeBufferPointer { stepper.evaluate(programs, features: $0.baseAddress!, buffers) }
            let logp = logStd.withUnsafeBufferPointer { s in
                stepper.head.sample(buffers.outputs, logStd: s.baseAddress ?? UnsafePointer(buffers.scratch), generator: &g,
                                    action: buffers.action, scratch: buffers.scratch)
            }
            r.actions += (0..<dim).map { buffers.action[$0] }
            r.logProbabilities.append(logp + g.uniform(-0.5, 0.5))
            if let count = stepper.head.discreteCount {
                r.teacher.append(Double(Int.random(in: 0..<count, using: &g)))
            } else {
                r.teacher += (0..<dim).map { _ in g.uniform(-2, 2) }
            }
            r.hasTeacher.append(true)
            r.rewards.append(0); r.values.append(0); r.dones.append(false)
        }
        return r
    }

    /// The analytic gradient of PPO's minibatch loss (clipped surrogate, entropy, soft expert term) with
    /// respect to every constant and log σ, against central differences of the same loss.
    func checkGradient<E: Environment>(_ environment: E, name: String, decoding: ActionDecoding, expressions: [String]) throws {
        let featurizer = try SymbolicPolicy.defaultFeaturizer(for: environment, name: name)
        let programs = try expressions.map { try InfixFormat.parse($0, functionSet: SymbolicPolicy.allOperators, featureNames: featurizer.featureNames) }
        let policy = try SymbolicPolicy(featurizer: featurizer, decoding: decoding, programs: programs)
        let stepper = try PolicyStepper(policy: policy, environment: environment, environmentName: name, teacher: nil)
        var g = SeededGenerator(seed: 11)
        let logStd = [Double](repeating: -0.3, count: stepper.head.logStdCount)
        let rollout = Self.batch(stepper, programs: programs, logStd: logStd, rows: 24, generator: &g)
        let advantages = (0..<24).map { _ in g.normal() }
        let terms = ActionHead.Terms(clip: 0.2, entropyCoefficient: 0.05, expertWeight: 0.3, scale: 1)
        let gradient = ProgramGradient(functionSet: SymbolicPolicy.allOperators)
        let rows = Array(0..<24)[...]
        let analytic = try ConstantPPO<E>.minibatchLoss(programs, stepper: stepper, logStd: logStd, rollout: rollout, rows: rows,
                                                         advantages: advantages, terms: terms, gradient: gradient)
        func loss(_ p: [Program], _ s: [Double]) throws -> Double {
            try ConstantPPO<E>.minibatchLoss(p, stepper: stepper, logStd: s, rollout: rollout, rows: rows, advantages: advantages,
                                             terms: terms, gradient: gradient).loss
        }
        let constants = programs.flatMap(\.constants)
        #expect(analytic.constants.count == constants.count && constants.count >= 2)
        let h = 1e-6
        var worst = 0.0
        for k in constants.indices {
            var plus = programs, minus = programs
            var up = constants, down = constants
            up[k] += h; down[k] -= h
            ConstantPPO<E>.setConstants(&plus, up)
            ConstantPPO<E>.setConstants(&minus, down)
            let numeric = (try loss(plus, logStd) - loss(minus, logStd)) / (2 * h)
            worst = max(worst, abs(numeric - analytic.constants[k]) / max(1e-4, abs(numeric) + abs(analytic.constants[k])))
        }
        for k in logStd.indices {
            var up = logStd, down = logStd
            up[k] += h; down[k] -= h
            let numeric = (try loss(programs, up) - loss(programs, down)) / (2 * h)
            worst = max(worst, abs(numeric - analytic.logStd[k]) / max(1e-4, abs(numeric) + abs(analytic.logStd[k])))
        }
        #expect(worst < 1e-5, "\(name) \(decoding): worst relative error \(worst)")
        #expect(analytic.constants.contains { abs($0) > 1e-3 }, "a gradient that is not trivially zero")
    }

    @Test("PPO's gradient of the constants (and log sigma) matches finite differences: rounded, argmax, Gaussian heads")
    func gradients() throws {
        try checkGradient(CartPole(), name: "CartPole-v1", decoding: .rounded(actions: [0, 1]),
                          expressions: ["(0.3 + (0.7 * dx_cart_pole)) + (0.2 * sin((1.5 * dvx_cart_pole)))"])
        try checkGradient(CartPole(), name: "CartPole-v1", decoding: .argmax(actions: [0, 1]),
                          expressions: ["(0.4 * pole_dx) - 0.1", "(1.3 * dx_cart_pole) + (dvx_cart_pole * (0.5 * cart_x))"])
        try checkGradient(Pendulum(), name: "Pendulum-v1", decoding: .continuous(low: [-2], high: [2]),
                          expressions: ["(-2.0 * bob_x) + (0.3 * (bob_dx * bob_y))"])
    }

    // MARK: Improvement

    @Test("a short return-driven GP raises a weak CartPole expression far above its start; the same seed gives the same result")
    func evolutionImproves() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let space = """
          gp: true
          iterations: 6
          population_size: 32
          fitness_episodes: 4
        """
        let definition = try Self.study(space, folder: folder)
        let outcome = try Self.run(definition)
        let start = try #require(outcome.metrics["start_return"]), final = try #require(outcome.metrics["mean_return"])
        print("finetune GP: start \(start) -> \(final), size \(outcome.metrics["size"] ?? -1)")
        #expect(start < 100)
        #expect(final > 300)
        #expect(outcome.expression?.objectValue?["text"]?.stringValue != nil)
        let policy = try SymbolicPolicy.parse(try #require(outcome.userAttributes["policy"]).jsonText)
        #expect(policy.decoding == .rounded(actions: [0, 1]))
        // The stored policy plays the evaluation episodes (seeds 1000000...) as the distill branch's evaluator does.
        let replayed = try PolicyEvaluation.run(policy, environment: "CartPole-v1", episodes: 20, seed: 1_000_000)
        #expect(replayed.meanReturn == final)
        let again = try Self.run(definition)
        #expect(again.metrics == outcome.metrics)
    }

    @Test("PPO alone, on the constants of the weak expression, raises its return")
    func ppoImproves() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let space = """
          gp: false
          ppo: true
          iterations: 6
          ppo_updates: 2
          value_baseline: linear
        """
        let outcome = try Self.run(try Self.study(space, folder: folder))
        let start = try #require(outcome.metrics["start_return"]), final = try #require(outcome.metrics["mean_return"])
        print("finetune PPO: start \(start) -> \(final)")
        #expect(final > start + 50)
    }

    @Test("start from the best trials' policies of a distillation study in SQLite; the PPO teacher's expert term runs")
    func startFromStudy() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let storage = try StorageURL(parsing: "sqlite:///" + folder.path("distill.db")).open()
        let study = try Study.create(name: "cartpole-distill", storage: storage, direction: .maximize)
        let featurizer = try #require(Featurizer.standard(for: "CartPole-v1"))
        // Trial 0: the weak expression (better value); trial 1: always left; trial 2: no policy.
        for (expression, value) in [(Self.weakExpression, 0.9), ("0.0", 0.5), (nil, 0.99)] as [(String?, Double)] {
            let trial = try study.ask()
            if let expression {
                let program = try InfixFormat.parse(expression, functionSet: SymbolicPolicy.allOperators, featureNames: featurizer.featureNames)
                let policy = try SymbolicPolicy(featurizer: featurizer, decoding: .rounded(actions: [0, 1]), programs: [program])
                try trial.setUserAttribute("policy", try JSONValue.parse(policy.jsonText))
            }
            _ = try study.tell(trial, value: value)
        }
        let definition = try Self.study("  methods: ppo\n  iterations: 2\n  expert_weight: 0.5",
                                        start: "{study: cartpole-distill, storage: \"sqlite:///distill.db\", top: 2}",
                                        extra: "  teacher: {scripted: cartpole-theta-plus-theta-dot}", folder: folder)
        let objective = try #require(try StudyObjectives.make(definition) as? FinetuneObjective)
        #expect(objective.starts.count == 2)
        #expect(objective.starts[0].programs == [try InfixFormat.parse(Self.weakExpression, functionSet: SymbolicPolicy.allOperators,
                                                                          featureNames: featurizer.featureNames)])
        let outcome = try Self.run(definition)
        #expect(outcome.metrics["mean_return"] != nil)
        #expect(outcome.userAttributes["finetune"]?.objectValue?["methods"] == .array(["ppo", "expert"]))
    }

    @Test("Pendulum: GP and PPO (Gaussian head) together lift a timid controller; the policy is continuous")
    func pendulumImproves() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let text = """
        objective:
          kind: finetune
          environment: Pendulum-v1
          start: {expression: "(-0.5 * bob_x) - (0.1 * bob_dx)", decoding: continuous}
          eval_episodes: 10
        search_space:
          methods: gp+ppo
          iterations: 4
          population_size: 24
          fitness_episodes: 3
          ppo_environments: 4
          ppo_steps: 100
        trials: 1
        """
        let outcome = try Self.run(try StudyDefinition.parse(text, file: folder.path("pendulum.yaml")))
        let start = try #require(outcome.metrics["start_return"]), final = try #require(outcome.metrics["mean_return"])
        print("finetune Pendulum: start \(start) -> \(final)")
        #expect(final > start + 100)
        let policy = try SymbolicPolicy.parse(try #require(outcome.userAttributes["policy"]).jsonText)
        #expect(policy.decoding == .continuous(low: [-2], high: [2]))
    }

    @Test("a dataset teacher (DiffSES JSON of the scripted teacher's states and actions): its expert term ranks the teacher's rule above the weak start and guides PPO")
    func datasetTeacher() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        struct Record: Encodable { var state: [ObjectState]; var teacher_action: Int }
        var records: [Record] = []
        var environment = CartPole(seed: 5)
        let teacher = ScriptedTeacher.cartPoleAngle
        for _ in 0..<600 {
            let action = Int(teacher.action(environment.observation))
            records.append(Record(state: environment.objects, teacher_action: action))
            if environment.step(action).done { environment.reset() }
        }
        try JSONEncoder().encode(records).write(to: URL(fileURLWithPath: folder.path("teacher.json")))
        let definition = try Self.study("  methods: ppo\n  iterations: 3\n  expert_weight: 1.0",
                                        extra: "  teacher: {dataset: teacher.json}", folder: folder)
        let objective = try #require(try StudyObjectives.make(definition) as? FinetuneObjective)
        let policy = objective.starts[0]
        let expert = try ExpertDataset(try #require(objective.teacherDataset), policy: policy)
        #expect(expert.rows == 600)
        let stepper = try PolicyStepper(policy: policy, environment: CartPole(), environmentName: "CartPole-v1", teacher: nil)
        let rule = try InfixFormat.parse("((dx_cart_pole + dvx_cart_pole) * 20.0) + 0.5", functionSet: SymbolicPolicy.allOperators,
                                         featureNames: policy.featureNames)
        let weakLoss = expert.meanLoss(policy.programs, stepper: stepper, logStd: [-1], rows: 0..<600)
        let ruleLoss = expert.meanLoss([rule], stepper: stepper, logStd: [-1], rows: 0..<600)
        #expect(ruleLoss < 0.5 * weakLoss, "cross-entropy of the teacher's rule \(ruleLoss), of the weak start \(weakLoss)")
        let outcome = try Self.run(definition)
        print("finetune dataset teacher: start \(outcome.metrics["start_return"] ?? .nan) -> \(outcome.metrics["mean_return"] ?? .nan)")
        #expect(try #require(outcome.metrics["mean_return"]) > 100)
    }

    // MARK: Errors

    @Test("bad options and sections give an error naming the key")
    func badOptions() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        func failure(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return (error as? any LocalizedError)?.errorDescription ?? "\(error)" }
        }
        let small = failure { _ = try StudyObjectives.make(try Self.study("  population_size: 1", folder: folder)) }
        #expect(small.contains("search_space.population_size") && small.contains("population_size = 1"), "\(small)")
        let baseline = failure { _ = try StudyObjectives.make(try Self.study("  value_baseline: {categorical: [mlp, quadratic]}", folder: folder)) }
        #expect(baseline.contains("search_space.value_baseline") && baseline.contains("quadratic"), "\(baseline)")
        let unknown = failure { _ = try StudyObjectives.make(try Self.study("  populaton_size: 10", folder: folder)) }
        #expect(unknown.contains("populaton_size"), "\(unknown)")
        let neither = failure { _ = try StudyObjectives.make(try Self.study("  gp: false\n  ppo: false", folder: folder)) }
        #expect(neither.contains("gp, ppo"), "\(neither)")
        let expert = failure { _ = try StudyObjectives.make(try Self.study("  expert_weight: 0.5", folder: folder)) }
        #expect(expert.contains("expert_weight") && expert.contains("teacher"), "\(expert)")
        let missing = failure { _ = try StudyObjectives.make(try Self.study("  gp: true", start: "{policy: nowhere.json}", folder: folder)) }
        #expect(missing.contains("start.policy") && missing.contains("nowhere.json"), "\(missing)")
        let key = failure { _ = try StudyObjectives.make(try Self.study("  gp: true", extra: "  episodes: 3", folder: folder)) }
        #expect(key.contains("episodes"), "\(key)")
        let text = failure { _ = try StudyObjectives.make(try Self.study("  gp: true", start: "{expression: \"pole_q + 1\"}", folder: folder)) }
        #expect(text.contains("start.expression") && text.contains("pole_q"), "\(text)")
        let methods = failure { _ = try StudyObjectives.make(try Self.study("  methods: {categorical: [gp, tpe]}", folder: folder)) }
        #expect(methods.contains("search_space.methods") && methods.contains("tpe"), "\(methods)")
        let runtime = failure { _ = try FinetuneOptions(["clip": .double(-1)]) }
        #expect(runtime.contains("clip = -1"), "\(runtime)")
    }
}
