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

// MARK: - Optuna's distribution JSON

extension ParameterDistribution {
    /// The distribution as Optuna writes it in `trial_params.distribution_json`,
    /// e.g. `{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0, "high": 1.0, "log": false}}`.
    public var optunaJSON: String {
        switch self {
        case .float(let d):
            let step = d.step.map(pythonFloatRepr) ?? "null"
            return "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": \(step), \"low\": \(pythonFloatRepr(d.low)), \"high\": \(pythonFloatRepr(d.high)), \"log\": \(d.log)}}"
        case .int(let d):
            return "{\"name\": \"IntDistribution\", \"attributes\": {\"log\": \(d.log), \"step\": \(d.step), \"low\": \(d.low), \"high\": \(d.high)}}"
        case .categorical(let d):
            let choices = d.choices.map { choice -> String in
                switch choice {
                case .double(let value): return pythonFloatRepr(value)
                case .int(let value): return "\(value)"
                case .bool(let value): return value ? "true" : "false"
                case .string(let value):
                    var out = ""
                    JSONValue.writeString(value, to: &out)
                    return out
                }
            }
            return "{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [\(choices.joined(separator: ", "))]}}"
        }
    }

    /// Reads Optuna's distribution JSON, including the pre-3.0 names (`UniformDistribution`,
    /// `LogUniformDistribution`, `DiscreteUniformDistribution`, `IntUniformDistribution`, `IntLogUniformDistribution`).
    public init(optunaJSON text: String) throws {
        let json = try JSONValue.parse(text)
        guard let object = json.objectValue, let name = object["name"]?.stringValue,
            let attributes = object["attributes"]?.objectValue
        else { throw DistributionError.unknownDistributionJSON(text) }
        func number(_ key: String) throws -> Double {
            guard let value = attributes[key]?.doubleValue else { throw DistributionError.unknownDistributionJSON(text) }
            return value
        }
        func integer(_ key: String) throws -> Int {
            guard let value = attributes[key]?.intValue else { throw DistributionError.unknownDistributionJSON(text) }
            return value
        }
        switch name {
        case "FloatDistribution":
            let step = attributes["step"].flatMap(\.doubleValue)
            self = .float(try FloatDistribution(low: try number("low"), high: try number("high"),
                                                log: attributes["log"]?.boolValue ?? false, step: step))
        case "UniformDistribution":
            self = .float(try FloatDistribution(low: try number("low"), high: try number("high")))
        case "LogUniformDistribution":
            self = .float(try FloatDistribution(low: try number("low"), high: try number("high"), log: true))
        case "DiscreteUniformDistribution":
            self = .float(try FloatDistribution(low: try number("low"), high: try number("high"), step: try number("q")))
        case "IntDistribution":
            self = .int(try IntDistribution(low: try integer("low"), high: try integer("high"),
                                            log: attributes["log"]?.boolValue ?? false,
                                            step: attributes["step"]?.intValue ?? 1))
        case "IntUniformDistribution":
            self = .int(try IntDistribution(low: try integer("low"), high: try integer("high"),
                                            step: attributes["step"]?.intValue ?? 1))
        case "IntLogUniformDistribution":
            self = .int(try IntDistribution(low: try integer("low"), high: try integer("high"), log: true))
        case "CategoricalDistribution":
            guard let choices = attributes["choices"]?.arrayValue else { throw DistributionError.unknownDistributionJSON(text) }
            self = .categorical(try CategoricalDistribution(choices: try choices.map { choice in
                guard let value = ParameterValue(json: choice) else { throw DistributionError.unknownDistributionJSON(text) }
                return value
            }))
        default:
            throw DistributionError.unknownDistributionJSON(text)
        }
    }
}

/// A double written as Python's `repr` writes it (`1e-05`, `100.0`, `1e+16`), so that JSON we
/// write matches Optuna's byte for byte.
public func pythonFloatRepr(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
    if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
    let swift = "\(value)"
    // Split Swift's shortest round-trip digits into sign, digits and decimal exponent.
    var text = Substring(swift)
    var sign = ""
    if text.hasPrefix("-") { sign = "-"; text = text.dropFirst() }
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        exponent = Int(text[text.index(after: e)...])!
        text = text[..<e]
    }
    var digits = text.replacingOccurrences(of: ".", with: "")
    let pointPosition = (text.firstIndex(of: ".").map { text.distance(from: text.startIndex, to: $0) } ?? text.count) + exponent
    // Normalise: strip leading zeros (moving the point) and trailing zeros.
    var point = pointPosition
    while digits.count > 1, digits.hasPrefix("0") { digits.removeFirst(); point -= 1 }
    while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
    let decimalExponent = point - 1
    if decimalExponent < -4 || decimalExponent >= 16 {
        var mantissa = String(digits.prefix(1))
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let exponentText = decimalExponent < 0 ? String(format: "-%02d", -decimalExponent) : String(format: "+%02d", decimalExponent)
        return sign + mantissa + "e" + exponentText
    }
    if point <= 0 {
        return sign + "0." + String(repeating: "0", count: -point) + digits
    }
    if point >= digits.count {
        return sign + digits + String(repeating: "0", count: point - digits.count) + ".0"
    }
    let splitIndex = digits.index(digits.startIndex, offsetBy: point)
    return sign + digits[..<splitIndex] + "." + digits[splitIndex...]
}
