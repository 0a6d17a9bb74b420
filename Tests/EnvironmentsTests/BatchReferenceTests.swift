@testable import Environments
import Foundation
import Testing

/// The batch steppers replay Gymnasium's trajectories (states within 1e-9, observations and rewards within
/// 1e-6) until each copy's episode ends, then reset that copy; 9 copies cover a full SIMD block and a tail.
@Suite struct BatchReferenceTests {
    func replay<B: BatchEnvironment>(_: B.Type, _ file: String, limit: Int, action: (Double) -> B.Single.Action) throws {
        let reference = try ReferenceFile.load(file)
        let trajectories = reference.trajectories + reference.trajectories + reference.trajectories
        var batch = B(copies: trajectories.count, seed: 5)
        for (i, t) in trajectories.enumerated() { try batch.setState(t.initial_state, of: i) }
        let n = trajectories.count, steps = trajectories[0].actions.count
        let single = B.Single.self
        var observations = [Double](repeating: 0, count: n * 8), rewards = [Double](repeating: 0, count: n)
        var terminated = [Bool](repeating: false, count: n), truncated = terminated
        var finished = [Bool](repeating: false, count: n)
        var worstState = 0.0, worstObservation = 0.0, compared = 0
        for s in 0..<steps {
            let actions = trajectories.map { action($0.actions[s]) }
            actions.withUnsafeBufferPointer { a in
                batch.step(actions: a, observations: observations.withUnsafeMutableBufferPointer { $0 },
                           rewards: rewards.withUnsafeMutableBufferPointer { $0 },
                           terminated: terminated.withUnsafeMutableBufferPointer { $0 },
                           truncated: truncated.withUnsafeMutableBufferPointer { $0 })
            }
            for (i, t) in trajectories.enumerated() where !finished[i] {
                #expect(abs(rewards[i] - t.rewards[s]) <= 1e-6, "\(file) copy \(i) step \(s) reward")
                #expect(terminated[i] == t.terminated[s], "\(file) copy \(i) step \(s) terminated")
                #expect(truncated[i] == (s + 1 >= limit), "\(file) copy \(i) step \(s) truncated")
                if terminated[i] || truncated[i] {
                    finished[i] = true
                    let fresh = batch.state(of: i)
                    #expect(fresh != t.states[s] && fresh.allSatisfy { abs($0) <= Double.pi }, "copy \(i) was reset")
                    continue
                }
                compared += 1
                for (a, b) in zip(batch.state(of: i), t.states[s]) { worstState = max(worstState, abs(a - b)) }
                for (c, b) in t.observations[s].enumerated() { worstObservation = max(worstObservation, abs(observations[c * n + i] - b)) }
            }
        }
        _ = single
        print("\(file) batch: largest deviation state \(worstState), observation \(worstObservation) over \(compared) compared steps")
        #expect(compared > 0)
        #expect(worstState <= 1e-9, "\(file): largest state deviation \(worstState)")
        #expect(worstObservation <= 1e-6, "\(file): largest observation deviation \(worstObservation)")
    }

    @Test func cartPole() throws {
        try replay(CartPoleBatch.self, "CartPole-v1", limit: 500) { Int($0) }
        try replay(CartPoleBatch.self, "CartPole-v1_heuristic", limit: 500) { Int($0) }
    }

    @Test func mountainCar() throws { try replay(MountainCarBatch.self, "MountainCar-v0", limit: 200) { Int($0) } }
    @Test func acrobot() throws { try replay(AcrobotBatch.self, "Acrobot-v1", limit: 500) { Int($0) } }
    @Test func pendulum() throws { try replay(PendulumBatch.self, "Pendulum-v1", limit: 200) { $0 } }

    @Test func vectorSineAndCosineStayWithinAFewUlpOfLibm() {
        var g = SeededGenerator(seed: 3)
        var worst = 0.0
        for _ in 0..<20_000 {
            let x = SIMD4<Double>(g.uniform(-100, 100), g.uniform(-4, 4), g.uniform(-0.3, 0.3), g.uniform(-1e-3, 1e-3))
            let (s, c) = VectorTrig.sinCos(x)
            for lane in 0..<4 { worst = max(worst, abs(s[lane] - sin(x[lane])), abs(c[lane] - cos(x[lane]))) }
        }
        #expect(worst <= 4e-16, "largest deviation from libm \(worst)")
    }
}
