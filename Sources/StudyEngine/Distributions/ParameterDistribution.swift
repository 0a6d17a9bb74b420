import Synchronization
/// The domain a parameter is drawn from: float, int or categorical.
///
/// Samplers work in the internal representation, a `Double`: the value itself for float and int
/// parameters, the index of the choice for categorical ones (as Optuna stores `param_value`).
public enum ParameterDistribution: Sendable, Hashable {
    case float(FloatDistribution)
    case int(IntDistribution)
    case categorical(CategoricalDistribution)

    /// True when the distribution has one value only (samplers skip such parameters).
    public var isSingle: Bool {
        switch self {
        case .float(let d): return d.isSingle
        case .int(let d): return d.isSingle
        case .categorical(let d): return d.isSingle
        }
    }

    /// True for log-scaled float and int distributions.
    public var isLog: Bool {
        switch self {
        case .float(let d): return d.log
        case .int(let d): return d.log
        case .categorical: return false
        }
    }

    /// True when `internalValue` lies in the distribution.
    public func contains(internalValue: Double) -> Bool {
        switch self {
        case .float(let d): return d.contains(internalValue)
        case .int(let d): return d.contains(internalValue)
        case .categorical(let d): return d.contains(internalValue)
        }
    }

    /// The internal representation of an external value; throws if it has the wrong type or lies outside.
    public func internalValue(of value: ParameterValue, name: String? = nil) throws(DistributionError) -> Double {
        switch self {
        case .float(let d):
            guard let double = value.doubleValue, value.stringValue == nil, value.boolValue == nil else {
                throw .valueOfWrongType(name: name, value: value.description, distribution: description)
            }
            guard d.contains(double) else {
                throw .valueOutOfDomain(name: name, value: value.description, distribution: description)
            }
            return double
        case .int(let d):
            guard let int = value.intValue else {
                throw .valueOfWrongType(name: name, value: value.description, distribution: description)
            }
            guard d.contains(Double(int)) else {
                throw .valueOutOfDomain(name: name, value: value.description, distribution: description)
            }
            return Double(int)
        case .categorical(let d):
            guard let index = d.index(of: value) else {
                throw .valueOutOfDomain(name: name, value: value.description, distribution: description)
            }
            return Double(index)
        }
    }

    /// The external value of an internal representation (which must come from this distribution).
    public func externalValue(of internalValue: Double) -> ParameterValue {
        switch self {
        case .float: return .double(internalValue)
        case .int: return .int(Int(internalValue.rounded()))
        case .categorical(let d):
            let index = min(max(Int(internalValue.rounded()), 0), d.choices.count - 1)
            return d.choices[index]
        }
    }

    /// The only value of a single-valued distribution, in internal representation.
    public var singleInternalValue: Double? {
        guard isSingle else { return nil }
        switch self {
        case .float(let d): return d.low
        case .int(let d): return Double(d.low)
        case .categorical: return 0
        }
    }

    /// The short name of the kind, as in Optuna's class names.
    public var kindName: String {
        switch self {
        case .float: return "FloatDistribution"
        case .int: return "IntDistribution"
        case .categorical: return "CategoricalDistribution"
        }
    }
}

extension ParameterDistribution: CustomStringConvertible {
    public var description: String {
        switch self {
        case .float(let d): return d.description
        case .int(let d): return d.description
        case .categorical(let d): return d.description
        }
    }
}

// MARK: - Compatibility across trials

extension ParameterDistribution {
    /// Optuna's `check_distribution_compatibility`: a parameter keeps its kind, its log setting and
    /// (for a categorical one) its choices across the trials of a study; bounds and steps may change.
    /// `self` is the distribution recorded earlier, `new` the one now used for the parameter `name`.
    public func checkCompatibility(with new: ParameterDistribution, name: String) throws(DistributionError) {
        func incompatible(_ reason: String) -> DistributionError {
            .incompatibleWithStudy(name: name, existing: description, requested: new.description, reason: reason)
        }
        switch (self, new) {
        case (.float(let old), .float(let current)):
            if old.log != current.log { throw incompatible("Cannot set different log configuration to the same parameter name.") }
        case (.int(let old), .int(let current)):
            if old.log != current.log { throw incompatible("Cannot set different log configuration to the same parameter name.") }
        case (.categorical(let old), .categorical(let current)):
            if old != current { throw incompatible("CategoricalDistribution does not support dynamic value space.") }
        default:
            throw incompatible("Cannot set different distribution kind to the same parameter name.")
        }
    }
}

// MARK: - Optuna's distribution JSON

extension ParameterDistribution {
    /// The distribution as Optuna's `distribution_to_json` writes it (in `trial_params.distribution_json`),
    /// byte for byte, e.g.
    /// `{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0, "high": 1.0, "log": false}}`.
    public var optunaJSON: String {
        switch self {
        case .float(let d):
            let step = d.step.map(pythonJSONFloat) ?? "null"
            return "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": \(step), \"low\": \(pythonJSONFloat(d.low)), \"high\": \(pythonJSONFloat(d.high)), \"log\": \(d.log)}}"
        case .int(let d):
            return "{\"name\": \"IntDistribution\", \"attributes\": {\"log\": \(d.log), \"step\": \(d.step), \"low\": \(d.low), \"high\": \(d.high)}}"
        case .categorical(let d):
            let choices = d.choices.map(\.jsonValue.jsonText)
            return "{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [\(choices.joined(separator: ", "))]}}"
        }
    }

    /// Reads a distribution as Optuna's `json_to_distribution` does: the current names, the pre-3.0 ones
    /// (`UniformDistribution`, `LogUniformDistribution`, `DiscreteUniformDistribution`,
    /// `IntUniformDistribution`, `IntLogUniformDistribution`) and the abbreviated form
    /// (`{"type": "float", "low": 0, "high": 1}`). As in Optuna, a `high` off the step grid is lowered
    /// to it and repeated choices are kept. Throws `DistributionError` (or `JSONParseError`).
    public init(optunaJSON text: String) throws {
        if let known = Self.parsed.withLock({ $0[text] }) {
            self = known
            return
        }
        self = try Self.parse(optunaJSON: text)
        let parsed = self
        Self.parsed.withLock { cache in
            if cache.count >= 4096 { cache.removeAll(keepingCapacity: true) }
            cache[text] = parsed
        }
    }

    /// Texts read before: workers and servers read the same few distributions on every trial.
    private static let parsed = Mutex<[String: ParameterDistribution]>([:])

    private static func parse(optunaJSON text: String) throws -> ParameterDistribution {
        let json = try JSONValue.parse(text)
        guard let object = json.objectValue else { throw DistributionError.unknownDistributionJSON(text) }
        let attributes: [String: JSONValue]
        let kind: String
        if let name = object["name"]?.stringValue {
            guard let given = object["attributes"]?.objectValue else { throw DistributionError.unknownDistributionJSON(text) }
            attributes = given
            kind = name
        } else if let type = object["type"]?.stringValue {
            attributes = object
            switch type {
            case "float": kind = "FloatDistribution"
            case "int": kind = "IntDistribution"
            case "categorical": kind = "CategoricalDistribution"
            default: throw DistributionError.unknownDistributionJSON(text)
            }
        } else {
            throw DistributionError.unknownDistributionJSON(text)
        }
        func number(_ key: String) throws -> Double {
            guard let value = attributes[key]?.doubleValue else { throw DistributionError.unknownDistributionJSON(text) }
            return value
        }
        func optionalNumber(_ key: String) throws -> Double? {
            guard let value = attributes[key], value != .null else { return nil }
            return try number(key)
        }
        func integer(_ key: String, default fallback: Int? = nil) throws -> Int {
            guard let value = attributes[key], value != .null else {
                guard let fallback else { throw DistributionError.unknownDistributionJSON(text) }
                return fallback
            }
            guard let int = value.intValue else { throw DistributionError.unknownDistributionJSON(text) }
            return int
        }
        func flag(_ key: String) throws -> Bool {
            guard let value = attributes[key], value != .null else { return false }
            guard let bool = value.boolValue else { throw DistributionError.unknownDistributionJSON(text) }
            return bool
        }
        func float(log: Bool, step: Double?) throws -> ParameterDistribution {
            .float(try FloatDistribution(low: try number("low"), high: try number("high"), log: log, step: step,
                                         name: nil, adjustingHigh: true))
        }
        func int(log: Bool) throws -> ParameterDistribution {
            .int(try IntDistribution(low: try integer("low"), high: try integer("high"), log: log,
                                     step: try integer("step", default: 1), name: nil, adjustingHigh: true))
        }
        switch kind {
        case "FloatDistribution": return try float(log: try flag("log"), step: try optionalNumber("step"))
        case "UniformDistribution": return try float(log: false, step: nil)
        case "LogUniformDistribution": return try float(log: true, step: nil)
        case "DiscreteUniformDistribution": return try float(log: false, step: try number("q"))
        case "IntDistribution": return try int(log: try flag("log"))
        case "IntUniformDistribution": return try int(log: false)
        case "IntLogUniformDistribution": return try int(log: true)
        case "CategoricalDistribution":
            guard let choices = attributes["choices"]?.arrayValue else { throw DistributionError.unknownDistributionJSON(text) }
            let values = try choices.map { choice in
                guard let value = ParameterValue(json: choice) else { throw DistributionError.unknownDistributionJSON(text) }
                return value
            }
            return .categorical(try CategoricalDistribution(choices: values, name: nil, allowingRepeats: true))
        default:
            throw DistributionError.unknownDistributionJSON(text)
        }
    }
}
