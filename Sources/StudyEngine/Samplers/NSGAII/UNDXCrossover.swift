/// Unimodal normal distribution crossover (Optuna's `UNDXCrossover`; Ono, Kita and Kobayashi): a child
/// normally distributed around the midpoint of two parents, along their line and, scaled by a third
/// parent's distance to that line, across it.
///
/// As Optuna does, `sigmaXi` and `sigmaEta` enter squared as the standard deviations of the draws.
public struct UNDXCrossover: NSGAIICrossover {
    public let sigmaXi: Double
    /// nil: `0.35 / sqrt(dimensions)`.
    public let sigmaEta: Double?
    public var parentCount: Int { 3 }

    public init(sigmaXi: Double = 0.5, sigmaEta: Double? = nil) {
        self.sigmaXi = sigmaXi
        self.sigmaEta = sigmaEta
    }

    public func crossover(parents: [[Double]], lowerBounds: [Double], upperBounds: [Double], isMultiObjective: Bool,
                          random: RandomSource) -> [Double] {
        let n = parents[0].count
        let x1 = parents[0], x2 = parents[1], x3 = parents[2]
        let sigmaEta = self.sigmaEta ?? 0.35 / Double(n).squareRoot()
        var etas = [Double](repeating: 0, count: n)
        for index in 0..<n { etas[index] = random.gaussian() * sigmaEta * sigmaEta }
        let xi = random.gaussian() * sigmaXi * sigmaXi

        // The unit vector from x1 to x2, and an orthonormal basis of the space orthogonal to it.
        let line = zip(x2, x1).map { $0 - $1 }
        let length = max(norm(line), 1e-10)
        let direction = line.map { $0 / length }
        let basis = orthonormalComplement(of: direction)

        var child = (0..<n).map { (x1[$0] + x2[$0]) / 2 + xi * (x1[$0] - x2[$0]) }
        if n > 1 {
            let toThird = zip(x3, x1).map { $0 - $1 }
            let along = zip(toThird, direction).reduce(0) { $0 + $1.0 * $1.1 }
            let distance = norm(zip(toThird, direction).map { $0 - along * $1 })
            for (k, vector) in basis.enumerated() {
                for index in 0..<n { child[index] += distance * etas[k] * vector[index] }
            }
        }
        return child
    }

    private func norm(_ vector: [Double]) -> Double {
        vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// `n - 1` orthonormal vectors orthogonal to `direction` (a unit vector, or zero: then the unit
    /// vectors e2 ... en), by Gram-Schmidt over `direction`, e1, ..., en.
    private func orthonormalComplement(of direction: [Double]) -> [[Double]] {
        let n = direction.count
        var basis: [[Double]] = []
        var candidates: [[Double]] = []
        if direction.contains(where: { $0 != 0 }) { candidates.append(direction) }
        for axis in 0..<n {
            var unit = [Double](repeating: 0, count: n)
            unit[axis] = 1
            candidates.append(unit)
        }
        for candidate in candidates where basis.count < n {
            var vector = candidate
            for existing in basis {
                let projection = zip(vector, existing).reduce(0) { $0 + $1.0 * $1.1 }
                for index in 0..<n { vector[index] -= projection * existing[index] }
            }
            let length = norm(vector)
            if length > 1e-10 { basis.append(vector.map { $0 / length }) }
        }
        return Array(basis.dropFirst())
    }
}
