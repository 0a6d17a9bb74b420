import Environments
import Foundation

/// Proximal policy optimisation (Schulman et al. 2017) in Swift: `environments` copies of `E` collect
/// `stepsPerEnvironment` steps each with the current policy, advantages come from GAE(γ, λ) with the value
/// network (bootstrapped through time-limit truncations), then `epochs` passes over shuffled minibatches
/// minimise the clipped surrogate + value loss − entropy bonus with Adam and gradient-norm clipping. Every
/// random choice (initial weights, actions, shuffles, episode seeds) comes from `configuration.seed`.
public struct PPOTrainer<E: Environment> {
    public let configuration: PPOConfiguration
    public private(set) var model: ActorCritic
    var environments: [E]
    var generator: SeededGenerator
    var adam: (policy: Adam, value: Adam, logStd: Adam)
    var returnScale = RunningNormalizer(count: 1, enabled: true)
    var discountedReturns: [Double]
    public private(set) var stepsDone = 0
    /// Returns of the episodes finished during training, in order.
    public private(set) var episodeReturns: [Double] = []
    var episodeReturn: [Double]

    /// - Parameter make: builds copy `i` of the environment (each is reset with its own seed).
    public init(configuration: PPOConfiguration, make: (Int) throws -> E) rethrows {
        self.configuration = configuration
        generator = SeededGenerator(seed: configuration.seed)
        environments = try (0..<configuration.environments).map(make)
        for i in environments.indices { environments[i].reset(seed: configuration.seed &* 1000 &+ UInt64(i)) }
        let first = environments[0]
        model = ActorCritic(observationCount: first.observationCount, actionSpace: first.actionSpace, hidden: configuration.hidden,
                            initialLogStd: configuration.initialLogStd, generator: &generator)
        model.normalizer.enabled = configuration.normalizeObservations
        adam = (Adam(count: model.policy.parameterCount, learningRate: configuration.learningRate),
                Adam(count: model.value.parameterCount, learningRate: configuration.learningRate),
                Adam(count: model.logStd.count, learningRate: configuration.learningRate))
        discountedReturns = [Double](repeating: 0, count: configuration.environments)
        episodeReturn = discountedReturns
    }

    /// Trains until `totalSteps` environment steps; `progress` is called after each update with the steps
    /// done and the mean return of the last 20 finished episodes.
    public mutating func train(progress: (Int, Double) -> Void = { _, _ in }) throws {
        let c = configuration
        let n = c.environments, t = c.stepsPerEnvironment, rows = n * t
        let obsCount = model.policy.inputCount, dim = model.actionDimension
        var observations = [Double](repeating: 0, count: rows * obsCount)
        var actions = [Double](repeating: 0, count: rows * dim)
        var logProbabilities = [Double](repeating: 0, count: rows), values = logProbabilities, rewards = logProbabilities
        var dones = [Bool](repeating: false, count: rows)
        var raw = [Double](repeating: 0, count: obsCount), normalized = raw, action = [Double](repeating: 0, count: dim)
        var policyWork = [Double](repeating: 0, count: model.policy.workspaceCount)
        var valueWork = [Double](repeating: 0, count: model.value.workspaceCount)
        var gradient = ActorCritic.Gradient(model)
        let updates = max(1, c.totalSteps / rows)
        for update in 0..<updates {
            if c.annealLearningRate {
                let lr = c.learningRate * (1 - Double(update) / Double(updates))
                adam.policy.learningRate = lr; adam.value.learningRate = lr; adam.logStd.learningRate = lr
            }
            // Collect: row = step * n + env.
            for step in 0..<t {
                for e in 0..<n {
                    let row = step * n + e
                    raw.withUnsafeMutableBufferPointer { environments[e].observation(into: $0) }
                    raw.withUnsafeBufferPointer { model.normalizer.update($0.baseAddress!) }
                    raw.withUnsafeBufferPointer { r in normalized.withUnsafeMutableBufferPointer { model.normalizer.normalize(r.baseAddress!, into: $0.baseAddress!) } }
                    let (logp, v) = normalized.withUnsafeBufferPointer { x in
                        policyWork.withUnsafeMutableBufferPointer { pw in
                            valueWork.withUnsafeMutableBufferPointer { vw in
                                action.withUnsafeMutableBufferPointer { a in
                                    model.act(x.baseAddress!, sample: true, generator: &generator, policyWork: pw.baseAddress!,
                                              valueWork: vw.baseAddress!, action: a.baseAddress!)
                                }
                            }
                        }
                    }
                    for i in 0..<obsCount { observations[row * obsCount + i] = normalized[i] }
                    for i in 0..<dim { actions[row * dim + i] = action[i] }
                    logProbabilities[row] = logp
                    values[row] = v
                    let envAction: ActionValue = model.discreteActions != nil
                        ? .discrete(Int(action[0]))
                        : .continuous((0..<dim).map { min(max(action[$0], model.low[$0]), model.high[$0]) })
                    let transition = environments[e].step(try environments[e].action(envAction))
                    episodeReturn[e] += transition.reward
                    var reward = transition.reward
                    if c.normalizeRewards {
                        discountedReturns[e] = discountedReturns[e] * c.gamma + reward
                        var d = discountedReturns[e]
                        withUnsafePointer(to: &d) { returnScale.update($0) }
                        reward /= (returnScale.variance[0] + 1e-8).squareRoot()
                    }
                    if transition.truncated && !transition.terminated {
                        // A time limit is not the MDP's end: bootstrap with the value of the state reached.
                        raw.withUnsafeMutableBufferPointer { environments[e].observation(into: $0) }
                        raw.withUnsafeBufferPointer { r in normalized.withUnsafeMutableBufferPointer { model.normalizer.normalize(r.baseAddress!, into: $0.baseAddress!) } }
                        let next = normalized.withUnsafeBufferPointer { x in valueWork.withUnsafeMutableBufferPointer { model.value.forward(x.baseAddress!, activations: $0.baseAddress!)[0] } }
                        reward += c.gamma * next
                    }
                    rewards[row] = reward
                    dones[row] = transition.done
                    if transition.done {
                        episodeReturns.append(episodeReturn[e])
                        episodeReturn[e] = 0
                        discountedReturns[e] = 0
                        environments[e].reset()
                    }
                }
            }
            stepsDone += rows
            // GAE(γ, λ), bootstrapped from the value of each env's current state.
            var advantages = [Double](repeating: 0, count: rows)
            var nextValues = [Double](repeating: 0, count: n)
            for e in 0..<n {
                raw.withUnsafeMutableBufferPointer { environments[e].observation(into: $0) }
                raw.withUnsafeBufferPointer { r in normalized.withUnsafeMutableBufferPointer { model.normalizer.normalize(r.baseAddress!, into: $0.baseAddress!) } }
                nextValues[e] = normalized.withUnsafeBufferPointer { x in valueWork.withUnsafeMutableBufferPointer { model.value.forward(x.baseAddress!, activations: $0.baseAddress!)[0] } }
            }
            var running = [Double](repeating: 0, count: n)
            for step in stride(from: t - 1, through: 0, by: -1) {
                for e in 0..<n {
                    let row = step * n + e
                    let notDone = dones[row] ? 0.0 : 1.0
                    let nextValue = step == t - 1 ? nextValues[e] : values[row + n]
                    let delta = rewards[row] + c.gamma * nextValue * notDone - values[row]
                    running[e] = delta + c.gamma * c.gaeLambda * notDone * running[e]
                    advantages[row] = running[e]
                }
            }
            let returns = zip(advantages, values).map { $0 + $1 }
            // Epochs over shuffled minibatches.
            var order = Array(0..<rows)
            for _ in 0..<c.epochs {
                order.shuffle(using: &generator)
                var start = 0
                while start < rows {
                    let idx = order[start..<min(rows, start + c.minibatchSize)]
                    start += c.minibatchSize
                    var batchAdvantages = idx.map { advantages[$0] }
                    if batchAdvantages.count > 1 {
                        let mean = batchAdvantages.reduce(0, +) / Double(batchAdvantages.count)
                        let sd = (batchAdvantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(batchAdvantages.count - 1)).squareRoot()
                        batchAdvantages = batchAdvantages.map { ($0 - mean) / (sd + 1e-8) }
                    }
                    let batch = ActorCritic.Batch(
                        observations: idx.flatMap { r in observations[(r * obsCount)..<((r + 1) * obsCount)] },
                        actions: idx.flatMap { r in actions[(r * dim)..<((r + 1) * dim)] },
                        oldLogProbabilities: idx.map { logProbabilities[$0] },
                        advantages: batchAdvantages, returns: idx.map { returns[$0] })
                    _ = model.loss(batch, clip: c.clip, valueCoefficient: c.valueCoefficient,
                                   entropyCoefficient: c.entropyCoefficient, gradient: &gradient)
                    let norm = gradient.norm
                    if norm > c.maxGradientNorm { gradient.scale(c.maxGradientNorm / (norm + 1e-6)) }
                    adam.policy.step(&model.policy.parameters, gradient: gradient.policy)
                    adam.value.step(&model.value.parameters, gradient: gradient.value)
                    if !model.logStd.isEmpty { adam.logStd.step(&model.logStd, gradient: gradient.logStd) }
                }
            }
            let recent = episodeReturns.suffix(20)
            progress(stepsDone, recent.isEmpty ? .nan : recent.reduce(0, +) / Double(recent.count))
        }
    }
}
