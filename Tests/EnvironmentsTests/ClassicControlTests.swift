import Environments
import Foundation
import Testing

/// Seeds, distributions of initial states, time limits and bad input.
@Suite struct ClassicControlTests {
    @Test func theSameSeedGivesTheSameInitialState() {
        var a = Acrobot(seed: 7), b = Acrobot(seed: 7), c = Acrobot(seed: 8)
        #expect(a.state == b.state)
        #expect(a.state != c.state)
        a.reset(); b.reset()
        #expect(a.state == b.state, "later resets continue the same stream")
    }

    @Test func initialStatesFollowGymnasiumsDistributions() {
        var cart = CartPole(), car = MountainCar(), acrobot = Acrobot(), pendulum = Pendulum()
        var cartRange = (1.0, -1.0), carRange = (1.0, -1.0), pendulumRange = (9.0, -9.0)
        for seed in 0..<2000 as Range<UInt64> {
            cart.reset(seed: seed); car.reset(seed: seed); acrobot.reset(seed: seed); pendulum.reset(seed: seed)
            for v in cart.state { cartRange = (min(cartRange.0, v), max(cartRange.1, v)) }
            carRange = (min(carRange.0, car.position), max(carRange.1, car.position))
            #expect(car.velocity == 0)
            #expect(acrobot.state.allSatisfy { Double(Float($0)) == $0 && abs($0) <= 0.1 })
            pendulumRange = (min(pendulumRange.0, pendulum.theta), max(pendulumRange.1, pendulum.theta))
            #expect(abs(pendulum.thetaDot) <= 1)
        }
        #expect(cartRange.0 >= -0.05 && cartRange.0 < -0.049 && cartRange.1 < 0.05 && cartRange.1 > 0.049)
        #expect(carRange.0 >= -0.6 && carRange.0 < -0.599 && carRange.1 < -0.4 && carRange.1 > -0.401)
        #expect(pendulumRange.0 >= -Double.pi && pendulumRange.0 < -3.13 && pendulumRange.1 < Double.pi && pendulumRange.1 > 3.13)
    }

    @Test func timeLimitTruncatesAtTheRegisteredStep() {
        var env = Pendulum(seed: 1)
        for i in 1...200 {
            let t = env.step(0)
            #expect(t.truncated == (i == 200))
        }
        var cart = CartPole(seed: 1)
        var steps = 0, done = false
        while !done { done = cart.step(cart.theta + cart.thetaDot > 0 ? 1 : 0).done; steps += 1 }
        #expect(steps == 500, "the balancing heuristic reaches the 500-step limit")
    }

    @Test func badStatesAndActionsAreRejectedWithTheirName() throws {
        var env = CartPole()
        #expect(throws: EnvironmentError.self) { try env.setState([0, 0, 0]) }
        do { try env.setState([0, 0, .nan, 0]); Issue.record("NaN accepted") } catch {
            #expect(error.localizedDescription.contains("theta"))
        }
        #expect(throws: EnvironmentError.self) { try env.action(.discrete(2)) }
        #expect(try env.action(.continuous([1])) == 1)
        #expect(throws: EnvironmentError.self) { try Pendulum().action(.continuous([.infinity])) }
    }

    @Test func objectsDescribeTheBodies() {
        var env = CartPole()
        try? env.setState([0.5, 0.1, 0, 0])
        let objects = env.objects
        #expect(objects.count == 2)
        #expect(objects[0] == ObjectState(type: 0, x: 0.5, y: 0, xVelocity: 0.1, yVelocity: 0))
        #expect(abs(objects[1].x - 0.5) < 1e-15 && abs(objects[1].y - 1) < 1e-15, "the upright pole's tip is one pole length above the cart")
    }
}

@Suite struct ParallelEpisodesTests {
    @Test func resultsDoNotDependOnTheNumberOfThreads() {
        let policy: @Sendable (inout CartPole) -> Int = { env in env.theta > 0 ? 1 : 0 }
        let one = ParallelEpisodes.run(CartPole(), count: 12, seed: 40, threads: 1, policy: policy)
        let two = ParallelEpisodes.run(CartPole(), count: 12, seed: 40, threads: 2, policy: policy)
        #expect(one == two)
        #expect(Set(one.map(\.length)).count > 1, "seeds give different episodes")
        var env = CartPole()
        env.reset(seed: 45)
        var length = 0
        while !env.step(policy(&env)).done { length += 1 }
        #expect(one[5].length == length + 1, "episode i starts from reset(seed: seed + i)")
    }
}
