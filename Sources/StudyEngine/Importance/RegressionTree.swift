/// A regression tree grown as scikit-learn's `DecisionTreeRegressor` grows one with the defaults Optuna's
/// importance evaluators use: squared-error criterion, the best split over every feature (visited in a
/// random order, the first strictly best one wins), thresholds half-way between neighbouring distinct values,
/// `minSamplesSplit` 2, `minSamplesLeaf` 1, depth-first up to `maxDepth`. Features are rounded to `Float`
/// first, as scikit-learn stores them.
struct RegressionTree: Sendable {
    /// Split feature of each node, or -1 for a leaf. Nodes are numbered in pre-order (a child after its parent).
    private(set) var feature: [Int] = []
    /// Split threshold: a sample goes left when its feature value is `<=` it.
    private(set) var threshold: [Double] = []
    private(set) var leftChild: [Int] = []
    private(set) var rightChild: [Int] = []
    /// Weighted mean target of the node's samples (the prediction at a leaf).
    private(set) var value: [Double] = []
    /// Weighted variance of the node's targets.
    private(set) var impurity: [Double] = []
    /// Sum of the weights of the node's samples.
    private(set) var weightedSampleCount: [Double] = []

    var nodeCount: Int { feature.count }

    /// Values closer than this count as equal: no split between them (scikit-learn's `FEATURE_THRESHOLD`).
    private static let featureThreshold = 1e-7
    private static let minSamplesSplit = 2
    private static let minSamplesLeaf = 1

    /// Grows a tree on the rows with a positive weight.
    ///
    /// - Parameters:
    ///   - features: column-major matrix, `features[column * rowCount + row]`, already rounded to `Float`.
    ///   - targets: one target per row.
    ///   - weights: one non-negative weight per row (bootstrap counts).
    ///   - random: decides the order in which features are tried at each node.
    init(features: [Double], rowCount: Int, columnCount: Int, targets: [Double], weights: [Double], maxDepth: Int,
         random: RandomSource) {
        var samples = (0..<rowCount).filter { weights[$0] != 0 }
        var sortedValues = [Double](repeating: 0, count: samples.count)
        var sortedSamples = [Int](repeating: 0, count: samples.count)
        var featureOrder = Array(0..<columnCount)

        struct Pending {
            var start: Int, end: Int, depth: Int, parent: Int, isLeft: Bool, impurity: Double?
        }
        var stack = [Pending(start: 0, end: samples.count, depth: 0, parent: -1, isLeft: false, impurity: nil)]

        while let record = stack.popLast() {
            let start = record.start, end = record.end
            var sum = 0.0, squares = 0.0, weight = 0.0
            for position in start..<end {
                let sample = samples[position]
                let w = weights[sample], y = targets[sample]
                sum += w * y
                squares += w * y * y
                weight += w
            }
            let nodeImpurity = record.impurity ?? (squares / weight - (sum / weight) * (sum / weight))
            var isLeaf = record.depth >= maxDepth || end - start < Self.minSamplesSplit
                || end - start < 2 * Self.minSamplesLeaf || nodeImpurity <= Double.ulpOfOne

            var best: (feature: Int, threshold: Double, proxy: Double)?
            if !isLeaf {
                // Fisher-Yates: try the features in a random order.
                for index in stride(from: columnCount - 1, to: 0, by: -1) {
                    featureOrder.swapAt(index, random.integer(below: index + 1))
                }
                for f in featureOrder {
                    let count = end - start
                    for position in 0..<count { sortedSamples[position] = samples[start + position] }
                    sortedSamples.withUnsafeMutableBufferPointer { buffer in
                        buffer[0..<count].sort { features[f * rowCount + $0] < features[f * rowCount + $1] }
                    }
                    for position in 0..<count { sortedValues[position] = features[f * rowCount + sortedSamples[position]] }
                    if sortedValues[count - 1] <= sortedValues[0] + Self.featureThreshold { continue }
                    var leftSum = 0.0, leftWeight = 0.0
                    for position in 1..<count {
                        let previous = sortedSamples[position - 1]
                        leftSum += weights[previous] * targets[previous]
                        leftWeight += weights[previous]
                        if sortedValues[position] <= sortedValues[position - 1] + Self.featureThreshold { continue }
                        let rightSum = sum - leftSum, rightWeight = weight - leftWeight
                        let proxy = leftSum * leftSum / leftWeight + rightSum * rightSum / rightWeight
                        if proxy > (best?.proxy ?? -.infinity) {
                            best = (f, sortedValues[position - 1] / 2.0 + sortedValues[position] / 2.0, proxy)
                        }
                    }
                }
                if best == nil { isLeaf = true }
            }

            let node = feature.count
            if record.parent >= 0 {
                if record.isLeft { leftChild[record.parent] = node } else { rightChild[record.parent] = node }
            }
            feature.append(isLeaf ? -1 : best!.feature)
            threshold.append(isLeaf ? -2 : best!.threshold)
            leftChild.append(-1)
            rightChild.append(-1)
            value.append(sum / weight)
            impurity.append(nodeImpurity)
            weightedSampleCount.append(weight)
            if isLeaf { continue }

            // Partition the node's samples: those going left first.
            let split = best!
            var boundary = start
            for position in start..<end where features[split.feature * rowCount + samples[position]] <= split.threshold {
                samples.swapAt(position, boundary)
                boundary += 1
            }
            let left = Self.childImpurity(samples[start..<boundary], targets: targets, weights: weights)
            let right = Self.childImpurity(samples[boundary..<end], targets: targets, weights: weights)
            stack.append(Pending(start: boundary, end: end, depth: record.depth + 1, parent: node, isLeft: false,
                                 impurity: right))
            stack.append(Pending(start: start, end: boundary, depth: record.depth + 1, parent: node, isLeft: true,
                                 impurity: left))
        }
    }

    private static func childImpurity(_ samples: ArraySlice<Int>, targets: [Double], weights: [Double]) -> Double {
        var sum = 0.0, squares = 0.0, weight = 0.0
        for sample in samples {
            let w = weights[sample], y = targets[sample]
            sum += w * y
            squares += w * y * y
            weight += w
        }
        return squares / weight - (sum / weight) * (sum / weight)
    }

    /// Each feature's decrease of weighted impurity over the tree's splits, divided by the root's weight and
    /// normalised to sum to 1 (all zero for a single leaf), as scikit-learn's `feature_importances_` of a tree.
    func impurityDecrease(columnCount: Int) -> [Double] {
        var importances = [Double](repeating: 0, count: columnCount)
        for node in 0..<nodeCount where feature[node] >= 0 {
            let left = leftChild[node], right = rightChild[node]
            importances[feature[node]] += weightedSampleCount[node] * impurity[node]
                - weightedSampleCount[left] * impurity[left] - weightedSampleCount[right] * impurity[right]
        }
        var total = 0.0
        for index in importances.indices {
            importances[index] /= weightedSampleCount[0]
            total += importances[index]
        }
        if total > 0 { for index in importances.indices { importances[index] /= total } }
        return importances
    }
}
