import Foundation
import StudyEngine
import SymbolicRegression

/// What a trial (or a file) can be exported, replayed or compared as: a symbolic policy (the user attribute
/// `policy` of `distill` and `finetune` trials), or a formula (`program`, else `expression`, of `regress`
/// trials).
public enum ExportSubject: Sendable {
    case policy(SymbolicPolicy)
    /// One program over named features.
    case formula(Program, featureNames: [String])

    /// Every built-in operator, to read programs' JSON trees and texts.
    static let operators = try! FunctionSet(builtins: BuiltinOperator.allCases)

    /// Reads a trial's user attributes: `policy` (a SymbolicPolicy's JSON, as an object or a string), else
    /// `program` (a program's JSON tree, or a list of one, as JSON or a string, optionally inside
    /// `{"tree": .., "feature_names": [..]}`), else `expression` (its `text`, features written `x0`, `x1`, ...).
    /// - Throws: `ExportError` naming the attribute that is missing or unreadable.
    public static func read(attributes: [String: JSONValue], origin: String) throws -> ExportSubject {
        if let policy = attributes["policy"] {
            let text = policy.stringValue ?? policy.jsonText
            do { return .policy(try SymbolicPolicy.parse(text)) } catch {
                throw ExportError.unreadable(origin: origin, attribute: "policy", why: error.localizedDescription)
            }
        }
        if let program = attributes["program"] {
            do { return try formula(program) } catch {
                throw ExportError.unreadable(origin: origin, attribute: "program", why: error.localizedDescription)
            }
        }
        if let expression = attributes["expression"] {
            guard let text = expression.stringValue ?? expression.objectValue?["text"]?.stringValue else {
                throw ExportError.unreadable(origin: origin, attribute: "expression", why: "it has no text")
            }
            do { return .formula(try InfixFormat.parse(text, functionSet: operators), featureNames: []) } catch {
                throw ExportError.unreadable(origin: origin, attribute: "expression", why: error.localizedDescription)
            }
        }
        throw ExportError.nothingToExport(origin: origin, attributes: attributes.keys.sorted())
    }

    /// A formula from a `program` attribute.
    static func formula(_ value: JSONValue) throws -> ExportSubject {
        var tree = value
        if let text = value.stringValue { tree = try JSONValue.parse(text) }
        if let list = tree.arrayValue {
            guard list.count == 1 else {
                throw ExportError.invalid("it holds \(list.count) programs (a policy's outputs): export the trial's 'policy' instead")
            }
            tree = list[0]
        }
        var names: [String] = []
        if let object = tree.objectValue, object["op"] == nil, object["feature"] == nil, object["constant"] == nil {
            names = object["feature_names"]?.arrayValue?.compactMap(\.stringValue) ?? []
            guard let inner = object["tree"] ?? object["program"] else {
                throw ExportError.invalid("expected a program's JSON tree ({\"op\": ..., \"args\": [...]}), or {\"tree\": ..., \"feature_names\": [...]}")
            }
            tree = inner
            if let text = inner.stringValue { tree = try JSONValue.parse(text) }
        }
        let program = try ProgramJSON.parse(tree.jsonText, functionSet: operators)
        if names.isEmpty { names = featureNames(in: tree, count: program.maxFeatureIndex + 1) }
        return .formula(program, featureNames: names)
    }

    /// The feature names written in a JSON tree (`{"feature": 3, "name": "x3"}`), `x<i>` where none is.
    static func featureNames(in tree: JSONValue, count: Int) -> [String] {
        var names = (0..<count).map { "x\($0)" }
        func visit(_ node: JSONValue, depth: Int) {
            guard depth < 10_000, let object = node.objectValue else { return }
            if let index = object["feature"]?.intValue, let name = object["name"]?.stringValue, names.indices.contains(index) { names[index] = name }
            for child in object["args"]?.arrayValue ?? [] { visit(child, depth: depth + 1) }
        }
        visit(tree, depth: 0)
        return names
    }

    /// Reads a file: a symbolic policy's JSON (what `export --format json` writes), or a program's JSON tree.
    /// - Throws: `ExportError` naming the file.
    public static func read(file path: String) throws -> ExportSubject {
        guard let data = FileManager.default.contents(atPath: path) else { throw ExportError.unreadableFile(path, "cannot read the file") }
        let text = String(decoding: data, as: UTF8.self)
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch {
            throw ExportError.unreadableFile(path, "not JSON: \(error.localizedDescription)")
        }
        if value.objectValue?["featurizer"] != nil || value.objectValue?["decoding"] != nil {
            do { return .policy(try SymbolicPolicy.parse(text)) } catch { throw ExportError.unreadableFile(path, error.localizedDescription) }
        }
        do { return try formula(value) } catch {
            throw ExportError.unreadableFile(path, "neither a symbolic policy (featurizer, decoding, programs) nor a program's JSON tree: \(error.localizedDescription)")
        }
    }

    /// The subject written in `format`; `origin` goes into the header comment.
    public func export(format: ExportFormat, origin: String) -> String {
        switch self {
        case .policy(let policy): return PolicyExport.export(policy, format: format, origin: origin)
        case .formula(let program, let names): return FormulaExport.export(program, featureNames: names, format: format, origin: origin)
        }
    }
}

/// Why a trial or a file cannot be exported.
public enum ExportError: LocalizedError, Equatable, Sendable {
    case nothingToExport(origin: String, attributes: [String])
    case unreadable(origin: String, attribute: String, why: String)
    case unreadableFile(String, String)
    case invalid(String)

    public var errorDescription: String? {
        switch self {
        case .nothingToExport(let origin, let attributes):
            let list = attributes.isEmpty ? "it has no user attributes" : "its user attributes: \(attributes.joined(separator: ", "))"
            return "\(origin) has no user attribute 'policy', 'program' or 'expression' to export; \(list)"
        case .unreadable(let origin, let attribute, let why): return "\(origin), user attribute '\(attribute)': \(why)"
        case .unreadableFile(let path, let why): return "\(path): \(why)"
        case .invalid(let why): return why
        }
    }
}
