import Foundation

/// A JSON value: what user and system attributes of studies and trials hold (Optuna stores them as JSON text).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The number this value holds, if it is one.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The integer this value holds, if it is one (a double with an integral value counts).
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int(value)
        default: return nil
        }
    }

    /// The string this value holds, if it is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean this value holds, if it is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements of an array value.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members of an object value.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

/// Through Foundation's coders: note that `JSONEncoder` writes an integral double as an integer (`2.0` as
/// `2`), which decodes as `.int`; `jsonText` and `parse` keep the difference, as Python does.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// Parses JSON text. Non-finite numbers are accepted as Python's json module writes them
    /// (`NaN`, `Infinity`, `-Infinity`), since Optuna writes them that way.
    public static func parse(_ text: String) throws -> JSONValue {
        try parse(utf8: Array(text.utf8))
    }

    /// Parses JSON text given as UTF-8 bytes; see `parse(_:)`.
    static func parse(utf8 bytes: [UInt8]) throws -> JSONValue {
        var parser = JSONTextParser(bytes)
        return try parser.parseDocument()
    }

    /// Compact JSON text with sorted keys. Non-finite doubles are written as Python's json module
    /// writes them (`NaN`, `Infinity`, `-Infinity`).
    public var jsonText: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// Appends the value's JSON text to `out`, keys sorted; `compact` uses the separators `,` and `:`
    /// (Python's `separators=(",", ":")`, as in Optuna's journal lines) instead of `, ` and `: `.
    func write(to out: inout String, compact: Bool = false) {
        let comma = compact ? "," : ", ", colon = compact ? ":" : ": "
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value): out += pythonJSONFloat(value)
        case .string(let value): JSONValue.writeString(value, to: &out)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += comma }
                value.write(to: &out, compact: compact)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += comma }
                JSONValue.writeString(key, to: &out)
                out += colon
                members[key]!.write(to: &out, compact: compact)
            }
            out += "}"
        }
    }

    /// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`): `\"`, `\\`, `\b`, `\f`, `\n`,
    /// `\r`, `\t`, and `\uXXXX` (lowercase hex, surrogate pairs above U+FFFF) for every other character
    /// outside printable ASCII.
    static func writeString(_ value: String, to out: inout String) {
        out += "\""
        func hex4(_ code: UInt32) {
            let digits = String(code, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        }
        // Runs of printable ASCII are copied whole; only what needs escaping is looked at one by one.
        let utf8 = value.utf8
        var runStart = utf8.startIndex
        var index = runStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x20, byte <= 0x7E, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                utf8.formIndex(after: &index)
                continue
            }
            if runStart != index { out += Substring(utf8[runStart..<index]) }
            if byte < 0x80 {
                switch byte {
                case UInt8(ascii: "\""): out += "\\\""
                case UInt8(ascii: "\\"): out += "\\\\"
                case 0x08: out += "\\b"
                case 0x0C: out += "\\f"
                case UInt8(ascii: "\n"): out += "\\n"
                case UInt8(ascii: "\r"): out += "\\r"
                case UInt8(ascii: "\t"): out += "\\t"
                default: hex4(UInt32(byte))
                }
                utf8.formIndex(after: &index)
            } else {
                let code = value.unicodeScalars[index].value
                if code < 0x10000 {
                    hex4(code)
                } else {
                    let offset = code - 0x10000
                    hex4(0xD800 + (offset >> 10))
                    hex4(0xDC00 + (offset & 0x3FF))
                }
                index = value.unicodeScalars.index(after: index)
            }
            runStart = index
        }
        if runStart != index { out += Substring(utf8[runStart..<index]) }
        out += "\""
    }
}

/// Errors of `JSONValue.parse`, with the byte offset where the text stopped being JSON.
public struct JSONParseError: LocalizedError, Equatable, Sendable {
    /// Byte offset into the text.
    public let offset: Int
    /// What was expected there.
    public let reason: String
    public var errorDescription: String? { "invalid JSON at byte \(offset): \(reason)" }
}

private struct JSONTextParser {
    let bytes: [UInt8]
    var index = 0
    var depth = 0
    /// Deeper nesting is rejected rather than risking the stack.
    static let maximumDepth = 512

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        if index != bytes.count { throw JSONParseError(offset: index, reason: "unexpected text after the value") }
        return value
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func consume(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = literal.withUTF8Buffer { utf8 in (0..<count).allSatisfy { bytes[index + $0] == utf8[$0] } }
        guard matches else { return false }
        index += count
        return true
    }

    mutating func parseValue() throws -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw JSONParseError(offset: index, reason: "expected a value, found the end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): if consume("true") { return .bool(true) }
        case UInt8(ascii: "f"): if consume("false") { return .bool(false) }
        case UInt8(ascii: "n"): if consume("null") { return .null }
        case UInt8(ascii: "N"): if consume("NaN") { return .double(.nan) }
        case UInt8(ascii: "I"): if consume("Infinity") { return .double(.infinity) }
        default: return try parseNumber()
        }
        throw JSONParseError(offset: index, reason: "expected a value")
    }

    mutating func enter() throws {
        depth += 1
        if depth > Self.maximumDepth {
            throw JSONParseError(offset: index, reason: "nesting deeper than \(Self.maximumDepth) levels")
        }
    }

    mutating func parseObject() throws -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw JSONParseError(offset: index, reason: "expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw JSONParseError(offset: index, reason: "expected ':'")
            }
            index += 1
            members[key] = try parseValue()
            skipWhitespace()
            guard index < bytes.count else { throw JSONParseError(offset: index, reason: "unterminated object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw JSONParseError(offset: index, reason: "expected ',' or '}'")
        }
    }

    mutating func parseArray() throws -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var values: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(values) }
        while true {
            values.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw JSONParseError(offset: index, reason: "unterminated array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(values) }
            throw JSONParseError(offset: index, reason: "expected ',' or ']'")
        }
    }

    mutating func parseString() throws -> String {
        index += 1
        let start = index
        // Most strings have no escapes: they are their bytes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: bytes[start..<index - 1], as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        var utf8 = Array(bytes[start..<index])
        func append(_ scalar: Unicode.Scalar) { utf8.append(contentsOf: UTF8.encode(scalar)!) }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if byte < 0x20 {
                throw JSONParseError(offset: index, reason: "control character 0x\(String(byte, radix: 16)) in a string (escape it)")
            }
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    let code = try parseHex4()
                    if (0xD800..<0xDC00).contains(code) {
                        // A high surrogate combines with a following low one; alone it is unrepresentable.
                        let save = index
                        if consume("\\u"), let low = try? parseHex4(), (0xDC00..<0xE000).contains(low) {
                            append(Unicode.Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))!)
                        } else {
                            index = save
                            append("\u{FFFD}")
                        }
                    } else {
                        append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    }
                default: throw JSONParseError(offset: index - 2, reason: "unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
                }
                continue
            }
            utf8.append(byte)
            index += 1
        }
        throw JSONParseError(offset: index, reason: "unterminated string")
    }

    mutating func parseHex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw JSONParseError(offset: index, reason: "expected four hex digits") }
        var code: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(offset: index + offset, reason: "expected four hex digits")
            }
            code = code << 4 | UInt32(digit)
        }
        index += 4
        return code
    }

    /// A number by JSON's grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`), or `-Infinity`.
    /// Integers that fit in `Int` stay integers, as Python keeps them.
    mutating func parseNumber() throws -> JSONValue {
        let start = index
        func isDigit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9") }
        func skipDigits() { while isDigit(index) { index += 1 } }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            index += 1
            if consume("Infinity") { return .double(-.infinity) }
        }
        guard isDigit(index) else { throw JSONParseError(offset: start, reason: "expected a value") }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard isDigit(index) else { throw JSONParseError(offset: index, reason: "expected a digit after '.'") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { throw JSONParseError(offset: index, reason: "expected a digit in the exponent") }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let value = Int(text) { return .int(value) }
        guard let value = Double(text) else { throw JSONParseError(offset: start, reason: "number out of range") }
        return .double(value)
    }
}
