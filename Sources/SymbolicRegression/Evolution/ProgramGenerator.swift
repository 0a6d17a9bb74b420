/// Builds random programs and applies gplearn's variation operators (crossover, subtree, hoist and point
/// mutation) with gplearn's semantics, on flat prefix arrays.
struct ProgramGenerator: Sendable {
    let templates: [Node]
    let byArity: [Int: [Node]]
    let featureCount: Int
    let constRange: ClosedRange<Double>?
    let initDepth: ClosedRange<Int>
    let initMethod: InitMethod
    let pointReplace: Double

    init(parameters: GPParameters, featureCount: Int) {
        templates = parameters.functionSet.templates
        byArity = parameters.functionSet.byArity
        self.featureCount = featureCount
        constRange = parameters.constRange
        initDepth = parameters.initDepth
        initMethod = parameters.initMethod
        pointReplace = parameters.pPointReplace
    }

    /// A random terminal: a feature, or (when constants are allowed) with equal odds a constant.
    func terminal(_ rng: inout RandomSource) -> Node {
        let choice = rng.integer(below: constRange == nil ? featureCount : featureCount + 1)
        if choice == featureCount, let range = constRange {
            return .constant(rng.uniform(range.lowerBound, range.upperBound))
        }
        return .feature(choice)
    }

    /// gplearn's `build_program`: a root function, then functions or terminals until the chosen depth.
    func build(_ rng: inout RandomSource) -> Program {
        let method: InitMethod = initMethod == .halfAndHalf ? (rng.integer(below: 2) == 1 ? .full : .grow) : initMethod
        let maxDepth = initDepth.lowerBound + rng.integer(below: initDepth.count)
        let root = templates[rng.integer(below: templates.count)]
        var nodes = [root]
        var stack = [Int(root.arity)]
        while !stack.isEmpty {
            let depth = stack.count
            let choice = rng.integer(below: featureCount + templates.count)
            if depth < maxDepth && (method == .full || choice <= templates.count) {
                let function = templates[rng.integer(below: templates.count)]
                nodes.append(function)
                stack.append(Int(function.arity))
            } else {
                nodes.append(terminal(&rng))
                stack[stack.count - 1] -= 1
                while stack[stack.count - 1] == 0 {
                    stack.removeLast()
                    if stack.isEmpty { return Program(nodes) }
                    stack[stack.count - 1] -= 1
                }
            }
        }
        return Program(nodes)
    }

    /// gplearn's `get_subtree`: a random subtree, its root a function 90 % of the time (Koza).
    func randomSubtree(_ nodes: [Node], _ rng: inout RandomSource) -> Range<Int> {
        var total = 0.0
        for node in nodes { total += node.isFunction ? 0.9 : 0.1 }
        let target = rng.uniform() * total
        var cumulative = 0.0
        var start = nodes.count - 1
        for (index, node) in nodes.enumerated() {
            cumulative += node.isFunction ? 0.9 : 0.1
            if cumulative >= target { start = index; break }
        }
        return start..<Program(nodes).subtreeEnd(from: start)
    }

    /// A random subtree of `parent` replaced by a random subtree of `donor`.
    func crossover(_ parent: Program, _ donor: Program, _ rng: inout RandomSource) -> Program {
        let removed = randomSubtree(parent.nodes, &rng)
        let given = randomSubtree(donor.nodes, &rng)
        return parent.replacing(removed, with: donor.nodes[given])
    }

    /// Crossover with a freshly built random program.
    func subtreeMutation(_ parent: Program, _ rng: inout RandomSource) -> Program {
        let chicken = build(&rng)
        return crossover(parent, chicken, &rng)
    }

    /// A random subtree replaced by one of its own subtrees (shrinks the program).
    func hoistMutation(_ parent: Program, _ rng: inout RandomSource) -> Program {
        let removed = randomSubtree(parent.nodes, &rng)
        let subtree = Array(parent.nodes[removed])
        let hoisted = randomSubtree(subtree, &rng)
        return parent.replacing(removed, with: subtree[hoisted])
    }

    /// Each node replaced with probability `pointReplace`: a function by one of the same arity, a terminal by
    /// a random terminal.
    func pointMutation(_ parent: Program, _ rng: inout RandomSource) -> Program {
        var nodes = parent.nodes
        var mutate: [Int] = []
        for index in nodes.indices where rng.uniform() < pointReplace { mutate.append(index) }
        for index in mutate {
            if nodes[index].isFunction {
                let candidates = byArity[Int(nodes[index].arity)] ?? [nodes[index]]
                nodes[index] = candidates[rng.integer(below: candidates.count)]
            } else {
                nodes[index] = terminal(&rng)
            }
        }
        return Program(nodes)
    }
}
