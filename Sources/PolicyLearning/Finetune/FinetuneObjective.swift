import Environments
import Foundation
import StudyEngine
import SymbolicRegression

/// DiffSES stage III as a study's objective: improve a symbolic policy with rewards.
///
/// ```yaml
/// objective:
///   kind: finetune
///   environment: CartPole-v1
///   start: {policy: policies/cartpole-weak.json}   # or {study: NAME, top: K}, or {expression: ..., decoding: ...}
///   teacher: {scripted: cartpole-theta-plus-theta-dot}   # or {file: teacher.json} (a PPO teacher), or
///                                                  # {dataset: data.json} (DiffSES JSON or CSV); for expert_weight > 0
///   eval_episodes: 100                             # seeded episodes behind mean_return and start_return
///   eval_seed: 1000000                             # their first seed (episode i: eval_seed + i)
/// search_space:                                    # FinetuneOptions: gp, ppo, expert_weight, iterations, ...
///   gp: {categorical: [true, false]}
///   ppo: true
/// ```
///
/// The three methods, any combination per trial: (a) `gp`, episode return as GP fitness; (b) `ppo`, the
/// constants trained by PPO with the expressions as the policy; (c) `expert_weight` λ, a soft expert term
/// to the teacher's action added to PPO's loss (and, as a per-step penalty, to GP's fitness). Each
/// iteration reports the policy's mean return (pruning). Metrics: `mean_return` (the best policy on the
/// evaluation episodes), `start_return` (the start on the same episodes), `improvement`, `size`.
public struct FinetuneObjective: TrialObjective {
    public var environment: String
    public var starts: [SymbolicPolicy]
    public var teacher: Teacher?
    /// A dataset teacher: the expert term is measured on its states.
    public var teacherDataset: DistillDataset?
    public var evaluationEpisodes: Int
    public var evaluationSeed: UInt64

    public var metrics: [String] { ["mean_return", "start_return", "improvement", "size"] }
    public var defaultTargets: [StudyDefinition.Target] { [.init(metric: "mean_return", direction: .maximize)] }
    public var parameters: [String: String] { FinetuneOptions.descriptions }

    public init(environment: String, starts: [SymbolicPolicy], teacher: Teacher? = nil, teacherDataset: DistillDataset? = nil,
                evaluationEpisodes: Int = 100, evaluationSeed: UInt64 = 1_000_000) {
        self.environment = environment
        self.starts = starts
        self.teacher = teacher
        self.teacherDataset = teacherDataset
        self.evaluationEpisodes = evaluationEpisodes
        self.evaluationSeed = evaluationSeed
    }

    static func read(_ section: YAMLValue, definition: StudyDefinition) throws -> FinetuneObjective {
        _ = try section.optional("kind")
        let environmentNode = try section.required("environment")
        let environment = try environmentNode.string()
        do { _ = try EnvironmentRegistry.visit(environment, seed: 0, ActionSpaceReader()) } catch {
            throw environmentNode.error(errorText(error))
        }
        let starts = try FinetuneStart.read(try section.required("start"), definition: definition, environment: environment)
        var teacher: Teacher?, dataset: DistillDataset?
        if let node = try section.optional("teacher") { (teacher, dataset) = try readTeacher(node, definition: definition) }
        let episodesNode = try section.optional("eval_episodes")
        let episodes = try episodesNode?.int() ?? 100
        if let episodesNode, episodes < 1 { throw episodesNode.error("eval_episodes must be at least 1") }
        let seedNode = try section.optional("eval_seed")
        let seed = try seedNode?.int() ?? 1_000_000
        if let seedNode, seed < 0 { throw seedNode.error("eval_seed must not be negative") }
        try section.finish()
        try checkSearchSpace(definition)
        let expert = definition.searchSpace.first { $0.name == "expert_weight" }
        if teacher == nil, dataset == nil, let expert, expert.value != .fixed(.int(0)), expert.value != .fixed(.double(0)) {
            throw StudyFileError(file: definition.file, line: expert.line, keyPath: "search_space.expert_weight",
                                 message: "the soft expert term needs a teacher: add objective.teacher ({scripted: NAME}, {file: PATH} or {dataset: PATH})")
        }
        if let dataset {
            do { _ = try ExpertDataset(dataset, policy: starts[0]) } catch {
                throw try section.required("teacher").error(errorText(error))
            }
        }
        return FinetuneObjective(environment: environment, starts: starts, teacher: teacher, teacherDataset: dataset,
                                 evaluationEpisodes: episodes, evaluationSeed: UInt64(seed))
    }

    static func readTeacher(_ node: YAMLValue, definition: StudyDefinition) throws -> (Teacher?, DistillDataset?) {
        // The file a key names, read; a read error is reported at that key.
        func load<T>(_ file: YAMLValue, _ read: (String) throws -> T) throws -> T {
            let path = definition.resolve(try file.string()).path
            let value: T
            do { value = try read(path) } catch { throw file.error(errorText(error)) }
            try node.finish()
            return value
        }
        if let file = try node.optional("dataset") {
            return (nil, try load(file, DistillDataset.load))
        }
        if let name = try node.optional("scripted") {
            let text = try name.string()
            guard let scripted = ScriptedTeacher(rawValue: text) else {
                throw name.error("unknown scripted teacher '\(text)': \(ScriptedTeacher.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try node.finish()
            return (Teacher(scripted: scripted), nil)
        }
        if let file = try node.optional("file") {
            return (try load(file, Teacher.load), nil)
        }
        throw node.error("a teacher is {scripted: NAME}, {file: PATH} (a teacher file) or {dataset: PATH} (states and actions)")
    }

    /// Checks the fixed values and the bounds of searched ones against the options' ranges, so a bad value is
    /// reported with its line before any trial runs.
    static func checkSearchSpace(_ definition: StudyDefinition) throws {
        var fixed: [String: ParameterValue] = [:]
        for parameter in definition.searchSpace where FinetuneOptions.descriptions[parameter.name] != nil {
            let candidates: [ParameterValue]
            switch parameter.value {
            case .fixed(let value): candidates = [value]; fixed[parameter.name] = value
            case .searched(.float(let d)): candidates = [.double(d.low), .double(d.high)]
            case .searched(.int(let d)): candidates = [.int(d.low), .int(d.high)]
            case .searched(.categorical(let d)): candidates = d.choices
            }
            for candidate in candidates {
                do { _ = try FinetuneOptions([parameter.name: candidate]) } catch {
                    throw StudyFileError(file: definition.file, line: parameter.line, keyPath: "search_space.\(parameter.name)",
                                         message: errorText(error))
                }
            }
        }
        if definition.searchSpace.allSatisfy({ if case .fixed = $0.value { return true } else { return false } }) {
            do { try FinetuneOptions(fixed).validate() } catch {
                throw StudyFileError(file: definition.file, line: nil, keyPath: "search_space",
                                     message: errorText(error))
            }
        }
    }

    public func run(_ context: ObjectiveContext) throws -> ObjectiveOutcome {
        let options = try FinetuneOptions(context.parameters)
        try options.validate()
        if options.expertWeight > 0 && teacher == nil && teacherDataset == nil {
            throw FinetuneError.option(name: "expert_weight", value: "\(options.expertWeight)", valid: "0 without a teacher (add objective.teacher)")
        }
        let seeds = (0..<evaluationEpisodes).map { evaluationSeed &+ UInt64($0) }
        let run = FinetuneRun(environmentName: environment, starts: starts, teacher: teacher, teacherDataset: teacherDataset,
                              options: options, evaluationSeeds: seeds)
        let visitor = FinetuneVisitor(run: run, seed: context.seed, threads: context.threads) { step, value in
            context.report(step, value)
        }
        let result = try EnvironmentRegistry.visit(environment, seed: context.seed, visitor)
        return Self.outcome(result, options: options)
    }

    static func outcome(_ result: FinetuneResult, options: FinetuneOptions) -> ObjectiveOutcome {
        let policy = result.policy
        let metrics = ["mean_return": result.meanReturn, "start_return": result.startReturn,
                       "improvement": result.meanReturn - result.startReturn, "size": Double(policy.size)]
        let methods = [options.gp ? "gp" : nil, options.ppo ? "ppo" : nil, options.expertWeight > 0 ? "expert" : nil].compactMap { $0 }
        let details: JSONValue = .object([
            "methods": .array(methods.map { .string($0) }),
            "history": .array(result.history.map { .double($0) }),
            "start_expression": .string(result.start.programs.map {
                InfixFormat.string($0, functionSet: SymbolicPolicy.allOperators, featureNames: result.start.featureNames)
            }.joined(separator: "; ")),
            "log_std": .array(result.logStd.map { .double($0) }),
        ])
        let operators = SymbolicPolicy.allOperators, names = policy.featureNames
        let outputNames = policy.programs.count > 1 && !policy.decoding.actions.isEmpty ? policy.decoding.actions.map { "action \($0)" } : []
        return ObjectiveOutcome(metrics: metrics,
                                expression: ExpressionAttribute.expression(policy.programs, functionSet: operators, featureNames: names, outputNames: outputNames),
                                program: ExpressionAttribute.program(policy.programs, functionSet: operators, featureNames: names),
                                userAttributes: ["policy": (try? JSONValue.parse(policy.jsonText)) ?? .string(policy.jsonText), "finetune": details])
    }

    /// Only checks that the environment can be made.
    struct ActionSpaceReader: EnvironmentVisitor {
        func visit<E: Environment>(_ environment: E) throws -> ActionSpace { environment.actionSpace }
    }
}
