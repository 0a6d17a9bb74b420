import Foundation
import StudyEngine
import SymbolicRegression

/// A symbolic policy's expressions as trials store them: the user attribute `expression`
/// (`{text, latex, size, tree: {label, children}, outputs}`, `outputs` one per action for several
/// programs) and `program` (the exact JSON tree, or a list of them).
enum PolicyExpression {
    static let operators = SymbolicPolicy.allOperators

    static func text(_ policy: SymbolicPolicy) -> String {
        policy.programs.map { InfixFormat.string($0, functionSet: operators, featureNames: policy.featureNames) }.joined(separator: "; ")
    }

    static func attribute(_ policy: SymbolicPolicy) -> JSONValue {
        let names = policy.featureNames
        func single(_ program: Program) -> [String: JSONValue] {
            ["text": .string(InfixFormat.string(program, functionSet: operators, featureNames: names)),
             "latex": .string(LaTeXFormat.string(program, functionSet: operators, featureNames: names)),
             "size": .int(program.length), "tree": tree(program, names)]
        }
        guard policy.programs.count > 1 else { return .object(single(policy.programs[0])) }
        let labels = policy.decoding.actions.isEmpty ? policy.programs.indices.map { "output \($0)" } : policy.decoding.actions.map { "action \($0)" }
        let outputs: [JSONValue] = policy.programs.enumerated().map { index, program in
            var entry = single(program)
            entry["name"] = .string(labels[index])
            return .object(entry)
        }
        return .object(["text": .string(text(policy)), "size": .int(policy.size), "outputs": .array(outputs)])
    }

    /// The tree of a program: operator names, feature names and constants as labels.
    static func tree(_ program: Program, _ names: [String]) -> JSONValue {
        var stack: [JSONValue] = []
        for node in program.nodes.reversed() {
            switch node.kind {
            case .feature:
                let index = node.featureIndex
                stack.append(.object(["label": .string(index < names.count ? names[index] : "x\(index)"), "children": .array([])]))
            case .constant:
                stack.append(.object(["label": .string("\(node.value)"), "children": .array([])]))
            case .function:
                var children: [JSONValue] = []
                for _ in 0..<Int(node.arity) { children.append(stack.removeLast()) }
                stack.append(.object(["label": .string(operators.name(of: node)), "children": .array(children)]))
            }
        }
        return stack.last ?? .null
    }

    static func programs(_ policy: SymbolicPolicy) -> JSONValue {
        let trees = policy.programs.map { program -> JSONValue in
            let text = ProgramJSON.string(program, functionSet: operators, featureNames: policy.featureNames)
            return (try? JSONValue.parse(text)) ?? .string(text)
        }
        return trees.count == 1 ? trees[0] : .array(trees)
    }
}
