import Foundation

/// CartPole-v1 with Gymnasium 1.4's dynamics (explicit Euler, `tau` 0.02 s), reward, termination and
/// `gym.make` time limit of 500 steps, computed in Double in Gymnasium's order of operations.
///
/// Actions: 0 pushes left, 1 pushes right. State and observation: (x, ẋ, θ, θ̇). Objects: the cart (type 0,
/// at (x, 0)) and the pole's tip (type 1, at x + 2l·sinθ, 2l·cosθ, with its velocity).
public struct CartPole: Environment {
    public typealias Action = Int

    public static let gravity = 9.8, massCart = 1.0, massPole = 0.1, length = 0.5, forceMagnitude = 10.0, tau = 0.02
    public static let totalMass = massPole + massCart
    public static let poleMassLength = massPole * length
    public static let thetaThreshold = 12 * 2 * Double.pi / 360
    public static let xThreshold = 2.4

    public var x = 0.0, xDot = 0.0, theta = 0.0, thetaDot = 0.0
    public private(set) var elapsedSteps = 0
    /// Gymnasium's `steps_beyond_terminated`: nil until the first terminal step.
    var stepsBeyondTerminated: Int?
    var generator = SeededGenerator(seed: 0)

    public init(seed: UInt64 = 0) { reset(seed: seed) }

    public var id: String { "CartPole-v1" }
    public var actionSpace: ActionSpace { .discrete(2) }
    public var observationCount: Int { 4 }
    public var stateLayout: [String] { ["x", "x_dot", "theta", "theta_dot"] }
    public var maxEpisodeSteps: Int { 500 }

    public mutating func reset(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
        reset()
    }

    public mutating func reset() {
        x = generator.uniform(-0.05, 0.05)
        xDot = generator.uniform(-0.05, 0.05)
        theta = generator.uniform(-0.05, 0.05)
        thetaDot = generator.uniform(-0.05, 0.05)
        elapsedSteps = 0
        stepsBeyondTerminated = nil
    }

    @inline(__always)
    public mutating func step(_ action: Int) -> Transition {
        let force = action == 1 ? Self.forceMagnitude : -Self.forceMagnitude
        let costheta = cos(theta), sintheta = sin(theta)
        let temp = (force + Self.poleMassLength * (thetaDot * thetaDot) * sintheta) / Self.totalMass
        let thetaAcc = (Self.gravity * sintheta - costheta * temp)
            / (Self.length * (4.0 / 3.0 - Self.massPole * (costheta * costheta) / Self.totalMass))
        let xAcc = temp - Self.poleMassLength * thetaAcc * costheta / Self.totalMass
        x = x + Self.tau * xDot
        xDot = xDot + Self.tau * xAcc
        theta = theta + Self.tau * thetaDot
        thetaDot = thetaDot + Self.tau * thetaAcc
        elapsedSteps += 1
        let terminated = x < -Self.xThreshold || x > Self.xThreshold
            || theta < -Self.thetaThreshold || theta > Self.thetaThreshold
        let reward: Double
        if !terminated {
            reward = 1
        } else if let beyond = stepsBeyondTerminated {
            stepsBeyondTerminated = beyond + 1
            reward = 0
        } else {
            stepsBeyondTerminated = 0
            reward = 1
        }
        return Transition(reward: reward, terminated: terminated, truncated: elapsedSteps >= maxEpisodeSteps)
    }

    public func observation(into buffer: UnsafeMutableBufferPointer<Double>) {
        buffer[0] = float32(x); buffer[1] = float32(xDot); buffer[2] = float32(theta); buffer[3] = float32(thetaDot)
    }

    public func objects(into objects: inout [ObjectState]) {
        objects.removeAll(keepingCapacity: true)
        let pole = 2 * Self.length
        objects.append(ObjectState(type: 0, x: x, y: 0, xVelocity: xDot, yVelocity: 0))
        objects.append(ObjectState(type: 1, x: x + pole * sin(theta), y: pole * cos(theta),
                                   xVelocity: xDot + pole * cos(theta) * thetaDot,
                                   yVelocity: -pole * sin(theta) * thetaDot))
    }

    public var state: [Double] { [x, xDot, theta, thetaDot] }

    public mutating func setState(_ values: [Double]) throws {
        let v = try validatedState(values)
        (x, xDot, theta, thetaDot) = (v[0], v[1], v[2], v[3])
        elapsedSteps = 0
        stepsBeyondTerminated = nil
    }

    public func action(_ value: ActionValue) throws -> Int { try discreteAction(value) }
}
