import Foundation
import StudyEngine
import Yams

/// One node of a study file with where it stands (line and key path), read by type with errors that name
/// both. Every mapping checks at the end (`finish()`) that no key was left unread, so a misspelt key is an
/// error rather than silently ignored.
public final class YAMLValue: @unchecked Sendable {
    public let file: String
    public let keyPath: String
    let node: Node
    private var readKeys: Set<String> = []

    init(file: String, keyPath: String, node: Node) {
        self.file = file
        self.keyPath = keyPath
        self.node = node
    }

    /// Parses a whole YAML document; a syntax error names its line.
    public static func parse(_ text: String, file: String) throws -> YAMLValue {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                throw StudyFileError(file: file, line: nil, keyPath: "", message: "the file is empty")
            }
            return YAMLValue(file: file, keyPath: "", node: root)
        } catch let error as StudyFileError {
            throw error
        } catch let error as YamlError {
            throw StudyFileError(file: file, line: Self.line(of: error), keyPath: "", message: "not valid YAML: \(Self.problem(of: error))")
        } catch {
            throw StudyFileError(file: file, line: nil, keyPath: "", message: "not valid YAML: \(error)")
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        case .duplicatedKeysInMapping(let duplicates, _): return "duplicated keys \(duplicates.joined(separator: ", "))"
        default: return "\(error)"
        }
    }

    public var line: Int? { node.mark?.line }

    /// An error at this node.
    public func error(_ message: String) -> StudyFileError {
        StudyFileError(file: file, line: line, keyPath: keyPath, message: message)
    }

    private func child(_ key: String, _ node: Node) -> YAMLValue {
        YAMLValue(file: file, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)", node: node)
    }

    // MARK: Kinds

    public var isMapping: Bool { if case .mapping = node { return true } else { return false } }
    public var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    public var isNull: Bool { if case .scalar = node { return node.null != nil } else { return false } }

    /// What the node is, for messages: "a mapping", "a list", "the number 3", "the text 'abc'".
    public var kindDescription: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if node.null != nil { return "nothing (null)" }
            if node.bool != nil { return "the boolean \(scalar.string)" }
            if node.int != nil || node.float != nil { return "the number \(scalar.string)" }
            return "the text '\(scalar.string)'"
        }
    }

    // MARK: Mappings

    /// The keys of a mapping in file order; throws for a node that is not a mapping.
    public func keys() throws -> [String] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of keys, found \(kindDescription)") }
        return try mapping.keys.map { key in
            guard let text = key.string else { throw YAMLValue(file: file, keyPath: keyPath, node: key).error("keys must be text") }
            return text
        }
    }

    /// The value at `key`, if present (marking the key as read).
    public func optional(_ key: String) throws -> YAMLValue? {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of keys, found \(kindDescription)") }
        readKeys.insert(key)
        guard let value = mapping[key] else { return nil }
        let child = child(key, value)
        return child.isNull ? nil : child
    }

    /// The value at `key`; throws naming the key when it is missing.
    public func required(_ key: String) throws -> YAMLValue {
        guard let value = try optional(key) else {
            throw error("the key '\(key)' is required here")
        }
        return value
    }

    /// Every entry of a mapping, marking all keys as read.
    public func entries() throws -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of keys, found \(kindDescription)") }
        return try mapping.map { pair in
            guard let key = pair.key.string else { throw YAMLValue(file: file, keyPath: keyPath, node: pair.key).error("keys must be text") }
            readKeys.insert(key)
            return (key, child(key, pair.value))
        }
    }

    /// Throws for the first key of this mapping that was never read, listing the known ones.
    public func finish(known extra: [String] = []) throws {
        guard case .mapping(let mapping) = node else { return }
        for key in mapping.keys {
            guard let text = key.string, !readKeys.contains(text) else { continue }
            let known = (Array(readKeys) + extra).sorted().joined(separator: ", ")
            throw YAMLValue(file: file, keyPath: keyPath.isEmpty ? text : "\(keyPath).\(text)", node: key)
                .error("unknown key '\(text)'; known here: \(known)")
        }
    }

    // MARK: Sequences

    public func items() throws -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(kindDescription)") }
        return sequence.enumerated().map { index, node in
            YAMLValue(file: file, keyPath: "\(keyPath)[\(index)]", node: node)
        }
    }

    // MARK: Scalars

    public func string() throws -> String {
        guard case .scalar(let scalar) = node, node.null == nil else { throw error("expected text, found \(kindDescription)") }
        return scalar.string
    }

    public func int() throws -> Int {
        guard case .scalar = node, let value = node.int else { throw error("expected an integer, found \(kindDescription)") }
        return value
    }

    public func double() throws -> Double {
        guard case .scalar = node, node.bool == nil, let value = node.float ?? node.int.map(Double.init) else {
            throw error("expected a number, found \(kindDescription)")
        }
        return value
    }

    public func bool() throws -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error("expected true or false, found \(kindDescription)") }
        return value
    }

    /// The node as a plain value: numbers, booleans, text, lists and mappings (for options passed through).
    public func plain() throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if node.null != nil { return .null }
            if scalar.style == .plain {
                if let value = node.bool { return .bool(value) }
                if let value = node.int { return .int(value) }
                if let value = node.float { return .double(value) }
            }
            return .string(scalar.string)
        case .sequence: return .array(try items().map { try $0.plain() })
        case .mapping: return .object(Dictionary(try entries().map { ($0.key, try $0.value.plain()) }, uniquingKeysWith: { $1 }))
        case .alias: throw error("aliases are not supported in study files")
        }
    }
}

/// What an error says to a user of a study file: its localized description, else its Swift description.
func errorText(_ error: any Error) -> String {
    (error as? any LocalizedError)?.errorDescription ?? "\(error)"
}
