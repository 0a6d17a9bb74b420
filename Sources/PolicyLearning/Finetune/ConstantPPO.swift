import Environments
import Foundation
import SymbolicRegression

/// Method (b), with (c): PPO on the constants of the policy's expressions, the expressions being the policy
/// (a softmax over per-action outputs, the rounded expression's softened nearest action, or a Gaussian with
/// a learned log σ around a continuous output). Each update collects `ppo_steps` steps from each of
/// `ppo_environments` copies with sampled actions, computes GAE(γ, λ) advantages against a value baseline,
/// then runs `ppo_epochs` passes of minibatch Adam steps on the clipped surrogate − entropy bonus + λ·expert
/// term. dLoss/dOutput comes from `ActionHead`, dOutput/dConstants from `ProgramGradient`.
struct ConstantPPO<E: Environment> {
    let stepper: PolicyStepper<E>
    let options: FinetuneOptions
    var environments: [E]
    var generator: SeededGenerator
    /// log σ of the head (empty for per-action logits).
    var logStd: [Double]
    var baseline: ValueBaseline
    var constantsAdam: Adam
    var logStdAdam: Adam
    /// The programs' shape (constants zeroed) the constants' Adam moments belong to.
    var shape: [[Node]] = []
    var running: [Double]
    /// Returns of the training episodes finished, in order.
    private(set) var episodeReturns: [Double] = []
    let gradient = ProgramGradient(functionSet: .gplearnDefault)
    /// A dataset teacher's rows, whose expert term joins each minibatch's loss.
    let expert: ExpertDataset?
    let expertRows: Rollout?

    init(stepper: PolicyStepper<E>, options: FinetuneOptions, prototype: E, seed: UInt64, expert: ExpertDataset? = nil) {
        self.stepper = stepper
        self.options = options
        self.expert = options.expertWeight > 0 ? expert : nil
        expertRows = self.expert?.rollout(for: E.self)
        generator = SeededGenerator(seed: seed)
        environments = (0..<options.ppoEnvironments).map { _ in prototype }
        for e in environments.indices { environments[e].reset(seed: generator.next()) }
        logStd = [Double](repeating: options.initialLogStd, count: stepper.head.logStdCount)
        baseline = ValueBaseline(features: stepper.policy.featureCount, linear: options.valueBaseline == "linear",
                                 learningRate: options.valueLearningRate, generator: &generator)
        constantsAdam = Adam(count: 0, learningRate: options.ppoLearningRate)
        logStdAdam = Adam(count: logStd.count, learningRate: options.ppoLearningRate)
        running = [Double](repeating: 0, count: options.ppoEnvironments)
    }

    /// What one update saw.
    struct Update: Sendable {
        var loss: Double
        var finishedEpisodes: Int
    }

    /// The rows one update collects: row = step × environments + environment.
    struct Rollout {
        var features: [Double], actions: [Double], logProbabilities: [Double], values: [Double], rewards: [Double]
        var dones: [Bool], teacher: [Double], hasTeacher: [Bool]
    }

    /// One PPO update of the constants of `programs` (and of log σ and the baseline).
    mutating func update(_ programs: inout [Program]) throws -> Update {
        let structure = programs.map { $0.nodes.map { node -> Node in var n = node; n.value = 0; return n } }
        let constantCount = programs.reduce(0) { $0 + $1.constantPositions.count }
        if structure != shape {
            // New expressions (from GP): their constants start with fresh moments.
            shape = structure
            constantsAdam = Adam(count: constantCount, learningRate: options.ppoLearningRate)
        }
        let finishedBefore = episodeReturns.count
        let rollout = collect(programs)
        let (advantages, returns) = advantagesAndReturns(rollout)
        baseline.calibrate(returns)
        let loss = try optimise(&programs, rollout, advantages: advantages, returns: returns, constantCount: constantCount)
        return Update(loss: loss, finishedEpisodes: episodeReturns.count - finishedBefore)
    }

    mutating func collect(_ programs: [Program]) -> Rollout {
        let n = options.ppoEnvironments, t = options.ppoSteps, rows = n * t
        let f = stepper.policy.featureCount, dim = stepper.head.actionDimension
        let head = stepper.head
        let expert = options.expertWeight > 0 && stepper.teacher != nil
        var r = Rollout(features: [Double](repeating: 0, count: rows * f), actions: [Double](repeating: 0, count: rows * dim),
                        logProbabilities: [Double](repeating: 0, count: rows), values: [Double](repeating: 0, count: rows),
                        rewards: [Double](repeating: 0, count: rows), dones: [Bool](repeating: false, count: rows),
                        teacher: [Double](repeating: 0, count: expert ? rows * dim : 0), hasTeacher: [Bool](repeating: false, count: rows))
        let buffers = stepper.makeBuffers(longest: programs.map(\.length).max() ?? 1, observationCount: environments[0].observationCount)
        var work = [Double](repeating: 0, count: baseline.workspaceCount)
        let gamma = options.gamma
        let sigmas = logStd
        sigmas.withUnsafeBufferPointer { sigma in
            let logStd = sigma.baseAddress ?? UnsafePointer(buffers.scratch)
            work.withUnsafeMutableBufferPointer { w in
                for step in 0..<t {
                    for e in 0..<n {
                        let row = step * n + e
                        stepper.evaluate(programs, on: environments[e], buffers)
                        for i in 0..<f { r.features[row * f + i] = buffers.features[i] }
                        r.values[row] = baseline.value(buffers.features.baseAddress!, work: w.baseAddress!)
                        r.logProbabilities[row] = head.sample(buffers.outputs, logStd: logStd, generator: &generator,
                                                              action: buffers.action, scratch: buffers.scratch)
                        for d in 0..<dim { r.actions[row * dim + d] = buffers.action[d] }
                        if expert, stepper.teacherAction(environments[e], buffers) {
                            r.hasTeacher[row] = true
                            for d in 0..<dim { r.teacher[row * dim + d] = buffers.teacherAction[d] }
                        }
                        let transition = environments[e].step(stepper.environmentAction(buffers.action, environments[e]))
                        running[e] += transition.reward
                        var reward = transition.reward
                        if transition.truncated && !transition.terminated {
                            // A time limit is not the task's end: bootstrap with the value of the state reached.
                            stepper.policy.features(of: environments[e], objects: &buffers.objects, into: buffers.features)
                            reward += gamma * baseline.value(buffers.features.baseAddress!, work: w.baseAddress!)
                        }
                        r.rewards[row] = reward
                        r.dones[row] = transition.done
                        if transition.done {
                            episodeReturns.append(running[e])
                            running[e] = 0
                            environments[e].reset(seed: generator.next())
                        }
                    }
                }
            }
        }
        return r
    }

    /// GAE(γ, λ) advantages and the returns (advantage + value), bootstrapped from each copy's current state.
    func advantagesAndReturns(_ r: Rollout) -> ([Double], [Double]) {
        let n = options.ppoEnvironments, t = options.ppoSteps, rows = n * t, f = stepper.policy.featureCount
        var next = [Double](repeating: 0, count: n)
        var features = [Double](repeating: 0, count: f), work = [Double](repeating: 0, count: baseline.workspaceCount)
        var objects: [ObjectState] = []
        for e in 0..<n {
            features.withUnsafeMutableBufferPointer { stepper.policy.features(of: environments[e], objects: &objects, into: $0) }
            next[e] = features.withUnsafeBufferPointer { x in work.withUnsafeMutableBufferPointer { baseline.value(x.baseAddress!, work: $0.baseAddress!) } }
        }
        var advantages = [Double](repeating: 0, count: rows)
        var carried = [Double](repeating: 0, count: n)
        for step in stride(from: t - 1, through: 0, by: -1) {
            for e in 0..<n {
                let row = step * n + e
                let notDone = r.dones[row] ? 0.0 : 1.0
                let nextValue = step == t - 1 ? next[e] : r.values[row + n]
                let delta = r.rewards[row] + options.gamma * nextValue * notDone - r.values[row]
                carried[e] = delta + options.gamma * options.gaeLambda * notDone * carried[e]
                advantages[row] = carried[e]
            }
        }
        return (advantages, zip(advantages, r.values).map { $0 + $1 })
    }

    /// The epochs of minibatch steps; returns the mean loss of the last epoch.
    mutating func optimise(_ programs: inout [Program], _ r: Rollout, advantages: [Double], returns: [Double],
                           constantCount: Int) throws -> Double {
        let rows = r.rewards.count, f = stepper.policy.featureCount
        let terms = ActionHead.Terms(clip: options.clip, entropyCoefficient: options.entropyCoefficient,
                                     expertWeight: options.expertWeight, scale: 1)
        var order = Array(0..<rows)
        var lastLoss = 0.0
        for _ in 0..<options.ppoEpochs {
            order.shuffle(using: &generator)
            var epochLoss = 0.0, batches = 0
            var start = 0
            while start < rows {
                let batch = order[start..<min(rows, start + options.ppoMinibatch)]
                start += options.ppoMinibatch
                guard batch.count >= 2 else { continue }
                var normalized = batch.map { advantages[$0] }
                let mean = normalized.reduce(0, +) / Double(batch.count)
                let sd = (normalized.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(batch.count - 1)).squareRoot()
                normalized = normalized.map { ($0 - mean) / (sd + 1e-8) }
                let (loss, rawConstants, rawLogStd) = try Self.minibatchLoss(
                    programs, stepper: stepper, logStd: logStd, rollout: r, rows: batch, advantages: normalized, terms: terms,
                    gradient: gradient)
                epochLoss += loss
                batches += 1
                var constantGradient = rawConstants, logStdGradient = rawLogStd
                if let expert, let expertRows {
                    // The dataset teacher's term on as many of its rows, drawn at random (advantage 0: no surrogate).
                    let rows = (0..<batch.count).map { _ in Int.random(in: 0..<expert.rows, using: &generator) }
                    let imitation = ActionHead.Terms(clip: options.clip, entropyCoefficient: 0, expertWeight: options.expertWeight, scale: 1)
                    let extra = try Self.minibatchLoss(programs, stepper: stepper, logStd: logStd, rollout: expertRows, rows: rows[...],
                                                       advantages: [Double](repeating: 0, count: rows.count), terms: imitation, gradient: gradient)
                    epochLoss += extra.loss
                    for k in constantGradient.indices { constantGradient[k] += extra.constants[k] }
                    for k in logStdGradient.indices { logStdGradient[k] += extra.logStd[k] }
                }
                let norm = (constantGradient.reduce(0) { $0 + $1 * $1 } + logStdGradient.reduce(0) { $0 + $1 * $1 }).squareRoot()
                if norm > options.maxGradientNorm {
                    let s = options.maxGradientNorm / (norm + 1e-12)
                    constantGradient = constantGradient.map { $0 * s }
                    logStdGradient = logStdGradient.map { $0 * s }
                }
                if constantCount > 0 {
                    var constants = programs.flatMap(\.constants)
                    constantsAdam.step(&constants, gradient: constantGradient)
                    Self.setConstants(&programs, constants)
                }
                if !logStd.isEmpty {
                    logStdAdam.step(&logStd, gradient: logStdGradient)
                    logStd = logStd.map { min(max($0, -5), 2) }
                }
                r.features.withUnsafeBufferPointer { x in
                    returns.withUnsafeBufferPointer { y in
                        baseline.train(features: x.baseAddress!, featureCount: f, rows: batch, returns: y.baseAddress!)
                    }
                }
            }
            lastLoss = batches > 0 ? epochLoss / Double(batches) : 0
        }
        return lastLoss
    }

    /// Writes a flat list of constants (every program's, in order) back into the programs.
    static func setConstants(_ programs: inout [Program], _ constants: [Double]) {
        var offset = 0
        for k in programs.indices {
            let count = programs[k].constantPositions.count
            programs[k].constants = Array(constants[offset..<(offset + count)])
            offset += count
        }
    }

    /// The mean loss over the rollout's rows `rows` (with their normalised `advantages`) and its gradient
    /// with respect to every constant (programs in order, constants in node order) and log σ.
    static func minibatchLoss(_ programs: [Program], stepper: PolicyStepper<E>, logStd: [Double], rollout r: Rollout,
                              rows batch: ArraySlice<Int>, advantages: [Double], terms: ActionHead.Terms,
                              gradient: ProgramGradient) throws -> (loss: Double, constants: [Double], logStd: [Double]) {
        let f = stepper.policy.featureCount, dim = stepper.head.actionDimension
        let head = stepper.head, outputs = head.outputCount, m = batch.count
        let buffers = stepper.makeBuffers(longest: programs.map(\.length).max() ?? 1, observationCount: 1)
        var columns = [[Double]](repeating: [Double](repeating: 0, count: m), count: f)
        var seeds = [[Double]](repeating: [Double](repeating: 0, count: m), count: outputs)
        var logStdGradient = [Double](repeating: 0, count: logStd.count)
        var rowGradient = [Double](repeating: 0, count: outputs)
        var terms = terms
        terms.scale = 1 / Double(m)
        var loss = 0.0
        r.features.withUnsafeBufferPointer { features in
            r.actions.withUnsafeBufferPointer { actions in
                r.teacher.withUnsafeBufferPointer { teacher in
                    logStd.withUnsafeBufferPointer { sigma in
                        logStdGradient.withUnsafeMutableBufferPointer { gs in
                            rowGradient.withUnsafeMutableBufferPointer { g in
                                let logStd = sigma.baseAddress ?? UnsafePointer(buffers.scratch)
                                let gLogStd = gs.baseAddress ?? buffers.scratch
                                for (i, row) in batch.enumerated() {
                                    let x = features.baseAddress! + row * f
                                    for j in 0..<f { columns[j][i] = x[j] }
                                    stepper.evaluate(programs, features: x, buffers)
                                    for k in 0..<outputs { g[k] = 0 }
                                    let wanted = r.hasTeacher[row] ? teacher.baseAddress! + row * dim : nil
                                    loss += head.rowLoss(buffers.outputs, logStd: logStd, action: actions.baseAddress! + row * dim,
                                                         oldLogProbability: r.logProbabilities[row], advantage: advantages[i],
                                                         teacher: wanted, terms: terms, outputGradient: g.baseAddress!,
                                                         logStdGradient: gLogStd, scratch: buffers.scratch)
                                    for k in 0..<outputs { seeds[k][i] = g[k] }
                                }
                            }
                        }
                    }
                }
            }
        }
        var constantGradient: [Double] = []
        let data = try Dataset(columns: columns)
        for k in programs.indices where !programs[k].constantPositions.isEmpty {
            constantGradient += try gradient.gradient(programs[k], on: data, seed: seeds[k])
        }
        return (loss, constantGradient, logStdGradient)
    }
}
