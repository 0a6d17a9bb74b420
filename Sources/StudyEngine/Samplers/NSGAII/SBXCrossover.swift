import Foundation

/// Simulated binary crossover, bounded (Optuna's `SBXCrossover`; Deb and Agrawal 1995): two children
/// spread around the parents by a polynomial distribution of index `eta`, genes mixed between children
/// and parents, one child kept.
public struct SBXCrossover: NSGAIICrossover {
    /// The distribution index; nil: 20 for several objectives, 2 for one (Optuna's default).
    public let eta: Double?
    public let uniformCrossoverProbability: Double
    public let useChildGeneProbability: Double
    public var parentCount: Int { 2 }

    /// - Throws: `NSGAIISamplerError.invalidCrossoverArgument` for a negative `eta`, a
    ///   `uniformCrossoverProbability` outside [0, 1] or a `useChildGeneProbability` outside (0, 1].
    public init(eta: Double? = nil, uniformCrossoverProbability: Double = 0.5,
                useChildGeneProbability: Double = 0.5) throws(NSGAIISamplerError) {
        try Self.validate(name: "SBXCrossover", eta: eta, uniformCrossoverProbability: uniformCrossoverProbability,
                          useChildGeneProbability: useChildGeneProbability)
        self.eta = eta
        self.uniformCrossoverProbability = uniformCrossoverProbability
        self.useChildGeneProbability = useChildGeneProbability
    }

    static func validate(name: String, eta: Double?, uniformCrossoverProbability: Double,
                         useChildGeneProbability: Double) throws(NSGAIISamplerError) {
        if let eta, !(eta >= 0) {
            throw .invalidCrossoverArgument(crossover: name, argument: "eta", value: eta, valid: "at least 0")
        }
        guard (0...1).contains(uniformCrossoverProbability) else {
            throw .invalidCrossoverArgument(crossover: name, argument: "uniformCrossoverProbability",
                                            value: uniformCrossoverProbability, valid: "in [0.0, 1.0]")
        }
        guard useChildGeneProbability > 0, useChildGeneProbability <= 1 else {
            throw .invalidCrossoverArgument(crossover: name, argument: "useChildGeneProbability",
                                            value: useChildGeneProbability, valid: "in (0.0, 1.0]")
        }
    }

    public func crossover(parents: [[Double]], lowerBounds: [Double], upperBounds: [Double], isMultiObjective: Bool,
                          random: RandomSource) -> [Double] {
        let eta = self.eta ?? (isMultiObjective ? 20 : 2)
        let dimensions = parents[0].count
        var first = [Double](repeating: 0, count: dimensions)
        var second = [Double](repeating: 0, count: dimensions)
        var draws = [Double](repeating: 0, count: dimensions)
        for index in 0..<dimensions { draws[index] = random.uniform() }
        for index in 0..<dimensions {
            let low = min(parents[0][index], parents[1][index]), high = max(parents[0][index], parents[1][index])
            let difference = max(high - low, 1e-10)
            let beta1 = 1 + 2 * (low - lowerBounds[index]) / difference
            let beta2 = 1 + 2 * (upperBounds[index] - high) / difference
            let alpha1 = 2 - pow(beta1, -(eta + 1))
            let alpha2 = 2 - pow(beta2, -(eta + 1))
            let u = draws[index]
            let betaQ1 = u > 1 / alpha1 ? pow(1 / (2 - u * alpha1), 1 / (eta + 1)) : pow(u * alpha1, 1 / (eta + 1))
            let betaQ2 = u > 1 / alpha2 ? pow(1 / (2 - u * alpha2), 1 / (eta + 1)) : pow(u * alpha2, 1 / (eta + 1))
            first[index] = 0.5 * ((low + high) - betaQ1 * difference)
            second[index] = 0.5 * ((low + high) + betaQ2 * difference)
        }
        return mixGenes(children: (first, second), parents: parents, random: random,
                        useChildGeneProbability: useChildGeneProbability,
                        uniformCrossoverProbability: uniformCrossoverProbability)
    }
}

/// SBX's and VSBX's last step: each gene from the children or from the parents, swapped between the
/// pair with probability `uniformCrossoverProbability`; then one of the two results at random.
func mixGenes(children: ([Double], [Double]), parents: [[Double]], random: RandomSource,
              useChildGeneProbability: Double, uniformCrossoverProbability: Double) -> [Double] {
    var first = children.0, second = children.1
    for index in first.indices {
        let fromChildren = random.uniform() < useChildGeneProbability
        let swap = random.uniform() < uniformCrossoverProbability
        let a = fromChildren ? children.0[index] : parents[0][index]
        let b = fromChildren ? children.1[index] : parents[1][index]
        first[index] = swap ? b : a
        second[index] = swap ? a : b
    }
    return random.uniform() < 0.5 ? first : second
}
