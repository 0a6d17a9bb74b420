import Foundation

/// Infix text of a program, and its parser: `((x0 * x0) + sin(x1))`. `+ - * /` and unary `-` are add, sub,
/// mul, div (protected) and neg; every other operator is a call by its name (`log(x0)`, `max(a, b)`), with
/// symstudy's protected semantics. Constants are written so that they read back exactly; feature names are
/// used when they are identifiers.
public enum InfixFormat {
    public static func string(_ program: Program, functionSet: FunctionSet, featureNames: [String] = []) -> String {
        let names = PrefixRenderer.identifiers(featureNames, count: program.maxFeatureIndex + 1)
        return PrefixRenderer.render(program, leaf: { node in
            node.kind == .feature ? names[node.featureIndex] : PrefixRenderer.number(node.value)
        }, function: { node, args in
            switch node.builtin {
            case .add?: return "(\(args[0]) + \(args[1]))"
            case .sub?: return "(\(args[0]) - \(args[1]))"
            case .mul?: return "(\(args[0]) * \(args[1]))"
            case .div?: return "(\(args[0]) / \(args[1]))"
            case .neg?: return "-(\(args[0]))"
            default: return "\(functionSet.name(of: node))(\(args.joined(separator: ", ")))"
            }
        })
    }

    /// gplearn's program text: `add(X0, mul(X1, 0.500))`.
    public static func gplearnString(_ program: Program, functionSet: FunctionSet, featureNames: [String]? = nil) -> String {
        PrefixRenderer.render(program, leaf: { node in
            if node.kind == .feature {
                if let names = featureNames, node.featureIndex < names.count { return names[node.featureIndex] }
                return "X\(node.featureIndex)"
            }
            return String(format: "%.3f", node.value)
        }, function: { node, args in "\(functionSet.name(of: node))(\(args.joined(separator: ", ")))" })
    }

    /// Parses infix text (as `string` writes it, or any text with the same operators, precedence and calls).
    /// Feature names resolve through `featureNames`, or as `x<index>`/`X<index>`.
    public static func parse(_ text: String, functionSet: FunctionSet, featureNames: [String] = []) throws -> Program {
        var parser = InfixParser(text: Array(text.unicodeScalars), original: text, functionSet: functionSet, featureNames: featureNames)
        let nodes = try parser.parseExpression()
        parser.skipSpaces()
        guard parser.position == parser.text.count else { throw parser.error("unexpected text after the expression") }
        return try Program.validated(nodes)
    }
}

/// A recursive-descent parser for infix text (sums, products, unary minus, calls, numbers, names).
struct InfixParser {
    let text: [Unicode.Scalar]
    let original: String
    let functionSet: FunctionSet
    let featureNames: [String]
    var position = 0

    init(text: [Unicode.Scalar], original: String, functionSet: FunctionSet, featureNames: [String]) {
        self.text = text
        self.original = original
        self.functionSet = functionSet
        self.featureNames = featureNames
    }

    func error(_ reason: String) -> ProgramError { .parse(text: original, position: position, reason: reason) }

    mutating func skipSpaces() { while position < text.count, text[position] == " " { position += 1 } }

    mutating func peek() -> Unicode.Scalar? { skipSpaces(); return position < text.count ? text[position] : nil }

    mutating func parseExpression() throws -> [Node] {
        var left = try parseTerm()
        while let c = peek(), c == "+" || c == "-" {
            position += 1
            let right = try parseTerm()
            left = [.function(c == "+" ? .add : .sub)] + left + right
        }
        return left
    }

    mutating func parseTerm() throws -> [Node] {
        var left = try parseUnary()
        while let c = peek(), c == "*" || c == "/" {
            position += 1
            let right = try parseUnary()
            left = [.function(c == "*" ? .mul : .div)] + left + right
        }
        return left
    }

    mutating func parseUnary() throws -> [Node] {
        if peek() == "-" {
            position += 1
            if let c = peek(), c.properties.numericType != nil || c == "." {
                let number = try parseNumber()
                return [.constant(-number)]
            }
            return [.function(.neg)] + (try parseUnary())
        }
        return try parsePrimary()
    }

    mutating func parseNumber() throws -> Double {
        skipSpaces()
        let start = position
        while position < text.count {
            let c = text[position]
            let previous = position > start ? text[position - 1] : " "
            if c.properties.numericType != nil || c == "." || c == "e" || c == "E" || ((c == "-" || c == "+") && (previous == "e" || previous == "E")) {
                position += 1
            } else { break }
        }
        guard let value = Double(String(String.UnicodeScalarView(text[start..<position]))) else { throw error("not a number") }
        return value
    }

    mutating func parsePrimary() throws -> [Node] {
        guard let c = peek() else { throw error("expected a value") }
        if c == "(" {
            position += 1
            let inner = try parseExpression()
            guard peek() == ")" else { throw error("expected ')'") }
            position += 1
            return inner
        }
        if c.properties.numericType != nil || c == "." { return [.constant(try parseNumber())] }
        let start = position
        while position < text.count, text[position].properties.isAlphabetic || text[position].properties.numericType != nil || text[position] == "_" {
            position += 1
        }
        guard position > start else { throw error("unexpected character '\(c)'") }
        let name = String(String.UnicodeScalarView(text[start..<position]))
        if peek() == "(" {
            guard let template = functionSet.template(named: name) else { throw ProgramError.unknownOperator(name) }
            position += 1
            var nodes = [template]
            for index in 0..<Int(template.arity) {
                if index > 0 {
                    guard peek() == "," else { throw error("'\(name)' takes \(template.arity) argument(s): expected ','") }
                    position += 1
                }
                nodes += try parseExpression()
            }
            guard peek() == ")" else { throw error("'\(name)' takes \(template.arity) argument(s): expected ')'") }
            position += 1
            return nodes
        }
        if let index = featureNames.firstIndex(of: name) { return [.feature(index)] }
        if let first = name.first, first == "x" || first == "X", let index = Int(name.dropFirst()) { return [.feature(index)] }
        throw error("unknown name '\(name)': not a feature (\(featureNames.joined(separator: ", "))) nor x<index>")
    }
}
