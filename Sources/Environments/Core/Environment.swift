/// A Gymnasium-shaped environment: `reset(seed:)`, then `step(_:)` until the episode is terminated or truncated.
///
/// Conforming types are concrete value types, so code generic over `E: Environment` is specialised and steps
/// without existential dispatch or allocation. The observation is read after a step with `observation(into:)`
/// (a flat vector) or `objects(into:)` (the DiffSES state: typed objects with positions and velocities).
///
/// Like Gymnasium's `gym.make`, every environment counts its steps and reports `truncated` once the count
/// reaches `maxEpisodeSteps`; stepping past termination or truncation is allowed and goes on with the same
/// dynamics (the reference trajectories do this).
public protocol Environment: Sendable {
    /// What one step takes: `Int` for discrete action spaces, `Double` for one-dimensional boxes.
    associatedtype Action: Sendable

    /// The Gymnasium id, e.g. `CartPole-v1`.
    var id: String { get }
    /// The action space, as Gymnasium describes it.
    var actionSpace: ActionSpace { get }
    /// The length of the flat observation vector.
    var observationCount: Int { get }
    /// The names of the internal state's components, in the order of `state` (the `state_layout` of the
    /// reference files).
    var stateLayout: [String] { get }
    /// The time limit of `gym.make` (`max_episode_steps`); `truncated` becomes true when it is reached.
    var maxEpisodeSteps: Int { get }
    /// Steps since the last reset.
    var elapsedSteps: Int { get }

    /// Starts a new episode with an initial state drawn from a generator seeded with `seed`.
    mutating func reset(seed: UInt64)
    /// Starts a new episode, drawing the initial state from the generator seeded by the last `reset(seed:)`.
    mutating func reset()
    /// Applies `action`, returning the reward and the flags; the new observation is read afterwards.
    mutating func step(_ action: Action) -> Transition

    /// Writes the current observation (Gymnasium's, rounded to float32 as Gymnasium returns it) into
    /// `buffer`, which holds at least `observationCount` values.
    func observation(into buffer: UnsafeMutableBufferPointer<Double>)
    /// Replaces the content of `objects` with the current object-level state (no allocation once the array
    /// has the capacity).
    func objects(into objects: inout [ObjectState])

    /// The internal state (float64, `stateLayout` order).
    var state: [Double] { get }
    /// Sets the internal state and starts counting steps from zero, as after a reset.
    /// - Throws: `EnvironmentError.invalidState` when the count of values is wrong or a value is not finite.
    mutating func setState(_ values: [Double]) throws

    /// Converts a decoded action (from JSON, a bridge or a policy) into this environment's action.
    /// - Throws: `EnvironmentError.invalidAction` when the value is outside the action space.
    func action(_ value: ActionValue) throws -> Action
}

extension Environment {
    /// The current observation as a new array (allocates; the hot path is `observation(into:)`).
    public var observation: [Double] {
        [Double](unsafeUninitializedCapacity: observationCount) { buffer, count in
            observation(into: buffer)
            count = observationCount
        }
    }

    /// The current object-level state as a new array.
    public var objects: [ObjectState] {
        var result: [ObjectState] = []
        objects(into: &result)
        return result
    }

    /// Gymnasium's `step`: applies `action` and returns the observation with the reward and flags
    /// (allocates the observation array).
    public mutating func gymStep(_ action: Action) -> (observation: [Double], reward: Double, terminated: Bool, truncated: Bool) {
        let transition = step(action)
        return (observation, transition.reward, transition.terminated, transition.truncated)
    }

    /// Checks a state for `setState`: the right count of finite values.
    func validatedState(_ values: [Double]) throws -> [Double] {
        guard values.count == stateLayout.count else {
            throw EnvironmentError.invalidState(id, "expected \(stateLayout.count) values (\(stateLayout.joined(separator: ", "))), got \(values.count)")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw EnvironmentError.invalidState(id, "\(stateLayout[bad]) (index \(bad)) is \(values[bad]), not a finite number")
        }
        return values
    }

    /// Checks a discrete action against the action space.
    func discreteAction(_ value: ActionValue) throws -> Int {
        guard case .discrete(let count) = actionSpace else { preconditionFailure("not a discrete environment") }
        switch value {
        case .discrete(let a) where (0..<count).contains(a): return a
        case .continuous(let values) where values.count == 1 && values[0] == values[0].rounded()
            && (0..<Double(count)).contains(values[0]):
            return Int(values[0])
        default:
            throw EnvironmentError.invalidAction(id, "\(value) is not an integer in 0..<\(count)")
        }
    }
}

/// Float32 rounding, as Gymnasium returns observations (`np.float32`).
@inline(__always) func float32(_ value: Double) -> Double { Double(Float(value)) }
