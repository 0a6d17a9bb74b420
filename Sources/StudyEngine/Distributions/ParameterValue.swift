/// The value of a parameter as the objective sees it (Optuna's "external representation").
public enum ParameterValue: Sendable, Hashable {
    case double(Double)
    case int(Int)
    case string(String)
    case bool(Bool)
    /// Python's `None`, a categorical choice Optuna allows (`suggest_categorical("act", ["relu", None])`).
    case null

    /// The value as a double, for numeric values (and booleans as 0/1).
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .int(let value): return Double(value)
        case .bool(let value): return value ? 1 : 0
        case .string, .null: return nil
        }
    }

    /// The value as an integer, for integers and integral doubles.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int(value)
        default: return nil
        }
    }

    /// The string, for string values.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, for boolean values.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value as JSON (for attributes and exports).
    public var jsonValue: JSONValue {
        switch self {
        case .double(let value): return .double(value)
        case .int(let value): return .int(value)
        case .string(let value): return .string(value)
        case .bool(let value): return .bool(value)
        case .null: return .null
        }
    }

    /// The value read from JSON, if JSON holds a scalar or null.
    public init?(json: JSONValue) {
        switch json {
        case .double(let value): self = .double(value)
        case .int(let value): self = .int(value)
        case .string(let value): self = .string(value)
        case .bool(let value): self = .bool(value)
        case .null: self = .null
        default: return nil
        }
    }
}

extension ParameterValue {
    /// Equal values of the same case; NaN equals NaN, as Optuna compares categorical choices.
    public static func == (lhs: ParameterValue, rhs: ParameterValue) -> Bool {
        switch (lhs, rhs) {
        case (.double(let a), .double(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.int(let a), .int(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .double(let value):
            hasher.combine(0)
            if value.isNaN { hasher.combine(Double.nan.bitPattern) } else { hasher.combine(value) }
        case .int(let value): hasher.combine(1); hasher.combine(value)
        case .string(let value): hasher.combine(2); hasher.combine(value)
        case .bool(let value): hasher.combine(3); hasher.combine(value)
        case .null: hasher.combine(4)
        }
    }

    /// True when both values are numbers (integers or doubles, not booleans) of equal value, or both NaN.
    func isNumericallyEqual(to other: ParameterValue) -> Bool {
        switch (self, other) {
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            let a = doubleValue!, b = other.doubleValue!
            return a == b || (a.isNaN && b.isNaN)
        default: return false
        }
    }

    /// The value as Python's `repr` writes it (`'adam'`, `1`, `0.001`, `True`), for messages in Optuna's words.
    public var pythonRepr: String {
        switch self {
        case .double(let value): return pythonFloatRepr(value)
        case .int(let value): return "\(value)"
        case .string(let value): return "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        case .bool(let value): return value ? "True" : "False"
        case .null: return "None"
        }
    }
}

extension ParameterValue: CustomStringConvertible {
    /// Doubles as Python writes them (`1e-05`, `100.0`), strings as they are.
    public var description: String {
        switch self {
        case .double(let value): return pythonFloatRepr(value)
        case .int(let value): return "\(value)"
        case .string(let value): return value
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        }
    }
}

extension ParameterValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral
{
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

/// A Swift type that can be a categorical choice: `String`, `Int`, `Double` or `Bool`.
public protocol CategoricalChoice: Hashable, Sendable {
    /// The choice as a parameter value.
    var parameterValue: ParameterValue { get }
    /// The choice read back from a parameter value, if it has this type.
    init?(parameterValue: ParameterValue)
}

extension String: CategoricalChoice {
    public var parameterValue: ParameterValue { .string(self) }
    public init?(parameterValue: ParameterValue) {
        guard case .string(let value) = parameterValue else { return nil }
        self = value
    }
}

extension Int: CategoricalChoice {
    public var parameterValue: ParameterValue { .int(self) }
    public init?(parameterValue: ParameterValue) {
        guard case .int(let value) = parameterValue else { return nil }
        self = value
    }
}

extension Double: CategoricalChoice {
    public var parameterValue: ParameterValue { .double(self) }
    public init?(parameterValue: ParameterValue) {
        guard case .double(let value) = parameterValue else { return nil }
        self = value
    }
}

extension Bool: CategoricalChoice {
    public var parameterValue: ParameterValue { .bool(self) }
    public init?(parameterValue: ParameterValue) {
        guard case .bool(let value) = parameterValue else { return nil }
        self = value
    }
}
