import Foundation

/// MountainCar-v0 with Gymnasium 1.4's dynamics, reward (−1 per step), termination (position ≥ 0.5 with
/// non-negative velocity) and time limit of 200 steps.
///
/// Actions: 0 push left, 1 no push, 2 push right. State and observation: (position, velocity). Objects: the
/// car (type 0) at (position, height of the hill 0.45·sin(3p) + 0.55), with its velocity along both axes.
public struct MountainCar: Environment {
    public typealias Action = Int

    public static let minPosition = -1.2, maxPosition = 0.6, maxSpeed = 0.07, goalPosition = 0.5
    public static let force = 0.001, gravity = 0.0025

    public var position = 0.0, velocity = 0.0
    /// The velocity the car must have at the goal (Gymnasium's `goal_velocity`, a constructor argument).
    public var goalVelocity = 0.0
    public private(set) var elapsedSteps = 0
    var generator = SeededGenerator(seed: 0)

    public init(seed: UInt64 = 0, goalVelocity: Double = 0) {
        self.goalVelocity = goalVelocity
        reset(seed: seed)
    }

    public var id: String { "MountainCar-v0" }
    public var actionSpace: ActionSpace { .discrete(3) }
    public var observationCount: Int { 2 }
    public var stateLayout: [String] { ["position", "velocity"] }
    public var maxEpisodeSteps: Int { 200 }

    public mutating func reset(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
        reset()
    }

    public mutating func reset() {
        position = generator.uniform(-0.6, -0.4)
        velocity = 0
        elapsedSteps = 0
    }

    @inline(__always)
    public mutating func step(_ action: Int) -> Transition {
        velocity += Double(action - 1) * Self.force + cos(3 * position) * (-Self.gravity)
        velocity = min(max(velocity, -Self.maxSpeed), Self.maxSpeed)
        position += velocity
        position = min(max(position, Self.minPosition), Self.maxPosition)
        if position == Self.minPosition && velocity < 0 { velocity = 0 }
        elapsedSteps += 1
        let terminated = position >= Self.goalPosition && velocity >= goalVelocity
        return Transition(reward: -1, terminated: terminated, truncated: elapsedSteps >= maxEpisodeSteps)
    }

    public func observation(into buffer: UnsafeMutableBufferPointer<Double>) {
        buffer[0] = float32(position); buffer[1] = float32(velocity)
    }

    public func objects(into objects: inout [ObjectState]) {
        objects.removeAll(keepingCapacity: true)
        objects.append(ObjectState(type: 0, x: position, y: 0.45 * sin(3 * position) + 0.55,
                                   xVelocity: velocity, yVelocity: 1.35 * cos(3 * position) * velocity))
    }

    public var state: [Double] { [position, velocity] }

    public mutating func setState(_ values: [Double]) throws {
        let v = try validatedState(values)
        (position, velocity) = (v[0], v[1])
        elapsedSteps = 0
    }

    public func action(_ value: ActionValue) throws -> Int { try discreteAction(value) }
}
