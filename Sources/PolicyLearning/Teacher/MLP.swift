import Environments
import Foundation

/// A multilayer perceptron: tanh hidden layers, a linear output layer. Parameters are one flat array (each
/// layer's weights row-major, outputs × inputs, then its biases) so optimisers work on one buffer; saved as
/// JSON with its layer sizes.
public struct MLP: Sendable, Codable, Equatable {
    /// Sizes from the input to the output, e.g. [4, 64, 64, 2].
    public let sizes: [Int]
    public var parameters: [Double]

    /// Orthogonal-like initialisation scaled per layer (`outputGain` for the last layer), from `generator`.
    public init(sizes: [Int], outputGain: Double = 0.01, generator: inout SeededGenerator) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 }, "an MLP needs an input and an output size")
        self.sizes = sizes
        var p: [Double] = []
        for l in 0..<(sizes.count - 1) {
            let fanIn = sizes[l], fanOut = sizes[l + 1]
            let gain = l == sizes.count - 2 ? outputGain : 2.0.squareRoot()
            let scale = gain / Double(fanIn).squareRoot()
            for _ in 0..<(fanIn * fanOut) { p.append(generator.normal() * scale) }
            p.append(contentsOf: repeatElement(0, count: fanOut))
        }
        parameters = p
    }

    /// The number of parameters.
    public var parameterCount: Int { parameters.count }
    public var inputCount: Int { sizes[0] }
    public var outputCount: Int { sizes[sizes.count - 1] }
    /// Floats of workspace `forward` needs: every layer's activations.
    var workspaceCount: Int { sizes.reduce(0, +) }

    /// Offset of layer `l`'s weights in `parameters`.
    func offset(_ l: Int) -> Int {
        var o = 0
        for i in 0..<l { o += sizes[i] * sizes[i + 1] + sizes[i + 1] }
        return o
    }

    /// Runs the network on `input`, keeping every layer's activations in `activations` (layer by layer,
    /// `workspaceCount` values), and returns a pointer to the output within it.
    @inline(__always)
    func forward(_ input: UnsafePointer<Double>, activations: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double> {
        parameters.withUnsafeBufferPointer { pb in
            let p = pb.baseAddress!
            for i in 0..<sizes[0] { activations[i] = input[i] }
            var inOffset = 0, w = 0
            for l in 0..<(sizes.count - 1) {
                let n = sizes[l], m = sizes[l + 1]
                let x = activations + inOffset, y = activations + inOffset + n
                let b = p + w + n * m
                for j in 0..<m {
                    var s = b[j]
                    let row = p + w + j * n
                    for i in 0..<n { s += row[i] * x[i] }
                    y[j] = l == sizes.count - 2 ? s : tanh(s)
                }
                w += n * m + m
                inOffset += n
            }
            return activations + inOffset
        }
    }

    /// Back-propagates `outputGradient` (dLoss/dOutput) through the activations of the last `forward`, adding
    /// dLoss/dParameters to `gradient`. `scratch` holds `2 * max(sizes)` values.
    @inline(__always)
    func backward(activations: UnsafePointer<Double>, outputGradient: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        let widest = sizes.max()!
        var delta = scratch, previous = scratch + widest
        for j in 0..<sizes[sizes.count - 1] { delta[j] = outputGradient[j] }
        parameters.withUnsafeBufferPointer { pb in
            let p = pb.baseAddress!
            var inOffset = workspaceCount - sizes[sizes.count - 1]
            for l in stride(from: sizes.count - 2, through: 0, by: -1) {
                let n = sizes[l], m = sizes[l + 1]
                inOffset -= n
                let x = activations + inOffset
                let w = offset(l)
                let gw = gradient + w, gb = gradient + w + n * m
                for i in 0..<n { previous[i] = 0 }
                for j in 0..<m {
                    let d = delta[j]
                    gb[j] += d
                    let row = p + w + j * n, growth = gw + j * n
                    for i in 0..<n {
                        growth[i] += d * x[i]
                        previous[i] += row[i] * d
                    }
                }
                if l > 0 { for i in 0..<n { previous[i] *= 1 - x[i] * x[i] } }  // tanh' from the activation
                swap(&delta, &previous)
            }
        }
    }

    /// The output for one input (allocates; for evaluation and tests).
    public func callAsFunction(_ input: [Double]) -> [Double] {
        var work = [Double](repeating: 0, count: workspaceCount)
        return input.withUnsafeBufferPointer { x in
            work.withUnsafeMutableBufferPointer { a in
                let out = forward(x.baseAddress!, activations: a.baseAddress!)
                return Array(UnsafeBufferPointer(start: out, count: outputCount))
            }
        }
    }
}
