/// A random forest of `RegressionTree`s, as scikit-learn's `RandomForestRegressor` with Optuna's settings:
/// every tree grows on a bootstrap sample (n draws with replacement, kept as per-row counts) and considers
/// every feature at every split. Seeded: the same seed gives the same forest.
struct RandomForestRegressor: Sendable {
    let trees: [RegressionTree]
    let columnCount: Int

    /// - Parameters:
    ///   - features: column-major matrix, `features[column * rowCount + row]`.
    ///   - targets: one per row.
    init(features: [Double], rowCount: Int, columnCount: Int, targets: [Double], nTrees: Int, maxDepth: Int,
         seed: UInt64?) {
        // scikit-learn stores features as 32-bit floats.
        let rounded = features.map { Double(Float($0)) }
        let random = RandomSource(seed: seed)
        var trees: [RegressionTree] = []
        trees.reserveCapacity(nTrees)
        var weights = [Double](repeating: 0, count: rowCount)
        for _ in 0..<nTrees {
            for row in 0..<rowCount { weights[row] = 0 }
            for _ in 0..<rowCount { weights[random.integer(below: rowCount)] += 1 }
            trees.append(RegressionTree(features: rounded, rowCount: rowCount, columnCount: columnCount,
                                        targets: targets, weights: weights, maxDepth: maxDepth, random: random))
        }
        self.trees = trees
        self.columnCount = columnCount
    }

    /// Mean decrease in impurity per feature: the mean of the trees' normalised decreases (trees that are a
    /// single leaf left out), normalised to sum to 1; all zero when no tree splits.
    var impurityDecrease: [Double] {
        var mean = [Double](repeating: 0, count: columnCount)
        var splitting = 0
        for tree in trees where tree.nodeCount > 1 {
            splitting += 1
            let decrease = tree.impurityDecrease(columnCount: columnCount)
            for index in mean.indices { mean[index] += decrease[index] }
        }
        guard splitting > 0 else { return mean }
        var total = 0.0
        for index in mean.indices {
            mean[index] /= Double(splitting)
            total += mean[index]
        }
        return mean.map { $0 / total }
    }
}
