/// Reverse-mode differentiation over a program's flat node array: one forward pass keeps every node's value
/// per row, one backward pass carries adjoints from the root to the leaves, so the derivatives of the output
/// with respect to every constant come at the cost of about two evaluations. Used by Levenberg-Marquardt
/// here and public for callers that train constants themselves (PPO fine-tuning).
public struct ProgramGradient: Sendable {
    public let functionSet: FunctionSet

    public init(functionSet: FunctionSet) {
        self.functionSet = functionSet
    }

    /// The outputs and the Jacobian of the outputs with respect to the constants (in node order):
    /// `jacobian[row * constants + k]` is d output[row] / d constant k.
    public func jacobian(_ program: Program, on data: Dataset) throws -> (values: [Double], jacobian: [Double], constants: Int) {
        let exact = ExactEvaluator(functionSet: functionSet)
        try exact.check(program, features: data.featureCount)
        return jacobian(program, columns: data.columns, rows: data.rowCount)
    }

    /// The gradient of `sum(seed[row] * output[row])` with respect to the constants (a vector-Jacobian
    /// product: with `seed` = dLoss/dOutput it is dLoss/dConstants).
    public func gradient(_ program: Program, on data: Dataset, seed: [Double]) throws -> [Double] {
        let exact = ExactEvaluator(functionSet: functionSet)
        try exact.check(program, features: data.featureCount)
        precondition(seed.count == data.rowCount, "one seed value per row")
        let (_, adjoints, positions) = backward(program, columns: data.columns, rows: data.rowCount, seed: seed)
        return positions.map { adjoints[$0].reduce(0, +) }
    }

    func jacobian(_ program: Program, columns: [[Double]], rows: Int) -> (values: [Double], jacobian: [Double], constants: Int) {
        let (values, adjoints, positions) = backward(program, columns: columns, rows: rows,
                                                     seed: [Double](repeating: 1, count: rows))
        var jacobian = [Double](repeating: 0, count: rows * positions.count)
        for (k, position) in positions.enumerated() {
            let column = adjoints[position]
            for row in 0..<rows { jacobian[row * positions.count + k] = column[row] }
        }
        return (values, jacobian, positions.count)
    }

    /// Output values, every node's adjoint per row, and the constant positions.
    func backward(_ program: Program, columns: [[Double]], rows: Int, seed: [Double]) -> ([Double], [[Double]], [Int]) {
        let exact = ExactEvaluator(functionSet: functionSet)
        let (values, children) = exact.forward(program, columns: columns, rows: rows)
        let nodes = program.nodes
        var adjoints = [[Double]](repeating: [], count: nodes.count)
        adjoints[0] = seed
        for index in nodes.indices where nodes[index].isFunction {
            let adjoint = adjoints[index].isEmpty ? [Double](repeating: 0, count: rows) : adjoints[index]
            let args = children[index]
            for child in args where adjoints[child].isEmpty { adjoints[child] = [Double](repeating: 0, count: rows) }
            let a = values[args[0]]
            let b = args.count > 1 ? values[args[1]] : a
            let c = args.count > 2 ? values[args[2]] : a
            let d = args.count > 3 ? values[args[3]] : a
            for row in 0..<rows where adjoint[row] != 0 {
                let g = adjoint[row]
                if let op = nodes[index].builtin {
                    let (da, db, dc, dd) = op.partials(a[row], b[row], c[row], d[row])
                    adjoints[args[0]][row] += g * da
                    if args.count > 1 { adjoints[args[1]][row] += g * db }
                    if args.count > 2 { adjoints[args[2]][row] += g * dc }
                    if args.count > 3 { adjoints[args[3]][row] += g * dd }
                } else if let custom = nodes[index].customIndex {
                    let (da, db) = functionSet.customOperators[custom].partials(a[row], b[row])
                    adjoints[args[0]][row] += g * da
                    if args.count > 1 { adjoints[args[1]][row] += g * db }
                }
            }
        }
        let positions = program.constantPositions
        for position in positions where adjoints[position].isEmpty { adjoints[position] = [Double](repeating: 0, count: rows) }
        return (values[0], adjoints, positions)
    }
}
