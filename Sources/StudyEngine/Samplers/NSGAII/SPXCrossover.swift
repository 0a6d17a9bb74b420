import Foundation

/// Simplex crossover: a uniform point of the simplex spanned by three parents expanded by `epsilon`
/// around their centroid (Optuna's `SPXCrossover`; Tsutsui, Yamamura and Higuchi 1999).
public struct SPXCrossover: NSGAIICrossover {
    /// The expansion rate; nil: `sqrt(dimensions + 2)`.
    public let epsilon: Double?
    public var parentCount: Int { 3 }

    public init(epsilon: Double? = nil) {
        self.epsilon = epsilon
    }

    public func crossover(parents: [[Double]], lowerBounds: [Double], upperBounds: [Double], isMultiObjective: Bool,
                          random: RandomSource) -> [Double] {
        let dimensions = parents[0].count
        let simplexOrder = parentCount - 1
        var centroid = [Double](repeating: 0, count: dimensions)
        for parent in parents {
            for index in 0..<dimensions { centroid[index] += parent[index] / Double(parents.count) }
        }
        var radii = [Double](repeating: 0, count: simplexOrder)
        for k in 0..<simplexOrder { radii[k] = pow(random.uniform(), 1 / Double(k + 1)) }
        let expansion = epsilon ?? (Double(dimensions) + 2).squareRoot()
        let vertices = parents.map { parent in (0..<dimensions).map { centroid[$0] + expansion * (parent[$0] - centroid[$0]) } }
        var offset = [Double](repeating: 0, count: dimensions)
        for k in 1..<parentCount {
            for index in 0..<dimensions {
                offset[index] = radii[k - 1] * (vertices[k - 1][index] - vertices[k][index] + offset[index])
            }
        }
        return (0..<dimensions).map { vertices[parentCount - 1][$0] + offset[$0] }
    }
}
