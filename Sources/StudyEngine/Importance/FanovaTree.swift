/// One regression tree seen as a piecewise-constant function over the search-space box, with fANOVA's
/// marginal variance decomposition (Hutter et al., "An Efficient Approach for Assessing Hyperparameter
/// Importance", ICML 2014), computed as Optuna's `optuna/importance/_fanova/_tree.py` does.
///
/// Each leaf covers a box; a box's weight is its volume. The tree's total variance is the volume-weighted
/// variance of its leaf values. The marginal of a set of features is the tree's average over all other
/// features, a step function of the chosen features constant between consecutive split thresholds; its
/// volume-weighted variance is the share of the total variance those features explain alone.
struct FanovaTree {
    private let tree: RegressionTree
    private let lowerBounds: [Double]
    private let upperBounds: [Double]
    private let columnCount: Int
    /// Per node: the volume-weighted mean of the leaf values below it, and its box volume.
    private var nodeValue: [Double]
    private var nodeVolume: [Double]
    /// Per feature: midpoints and widths of the cells between its sorted split thresholds and bounds.
    private var cellMidpoints: [[Double]] = []
    private var cellWidths: [[Double]] = []
    /// `splitsBelow[node * columnCount + feature]`: some node of the subtree splits on the feature.
    private var splitsBelow: [Bool]
    /// The volume-weighted variance of the leaf values.
    private(set) var variance: Double = 0

    init(tree: RegressionTree, lowerBounds: [Double], upperBounds: [Double]) {
        self.tree = tree
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        let columns = lowerBounds.count
        columnCount = columns
        let nodes = tree.nodeCount
        nodeValue = [Double](repeating: 0, count: nodes)
        nodeVolume = [Double](repeating: 0, count: nodes)
        splitsBelow = [Bool](repeating: false, count: nodes * columns)

        // Boxes top-down (children are numbered after their parent), leaf statistics on the way.
        var lower = [Double](repeating: 0, count: nodes * columns)
        var upper = [Double](repeating: 0, count: nodes * columns)
        for column in 0..<columns {
            lower[column] = lowerBounds[column]
            upper[column] = upperBounds[column]
        }
        for node in 0..<nodes {
            let f = tree.feature[node]
            if f < 0 {
                var volume = 1.0
                for column in 0..<columns { volume *= upper[node * columns + column] - lower[node * columns + column] }
                nodeValue[node] = tree.value[node]
                nodeVolume[node] = volume
                continue
            }
            let left = tree.leftChild[node], right = tree.rightChild[node]
            for column in 0..<columns {
                lower[left * columns + column] = lower[node * columns + column]
                upper[left * columns + column] = upper[node * columns + column]
                lower[right * columns + column] = lower[node * columns + column]
                upper[right * columns + column] = upper[node * columns + column]
            }
            upper[left * columns + f] = tree.threshold[node]
            lower[right * columns + f] = tree.threshold[node]
        }
        // Internal statistics bottom-up.
        for node in stride(from: nodes - 1, through: 0, by: -1) where tree.feature[node] >= 0 {
            let left = tree.leftChild[node], right = tree.rightChild[node]
            let volume = nodeVolume[left] + nodeVolume[right]
            nodeValue[node] = volume > 0
                ? (nodeValue[left] * nodeVolume[left] + nodeValue[right] * nodeVolume[right]) / volume
                : (nodeValue[left] + nodeValue[right]) / 2
            nodeVolume[node] = volume
            splitsBelow[node * columns + tree.feature[node]] = true
            for column in 0..<columns where splitsBelow[left * columns + column] || splitsBelow[right * columns + column] {
                splitsBelow[node * columns + column] = true
            }
        }
        // Cells between split thresholds, per feature.
        var thresholds = [Set<Double>](repeating: [], count: columns)
        for node in 0..<nodes where tree.feature[node] >= 0 { thresholds[tree.feature[node]].insert(tree.threshold[node]) }
        for column in 0..<columns {
            let edges = [lowerBounds[column]] + thresholds[column].sorted() + [upperBounds[column]]
            cellMidpoints.append((1..<edges.count).map { 0.5 * (edges[$0] + edges[$0 - 1]) })
            cellWidths.append((1..<edges.count).map { edges[$0] - edges[$0 - 1] })
        }
        // Total variance over the leaves.
        var values: [Double] = [], weights: [Double] = []
        for node in 0..<nodes where tree.feature[node] < 0 {
            values.append(nodeValue[node])
            weights.append(nodeVolume[node])
        }
        variance = Self.weightedVariance(values, weights)
    }

    /// The volume-weighted variance of the tree's marginal over `columns` (the encoded columns of one parameter).
    func marginalVariance(columns: [Int]) -> Double {
        let counts = columns.map { cellMidpoints[$0].count }
        var digits = [Int](repeating: 0, count: columns.count)
        var point = [Double](repeating: 0, count: columns.count)
        var values: [Double] = [], weights: [Double] = []
        var scratch = TraversalScratch()
        while true {
            var cellVolume = 1.0
            for (slot, column) in columns.enumerated() {
                point[slot] = cellMidpoints[column][digits[slot]]
                cellVolume *= cellWidths[column][digits[slot]]
            }
            let (value, weight) = marginalizedStatistics(columns: columns, point: point, scratch: &scratch)
            values.append(value)
            weights.append(weight * cellVolume)
            // Next combination of cells (mixed-radix counter, last column fastest).
            var slot = columns.count - 1
            while slot >= 0 {
                digits[slot] += 1
                if digits[slot] < counts[slot] { break }
                digits[slot] = 0
                slot -= 1
            }
            if slot < 0 { break }
        }
        return Self.weightedVariance(values, weights)
    }

    private struct TraversalScratch {
        var nodes: [Int] = []
        /// Box of the active columns per stack entry: `slots` lower bounds then `slots` upper bounds.
        var boxes: [Double] = []
    }

    /// The tree's mean over the box with the active `columns` fixed at `point` and the other features
    /// averaged out, and the volume of the other features' part of the box that contributes.
    private func marginalizedStatistics(columns: [Int], point: [Double], scratch: inout TraversalScratch) -> (Double, Double) {
        let slots = columns.count
        scratch.nodes.removeAll(keepingCapacity: true)
        scratch.boxes.removeAll(keepingCapacity: true)
        scratch.nodes.append(0)
        for column in columns { scratch.boxes.append(lowerBounds[column]) }
        for column in columns { scratch.boxes.append(upperBounds[column]) }
        var weightedSum = 0.0, totalWeight = 0.0
        while let node = scratch.nodes.popLast() {
            let boxStart = scratch.boxes.count - 2 * slots
            let f = tree.feature[node]
            if f >= 0 {
                if let slot = columns.firstIndex(of: f) {
                    let goLeft = point[slot] <= tree.threshold[node]
                    scratch.nodes.append(goLeft ? tree.leftChild[node] : tree.rightChild[node])
                    if goLeft {
                        scratch.boxes[boxStart + slots + slot] = tree.threshold[node]
                    } else {
                        scratch.boxes[boxStart + slot] = tree.threshold[node]
                    }
                    continue
                }
                if columns.contains(where: { splitsBelow[node * columnCount + $0] }) {
                    // Both children, each with a copy of the box.
                    for index in 0..<(2 * slots) { scratch.boxes.append(scratch.boxes[boxStart + index]) }
                    scratch.nodes.append(tree.leftChild[node])
                    scratch.nodes.append(tree.rightChild[node])
                    continue
                }
            }
            var activeVolume = 1.0
            for slot in 0..<slots { activeVolume *= scratch.boxes[boxStart + slots + slot] - scratch.boxes[boxStart + slot] }
            scratch.boxes.removeLast(2 * slots)
            let weight = nodeVolume[node] / activeVolume
            weightedSum += nodeValue[node] * weight
            totalWeight += weight
        }
        return (weightedSum / totalWeight, totalWeight)
    }

    private static func weightedVariance(_ values: [Double], _ weights: [Double]) -> Double {
        var total = 0.0, weightedSum = 0.0
        for index in values.indices {
            total += weights[index]
            weightedSum += values[index] * weights[index]
        }
        let mean = weightedSum / total
        var squares = 0.0
        for index in values.indices {
            let deviation = values[index] - mean
            squares += deviation * deviation * weights[index]
        }
        return squares / total
    }
}
