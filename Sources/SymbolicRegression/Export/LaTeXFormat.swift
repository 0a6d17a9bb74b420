/// LaTeX of a program, and a parser for the LaTeX it writes (so an export can be checked by reading it back).
/// Protected operators are written as their usual symbols (`\frac`, `\log\left|..\right|`, `\sqrt{\left|..\right|}`);
/// operators without a usual symbol are `\operatorname{name}\left(..\right)`.
public enum LaTeXFormat {
    public static func string(_ program: Program, functionSet: FunctionSet, featureNames: [String] = []) -> String {
        let names = PrefixRenderer.identifiers(featureNames, count: program.maxFeatureIndex + 1)
        return PrefixRenderer.render(program, leaf: { node in
            if node.kind == .feature {
                let name = names[node.featureIndex]
                return name == "x\(node.featureIndex)" ? "x_{\(node.featureIndex)}" : "\\mathrm{\(name.replacingOccurrences(of: "_", with: "\\_"))}"
            }
            return PrefixRenderer.number(node.value)
        }, function: { node, args in
            let a = args[0], b = args.count > 1 ? args[1] : ""
            switch node.builtin {
            case .add?: return "\\left(\(a) + \(b)\\right)"
            case .sub?: return "\\left(\(a) - \(b)\\right)"
            case .mul?: return "\\left(\(a) \\cdot \(b)\\right)"
            case .div?: return "\\frac{\(a)}{\(b)}"
            case .sqrt?: return "\\sqrt{\\left|\(a)\\right|}"
            case .log?: return "\\log{\\left|\(a)\\right|}"
            case .abs?: return "\\left|\(a)\\right|"
            case .neg?: return "\\left(-\(a)\\right)"
            case .sin?: return "\\sin{\\left(\(a)\\right)}"
            case .cos?: return "\\cos{\\left(\(a)\\right)}"
            case .tan?: return "\\tan{\\left(\(a)\\right)}"
            case .exp?: return "e^{\(a)}"
            case .pow?: return "\\left|\(a)\\right|^{\(b)}"
            case .square?: return "\\left(\(a)\\right)^{2}"
            default: return "\\operatorname{\(functionSet.name(of: node).replacingOccurrences(of: "_", with: "\\_"))}\\left(\(args.joined(separator: ", "))\\right)"
            }
        })
    }

    /// Reads LaTeX written by `string`.
    public static func parse(_ text: String, functionSet: FunctionSet, featureNames: [String] = []) throws -> Program {
        var parser = LaTeXParser(text: Array(text), original: text, functionSet: functionSet, featureNames: featureNames)
        let nodes = try parser.expression()
        guard parser.position == parser.text.count else { throw parser.error("unexpected text after the expression") }
        return try Program.validated(nodes)
    }
}

struct LaTeXParser {
    let text: [Character]
    let original: String
    let functionSet: FunctionSet
    let featureNames: [String]
    var position = 0

    func error(_ reason: String) -> ProgramError { .parse(text: original, position: position, reason: reason) }

    mutating func skip() { while position < text.count, text[position] == " " { position += 1 } }

    mutating func accept(_ token: String) -> Bool {
        skip()
        let chars = Array(token)
        guard position + chars.count <= text.count, Array(text[position..<(position + chars.count)]) == chars else { return false }
        position += chars.count
        return true
    }

    mutating func expect(_ token: String) throws {
        guard accept(token) else { throw error("expected '\(token)'") }
    }

    mutating func braced(until close: String) throws -> String {
        skip()
        var out = ""
        while !accept(close) {
            guard position < text.count else { throw error("expected '\(close)'") }
            out.append(text[position]); position += 1
        }
        return out
    }

    func isNumberStart(_ offset: Int) -> Bool {
        guard position + offset < text.count else { return false }
        let c = text[position + offset]
        return c.isNumber || c == "."
    }

    mutating func expression() throws -> [Node] {
        skip()
        if accept("\\left(") {
            skip()
            if position < text.count, text[position] == "-", !isNumberStart(1) {
                position += 1
                let inner = try expression()
                try expect("\\right)")
                return [.function(.neg)] + inner
            }
            let first = try expression()
            if accept("\\right)") {
                try expect("^{2}")
                return [.function(.square)] + first
            }
            let op: BuiltinOperator
            if accept("+") { op = .add } else if accept("\\cdot") { op = .mul } else if accept("-") { op = .sub } else {
                throw error("expected +, - or \\cdot")
            }
            let second = try expression()
            try expect("\\right)")
            return [.function(op)] + first + second
        }
        if accept("\\frac{") {
            let a = try expression(); try expect("}{")
            let b = try expression(); try expect("}")
            return [.function(.div)] + a + b
        }
        for (prefix, op) in [("\\sqrt{\\left|", BuiltinOperator.sqrt), ("\\log{\\left|", .log)] where accept(prefix) {
            let a = try expression(); try expect("\\right|}")
            return [.function(op)] + a
        }
        for (prefix, op) in [("\\sin{\\left(", BuiltinOperator.sin), ("\\cos{\\left(", .cos), ("\\tan{\\left(", .tan)] where accept(prefix) {
            let a = try expression(); try expect("\\right)}")
            return [.function(op)] + a
        }
        if accept("\\left|") {
            let a = try expression(); try expect("\\right|")
            if accept("^{") {
                let b = try expression(); try expect("}")
                return [.function(.pow)] + a + b
            }
            return [.function(.abs)] + a
        }
        if accept("e^{") {
            let a = try expression(); try expect("}")
            return [.function(.exp)] + a
        }
        if accept("\\operatorname{") {
            let name = try braced(until: "}").replacingOccurrences(of: "\\_", with: "_")
            guard let template = functionSet.template(named: name) else { throw ProgramError.unknownOperator(name) }
            try expect("\\left(")
            var nodes = [template]
            for index in 0..<Int(template.arity) {
                if index > 0 { try expect(",") }
                nodes += try expression()
            }
            try expect("\\right)")
            return nodes
        }
        if accept("x_{") {
            guard let index = Int(try braced(until: "}")) else { throw error("expected a feature index") }
            return [.feature(index)]
        }
        if accept("\\mathrm{") {
            let name = try braced(until: "}").replacingOccurrences(of: "\\_", with: "_")
            guard let index = featureNames.firstIndex(of: name) else { throw error("unknown feature '\(name)'") }
            return [.feature(index)]
        }
        let start = position
        while position < text.count, text[position].isNumber || "+-.eE".contains(text[position]) {
            if "+-".contains(text[position]), position > start, !"eE".contains(text[position - 1]) { break }
            position += 1
        }
        guard let value = Double(String(text[start..<position])) else { throw error("expected an expression") }
        return [.constant(value)]
    }
}
