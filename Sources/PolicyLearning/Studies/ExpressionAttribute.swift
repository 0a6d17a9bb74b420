import Foundation
import StudyEngine
import SymbolicRegression

/// The trial user attributes `expression` (`{text, latex, size, tree: {label, children}}`, and `outputs` with
/// one such object per program when there are several) and `program` (the exact JSON tree, or a list of them)
/// that the dashboard, `best` and `export` read.
public enum ExpressionAttribute {
    /// The `expression` attribute of one or several programs; `outputNames` names each output (e.g. the actions).
    public static func expression(_ programs: [Program], functionSet: FunctionSet, featureNames: [String], outputNames: [String] = []) -> JSONValue {
        let parts = programs.enumerated().map { index, program -> JSONValue in
            var object: [String: JSONValue] = [
                "text": .string(InfixFormat.string(program, functionSet: functionSet, featureNames: featureNames)),
                "latex": .string(LaTeXFormat.string(program, functionSet: functionSet, featureNames: featureNames)),
                "size": .int(program.length),
                "tree": tree(program, functionSet: functionSet, featureNames: featureNames),
            ]
            if programs.count > 1 { object["name"] = .string(index < outputNames.count ? outputNames[index] : "output \(index)") }
            return .object(object)
        }
        if parts.count == 1 { return parts[0] }
        let size = programs.reduce(0) { $0 + $1.length }
        let text = zip(programs.indices, parts).map { index, part in
            "\(index < outputNames.count ? outputNames[index] : "output \(index)"): \(part.objectValue?["text"]?.stringValue ?? "")"
        }.joined(separator: "; ")
        return .object(["text": .string(text), "size": .int(size), "outputs": .array(parts)])
    }

    /// The `program` attribute: one JSON tree, or a list for several programs.
    public static func program(_ programs: [Program], functionSet: FunctionSet, featureNames: [String]) -> JSONValue {
        let trees = programs.map { (try? JSONValue.parse(ProgramJSON.string($0, functionSet: functionSet, featureNames: featureNames))) ?? .null }
        return trees.count == 1 ? trees[0] : .array(trees)
    }

    /// The `{label, children}` tree of a program.
    static func tree(_ program: Program, functionSet: FunctionSet, featureNames: [String]) -> JSONValue {
        var stack: [JSONValue] = []
        for node in program.nodes.reversed() {
            switch node.kind {
            case .feature:
                let index = node.featureIndex
                stack.append(["label": .string(index < featureNames.count ? featureNames[index] : "x\(index)"), "children": []])
            case .constant:
                stack.append(["label": .string("\(node.value)"), "children": []])
            case .function:
                var children: [JSONValue] = []
                for _ in 0..<Int(node.arity) { children.append(stack.removeLast()) }
                stack.append(["label": .string(functionSet.name(of: node)), "children": .array(children)])
            }
        }
        return stack.last ?? .null
    }
}
