/// Evaluates programs in `Double` with the C library's functions: the reference semantics of every operator,
/// used for final predictions and reported metrics, for constant fitting and for gradients. The GP's fitness
/// uses the faster `Float` evaluator; both follow `BuiltinOperator`'s protection.
public struct ExactEvaluator: Sendable {
    public let functionSet: FunctionSet

    public init(functionSet: FunctionSet) {
        self.functionSet = functionSet
    }

    /// The program's output for every row of `data`.
    public func predict(_ program: Program, on data: Dataset) throws -> [Double] {
        try check(program, features: data.featureCount)
        return forward(program, columns: data.columns, rows: data.rowCount).values[0]
    }

    /// The program's output for one row of features.
    public func value(_ program: Program, features: [Double]) throws -> Double {
        try check(program, features: features.count)
        return forward(program, columns: features.map { [$0] }, rows: 1).values[0][0]
    }

    func check(_ program: Program, features: Int) throws {
        guard program.isValid else { throw ProgramError.incomplete(length: program.length) }
        if program.maxFeatureIndex >= features {
            throw ProgramError.featureOutOfRange(feature: program.maxFeatureIndex, features: features)
        }
        for node in program.nodes {
            if let index = node.customIndex, index >= functionSet.customOperators.count {
                throw ProgramError.customOperatorOutOfRange(index: index, count: functionSet.customOperators.count)
            }
        }
    }

    /// Every node's value on every row (`values[node][row]`) and each function node's children.
    func forward(_ program: Program, columns: [[Double]], rows: Int) -> (values: [[Double]], children: [[Int]]) {
        let nodes = program.nodes
        var children = [[Int]](repeating: [], count: nodes.count)
        var stack: [Int] = []
        for index in nodes.indices.reversed() {
            let node = nodes[index]
            if node.isFunction {
                var args: [Int] = []
                for _ in 0..<Int(node.arity) { args.append(stack.removeLast()) }
                children[index] = args
            }
            stack.append(index)
        }
        var values = [[Double]](repeating: [], count: nodes.count)
        for index in nodes.indices.reversed() {
            let node = nodes[index]
            switch node.kind {
            case .feature: values[index] = columns[node.featureIndex]
            case .constant: values[index] = [Double](repeating: node.value, count: rows)
            case .function:
                let args = children[index].map { values[$0] }
                var out = [Double](repeating: 0, count: rows)
                if let op = node.builtin {
                    switch args.count {
                    case 1: for r in 0..<rows { out[r] = op.apply(args[0][r]) }
                    case 2: for r in 0..<rows { out[r] = op.apply(args[0][r], args[1][r]) }
                    case 3: for r in 0..<rows { out[r] = op.apply(args[0][r], args[1][r], args[2][r]) }
                    default: for r in 0..<rows { out[r] = op.apply(args[0][r], args[1][r], args[2][r], args[3][r]) }
                    }
                } else if let custom = node.customIndex {
                    let op = functionSet.customOperators[custom]
                    for r in 0..<rows { out[r] = op.apply(args[0][r], args.count > 1 ? args[1][r] : 0) }
                }
                values[index] = out
            }
        }
        return (values, children)
    }
}
