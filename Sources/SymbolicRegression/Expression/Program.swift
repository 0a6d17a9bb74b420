/// A program: a flat prefix array of nodes, the representation every part of the engine works on.
///
/// `Program([.function(.add), .feature(0), .constant(1)])` is `x0 + 1`. A valid program is one complete tree:
/// every function node is followed by exactly `arity` complete subtrees.
public struct Program: Hashable, Sendable {
    public var nodes: [Node]

    /// Wraps nodes; use `validated(_:)` for nodes that come from outside.
    public init(_ nodes: [Node]) {
        self.nodes = nodes
    }

    /// Nodes checked to form one complete tree.
    public static func validated(_ nodes: [Node]) throws -> Program {
        let program = Program(nodes)
        guard program.isValid else { throw ProgramError.incomplete(length: nodes.count) }
        return program
    }

    /// Number of nodes (gplearn's `length_`).
    public var length: Int { nodes.count }

    /// True when the nodes form exactly one complete tree.
    public var isValid: Bool {
        guard !nodes.isEmpty else { return false }
        var open = 1
        for (index, node) in nodes.enumerated() {
            open += Int(node.arity) - 1
            if open == 0 { return index == nodes.count - 1 }
        }
        return false
    }

    /// Depth as gplearn counts it: a lone terminal has depth 0, a function of terminals depth 1.
    public var depth: Int {
        var stack: [Int] = []
        var depth = 0
        stack.reserveCapacity(16)
        for node in nodes {
            if node.isFunction {
                stack.append(Int(node.arity))
                depth = max(depth, stack.count)
            } else {
                while let last = stack.last {
                    if last == 1 { stack.removeLast() } else { stack[stack.count - 1] = last - 1; break }
                }
            }
        }
        return depth
    }

    /// One past the last node of the subtree that starts at `start`.
    public func subtreeEnd(from start: Int) -> Int {
        var open = 1
        var end = start
        while open > 0 {
            open += Int(nodes[end].arity) - 1
            end += 1
        }
        return end
    }

    /// The start index of each child of the function node at `index`.
    public func children(of index: Int) -> [Int] {
        var result: [Int] = []
        var position = index + 1
        for _ in 0..<Int(nodes[index].arity) {
            result.append(position)
            position = subtreeEnd(from: position)
        }
        return result
    }

    /// Positions of the constant nodes, in order.
    public var constantPositions: [Int] {
        nodes.indices.filter { nodes[$0].kind == .constant }
    }

    /// The constants' values, in node order.
    public var constants: [Double] {
        get { nodes.compactMap { $0.kind == .constant ? $0.value : nil } }
        set {
            var iterator = newValue.makeIterator()
            for index in nodes.indices where nodes[index].kind == .constant {
                guard let value = iterator.next() else { return }
                nodes[index].value = value
            }
        }
    }

    /// The largest feature index used, or -1.
    public var maxFeatureIndex: Int {
        nodes.reduce(-1) { $1.kind == .feature ? max($0, $1.featureIndex) : $0 }
    }

    /// The program with the subtree `range` replaced by `replacement`'s nodes.
    public func replacing(_ range: Range<Int>, with replacement: ArraySlice<Node>) -> Program {
        var result: [Node] = []
        result.reserveCapacity(nodes.count - range.count + replacement.count)
        result.append(contentsOf: nodes[..<range.lowerBound])
        result.append(contentsOf: replacement)
        result.append(contentsOf: nodes[range.upperBound...])
        return Program(result)
    }
}
