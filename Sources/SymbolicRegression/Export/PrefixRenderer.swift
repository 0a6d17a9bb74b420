/// Renders a prefix program bottom-up: `leaf` gives a terminal's text, `function` combines a function node's
/// rendered arguments. Every exporter is a pair of these closures.
enum PrefixRenderer {
    static func render(_ program: Program, leaf: (Node) -> String, function: (Node, [String]) -> String) -> String {
        var stack: [String] = []
        stack.reserveCapacity(program.length)
        for node in program.nodes.reversed() {
            if node.isFunction {
                var args: [String] = []
                for _ in 0..<Int(node.arity) { args.append(stack.removeLast()) }
                stack.append(function(node, args))
            } else {
                stack.append(leaf(node))
            }
        }
        return stack.last ?? ""
    }

    /// A constant's shortest text that reads back to the same Double.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), Swift.abs(value) < 1e15 { return String(format: "%.1f", value) }
        return "\(value)"
    }

    /// Feature names usable as identifiers in exported code (`x0`, `x1`... when a name is not one).
    static func identifiers(_ names: [String], count: Int) -> [String] {
        (0..<count).map { index in
            guard index < names.count else { return "x\(index)" }
            let name = names[index]
            let valid = !name.isEmpty && !(name.first!.isNumber) && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && name.allSatisfy(\.isASCII)
            return valid ? name : "x\(index)"
        }
    }
}
