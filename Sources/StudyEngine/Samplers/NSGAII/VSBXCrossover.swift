import Foundation

/// Modified simulated binary crossover that can reach the whole space (Optuna's `VSBXCrossover`;
/// Tanabe and Ishibuchi's variant): children spread around the parents by a polynomial distribution of
/// index `eta`, genes mixed between children and parents, one child kept.
public struct VSBXCrossover: NSGAIICrossover {
    /// The distribution index; nil: 20 for several objectives, 2 for one (Optuna's default).
    public let eta: Double?
    public let uniformCrossoverProbability: Double
    public let useChildGeneProbability: Double
    public var parentCount: Int { 2 }

    /// - Throws: `NSGAIISamplerError.invalidCrossoverArgument` as `SBXCrossover` does.
    public init(eta: Double? = nil, uniformCrossoverProbability: Double = 0.5,
                useChildGeneProbability: Double = 0.5) throws(NSGAIISamplerError) {
        try SBXCrossover.validate(name: "VSBXCrossover", eta: eta, uniformCrossoverProbability: uniformCrossoverProbability,
                                  useChildGeneProbability: useChildGeneProbability)
        self.eta = eta
        self.uniformCrossoverProbability = uniformCrossoverProbability
        self.useChildGeneProbability = useChildGeneProbability
    }

    public func crossover(parents: [[Double]], lowerBounds: [Double], upperBounds: [Double], isMultiObjective: Bool,
                          random: RandomSource) -> [Double] {
        let eta = self.eta ?? (isMultiObjective ? 20 : 2)
        let dimensions = parents[0].count
        var beta1 = [Double](repeating: 0, count: dimensions)
        var beta2 = [Double](repeating: 0, count: dimensions)
        for index in 0..<dimensions {
            let u = random.uniform()
            beta1[index] = pow(1 / max(2 * u, 1e-10), 1 / (eta + 1))
            beta2[index] = pow(1 / max(2 * (1 - u), 1e-10), 1 / (eta + 1))
        }
        let x1 = parents[0], x2 = parents[1]
        var first = [Double](repeating: 0, count: dimensions)
        var second = [Double](repeating: 0, count: dimensions)
        if random.uniform() <= 0.5 {
            for i in 0..<dimensions {
                let a: Double = (1 + beta1[i]) * x1[i], b: Double = (1 - beta2[i]) * x2[i]
                first[i] = 0.5 * (a + b)
            }
        } else {
            for i in 0..<dimensions {
                let a: Double = (1 - beta1[i]) * x1[i], b: Double = (1 + beta2[i]) * x2[i]
                first[i] = 0.5 * (a + b)
            }
        }
        if random.uniform() <= 0.5 {
            for i in 0..<dimensions {
                let a: Double = (3 - beta1[i]) * x1[i], b: Double = (1 - beta2[i]) * x2[i]
                second[i] = 0.5 * (a - b)
            }
        } else {
            for i in 0..<dimensions {
                let a: Double = (1 - beta1[i]) * x1[i], b: Double = (3 - beta2[i]) * x2[i]
                second[i] = 0.5 * (b - a)
            }
        }
        return mixGenes(children: (first, second), parents: parents, random: random,
                        useChildGeneProbability: useChildGeneProbability,
                        uniformCrossoverProbability: uniformCrossoverProbability)
    }
}
