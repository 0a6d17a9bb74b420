import Environments
import Foundation

/// How a policy's expression outputs become an action distribution, for acting, for PPO and for the soft
/// expert term:
/// - one expression whose rounded output indexes the actions (`nearest`): a softmax over the action indices
///   k with logits −(y − k)² / (2σ²) and a learned log σ, whose most likely action is the rounded one;
/// - one expression per action (`softmax`): the outputs are the logits;
/// - one expression per action dimension (`gaussian`): a Gaussian with a learned log σ around the output,
///   clipped to the bounds when acting.
///
/// Discrete actions are stored as the index into the action list (a Double); continuous ones as the sample.
enum ActionHead: Sendable, Equatable {
    case nearest(count: Int)
    case softmax(count: Int)
    case gaussian(low: [Double], high: [Double])

    /// Expressions the head reads.
    var outputCount: Int {
        switch self {
        case .nearest: return 1
        case .softmax(let count): return count
        case .gaussian(let low, _): return low.count
        }
    }

    /// Learned log standard deviations (the rounded head's sharpness, the Gaussian's spread).
    var logStdCount: Int {
        switch self {
        case .nearest: return 1
        case .softmax: return 0
        case .gaussian(let low, _): return low.count
        }
    }

    /// Values stored per action (1 for discrete heads).
    var actionDimension: Int {
        if case .gaussian(let low, _) = self { return low.count }
        return 1
    }

    /// Discrete actions, or nil for a Gaussian head.
    var discreteCount: Int? {
        switch self {
        case .nearest(let count), .softmax(let count): return count
        case .gaussian: return nil
        }
    }

    /// Scratch values `rowLoss`, `sample` and `expertLoss` need.
    var scratchCount: Int { 2 * max(1, discreteCount ?? 1) }

    static let halfLogTwoPi = 0.5 * Foundation.log(2 * Double.pi)

    // MARK: Acting

    /// The deterministic action: the index of the most likely discrete action, or the output clipped to
    /// the bounds (written to `action`).
    @inline(__always)
    func deterministic(_ outputs: UnsafePointer<Double>, action: UnsafeMutablePointer<Double>) {
        switch self {
        case .nearest(let count):
            // As `ActionDecoding.rounded`: rounded half away from zero, clamped to the indices; NaN gives 0.
            let y = outputs[0]
            guard !y.isNaN else { action[0] = 0; return }
            action[0] = Swift.min(Swift.max(y.rounded(.toNearestOrAwayFromZero), 0), Double(count - 1))
        case .softmax(let count):
            var best = 0
            for k in 1..<count where outputs[k] > outputs[best] { best = k }
            action[0] = Double(best)
        case .gaussian(let low, let high):
            for d in low.indices { action[d] = Swift.min(Swift.max(outputs[d], low[d]), high[d]) }
        }
    }

    /// The logits of a discrete head, written to `logits`.
    @inline(__always)
    func logits(_ outputs: UnsafePointer<Double>, logStd: UnsafePointer<Double>, into logits: UnsafeMutablePointer<Double>) {
        switch self {
        case .nearest(let count):
            let inverse = Foundation.exp(-2 * logStd[0]) / 2
            for k in 0..<count {
                let d = outputs[0] - Double(k)
                logits[k] = -d * d * inverse
            }
        case .softmax(let count):
            for k in 0..<count { logits[k] = outputs[k] }
        case .gaussian:
            preconditionFailure("a Gaussian head has no logits")
        }
    }

    /// Log-probabilities from logits, in place.
    @inline(__always)
    static func logSoftmax(_ z: UnsafeMutablePointer<Double>, count: Int) {
        var m = z[0]
        for k in 1..<count where z[k] > m { m = z[k] }
        var sum = 0.0
        for k in 0..<count { sum += Foundation.exp(z[k] - m) }
        let shift = m + Foundation.log(sum)
        for k in 0..<count { z[k] -= shift }
    }

    /// Draws an action (written to `action`) and returns its log-probability.
    @inline(__always)
    func sample(_ outputs: UnsafePointer<Double>, logStd: UnsafePointer<Double>, generator: inout SeededGenerator,
                action: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) -> Double {
        if case .gaussian(let low, _) = self {
            var logp = 0.0
            for d in low.indices {
                let noise = generator.normal()
                action[d] = outputs[d] + Foundation.exp(logStd[d]) * noise
                logp += -0.5 * noise * noise - logStd[d] - Self.halfLogTwoPi
            }
            return logp
        }
        let count = discreteCount!
        logits(outputs, logStd: logStd, into: scratch)
        Self.logSoftmax(scratch, count: count)
        let u = generator.nextUnit()
        var cumulative = 0.0
        var chosen = count - 1
        for k in 0..<count {
            cumulative += Foundation.exp(scratch[k])
            if u < cumulative { chosen = k; break }
        }
        action[0] = Double(chosen)
        return scratch[chosen]
    }

    // MARK: Losses

    /// The weights of the terms of one row's loss.
    struct Terms: Sendable {
        var clip: Double
        var entropyCoefficient: Double
        var expertWeight: Double
        /// Each row's share of the minibatch mean (1 / rows).
        var scale: Double
    }

    /// One row's PPO loss: −min(r·A, clip(r, 1 ± ε)·A) − c_H·H + λ·expert, where r = π(a)/π_old(a) and
    /// expert is the cross-entropy to the teacher's action (discrete) or the squared error of the output to
    /// it (continuous; nil: no teacher). Adds `scale` times the gradient with respect to the outputs to
    /// `outputGradient` and with respect to log σ to `logStdGradient`; returns the scaled loss.
    @inline(__always)
    func rowLoss(_ outputs: UnsafePointer<Double>, logStd: UnsafePointer<Double>, action: UnsafePointer<Double>,
                 oldLogProbability: Double, advantage: Double, teacher: UnsafePointer<Double>?, terms: Terms,
                 outputGradient: UnsafeMutablePointer<Double>, logStdGradient: UnsafeMutablePointer<Double>,
                 scratch: UnsafeMutablePointer<Double>) -> Double {
        var loss = 0.0
        if case .gaussian(let low, _) = self {
            var logp = 0.0
            for d in low.indices {
                let z = (action[d] - outputs[d]) * Foundation.exp(-logStd[d])
                logp += -0.5 * z * z - logStd[d] - Self.halfLogTwoPi
            }
            let ratio = Foundation.exp(logp - oldLogProbability)
            let (surrogate, slope) = Self.clippedSurrogate(ratio: ratio, advantage: advantage, clip: terms.clip)
            loss += surrogate
            for d in low.indices {
                let inverseVariance = Foundation.exp(-2 * logStd[d])
                let deviation = action[d] - outputs[d]
                // dLoss/dlog π is −slope; the entropy's derivative with respect to log σ is 1.
                var gMean = -slope * deviation * inverseVariance
                let gLogStd = -slope * (deviation * deviation * inverseVariance - 1) - terms.entropyCoefficient
                loss -= terms.entropyCoefficient * (logStd[d] + 0.5 + Self.halfLogTwoPi)
                if let teacher {
                    let miss = outputs[d] - teacher[d]
                    loss += terms.expertWeight * miss * miss
                    gMean += 2 * terms.expertWeight * miss
                }
                outputGradient[d] += terms.scale * gMean
                logStdGradient[d] += terms.scale * gLogStd
            }
            return terms.scale * loss
        }
        let count = discreteCount!
        let logp = scratch, dz = scratch + count
        logits(outputs, logStd: logStd, into: logp)
        Self.logSoftmax(logp, count: count)
        let taken = Int(action[0])
        let ratio = Foundation.exp(logp[taken] - oldLogProbability)
        let (surrogate, slope) = Self.clippedSurrogate(ratio: ratio, advantage: advantage, clip: terms.clip)
        loss += surrogate
        var entropy = 0.0
        for k in 0..<count { entropy -= Foundation.exp(logp[k]) * logp[k] }
        loss -= terms.entropyCoefficient * entropy
        for k in 0..<count {
            let p = Foundation.exp(logp[k])
            // d(−slope·log π(a))/dz and d(−c·H)/dz.
            dz[k] = -slope * ((k == taken ? 1 : 0) - p) + terms.entropyCoefficient * p * (logp[k] + entropy)
        }
        if let teacher {
            let wanted = Int(teacher[0])
            loss -= terms.expertWeight * logp[wanted]
            for k in 0..<count { dz[k] += terms.expertWeight * (Foundation.exp(logp[k]) - (k == wanted ? 1 : 0)) }
        }
        backLogits(outputs, logStd: logStd, dz: dz, scale: terms.scale, outputGradient: outputGradient, logStdGradient: logStdGradient)
        return terms.scale * loss
    }

    /// The soft expert term alone for one row (cross-entropy or squared error), for GP fitness.
    @inline(__always)
    func expertLoss(_ outputs: UnsafePointer<Double>, logStd: UnsafePointer<Double>, teacher: UnsafePointer<Double>,
                    scratch: UnsafeMutablePointer<Double>) -> Double {
        if case .gaussian(let low, _) = self {
            var loss = 0.0
            for d in low.indices { loss += (outputs[d] - teacher[d]) * (outputs[d] - teacher[d]) }
            return loss
        }
        logits(outputs, logStd: logStd, into: scratch)
        Self.logSoftmax(scratch, count: discreteCount!)
        return -scratch[Int(teacher[0])]
    }

    /// −min(r·A, clip(r)·A) and its derivative with respect to log π(a), scaled: the slope is r·A where the
    /// unclipped term is the smaller one, else 0.
    @inline(__always)
    static func clippedSurrogate(ratio: Double, advantage: Double, clip: Double) -> (loss: Double, slope: Double) {
        let unclipped = ratio * advantage
        let clipped = Swift.min(Swift.max(ratio, 1 - clip), 1 + clip) * advantage
        return unclipped <= clipped ? (-unclipped, unclipped) : (-clipped, 0)
    }

    /// Carries dLoss/dlogits back to the outputs (and the rounded head's log σ).
    @inline(__always)
    func backLogits(_ outputs: UnsafePointer<Double>, logStd: UnsafePointer<Double>, dz: UnsafePointer<Double>, scale: Double,
                    outputGradient: UnsafeMutablePointer<Double>, logStdGradient: UnsafeMutablePointer<Double>) {
        switch self {
        case .nearest(let count):
            let inverse = Foundation.exp(-2 * logStd[0])
            var gy = 0.0, gs = 0.0
            for k in 0..<count {
                let d = outputs[0] - Double(k)
                gy += dz[k] * -d * inverse
                gs += dz[k] * d * d * inverse
            }
            outputGradient[0] += scale * gy
            logStdGradient[0] += scale * gs
        case .softmax(let count):
            for k in 0..<count { outputGradient[k] += scale * dz[k] }
        case .gaussian:
            break
        }
    }
}
