/// An environment with a batch stepper (`BatchEnvironment` over copies of it).
public protocol BatchedEnvironment: Environment {
    associatedtype Batch: BatchEnvironment where Batch.Single == Self
}

extension CartPole: BatchedEnvironment { public typealias Batch = CartPoleBatch }
extension MountainCar: BatchedEnvironment { public typealias Batch = MountainCarBatch }
extension Acrobot: BatchedEnvironment { public typealias Batch = AcrobotBatch }
extension Pendulum: BatchedEnvironment { public typealias Batch = PendulumBatch }

/// The outputs of one batch step, as arrays (`BatchEnvironment.step(_:into:)`).
public struct BatchOutput: Sendable {
    /// Component-major observations: component `j` of copy `i` at `j * copies + i`.
    public var observations: [Double]
    public var rewards: [Double]
    public var terminated: [Bool]
    public var truncated: [Bool]

    public init(copies: Int, observationCount: Int) {
        observations = [Double](repeating: 0, count: copies * observationCount)
        rewards = [Double](repeating: 0, count: copies)
        terminated = [Bool](repeating: false, count: copies)
        truncated = terminated
    }
}

extension BatchEnvironment {
    /// Steps every copy with `actions`, writing into `output` (made with `BatchOutput(copies:observationCount:)`).
    public mutating func step(_ actions: [Single.Action], into output: inout BatchOutput) {
        actions.withUnsafeBufferPointer { a in
            output.observations.withUnsafeMutableBufferPointer { o in
                output.rewards.withUnsafeMutableBufferPointer { r in
                    output.terminated.withUnsafeMutableBufferPointer { te in
                        output.truncated.withUnsafeMutableBufferPointer { tr in
                            step(actions: a, observations: o, rewards: r, terminated: te, truncated: tr)
                        }
                    }
                }
            }
        }
    }
}
