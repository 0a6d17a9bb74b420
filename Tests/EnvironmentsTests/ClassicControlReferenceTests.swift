import Environments
import Foundation
import Testing

/// Replays Gymnasium's recorded trajectories from their initial states: every internal state within 1e-9, every
/// observation and reward within 1e-6 (in fact bit for bit but for Pendulum's float32 reward term), every
/// terminated flag equal.
@Suite struct ClassicControlReferenceTests {
    struct Deviation { var state = 0.0, observation = 0.0, reward = 0.0, flags = 0 }

    func replay<E: Environment>(_ environment: E, _ file: String) throws -> Deviation {
        let reference = try ReferenceFile.load(file)
        var worst = Deviation()
        for trajectory in reference.trajectories {
            var env = environment
            try env.setState(trajectory.initial_state)
            #expect(env.state == trajectory.initial_state)
            for (i, raw) in trajectory.actions.enumerated() {
                let action = try env.action(raw == raw.rounded() && env.actionSpace.discreteCount != nil
                                            ? .discrete(Int(raw)) : .continuous([raw]))
                let t = env.step(action)
                let obs = env.observation
                for (a, b) in zip(env.state, trajectory.states[i]) { worst.state = max(worst.state, abs(a - b)) }
                for (a, b) in zip(obs, trajectory.observations[i]) { worst.observation = max(worst.observation, abs(a - b)) }
                worst.reward = max(worst.reward, abs(t.reward - trajectory.rewards[i]))
                if t.terminated != trajectory.terminated[i] { worst.flags += 1 }
                if t.truncated != (i + 1 >= env.maxEpisodeSteps) { worst.flags += 1 }
            }
        }
        return worst
    }

    func check(_ d: Deviation, exactObservations: Bool = true) {
        #expect(d.state <= 1e-9)
        #expect(d.observation <= 1e-6)
        #expect(d.reward <= 1e-6)
        #expect(d.flags == 0)
        if exactObservations { #expect(d.state == 0, "Double in Gymnasium's order of operations is bit-identical") }
    }

    @Test func cartPoleRandomActions() throws { check(try replay(CartPole(), "CartPole-v1")) }
    @Test func cartPoleBalancingActions() throws { check(try replay(CartPole(), "CartPole-v1_heuristic")) }
    @Test func mountainCar() throws { check(try replay(MountainCar(), "MountainCar-v0")) }
    @Test func acrobot() throws { check(try replay(Acrobot(), "Acrobot-v1")) }
    @Test func pendulum() throws {
        let d = try replay(Pendulum(), "Pendulum-v1")
        check(d)
        #expect(d.reward <= 3e-10, "only the float32 0.001·u² term of numpy 2 differs")
    }

    @Test func initialObservationsMatchTheRecordedOnes() throws {
        func initial<E: Environment>(_ env: E, _ file: String) throws {
            for trajectory in try ReferenceFile.load(file).trajectories {
                var e = env
                try e.setState(trajectory.initial_state)
                #expect(e.observation == trajectory.initial_observation, "\(file) seed \(trajectory.seed)")
            }
        }
        try initial(CartPole(), "CartPole-v1")
        try initial(MountainCar(), "MountainCar-v0")
        try initial(Acrobot(), "Acrobot-v1")
        try initial(Pendulum(), "Pendulum-v1")
    }
}
