import Foundation
import StudyEngine

/// YAML as PyYAML's `safe_dump` writes it for Optuna's CLI records: block style, keys sorted, sequences in
/// mappings not indented, strings quoted only when a plain scalar would read back as something else.
enum YAMLText {
    static func dump(_ value: OutputValue) -> String {
        var lines: [String] = []
        emit(value, indent: "", into: &lines)
        return lines.joined(separator: "\n")
    }

    private static func emit(_ value: OutputValue, indent: String, into lines: inout [String]) {
        switch value {
        case .list(let items) where !items.isEmpty, .tuple(let items) where !items.isEmpty:
            for item in items { emitItem(item, indent: indent, into: &lines) }
        case .dict(let members) where !members.isEmpty:
            for member in members.sorted(by: { $0.key < $1.key }) {
                emitMember(key: member.key, value: member.value, indent: indent, into: &lines)
            }
        default:
            lines.append(indent + scalar(value))
        }
    }

    private static func emitItem(_ item: OutputValue, indent: String, into lines: inout [String]) {
        guard isNonEmptyCollection(item) else {
            lines.append(indent + "- " + scalar(item))
            return
        }
        var nested: [String] = []
        emit(item, indent: indent + "  ", into: &nested)
        guard let first = nested.first else { return }
        lines.append(indent + "- " + first.dropFirst(indent.count + 2))
        lines.append(contentsOf: nested.dropFirst())
    }

    private static func emitMember(key: String, value: OutputValue, indent: String, into lines: inout [String]) {
        let keyText = indent + scalar(.string(key)) + ":"
        switch value {
        case .dict(let members) where !members.isEmpty:
            lines.append(keyText)
            emit(value, indent: indent + "  ", into: &lines)
        case .list(let items) where !items.isEmpty, .tuple(let items) where !items.isEmpty:
            lines.append(keyText)
            emit(value, indent: indent, into: &lines)
        default:
            lines.append(keyText + " " + scalar(value))
        }
    }

    private static func isNonEmptyCollection(_ value: OutputValue) -> Bool {
        switch value {
        case .dict(let members): return !members.isEmpty
        case .list(let items), .tuple(let items): return !items.isEmpty
        default: return false
        }
    }

    static func scalar(_ value: OutputValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            if number.isNaN { return ".nan" }
            if number.isInfinite { return number > 0 ? ".inf" : "-.inf" }
            var text = pythonFloatRepr(number)
            if !text.contains("."), let e = text.firstIndex(of: "e") { text.insert(contentsOf: ".0", at: e) }
            return text
        case .string(let text): return quoted(text)
        case .list, .tuple: return "[]"
        case .dict: return "{}"
        }
    }

    private static let indicators: Set<Character> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]

    /// A string as a plain scalar where that reads back as the same string, else single- or double-quoted.
    static func quoted(_ text: String) -> String {
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            return OutputValue.jsonString(text)
        }
        let needsQuotes = text.isEmpty || text.first == " " || text.last == " "
            || indicators.contains(text.first!) || text.contains(": ") || text.contains(" #") || text.hasSuffix(":")
            || readsAsOtherType(text)
        return needsQuotes ? "'" + text.replacingOccurrences(of: "'", with: "''") + "'" : text
    }

    /// PyYAML's implicit resolvers (bool, float, int, merge, null, timestamp, value), exactly as it applies them.
    private static let implicitTypes: [String] = [
        #"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"#,
        #"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"#,
        #"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"#,
        #"^(?:<<|=|~|null|Null|NULL)$"#,
        #"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"#,
    ]

    private static func readsAsOtherType(_ text: String) -> Bool {
        implicitTypes.contains { text.range(of: $0, options: .regularExpression) != nil }
    }
}
