/// Rewrites a program into a shorter one with the same values: constant folding (with the operators' own
/// protected semantics), neutral and absorbing elements (x + 0, x * 1, x * 0, x / 1), self-cancelling terms
/// (x - x, x / x), repeated terms (x + x = 2x, a*x + b*x = (a+b)*x, x * x = square(x)), double negation and
/// nested constants (c1 + (c2 + x)). Applied until nothing changes.
public struct Simplifier: Sendable {
    public let functionSet: FunctionSet

    public init(functionSet: FunctionSet) {
        self.functionSet = functionSet
    }

    indirect enum Tree: Equatable {
        case leaf(Node)
        case call(Node, [Tree])

        var constant: Double? {
            if case .leaf(let node) = self, node.kind == .constant { return node.value }
            return nil
        }

        func flattened(into nodes: inout [Node]) {
            switch self {
            case .leaf(let node): nodes.append(node)
            case .call(let node, let args):
                nodes.append(node)
                for arg in args { arg.flattened(into: &nodes) }
            }
        }
    }

    public func simplify(_ program: Program) -> Program {
        guard program.isValid else { return program }
        var cursor = 0
        var tree = Self.tree(program.nodes, &cursor)
        for _ in 0..<8 {
            let next = simplify(tree)
            if next == tree { break }
            tree = next
        }
        var nodes: [Node] = []
        tree.flattened(into: &nodes)
        return nodes.count <= program.length ? Program(nodes) : program
    }

    static func tree(_ nodes: [Node], _ cursor: inout Int) -> Tree {
        let node = nodes[cursor]
        cursor += 1
        guard node.isFunction else { return .leaf(node) }
        return .call(node, (0..<Int(node.arity)).map { _ in tree(nodes, &cursor) })
    }

    private static func c(_ value: Double) -> Tree { .leaf(.constant(value)) }
    private static func f(_ op: BuiltinOperator, _ args: Tree...) -> Tree { .call(.function(op), args) }

    /// `(k, x)` when `tree` is `k * x` or `x * k` with a constant k, or `(1, tree)`.
    private static func coefficient(_ tree: Tree) -> (Double, Tree) {
        if case .call(let node, let args) = tree, node.builtin == .mul {
            if let k = args[0].constant { return (k, args[1]) }
            if let k = args[1].constant { return (k, args[0]) }
        }
        return (1, tree)
    }

    func simplify(_ tree: Tree) -> Tree {
        guard case .call(let node, let rawArgs) = tree else { return tree }
        let args = rawArgs.map(simplify)
        if let values = Optional(args.compactMap(\.constant)), values.count == args.count {
            if let op = node.builtin {
                let v = values + [0, 0, 0]
                return Self.c(op.apply(v[0], v[1], v[2], v[3]))
            }
            if let index = node.customIndex {
                return Self.c(functionSet.customOperators[index].apply(values[0], values.count > 1 ? values[1] : 0))
            }
        }
        guard let op = node.builtin else { return .call(node, args) }
        let a = args[0], b = args.count > 1 ? args[1] : args[0]
        switch op {
        case .add:
            if a.constant == 0 { return b }
            if b.constant == 0 { return a }
            if let k1 = a.constant, case .call(let inner, let innerArgs) = b, inner.builtin == .add, let k2 = innerArgs[0].constant {
                return Self.f(.add, Self.c(k1 + k2), innerArgs[1])
            }
            let (ka, xa) = Self.coefficient(a), (kb, xb) = Self.coefficient(b)
            if xa == xb, xa.constant == nil { return Self.f(.mul, Self.c(ka + kb), xa) }
        case .sub:
            if b.constant == 0 { return a }
            if a.constant == 0 { return Self.f(.neg, b) }
            if a == b { return Self.c(0) }
            let (ka, xa) = Self.coefficient(a), (kb, xb) = Self.coefficient(b)
            if xa == xb, xa.constant == nil { return Self.f(.mul, Self.c(ka - kb), xa) }
        case .mul:
            if a.constant == 0 || b.constant == 0 { return Self.c(0) }
            if a.constant == 1 { return b }
            if b.constant == 1 { return a }
            if a == b, functionSet.builtins.contains(.square) { return Self.f(.square, a) }
            if let k1 = a.constant, case .call(let inner, let innerArgs) = b, inner.builtin == .mul, let k2 = innerArgs[0].constant {
                return Self.f(.mul, Self.c(k1 * k2), innerArgs[1])
            }
            if b.constant != nil, a.constant == nil { return Self.f(.mul, b, a) }
        case .div:
            if b.constant == 1 { return a }
            if a == b { return Self.c(1) }
        case .neg:
            if case .call(let inner, let innerArgs) = a, inner.builtin == .neg { return innerArgs[0] }
        case .abs:
            if case .call(let inner, let innerArgs) = a, inner.builtin == .abs || inner.builtin == .neg {
                return inner.builtin == .abs ? a : Self.f(.abs, innerArgs[0])
            }
        case .max, .min:
            if a == b { return a }
        default: break
        }
        return .call(node, args)
    }
}
