/// Blend crossover: each coordinate uniform on the parents' interval widened by `alpha` times its
/// length on both sides (Optuna's `BLXAlphaCrossover`; Eshelman and Schaffer 1993).
public struct BLXAlphaCrossover: NSGAIICrossover {
    public let alpha: Double
    public var parentCount: Int { 2 }

    public init(alpha: Double = 0.5) {
        self.alpha = alpha
    }

    public func crossover(parents: [[Double]], lowerBounds: [Double], upperBounds: [Double], isMultiObjective: Bool,
                          random: RandomSource) -> [Double] {
        var child = [Double](repeating: 0, count: parents[0].count)
        for index in child.indices {
            let low = min(parents[0][index], parents[1][index]), high = max(parents[0][index], parents[1][index])
            let spread = alpha * (high - low)
            child[index] = (high + spread - (low - spread)) * random.uniform() + (low - spread)
        }
        return child
    }
}
