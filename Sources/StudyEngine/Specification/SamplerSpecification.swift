import Foundation

/// A sampler named as Optuna names it: a class name and its keyword arguments with Optuna's names
/// (`TPESampler` with `{"n_startup_trials": 20, "multivariate": true, "seed": 1}`). The CLI's `ask
/// --sampler --sampler-kwargs` and the study files build samplers through it.
public struct SamplerSpecification: Sendable, Hashable {
    /// Optuna's class name: TPESampler, RandomSampler, GridSampler or NSGAIISampler.
    public var name: String
    public var options: [String: JSONValue]

    public static let known = ["GridSampler", "NSGAIISampler", "RandomSampler", "TPESampler"]

    public init(name: String, options: [String: JSONValue] = [:]) {
        self.name = name
        self.options = options
    }

    /// Reads `--sampler-kwargs` JSON text (an object).
    public init(name: String, optionsJSON: String?) throws {
        var options: [String: JSONValue] = [:]
        if let optionsJSON {
            guard let object = try JSONValue.parse(optionsJSON).objectValue else {
                throw SpecificationError.invalid(owner: name, reason: "keyword arguments must be a JSON object, not \(optionsJSON)")
            }
            options = object
        }
        self.init(name: name, options: options)
    }

    /// Builds the sampler; throws `SpecificationError` naming an unknown class, option or a bad value.
    public func make() throws -> any Sampler {
        var options = SpecificationOptions(owner: name, values: options)
        let sampler: any Sampler
        switch name {
        case "TPESampler":
            let seed = try options.seed()
            let startup = try options.int("n_startup_trials") ?? 10
            let candidates = try options.int("n_ei_candidates") ?? 24
            let priorWeight = try options.double("prior_weight") ?? 1.0
            let magicClip = try options.bool("consider_magic_clip") ?? true
            let endpoints = try options.bool("consider_endpoints") ?? false
            let multivariate = try options.bool("multivariate")
            let group = try options.bool("group") ?? false
            let constantLiar = try options.bool("constant_liar") ?? true
            _ = try options.bool("warn_independent_sampling")
            try options.finish()
            guard startup >= 0, candidates >= 1, priorWeight > 0 else {
                throw SpecificationError.invalid(owner: name, reason: "n_startup_trials must be >= 0, n_ei_candidates >= 1 and prior_weight > 0")
            }
            sampler = TPESampler(seed: seed, nStartupTrials: startup, nEICandidates: candidates, priorWeight: priorWeight,
                                 considerMagicClip: magicClip, considerEndpoints: endpoints, multivariate: multivariate,
                                 group: group, constantLiar: constantLiar)
        case "RandomSampler":
            let seed = try options.seed()
            try options.finish()
            sampler = RandomSampler(seed: seed)
        case "GridSampler":
            let space = try options.object("search_space")
            let seed = try options.seed()
            try options.finish()
            guard let space else { throw SpecificationError.invalid(owner: name, reason: "search_space is required") }
            var grid: [String: [ParameterValue]] = [:]
            for (parameter, values) in space {
                guard let array = values.arrayValue else {
                    throw SpecificationError.wrongType(owner: name, key: "search_space.\(parameter)", expected: "a list of values", found: values.jsonText)
                }
                grid[parameter] = try array.map { value in
                    guard let parameterValue = ParameterValue(json: value) else {
                        throw SpecificationError.wrongType(owner: name, key: "search_space.\(parameter)", expected: "numbers, strings, booleans or null", found: value.jsonText)
                    }
                    return parameterValue
                }
            }
            sampler = try options.building { try GridSampler(searchSpace: grid, seed: seed) }
        case "NSGAIISampler":
            let population = try options.int("population_size") ?? 50
            let mutation = try options.double("mutation_prob")
            let crossoverProbability = try options.double("crossover_prob") ?? 0.9
            let swapping = try options.double("swapping_prob") ?? 0.5
            let crossoverName = try options.raw("crossover").map { value -> String in
                guard let name = value.stringValue else {
                    throw SpecificationError.wrongType(owner: name, key: "crossover", expected: "a crossover class name", found: value.jsonText)
                }
                return name
            }
            let seed = try options.seed()
            try options.finish()
            let crossover = try crossoverName.map(Self.crossover(named:))
            sampler = try options.building {
                try NSGAIISampler(populationSize: population, mutationProbability: mutation, crossover: crossover,
                                  crossoverProbability: crossoverProbability, swappingProbability: swapping, seed: seed)
            }
        default:
            throw SpecificationError.unknownClass(kind: "sampler", name: name, known: Self.known)
        }
        return sampler
    }

    private static func crossover(named name: String) throws -> any NSGAIICrossover {
        switch name {
        case "UniformCrossover": return try UniformCrossover()
        case "BLXAlphaCrossover": return BLXAlphaCrossover()
        case "SBXCrossover": return try SBXCrossover()
        case "VSBXCrossover": return try VSBXCrossover()
        case "SPXCrossover": return SPXCrossover()
        case "UNDXCrossover": return UNDXCrossover()
        default:
            throw SpecificationError.unknownClass(kind: "crossover", name: name, known: [
                "BLXAlphaCrossover", "SBXCrossover", "SPXCrossover", "UNDXCrossover", "UniformCrossover", "VSBXCrossover"])
        }
    }
}
