import Foundation

/// Adam (Kingma & Ba) over one flat parameter buffer: β1 0.9, β2 0.999, and ε 1e-5 as Stable-Baselines3's
/// PPO uses.
public struct Adam: Sendable {
    public var learningRate: Double
    public var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-5
    var m: [Double], v: [Double]
    var t = 0

    public init(count: Int, learningRate: Double) {
        self.learningRate = learningRate
        m = [Double](repeating: 0, count: count)
        v = m
    }

    /// One step: parameters -= lr · m̂ / (√v̂ + ε).
    public mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        t += 1
        let c1 = 1 - pow(beta1, Double(t)), c2 = 1 - pow(beta2, Double(t))
        let step = learningRate / c1, (b1, b2, eps) = (beta1, beta2, epsilon)
        for i in parameters.indices {
            let g = gradient[i]
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            parameters[i] -= step * m[i] / ((v[i] / c2).squareRoot() + eps)
        }
    }
}
