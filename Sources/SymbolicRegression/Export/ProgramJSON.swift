import Foundation

/// A program as a JSON tree that reads back to the identical program (constants exact):
/// `{"op":"add","args":[{"feature":0,"name":"x"},{"constant":0.5}]}`.
public enum ProgramJSON {
    public static func string(_ program: Program, functionSet: FunctionSet, featureNames: [String] = []) -> String {
        PrefixRenderer.render(program, leaf: { node in
            if node.kind == .feature {
                let index = node.featureIndex
                let name = index < featureNames.count ? ",\"name\":\(quote(featureNames[index]))" : ""
                return "{\"feature\":\(index)\(name)}"
            }
            return "{\"constant\":\(exact(node.value))}"
        }, function: { node, args in
            "{\"op\":\(quote(functionSet.name(of: node))),\"args\":[\(args.joined(separator: ","))]}"
        })
    }

    /// Reads a JSON tree written by `string` (constants exactly: JSONDecoder reads the shortest decimals back
    /// to the same Double).
    public static func parse(_ text: String, functionSet: FunctionSet) throws -> Program {
        let tree: JSONNode
        do { tree = try JSONDecoder().decode(JSONNode.self, from: Data(text.utf8)) } catch {
            throw ProgramError.parse(text: String(text.prefix(80)), position: 0, reason: "not a program's JSON tree: \(error)")
        }
        var nodes: [Node] = []
        try tree.append(to: &nodes, functionSet: functionSet, text: text)
        return try Program.validated(nodes)
    }

    /// One node of the JSON tree.
    struct JSONNode: Decodable {
        var op: String?
        var args: [JSONNode]?
        var feature: Int?
        var constant: Double?

        func append(to nodes: inout [Node], functionSet: FunctionSet, text: String) throws {
            if let op {
                guard let template = functionSet.template(named: op) else { throw ProgramError.unknownOperator(op) }
                let args = self.args ?? []
                guard args.count == Int(template.arity) else {
                    throw ProgramError.parse(text: String(text.prefix(80)), position: 0, reason: "'\(op)' needs \(template.arity) args, has \(args.count)")
                }
                nodes.append(template)
                for arg in args { try arg.append(to: &nodes, functionSet: functionSet, text: text) }
            } else if let feature {
                nodes.append(.feature(feature))
            } else if let constant {
                nodes.append(.constant(constant))
            } else {
                throw ProgramError.parse(text: String(text.prefix(80)), position: 0, reason: "a node needs 'op', 'feature' or 'constant'")
            }
        }
    }

    /// Shortest exact decimal of a finite Double (Swift's description round-trips).
    static func exact(_ value: Double) -> String { "\(value)" }

    /// A JSON string literal of `text` (also a valid Python, C and Swift literal for printable text).
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
