import Environments
import Foundation
@testable import PolicyLearning
import Testing

/// PPO's analytic gradients against central finite differences of the same loss, for discrete (softmax) and
/// continuous (Gaussian) policies, with rows on both sides of the clipping range.
@Suite struct PPOGradientTests {
    func randomBatch(_ model: ActorCritic, rows: Int, generator: inout SeededGenerator) -> ActorCritic.Batch {
        let obs = model.policy.inputCount
        var g = generator
        let observations = (0..<(rows * obs)).map { _ in g.uniform(-2, 2) }
        var actions: [Double] = [], old: [Double] = []
        var work = [Double](repeating: 0, count: model.policy.workspaceCount), vwork = [Double](repeating: 0, count: model.value.workspaceCount)
        var action = [Double](repeating: 0, count: model.actionDimension)
        for r in 0..<rows {
            let (logp, _) = observations.withUnsafeBufferPointer { x in
                work.withUnsafeMutableBufferPointer { w in
                    vwork.withUnsafeMutableBufferPointer { v in
                        action.withUnsafeMutableBufferPointer { a in
                            model.act(x.baseAddress! + r * obs, sample: true, generator: &g, policyWork: w.baseAddress!,
                                      valueWork: v.baseAddress!, action: a.baseAddress!)
                        }
                    }
                }
            }
            actions += action
            // Old log-probabilities spread so that some ratios fall outside 1 ± clip.
            old.append(logp + g.uniform(-0.6, 0.6))
        }
        let advantages = (0..<rows).map { _ in g.normal() }, returns = (0..<rows).map { _ in g.normal() }
        generator = g
        return ActorCritic.Batch(observations: observations, actions: actions, oldLogProbabilities: old, advantages: advantages, returns: returns)
    }

    func check(_ space: ActionSpace, observations: Int, seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        var model = ActorCritic(observationCount: observations, actionSpace: space, hidden: [7, 5], initialLogStd: -0.3, generator: &g)
        // Larger output weights than PPO's initialisation, so the policy is far from uniform.
        for i in model.policy.parameters.indices { model.policy.parameters[i] += g.uniform(-0.3, 0.3) }
        let batch = randomBatch(model, rows: 24, generator: &g)
        let (clip, cv, ce) = (0.2, 0.5, 0.05)
        var gradient = ActorCritic.Gradient(model)
        let loss = model.loss(batch, clip: clip, valueCoefficient: cv, entropyCoefficient: ce, gradient: &gradient)
        #expect(loss.clipFraction > 0 && loss.clipFraction < 1, "rows on both sides of the clipping range")
        var scratch = ActorCritic.Gradient(model)
        func lossAt(_ m: ActorCritic) -> Double { m.loss(batch, clip: clip, valueCoefficient: cv, entropyCoefficient: ce, gradient: &scratch).total }
        let h = 1e-6
        var worst = 0.0, checked = 0
        func compare(_ analytic: Double, _ plus: ActorCritic, _ minus: ActorCritic) {
            let numeric = (lossAt(plus) - lossAt(minus)) / (2 * h)
            worst = max(worst, abs(numeric - analytic) / max(1e-4, abs(numeric) + abs(analytic)))
            checked += 1
        }
        for i in model.policy.parameters.indices {
            var plus = model, minus = model
            plus.policy.parameters[i] += h; minus.policy.parameters[i] -= h
            compare(gradient.policy[i], plus, minus)
        }
        for i in model.value.parameters.indices {
            var plus = model, minus = model
            plus.value.parameters[i] += h; minus.value.parameters[i] -= h
            compare(gradient.value[i], plus, minus)
        }
        for i in model.logStd.indices {
            var plus = model, minus = model
            plus.logStd[i] += h; minus.logStd[i] -= h
            compare(gradient.logStd[i], plus, minus)
        }
        print("\(space): \(checked) partial derivatives, largest relative difference from finite differences \(worst)")
        #expect(worst < 1e-5)
    }

    @Test func discreteGradientsMatchFiniteDifferences() { check(.discrete(3), observations: 4, seed: 1) }
    @Test func continuousGradientsMatchFiniteDifferences() { check(.box(low: [-2, -1], high: [2, 1]), observations: 3, seed: 2) }

    @Test func mlpSurvivesAJSONRoundTrip() throws {
        var g = SeededGenerator(seed: 3)
        let mlp = MLP(sizes: [3, 4, 2], generator: &g)
        let back = try JSONDecoder().decode(MLP.self, from: try JSONEncoder().encode(mlp))
        #expect(back == mlp)
        #expect(back([0.1, -0.2, 0.3]) == mlp([0.1, -0.2, 0.3]))
    }
}

/// Small invariants of training and recording (no training to convergence: that is `symstudy teach`).
@Suite struct TeacherTests {
    @Test func theSameSeedTrainsTheSameTeacher() throws {
        var c = PPOConfiguration.preset(for: "CartPole-v1")
        c.totalSteps = 512
        c.seed = 4
        var a = PPOTrainer(configuration: c) { _ in CartPole() }, b = PPOTrainer(configuration: c) { _ in CartPole() }
        try a.train(); try b.train()
        #expect(a.model == b.model)
        c.seed = 5
        var other = PPOTrainer(configuration: c) { _ in CartPole() }
        try other.train()
        #expect(other.model != a.model)
    }

    @Test func aFewUpdatesImproveCartPole() throws {
        var c = PPOConfiguration.preset(for: "CartPole-v1")
        c.totalSteps = 6_144
        var trainer = PPOTrainer(configuration: c) { _ in CartPole() }
        var means: [Double] = []
        try trainer.train { _, mean in means.append(mean) }
        #expect(means.last! > 2 * means.first!, "mean episode return rises: \(means.first!) -> \(means.last!)")
    }

    @Test func recordedDatasetsAreDiffSESJSONAndCSV() throws {
        let teacher = Teacher(scripted: .pongAim)
        let recorded = try DatasetRecorder.record(teacher, environment: "Pong", episodes: 1, maxRows: 50)
        #expect(recorded.rows.count == 50)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(recorded.json.utf8)) as? [[String: Any]])
        #expect(rows.count == 50)
        let state = try #require(rows[10]["state"] as? [[String: Any]])
        #expect(Set(state[0].keys) == ["type", "x_velocity", "y_velocity", "x_position", "y_position"])
        #expect(state.map { $0["type"] as? Int } == [0, 1, 2])
        #expect(rows.allSatisfy { [0, 1, 2].contains($0["teacher_action"] as? Int) })
        let csv = recorded.csv.split(separator: "\n")
        #expect(csv.count == 51 && csv[0].hasPrefix("o0_type,o0_x,o0_y,o0_vx,o0_vy,o1_type") && csv[0].hasSuffix(",teacher_action"))
        #expect(throws: PolicyLearningError.self) { try DatasetRecorder.record(teacher, environment: "CartPole-v1", episodes: 1) }
    }

    @Test func theScriptedPongTeacherWinsMostPoints() throws {
        let result = try TeacherEvaluation.run(Teacher(scripted: .pongAim), environment: "Pong", episodes: 2)
        #expect(try #require(result.pointShare) >= 0.8)
    }
}
