import Foundation
import StudyEngine
import SymbolicRegression

/// The options of a fine-tuning: which of the three improvement methods run (they combine) and their
/// settings. Every option is a parameter a study file's `search_space` may fix or search; absent ones take
/// the defaults below.
struct FinetuneOptions: Sendable, Equatable {
    /// Iterations; each runs one GP generation and/or PPO updates, then reports the policy's mean return.
    var iterations = 20
    /// (a) evolve a population with episode return as fitness.
    var gp = true
    /// (b) train the expressions' constants with PPO, the expressions being the policy.
    var ppo = false
    /// (c) λ of the soft expert term (0: off); needs a teacher.
    var expertWeight = 0.0

    var populationSize = 64
    var tournamentSize = 4
    var elitism = 2
    var pCrossover = 0.2
    var pSubtreeMutation = 0.15
    var pHoistMutation = 0.05
    var pPointMutation = 0.2
    var pConstantMutation = 0.35
    var constantNoise = 0.3
    var maxLength = 31
    /// Return given up per node of the policy (size pressure in GP fitness).
    var parsimony = 0.0
    /// Episodes per GP fitness (K).
    var fitnessEpisodes = 8
    var functionSet = "add,sub,mul,div"

    /// PPO updates per iteration.
    var ppoUpdates = 1
    var ppoEnvironments = 8
    var ppoSteps = 128
    var ppoEpochs = 4
    var ppoMinibatch = 256
    var ppoLearningRate = 0.01
    var valueLearningRate = 1e-3
    var gamma = 0.99
    var gaeLambda = 0.95
    var clip = 0.2
    var entropyCoefficient = 0.0
    var maxGradientNorm = 0.5
    /// log σ at the start: the Gaussian's spread, or the rounded head's softness.
    var initialLogStd = -0.5
    /// The value baseline: a small MLP (two tanh layers of 64) or linear in the features.
    var valueBaseline = "mlp"

    /// Episodes (fixed seeds) behind each iteration's reported mean return.
    var reportEpisodes = 10

    /// Each option with what it is and what is valid (for errors and the objective's parameter list).
    static let descriptions: [String: String] = [
        "iterations": "iterations, each one GP generation and/or PPO updates (int >= 1)",
        "methods": "the methods as one choice: gp, ppo or gp+ppo (instead of gp and ppo)",
        "gp": "(a) evolve with episode return as fitness (true/false)",
        "ppo": "(b) train the constants with PPO (true/false)",
        "expert_weight": "(c) lambda of the soft expert term to the teacher (>= 0)",
        "population_size": "GP population (int >= 2)",
        "tournament_size": "GP tournament size (int >= 1)",
        "elitism": "best programs copied into the next generation (0 up to population_size - 1)",
        "p_crossover": "probability of subtree crossover",
        "p_subtree_mutation": "probability of subtree mutation",
        "p_hoist_mutation": "probability of hoist mutation",
        "p_point_mutation": "probability of point mutation",
        "p_constant_mutation": "probability of perturbing the constants (the rest is reproduction)",
        "constant_noise": "relative standard deviation of a constant's perturbation (> 0)",
        "max_length": "longest expression GP may make (int >= 1)",
        "parsimony": "return given up per node in GP fitness (>= 0)",
        "fitness_episodes": "episodes per GP fitness (int >= 1)",
        "function_set": "GP operators, e.g. add,sub,mul,div",
        "ppo_updates": "PPO updates per iteration (int >= 1)",
        "ppo_environments": "environments PPO collects from (int >= 1)",
        "ppo_steps": "steps per environment per PPO update (int >= 2)",
        "ppo_epochs": "passes over each PPO batch (int >= 1)",
        "ppo_minibatch": "PPO minibatch rows (int >= 2)",
        "ppo_learning_rate": "Adam's learning rate for the constants and log sigma (> 0)",
        "value_learning_rate": "Adam's learning rate for the value baseline (> 0)",
        "gamma": "discount (0, 1]",
        "gae_lambda": "GAE lambda [0, 1]",
        "clip": "PPO clip range (> 0)",
        "entropy_coefficient": "PPO entropy bonus (>= 0)",
        "max_gradient_norm": "gradient norm clip of the constants (> 0)",
        "initial_log_std": "log sigma at the start (-5 to 2)",
        "value_baseline": "value baseline: mlp or linear",
        "report_episodes": "episodes behind each reported mean return (int >= 1)",
    ]

    init() {}

    /// Options from parameter values; unknown names are left to the study file's check.
    /// - Throws: `FinetuneError.option` naming the option, its value and what is valid.
    init(_ values: [String: ParameterValue]) throws {
        let reader = Reader(values: values)
        iterations = try reader.int("iterations", iterations, 1...)
        gp = try reader.bool("gp", gp)
        ppo = try reader.bool("ppo", ppo)
        if let methods = values["methods"] {
            let valid = "gp, ppo or gp+ppo, without gp or ppo beside it"
            guard case .string(let text) = methods, values["gp"] == nil, values["ppo"] == nil else {
                throw FinetuneError.option(name: "methods", value: methods.pythonRepr, valid: valid)
            }
            let names = Set(text.split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces) })
            guard !names.isEmpty, names.isSubset(of: ["gp", "ppo"]) else {
                throw FinetuneError.option(name: "methods", value: methods.pythonRepr, valid: valid)
            }
            gp = names.contains("gp")
            ppo = names.contains("ppo")
        }
        expertWeight = try reader.double("expert_weight", expertWeight) { $0 >= 0 }
        populationSize = try reader.int("population_size", populationSize, 2...)
        tournamentSize = try reader.int("tournament_size", tournamentSize, 1...)
        elitism = try reader.int("elitism", elitism, 0...)
        pCrossover = try reader.probability("p_crossover", pCrossover)
        pSubtreeMutation = try reader.probability("p_subtree_mutation", pSubtreeMutation)
        pHoistMutation = try reader.probability("p_hoist_mutation", pHoistMutation)
        pPointMutation = try reader.probability("p_point_mutation", pPointMutation)
        pConstantMutation = try reader.probability("p_constant_mutation", pConstantMutation)
        constantNoise = try reader.double("constant_noise", constantNoise) { $0 > 0 }
        maxLength = try reader.int("max_length", maxLength, 1...)
        parsimony = try reader.double("parsimony", parsimony) { $0 >= 0 }
        fitnessEpisodes = try reader.int("fitness_episodes", fitnessEpisodes, 1...)
        functionSet = try reader.string("function_set", functionSet)
        ppoUpdates = try reader.int("ppo_updates", ppoUpdates, 1...)
        ppoEnvironments = try reader.int("ppo_environments", ppoEnvironments, 1...)
        ppoSteps = try reader.int("ppo_steps", ppoSteps, 2...)
        ppoEpochs = try reader.int("ppo_epochs", ppoEpochs, 1...)
        ppoMinibatch = try reader.int("ppo_minibatch", ppoMinibatch, 2...)
        ppoLearningRate = try reader.double("ppo_learning_rate", ppoLearningRate) { $0 > 0 }
        valueLearningRate = try reader.double("value_learning_rate", valueLearningRate) { $0 > 0 }
        gamma = try reader.double("gamma", gamma) { $0 > 0 && $0 <= 1 }
        gaeLambda = try reader.double("gae_lambda", gaeLambda) { $0 >= 0 && $0 <= 1 }
        clip = try reader.double("clip", clip) { $0 > 0 }
        entropyCoefficient = try reader.double("entropy_coefficient", entropyCoefficient) { $0 >= 0 }
        maxGradientNorm = try reader.double("max_gradient_norm", maxGradientNorm) { $0 > 0 }
        initialLogStd = try reader.double("initial_log_std", initialLogStd) { $0 >= -5 && $0 <= 2 }
        valueBaseline = try reader.string("value_baseline", valueBaseline)
        reportEpisodes = try reader.int("report_episodes", reportEpisodes, 1...)
        guard ["mlp", "linear"].contains(valueBaseline) else {
            throw FinetuneError.option(name: "value_baseline", value: valueBaseline, valid: "mlp or linear")
        }
        _ = try operators()
    }

    /// Checks what single options cannot: the methods chosen, sums and relations between options.
    func validate() throws {
        guard gp || ppo else {
            throw FinetuneError.option(name: "gp, ppo", value: "false, false", valid: "at least one of gp and ppo true")
        }
        let total = pCrossover + pSubtreeMutation + pHoistMutation + pPointMutation + pConstantMutation
        guard total <= 1 + 1e-12 else {
            throw FinetuneError.option(name: "p_crossover + p_subtree_mutation + p_hoist_mutation + p_point_mutation + p_constant_mutation",
                                       value: "\(total)", valid: "a total of 1.0 or less")
        }
        guard elitism < populationSize else {
            throw FinetuneError.option(name: "elitism", value: "\(elitism)", valid: "less than population_size (\(populationSize))")
        }
    }

    /// The GP's operators.
    func operators() throws -> [BuiltinOperator] {
        let set: FunctionSet
        do { set = try FunctionSet(functionSet.split(separator: ",").map(String.init)) } catch {
            throw FinetuneError.option(name: "function_set", value: functionSet, valid: errorText(error))
        }
        return set.builtins
    }

    /// Reads typed values with errors naming the option.
    struct Reader {
        var values: [String: ParameterValue]

        func fail(_ name: String, _ value: ParameterValue, _ valid: String? = nil) -> FinetuneError {
            .option(name: name, value: value.pythonRepr, valid: valid ?? Self.valid(name))
        }

        static func valid(_ name: String) -> String { FinetuneOptions.descriptions[name] ?? "a valid value" }

        func int(_ name: String, _ fallback: Int, _ range: PartialRangeFrom<Int>) throws -> Int {
            guard let value = values[name] else { return fallback }
            guard case .int(let int) = value, range.contains(int) else { throw fail(name, value) }
            return int
        }

        func double(_ name: String, _ fallback: Double, _ valid: (Double) -> Bool) throws -> Double {
            guard let value = values[name] else { return fallback }
            let number: Double?
            switch value {
            case .int(let int): number = Double(int)
            case .double(let double): number = double
            default: number = nil
            }
            guard let number, number.isFinite, valid(number) else { throw fail(name, value) }
            return number
        }

        func probability(_ name: String, _ fallback: Double) throws -> Double {
            try double(name, fallback) { $0 >= 0 && $0 <= 1 }
        }

        func bool(_ name: String, _ fallback: Bool) throws -> Bool {
            guard let value = values[name] else { return fallback }
            guard case .bool(let flag) = value else { throw fail(name, value) }
            return flag
        }

        func string(_ name: String, _ fallback: String) throws -> String {
            guard let value = values[name] else { return fallback }
            guard case .string(let text) = value else { throw fail(name, value) }
            return text
        }
    }
}
