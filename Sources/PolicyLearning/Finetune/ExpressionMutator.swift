import Environments
import SymbolicRegression

/// The variations of return-driven evolution, on flat prefix programs: subtree crossover, subtree, hoist
/// and point mutation (as gplearn's, with Koza's 90 % function bias when picking a subtree), and a
/// Gaussian perturbation of the constants, the fine adjustment a distilled expression most often needs.
struct ExpressionMutator: Sendable {
    let operators: [BuiltinOperator]
    let featureCount: Int
    /// New constants are drawn from this range.
    let constantRange: ClosedRange<Double>
    /// Standard deviation of a constant's perturbation, relative to its size (plus 0.1 so zeros move too).
    let constantNoise: Double
    /// Offspring longer than this are rejected (the parent is kept).
    let maxLength: Int
    /// Depth of the random subtrees that subtree mutation grafts.
    let graftDepth: ClosedRange<Int> = 1...3

    /// A random tree grown to at most `depth` (functions and terminals at random below the root).
    func randomTree(depth: Int, _ rng: inout SeededGenerator) -> [Node] {
        var nodes: [Node] = []
        grow(depth: depth, root: true, into: &nodes, &rng)
        return nodes
    }

    private func grow(depth: Int, root: Bool, into nodes: inout [Node], _ rng: inout SeededGenerator) {
        let functionShare = Double(operators.count) / Double(operators.count + featureCount + 1)
        if depth > 0 && (root || rng.nextUnit() < functionShare) {
            let op = operators[Int.random(in: 0..<operators.count, using: &rng)]
            nodes.append(.function(op))
            for _ in 0..<op.arity { grow(depth: depth - 1, root: false, into: &nodes, &rng) }
        } else {
            nodes.append(terminal(&rng))
        }
    }

    /// A feature, or (one time in `featureCount + 1`) a constant from the range.
    func terminal(_ rng: inout SeededGenerator) -> Node {
        let choice = Int.random(in: 0...featureCount, using: &rng)
        if choice == featureCount { return .constant(rng.uniform(constantRange.lowerBound, constantRange.upperBound)) }
        return .feature(choice)
    }

    /// A random subtree's range, its root a function 90 % of the time.
    func randomSubtree(_ program: Program, _ rng: inout SeededGenerator) -> Range<Int> {
        var total = 0.0
        for node in program.nodes { total += node.isFunction ? 0.9 : 0.1 }
        let target = rng.nextUnit() * total
        var cumulative = 0.0
        var start = program.length - 1
        for (index, node) in program.nodes.enumerated() {
            cumulative += node.isFunction ? 0.9 : 0.1
            if cumulative >= target { start = index; break }
        }
        return start..<program.subtreeEnd(from: start)
    }

    func crossover(_ parent: Program, _ donor: Program, _ rng: inout SeededGenerator) -> Program {
        let removed = randomSubtree(parent, &rng), given = randomSubtree(donor, &rng)
        return parent.replacing(removed, with: donor.nodes[given])
    }

    func subtreeMutation(_ parent: Program, _ rng: inout SeededGenerator) -> Program {
        let removed = randomSubtree(parent, &rng)
        let depth = Int.random(in: graftDepth, using: &rng)
        return parent.replacing(removed, with: ArraySlice(randomTree(depth: depth, &rng)))
    }

    func hoistMutation(_ parent: Program, _ rng: inout SeededGenerator) -> Program {
        let removed = randomSubtree(parent, &rng)
        let subtree = Program(Array(parent.nodes[removed]))
        let hoisted = randomSubtree(subtree, &rng)
        return parent.replacing(removed, with: subtree.nodes[hoisted])
    }

    /// One node replaced (a function by another of the same arity, a terminal by a random terminal or, for
    /// a constant, a perturbed value), and each other node with probability 0.1.
    func pointMutation(_ parent: Program, _ rng: inout SeededGenerator) -> Program {
        var nodes = parent.nodes
        let forced = Int.random(in: 0..<nodes.count, using: &rng)
        for index in nodes.indices where index == forced || rng.nextUnit() < 0.1 {
            let node = nodes[index]
            if node.isFunction {
                let same = operators.filter { $0.arity == Int(node.arity) }
                if !same.isEmpty { nodes[index] = .function(same[Int.random(in: 0..<same.count, using: &rng)]) }
            } else if node.kind == .constant && rng.nextUnit() < 0.5 {
                nodes[index].value = perturbed(node.value, &rng)
            } else {
                nodes[index] = terminal(&rng)
            }
        }
        return Program(nodes)
    }

    /// Every constant perturbed; a program without constants gets a point mutation instead.
    func constantMutation(_ parent: Program, _ rng: inout SeededGenerator) -> Program {
        guard parent.nodes.contains(where: { $0.kind == .constant }) else { return pointMutation(parent, &rng) }
        var program = parent
        program.constants = program.constants.map { perturbed($0, &rng) }
        return program
    }

    func perturbed(_ value: Double, _ rng: inout SeededGenerator) -> Double {
        value + constantNoise * (Swift.abs(value) + 0.1) * rng.normal()
    }
}
