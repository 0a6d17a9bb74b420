import Foundation
import StudyEngine

/// A value the Optuna-style commands print: what Optuna's CLI holds in its records (Python's None, bool,
/// int, float, str, list/tuple and dict), printed the way Python prints it.
indirect enum OutputValue: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([OutputValue])
    /// A tuple: printed as Python prints one, `('a',)`; JSON and YAML write it as a list, as Python's do.
    case tuple([OutputValue])
    /// A dict, in insertion order as Python keeps it.
    case dict([(key: String, value: OutputValue)])

    static func == (lhs: OutputValue, rhs: OutputValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)): return a == b
        case (.dict(let a), .dict(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .int(value)
        case .double(let value): self = .double(value)
        case .string(let value): self = .string(value)
        case .array(let values): self = .list(values.map(OutputValue.init))
        case .object(let members): self = .dict(members.map { ($0.key, OutputValue($0.value)) }.sorted { $0.0 < $1.0 }.map { (key: $0.0, value: $0.1) })
        }
    }

    init(_ parameter: ParameterValue) {
        switch parameter {
        case .double(let value): self = .double(value)
        case .int(let value): self = .int(value)
        case .string(let value): self = .string(value)
        case .bool(let value): self = .bool(value)
        case .null: self = .null
        }
    }

    /// The items of a list or a tuple.
    var sequenceItems: [OutputValue]? {
        switch self {
        case .list(let items), .tuple(let items): return items
        default: return nil
        }
    }

    /// Python counts bools as ints: numbers and bools are right-aligned in tables.
    var isNumeric: Bool {
        switch self {
        case .bool, .int, .double: return true
        default: return false
        }
    }

    /// Python's `str(value)`.
    var pythonStr: String {
        if case .string(let text) = self { return text }
        return pythonRepr
    }

    /// Python's `repr(value)`.
    var pythonRepr: String {
        switch self {
        case .null: return "None"
        case .bool(let value): return value ? "True" : "False"
        case .int(let value): return String(value)
        case .double(let value): return Self.pythonFloat(value)
        case .string(let text): return Self.pythonStringRepr(text)
        case .list(let values): return "[" + values.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .tuple(let values):
            return values.count == 1 ? "(" + values[0].pythonRepr + ",)" : "(" + values.map(\.pythonRepr).joined(separator: ", ") + ")"
        case .dict(let members):
            return "{" + members.map { Self.pythonStringRepr($0.key) + ": " + $0.value.pythonRepr }.joined(separator: ", ") + "}"
        }
    }

    static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return pythonFloatRepr(value)
    }

    /// Python's repr of a str: single quotes unless the text holds a single quote and no double quote.
    static func pythonStringRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(format: "\\x%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    /// Python's `json.dumps(value)`: ", " and ": " separators, non-ASCII escaped, NaN and Infinity allowed.
    var pythonJSON: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value):
            if value.isNaN { return "NaN" }
            if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
            return pythonFloatRepr(value)
        case .string(let text): return Self.jsonString(text)
        case .list(let values), .tuple(let values): return "[" + values.map(\.pythonJSON).joined(separator: ", ") + "]"
        case .dict(let members):
            return "{" + members.map { Self.jsonString($0.key) + ": " + $0.value.pythonJSON }.joined(separator: ", ") + "}"
        }
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5c: out += "\\\\"
            case 0x0a: out += "\\n"
            case 0x0d: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0c: out += "\\f"
            case 0x20..<0x7f: out.unicodeScalars.append(Unicode.Scalar(unit)!)
            default: out += String(format: "\\u%04x", unit)
            }
        }
        return out + "\""
    }
}
