import Environments
import Foundation

/// PPO's value baseline over the policy's features: the Teacher's MLP, either two tanh layers of 64 or
/// none (linear in the features). It predicts returns in the units of the first batch it is trained on
/// (offset and scale fixed then), so it learns alike for CartPole's hundreds and Pendulum's negative costs.
struct ValueBaseline: Sendable {
    var network: MLP
    var adam: Adam
    var offset = 0.0, scale = 1.0
    var calibrated = false

    init(features: Int, linear: Bool, learningRate: Double, generator: inout SeededGenerator) {
        network = MLP(sizes: linear ? [features, 1] : [features, 64, 64, 1], outputGain: 1, generator: &generator)
        adam = Adam(count: network.parameterCount, learningRate: learningRate)
    }

    var workspaceCount: Int { network.workspaceCount }
    var scratchCount: Int { 2 * (network.sizes.max() ?? 1) }

    /// The value of one row of features; `work` holds `workspaceCount` values.
    @inline(__always)
    func value(_ features: UnsafePointer<Double>, work: UnsafeMutablePointer<Double>) -> Double {
        offset + scale * network.forward(features, activations: work)[0]
    }

    /// Fixes the units from the returns of the first batch.
    mutating func calibrate(_ returns: [Double]) {
        guard !calibrated, !returns.isEmpty else { return }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count)
        offset = mean
        scale = max(1e-3, variance.squareRoot())
        calibrated = true
    }

    /// One Adam step on the mean squared error to `returns` over the rows `rows` of `features`
    /// (`featureCount` values per row).
    mutating func train(features: UnsafePointer<Double>, featureCount: Int, rows: ArraySlice<Int>, returns: UnsafePointer<Double>) {
        var gradient = [Double](repeating: 0, count: network.parameterCount)
        var work = [Double](repeating: 0, count: workspaceCount), scratch = [Double](repeating: 0, count: scratchCount)
        let inverse = 1 / Double(max(1, rows.count))
        let (offset, scale) = (self.offset, self.scale)
        let network = self.network
        gradient.withUnsafeMutableBufferPointer { g in
            work.withUnsafeMutableBufferPointer { w in
                scratch.withUnsafeMutableBufferPointer { s in
                    for row in rows {
                        let x = features + row * featureCount
                        let predicted = network.forward(x, activations: w.baseAddress!)[0]
                        var d = (predicted - (returns[row] - offset) / scale) * inverse
                        network.backward(activations: w.baseAddress!, outputGradient: &d, gradient: g.baseAddress!, scratch: s.baseAddress!)
                    }
                }
            }
        }
        adam.step(&self.network.parameters, gradient: gradient)
    }
}
