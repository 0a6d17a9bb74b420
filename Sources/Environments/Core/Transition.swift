/// What one step returns besides the observation: the reward and Gymnasium's two end flags.
public struct Transition: Sendable, Equatable {
    /// The reward of the step.
    public var reward: Double
    /// The episode reached a terminal state (the MDP's end).
    public var terminated: Bool
    /// The time limit was reached (`elapsedSteps >= maxEpisodeSteps`).
    public var truncated: Bool

    public init(reward: Double, terminated: Bool, truncated: Bool) {
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }

    /// The episode is over, by either flag.
    public var done: Bool { terminated || truncated }
}
