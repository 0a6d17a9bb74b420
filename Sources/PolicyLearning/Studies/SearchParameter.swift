import Foundation
import StudyEngine

/// One entry of a study file's `search_space`: a GP (or objective) parameter held fixed or searched.
///
/// ```yaml
/// search_space:
///   generations: 20                                   # fixed
///   population_size: {int: [200, 2000], log: true}    # searched
///   parsimony_coefficient: {float: [1.0e-5, 1.0e-2], log: true}
///   tournament_size: {int: [5, 50], step: 5}
///   function_set: {categorical: [arithmetic, arithmetic+comparison]}
/// ```
public struct SearchParameter: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case fixed(ParameterValue)
        case searched(ParameterDistribution)
    }

    public var name: String
    public var value: Value
    /// Where it stands in the study file, for errors found later (by the objective).
    public var line: Int?

    public init(name: String, value: Value, line: Int? = nil) {
        self.name = name
        self.value = value
        self.line = line
    }

    /// Reads one entry of `search_space`.
    static func read(name: String, from yaml: YAMLValue) throws -> SearchParameter {
        guard yaml.isMapping else {
            guard let fixed = ParameterValue(json: try yaml.plain()) else {
                throw yaml.error("a fixed value must be a number, text or true/false, or a mapping like {int: [1, 10]}; found \(yaml.kindDescription)")
            }
            return SearchParameter(name: name, value: .fixed(fixed), line: yaml.line)
        }
        let kinds = try yaml.keys().filter { ["float", "int", "categorical"].contains($0) }
        guard kinds.count == 1 else {
            throw yaml.error("a searched parameter names exactly one of float, int or categorical, e.g. {float: [0.0, 1.0], log: false}")
        }
        let distribution: ParameterDistribution
        do {
            switch kinds[0] {
            case "float":
                let (low, high) = try bounds(try yaml.required("float")) { try $0.double() }
                let log = try yaml.optional("log")?.bool() ?? false
                let step = try yaml.optional("step")?.double()
                distribution = .float(try FloatDistribution(low: low, high: high, log: log, step: step, name: name))
            case "int":
                let (low, high) = try bounds(try yaml.required("int")) { try $0.int() }
                let log = try yaml.optional("log")?.bool() ?? false
                let step = try yaml.optional("step")?.int() ?? 1
                distribution = .int(try IntDistribution(low: low, high: high, log: log, step: step, name: name))
            default:
                let list = try yaml.required("categorical")
                let choices = try list.items().map { item -> ParameterValue in
                    guard let choice = ParameterValue(json: try item.plain()) else {
                        throw item.error("a choice must be a number, text or true/false")
                    }
                    return choice
                }
                distribution = .categorical(try CategoricalDistribution(choices: choices, name: name))
            }
        } catch let error as DistributionError {
            throw yaml.error(error.errorDescription ?? "\(error)")
        }
        try yaml.finish()
        return SearchParameter(name: name, value: .searched(distribution), line: yaml.line)
    }

    private static func bounds<T>(_ yaml: YAMLValue, _ read: (YAMLValue) throws -> T) throws -> (T, T) {
        let items = try yaml.items()
        guard items.count == 2 else { throw yaml.error("the range is a list of two bounds, [low, high]; found \(items.count) values") }
        return (try read(items[0]), try read(items[1]))
    }

    /// The value for a trial: the fixed one, or the trial's suggestion.
    public func value(for trial: Trial) throws -> ParameterValue {
        switch value {
        case .fixed(let fixed): return fixed
        case .searched(let distribution): return try trial.suggest(name, distribution)
        }
    }
}
