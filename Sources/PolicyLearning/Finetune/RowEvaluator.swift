import SymbolicRegression

/// Evaluates a program on one row of features, as a policy acting step by step needs it: a loop over the
/// prefix nodes from the end with a value stack in a caller's buffer, so nothing is allocated per step. The
/// operators are `BuiltinOperator.apply`, the same protected semantics as the GP's exact evaluator.
enum RowEvaluator {
    /// The program's value for `features`; `stack` holds at least `program.length` values.
    @inline(__always)
    static func value(_ nodes: UnsafeBufferPointer<Node>, features: UnsafePointer<Double>,
                      stack: UnsafeMutablePointer<Double>) -> Double {
        var top = 0
        var index = nodes.count - 1
        while index >= 0 {
            let node = nodes[index]
            switch node.kind {
            case .feature:
                stack[top] = features[node.featureIndex]
                top += 1
            case .constant:
                stack[top] = node.value
                top += 1
            case .function:
                // Children were pushed last-first, so the first argument is on top.
                let op = node.builtin!
                switch node.arity {
                case 1:
                    stack[top - 1] = op.apply(stack[top - 1])
                case 2:
                    stack[top - 2] = op.apply(stack[top - 1], stack[top - 2])
                    top -= 1
                case 3:
                    stack[top - 3] = op.apply(stack[top - 1], stack[top - 2], stack[top - 3])
                    top -= 2
                default:
                    stack[top - 4] = op.apply(stack[top - 1], stack[top - 2], stack[top - 3], stack[top - 4])
                    top -= 3
                }
            }
            index -= 1
        }
        return stack[0]
    }
}
