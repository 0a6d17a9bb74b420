import Environments
import Foundation

/// The PPO teacher's networks: a policy network (observation → action logits, or the Gaussian mean for a
/// box), a state-independent log standard deviation per action dimension (boxes only), and a separate value
/// network (observation → state value). Observations are normalised by fixed statistics first.
public struct ActorCritic: Sendable, Codable, Equatable {
    public var policy: MLP
    public var value: MLP
    /// log σ per action dimension (empty for discrete actions).
    public var logStd: [Double]
    /// The action space's kind: the number of discrete actions, or nil for a box.
    public let discreteActions: Int?
    /// Box bounds (for clipping sampled actions).
    public let low: [Double], high: [Double]
    public var normalizer: RunningNormalizer

    public init(observationCount: Int, actionSpace: ActionSpace, hidden: [Int], initialLogStd: Double = 0,
                generator: inout SeededGenerator) {
        let outputs: Int
        switch actionSpace {
        case .discrete(let n): outputs = n; discreteActions = n; low = []; high = []
        case .box(let l, let h): outputs = l.count; discreteActions = nil; low = l; high = h
        }
        policy = MLP(sizes: [observationCount] + hidden + [outputs], outputGain: 0.01, generator: &generator)
        value = MLP(sizes: [observationCount] + hidden + [1], outputGain: 1, generator: &generator)
        logStd = discreteActions == nil ? [Double](repeating: initialLogStd, count: outputs) : []
        normalizer = RunningNormalizer(count: observationCount)
    }

    public var actionDimension: Int { discreteActions == nil ? logStd.count : 1 }

    /// Gradients of the three parameter groups.
    public struct Gradient: Sendable {
        public var policy: [Double], value: [Double], logStd: [Double]
        init(_ model: ActorCritic) {
            policy = [Double](repeating: 0, count: model.policy.parameterCount)
            value = [Double](repeating: 0, count: model.value.parameterCount)
            logStd = [Double](repeating: 0, count: model.logStd.count)
        }
        mutating func zero() {
            for i in policy.indices { policy[i] = 0 }
            for i in value.indices { value[i] = 0 }
            for i in logStd.indices { logStd[i] = 0 }
        }
        /// The Euclidean norm over all groups.
        var norm: Double { (policy.reduce(0) { $0 + $1 * $1 } + value.reduce(0) { $0 + $1 * $1 } + logStd.reduce(0) { $0 + $1 * $1 }).squareRoot() }
        mutating func scale(_ s: Double) {
            for i in policy.indices { policy[i] *= s }
            for i in value.indices { value[i] *= s }
            for i in logStd.indices { logStd[i] *= s }
        }
    }

    /// One minibatch of PPO's data. `actions` holds `actionDimension` values per row (the action index as a
    /// Double for discrete spaces, the unclipped sample for boxes).
    public struct Batch: Sendable {
        public var observations: [Double]
        public var actions: [Double]
        public var oldLogProbabilities: [Double]
        public var advantages: [Double]
        public var returns: [Double]
        public var count: Int { returns.count }
        public init(observations: [Double], actions: [Double], oldLogProbabilities: [Double], advantages: [Double], returns: [Double]) {
            (self.observations, self.actions, self.oldLogProbabilities, self.advantages, self.returns)
                = (observations, actions, oldLogProbabilities, advantages, returns)
        }
    }

    /// The terms of PPO's loss on a minibatch.
    public struct Loss: Sendable {
        public var total = 0.0, policy = 0.0, value = 0.0, entropy = 0.0, clipFraction = 0.0
    }

    /// PPO's loss on `batch` (means over rows): −min(r·A, clip(r, 1±ε)·A) + c_v·(V − R)² − c_e·H, and its
    /// gradient with respect to every parameter, written into `gradient` (zeroed first). Observations in
    /// `batch` are already normalised.
    public func loss(_ batch: Batch, clip: Double, valueCoefficient: Double, entropyCoefficient: Double,
                     gradient: inout Gradient) -> Loss {
        gradient.zero()
        let n = batch.count, obs = policy.inputCount, outs = policy.outputCount
        var loss = Loss()
        var pa = [Double](repeating: 0, count: policy.workspaceCount), va = [Double](repeating: 0, count: value.workspaceCount)
        var scratch = [Double](repeating: 0, count: 2 * max(policy.sizes.max()!, value.sizes.max()!))
        var dOut = [Double](repeating: 0, count: outs), dValue = [0.0]
        var probabilities = [Double](repeating: 0, count: outs)
        let inv = 1 / Double(n)
        batch.observations.withUnsafeBufferPointer { ob in
            for r in 0..<n {
                let x = ob.baseAddress! + r * obs
                let out = pa.withUnsafeMutableBufferPointer { policy.forward(x, activations: $0.baseAddress!) }
                var logp = 0.0, entropy = 0.0
                if let k = discreteActions {
                    let a = Int(batch.actions[r])
                    var maxLogit = -Double.infinity
                    for j in 0..<k { maxLogit = max(maxLogit, out[j]) }
                    var sum = 0.0
                    for j in 0..<k { probabilities[j] = exp(out[j] - maxLogit); sum += probabilities[j] }
                    let logSum = log(sum) + maxLogit
                    for j in 0..<k {
                        probabilities[j] /= sum
                        let lp = out[j] - logSum
                        entropy -= probabilities[j] * lp
                    }
                    logp = out[a] - logSum
                    let g = policyGradientFactor(logp, batch.oldLogProbabilities[r], batch.advantages[r], clip, &loss)
                    // d(−surrogate)/dz_j = g·(δ_aj − p_j); d(−c_e·H)/dz_j = c_e·p_j·(log p_j + H)
                    for j in 0..<k {
                        let lp = out[j] - logSum
                        dOut[j] = (g * ((j == a ? 1 : 0) - probabilities[j]) + entropyCoefficient * probabilities[j] * (lp + entropy)) * inv
                    }
                } else {
                    let d = logStd.count
                    for j in 0..<d {
                        let sigma = exp(logStd[j]), z = (batch.actions[r * d + j] - out[j]) / sigma
                        logp += -0.5 * z * z - logStd[j] - 0.5 * log(2 * Double.pi)
                        entropy += 0.5 + 0.5 * log(2 * Double.pi) + logStd[j]
                    }
                    let g = policyGradientFactor(logp, batch.oldLogProbabilities[r], batch.advantages[r], clip, &loss)
                    for j in 0..<d {
                        let sigma = exp(logStd[j]), z = (batch.actions[r * d + j] - out[j]) / sigma
                        dOut[j] = g * (z / sigma) * inv
                        gradient.logStd[j] += (g * (z * z - 1) - entropyCoefficient) * inv
                    }
                }
                loss.entropy += entropy * inv
                pa.withUnsafeBufferPointer { a in
                    dOut.withUnsafeBufferPointer { d in
                        gradient.policy.withUnsafeMutableBufferPointer { g in
                            scratch.withUnsafeMutableBufferPointer { s in
                                policy.backward(activations: a.baseAddress!, outputGradient: d.baseAddress!, gradient: g.baseAddress!, scratch: s.baseAddress!)
                            }
                        }
                    }
                }
                let v = va.withUnsafeMutableBufferPointer { value.forward(x, activations: $0.baseAddress!) }[0]
                let error = v - batch.returns[r]
                loss.value += error * error * inv
                dValue[0] = 2 * valueCoefficient * error * inv
                va.withUnsafeBufferPointer { a in
                    dValue.withUnsafeBufferPointer { d in
                        gradient.value.withUnsafeMutableBufferPointer { g in
                            scratch.withUnsafeMutableBufferPointer { s in
                                value.backward(activations: a.baseAddress!, outputGradient: d.baseAddress!, gradient: g.baseAddress!, scratch: s.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        loss.policy *= inv
        loss.clipFraction *= inv
        loss.total = loss.policy + valueCoefficient * loss.value - entropyCoefficient * loss.entropy
        return loss
    }

    /// Adds the row's clipped surrogate to `loss.policy` and returns d(−surrogate)/d(log π): −A·r where the
    /// unclipped term is the minimum, 0 where the clipped (constant) term is.
    @inline(__always)
    func policyGradientFactor(_ logp: Double, _ oldLogp: Double, _ advantage: Double, _ clip: Double, _ loss: inout Loss) -> Double {
        let ratio = exp(logp - oldLogp)
        let unclipped = ratio * advantage, clipped = min(max(ratio, 1 - clip), 1 + clip) * advantage
        loss.policy -= min(unclipped, clipped)
        if abs(ratio - 1) > clip { loss.clipFraction += 1 }
        return unclipped <= clipped ? -advantage * ratio : 0
    }

    /// The action for a normalised observation: sampled (training) or the mode (evaluation). Returns the
    /// action as stored for the update, its log-probability and the state value.
    func act(_ normalized: UnsafePointer<Double>, sample: Bool, generator: inout SeededGenerator,
             policyWork: UnsafeMutablePointer<Double>, valueWork: UnsafeMutablePointer<Double>,
             action: UnsafeMutablePointer<Double>) -> (logProbability: Double, value: Double) {
        let out = policy.forward(normalized, activations: policyWork)
        let v = value.forward(normalized, activations: valueWork)[0]
        if let k = discreteActions {
            var maxLogit = -Double.infinity
            for j in 0..<k { maxLogit = max(maxLogit, out[j]) }
            var sum = 0.0
            for j in 0..<k { sum += exp(out[j] - maxLogit) }
            var chosen = 0
            if sample {
                var u = generator.nextUnit() * sum
                chosen = k - 1
                for j in 0..<k {
                    u -= exp(out[j] - maxLogit)
                    if u < 0 { chosen = j; break }
                }
            } else {
                for j in 1..<k where out[j] > out[chosen] { chosen = j }
            }
            action[0] = Double(chosen)
            return (out[chosen] - maxLogit - log(sum), v)
        }
        var logp = 0.0
        for j in 0..<logStd.count {
            let sigma = exp(logStd[j])
            let z = sample ? generator.normal() : 0
            action[j] = out[j] + sigma * z
            logp += -0.5 * z * z - logStd[j] - 0.5 * log(2 * Double.pi)
        }
        return (logp, v)
    }

    /// The deterministic action (argmax, or the mean clipped to the box) for a raw observation.
    public func deterministicAction(_ observation: [Double]) -> ActionValue {
        let x = normalizer.normalize(observation)
        let out = policy(x)
        if discreteActions != nil { return .discrete(out.indices.max { out[$0] < out[$1] }!) }
        return .continuous(out.indices.map { min(max(out[$0], low[$0]), high[$0]) })
    }
}
