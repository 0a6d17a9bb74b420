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

    /// Reads a JSON tree written by `string`.
    public static func parse(_ text: String, functionSet: FunctionSet) throws -> Program {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw ProgramError.parse(text: String(text.prefix(80)), position: 0, reason: "not JSON")
        }
        var nodes: [Node] = []
        try append(object, to: &nodes, functionSet: functionSet, text: text)
        return try Program.validated(nodes)
    }

    private static func append(_ object: Any, to nodes: inout [Node], functionSet: FunctionSet, text: String) throws {
        guard let dictionary = object as? [String: Any] else {
            throw ProgramError.parse(text: String(text.prefix(80)), position: 0, reason: "a node must be an object")
        }
        if let name = dictionary["op"] as? String {
            guard let template = functionSet.template(named: name) else { throw ProgramError.unknownOperator(name) }
            let args = dictionary["args"] as? [Any] ?? []
            guard args.count == Int(template.arity) else {
                throw ProgramError.parse(text: String(text.prefix(80)), position: 0, reason: "'\(name)' needs \(template.arity) args, has \(args.count)")
            }
            nodes.append(template)
            for arg in args { try append(arg, to: &nodes, functionSet: functionSet, text: text) }
        } else if let feature = dictionary["feature"] as? Int {
            nodes.append(.feature(feature))
        } else if let value = dictionary["constant"] as? NSNumber {
            nodes.append(.constant(value.doubleValue))
        } else if let value = dictionary["constant"] as? String, let number = Double(value) {
            nodes.append(.constant(number))
        } else {
            throw ProgramError.parse(text: String(text.prefix(80)), position: 0, reason: "a node needs 'op', 'feature' or 'constant'")
        }
    }

    /// Shortest exact decimal of a finite Double (Swift's description round-trips).
    static func exact(_ value: Double) -> String { "\(value)" }

    static func quote(_ text: String) -> String {
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
