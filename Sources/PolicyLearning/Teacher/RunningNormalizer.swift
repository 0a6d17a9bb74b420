/// Running mean and variance of observations (Chan et al.'s parallel update, as Stable-Baselines3's
/// VecNormalize): observations are normalised to (x − mean)/√(var + 1e-8), clipped to ±10. Frozen after
/// training and saved with the teacher.
public struct RunningNormalizer: Sendable, Codable, Equatable {
    public var mean: [Double]
    public var variance: [Double]
    public var count: Double
    /// When false, `normalize` passes observations through unchanged.
    public var enabled: Bool

    public init(count n: Int, enabled: Bool = false) {
        mean = [Double](repeating: 0, count: n)
        variance = [Double](repeating: 1, count: n)
        count = 1e-4
        self.enabled = enabled
    }

    /// Adds one observation to the statistics.
    public mutating func update(_ x: UnsafePointer<Double>) {
        guard enabled else { return }
        let total = count + 1
        for i in mean.indices {
            let delta = x[i] - mean[i]
            mean[i] += delta / total
            variance[i] = (variance[i] * count + delta * delta * count / total) / total
        }
        count = total
    }

    @inline(__always)
    public func normalize(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        for i in mean.indices {
            out[i] = enabled ? min(max((x[i] - mean[i]) / (variance[i] + 1e-8).squareRoot(), -10), 10) : x[i]
        }
    }

    public func normalize(_ x: [Double]) -> [Double] {
        var out = x
        x.withUnsafeBufferPointer { xb in out.withUnsafeMutableBufferPointer { normalize(xb.baseAddress!, into: $0.baseAddress!) } }
        return out
    }
}
