/// Takes each parameter from one of two parents, swapping with probability `swappingProbability`
/// (Optuna's `UniformCrossover`, NSGA-II's default).
public struct UniformCrossover: NSGAIICrossover {
    public let swappingProbability: Double
    public var parentCount: Int { 2 }

    /// - Throws: `NSGAIISamplerError.probabilityOutOfRange` unless `swappingProbability` is in [0, 1].
    public init(swappingProbability: Double = 0.5) throws(NSGAIISamplerError) {
        guard (0...1).contains(swappingProbability) else {
            throw .probabilityOutOfRange(argument: "swappingProbability", value: swappingProbability)
        }
        self.swappingProbability = swappingProbability
    }

    public func crossover(parents: [[Double]], lowerBounds: [Double], upperBounds: [Double], isMultiObjective: Bool,
                          random: RandomSource) -> [Double] {
        var child = parents[0]
        for index in child.indices where random.uniform() >= swappingProbability {
            child[index] = parents[1][index]
        }
        return child
    }
}
