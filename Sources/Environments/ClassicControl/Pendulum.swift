import Foundation

/// Pendulum-v1 with Gymnasium 1.4's dynamics (semi-implicit Euler, dt 0.05 s), cost
/// (normalised angle² + 0.1·θ̇² + 0.001·u² from the pre-step state), no termination and the time limit of
/// 200 steps. θ = 0 points up and is not wrapped in the state.
///
/// Action: the torque, clipped to [−2, 2]. State (θ, θ̇); observation (cos θ, sin θ, θ̇). Objects: the bob
/// (type 0) at (sin θ, cos θ), y upwards, with its velocity.
public struct Pendulum: Environment {
    public typealias Action = Double

    public static let maxSpeed = 8.0, maxTorque = 2.0, dt = 0.05, mass = 1.0, length = 1.0
    /// Gravity (Gymnasium's constructor argument `g`).
    public var gravity = 10.0

    public var theta = 0.0, thetaDot = 0.0
    public private(set) var elapsedSteps = 0
    var generator = SeededGenerator(seed: 0)

    public init(seed: UInt64 = 0, gravity: Double = 10) {
        self.gravity = gravity
        reset(seed: seed)
    }

    public var id: String { "Pendulum-v1" }
    public var actionSpace: ActionSpace { .box(low: [-Self.maxTorque], high: [Self.maxTorque]) }
    public var observationCount: Int { 3 }
    public var stateLayout: [String] { ["theta", "theta_dot"] }
    public var maxEpisodeSteps: Int { 200 }

    public mutating func reset(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
        reset()
    }

    public mutating func reset() {
        theta = generator.uniform(-Double.pi, Double.pi)
        thetaDot = generator.uniform(-1, 1)
        elapsedSteps = 0
    }

    /// Gymnasium's `angle_normalize`: ((x + π) mod 2π) − π with a floor modulo.
    @inline(__always)
    static func normalizeAngle(_ x: Double) -> Double {
        let period = 2 * Double.pi
        var r = (x + Double.pi).truncatingRemainder(dividingBy: period)
        if r != 0 && r < 0 { r += period }
        return r - Double.pi
    }

    @inline(__always)
    public mutating func step(_ action: Double) -> Transition {
        let u = min(max(action, -Self.maxTorque), Self.maxTorque)
        let g = gravity, m = Self.mass, l = Self.length, dt = Self.dt
        let norm = Self.normalizeAngle(theta)
        let cost = norm * norm + 0.1 * (thetaDot * thetaDot) + 0.001 * (u * u)
        var newThetaDot = thetaDot + (3 * g / (2 * l) * sin(theta) + 3.0 / (m * (l * l)) * u) * dt
        newThetaDot = min(max(newThetaDot, -Self.maxSpeed), Self.maxSpeed)
        theta = theta + newThetaDot * dt
        thetaDot = newThetaDot
        elapsedSteps += 1
        return Transition(reward: -cost, terminated: false, truncated: elapsedSteps >= maxEpisodeSteps)
    }

    public func observation(into buffer: UnsafeMutableBufferPointer<Double>) {
        buffer[0] = float32(cos(theta)); buffer[1] = float32(sin(theta)); buffer[2] = float32(thetaDot)
    }

    public func objects(into objects: inout [ObjectState]) {
        objects.removeAll(keepingCapacity: true)
        let s = sin(theta), c = cos(theta)
        objects.append(ObjectState(type: 0, x: s, y: c, xVelocity: c * thetaDot, yVelocity: -s * thetaDot))
    }

    public var state: [Double] { [theta, thetaDot] }

    public mutating func setState(_ values: [Double]) throws {
        let v = try validatedState(values)
        (theta, thetaDot) = (v[0], v[1])
        elapsedSteps = 0
    }

    public func action(_ value: ActionValue) throws -> Double {
        switch value {
        case .continuous(let v) where v.count == 1 && v[0].isFinite: return v[0]
        case .discrete(let a): return Double(a)
        default: throw EnvironmentError.invalidAction(id, "\(value) is not one finite torque")
        }
    }
}
