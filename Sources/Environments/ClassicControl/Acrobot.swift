import Foundation

/// Acrobot-v1 with Gymnasium 1.4's "book" dynamics: one RK4 step of 0.2 s, angle wrapping, velocity limits,
/// reward (−1 per step, 0 on the terminal step), termination (free end above one link length) and the time
/// limit of 500 steps. The reset state is rounded to float32, as Gymnasium's is.
///
/// Actions: 0, 1, 2 apply torque −1, 0, +1. State (θ1, θ2, θ̇1, θ̇2); observation
/// (cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2). Objects: the joint (type 0) and the free end (type 1) in link
/// lengths, x to the right and y upwards from the pivot, with their velocities.
public struct Acrobot: Environment {
    public typealias Action = Int

    public static let dt = 0.2
    public static let maxVelocity1 = 4 * Double.pi, maxVelocity2 = 9 * Double.pi
    static let torques: (Double, Double, Double) = (-1, 0, 1)

    public var theta1 = 0.0, theta2 = 0.0, theta1Dot = 0.0, theta2Dot = 0.0
    public private(set) var elapsedSteps = 0
    var generator = SeededGenerator(seed: 0)

    public init(seed: UInt64 = 0) { reset(seed: seed) }

    public var id: String { "Acrobot-v1" }
    public var actionSpace: ActionSpace { .discrete(3) }
    public var observationCount: Int { 6 }
    public var stateLayout: [String] { ["theta1", "theta2", "theta1_dot", "theta2_dot"] }
    public var maxEpisodeSteps: Int { 500 }

    public mutating func reset(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
        reset()
    }

    public mutating func reset() {
        theta1 = float32(generator.uniform(-0.1, 0.1))
        theta2 = float32(generator.uniform(-0.1, 0.1))
        theta1Dot = float32(generator.uniform(-0.1, 0.1))
        theta2Dot = float32(generator.uniform(-0.1, 0.1))
        elapsedSteps = 0
    }

    /// The time derivative of (θ1, θ2, θ̇1, θ̇2) under torque `a`, in Gymnasium's order of operations
    /// (m1 = m2 = l1 = 1, lc1 = lc2 = 0.5, I1 = I2 = 1, g = 9.8 written out).
    @inline(__always)
    static func derivatives(_ t1: Double, _ t2: Double, _ d1t: Double, _ d2t: Double, _ a: Double)
        -> (Double, Double, Double, Double) {
        let m1 = 1.0, m2 = 1.0, l1 = 1.0, lc1 = 0.5, lc2 = 0.5, i1 = 1.0, i2 = 1.0, g = 9.8
        let cos2 = cos(t2), sin2 = sin(t2)
        let d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cos2) + i1 + i2
        let d2 = m2 * (lc2 * lc2 + l1 * lc2 * cos2) + i2
        let phi2 = m2 * lc2 * g * cos(t1 + t2 - Double.pi / 2.0)
        let phi1 = -m2 * l1 * lc2 * (d2t * d2t) * sin2 - 2 * m2 * l1 * lc2 * d2t * d1t * sin2
            + (m1 * lc1 + m2 * l1) * g * cos(t1 - Double.pi / 2) + phi2
        let dd2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (d1t * d1t) * sin2 - phi2)
            / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1)
        let dd1 = -(d2 * dd2 + phi1) / d1
        return (d1t, d2t, dd1, dd2)
    }

    @inline(__always)
    public mutating func step(_ action: Int) -> Transition {
        let a = action == 0 ? Self.torques.0 : action == 1 ? Self.torques.1 : Self.torques.2
        let dt = Self.dt, h = dt / 2.0
        let (y0, y1, y2, y3) = (theta1, theta2, theta1Dot, theta2Dot)
        let k1 = Self.derivatives(y0, y1, y2, y3, a)
        let k2 = Self.derivatives(y0 + h * k1.0, y1 + h * k1.1, y2 + h * k1.2, y3 + h * k1.3, a)
        let k3 = Self.derivatives(y0 + h * k2.0, y1 + h * k2.1, y2 + h * k2.2, y3 + h * k2.3, a)
        let k4 = Self.derivatives(y0 + dt * k3.0, y1 + dt * k3.1, y2 + dt * k3.2, y3 + dt * k3.3, a)
        let w = dt / 6.0
        var n0 = y0 + w * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0)
        var n1 = y1 + w * (k1.1 + 2 * k2.1 + 2 * k3.1 + k4.1)
        let n2 = y2 + w * (k1.2 + 2 * k2.2 + 2 * k3.2 + k4.2)
        let n3 = y3 + w * (k1.3 + 2 * k2.3 + 2 * k3.3 + k4.3)
        n0 = Self.wrap(n0)
        n1 = Self.wrap(n1)
        theta1 = n0
        theta2 = n1
        theta1Dot = min(max(n2, -Self.maxVelocity1), Self.maxVelocity1)
        theta2Dot = min(max(n3, -Self.maxVelocity2), Self.maxVelocity2)
        elapsedSteps += 1
        let terminated = -cos(theta1) - cos(theta2 + theta1) > 1.0
        return Transition(reward: terminated ? 0 : -1, terminated: terminated, truncated: elapsedSteps >= maxEpisodeSteps)
    }

    /// Gymnasium's `wrap(x, -π, π)`: repeated subtraction or addition of 2π.
    @inline(__always)
    static func wrap(_ value: Double) -> Double {
        var x = value
        let diff = Double.pi - -Double.pi
        while x > Double.pi { x = x - diff }
        while x < -Double.pi { x = x + diff }
        return x
    }

    public func observation(into buffer: UnsafeMutableBufferPointer<Double>) {
        buffer[0] = float32(cos(theta1)); buffer[1] = float32(sin(theta1))
        buffer[2] = float32(cos(theta2)); buffer[3] = float32(sin(theta2))
        buffer[4] = float32(theta1Dot); buffer[5] = float32(theta2Dot)
    }

    public func objects(into objects: inout [ObjectState]) {
        objects.removeAll(keepingCapacity: true)
        let s1 = sin(theta1), c1 = cos(theta1), s12 = sin(theta1 + theta2), c12 = cos(theta1 + theta2)
        let jx = s1, jy = -c1, jvx = c1 * theta1Dot, jvy = s1 * theta1Dot
        let w12 = theta1Dot + theta2Dot
        objects.append(ObjectState(type: 0, x: jx, y: jy, xVelocity: jvx, yVelocity: jvy))
        objects.append(ObjectState(type: 1, x: jx + s12, y: jy - c12, xVelocity: jvx + c12 * w12, yVelocity: jvy + s12 * w12))
    }

    public var state: [Double] { [theta1, theta2, theta1Dot, theta2Dot] }

    public mutating func setState(_ values: [Double]) throws {
        let v = try validatedState(values)
        (theta1, theta2, theta1Dot, theta2Dot) = (v[0], v[1], v[2], v[3])
        elapsedSteps = 0
    }

    public func action(_ value: ActionValue) throws -> Int { try discreteAction(value) }
}
