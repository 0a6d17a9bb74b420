/// PPO's hyperparameters. The presets follow the tuned settings that are common for these tasks
/// (rl-baselines3-zoo's), adapted where our budget or results asked for it.
public struct PPOConfiguration: Sendable, Codable, Equatable {
    public var environments = 8
    public var stepsPerEnvironment = 256
    public var minibatchSize = 64
    public var epochs = 10
    public var gamma = 0.99
    public var gaeLambda = 0.95
    public var learningRate = 3e-4
    /// Anneal the learning rate linearly to 0 over training.
    public var annealLearningRate = true
    public var clip = 0.2
    public var valueCoefficient = 0.5
    public var entropyCoefficient = 0.0
    public var maxGradientNorm = 0.5
    public var hidden = [64, 64]
    public var initialLogStd = 0.0
    public var normalizeObservations = false
    /// Divide rewards by the running standard deviation of the discounted return (VecNormalize's reward scaling).
    public var normalizeRewards = false
    public var totalSteps = 100_000
    public var seed: UInt64 = 0

    public init() {}

    /// The preset for a native environment id (a general one for others).
    public static func preset(for id: String) -> PPOConfiguration {
        var c = PPOConfiguration()
        switch id {
        case "CartPole-v1":
            c.environments = 8; c.stepsPerEnvironment = 32; c.minibatchSize = 256; c.epochs = 20
            c.gamma = 0.98; c.gaeLambda = 0.8; c.learningRate = 1e-3; c.totalSteps = 100_000
        case "Acrobot-v1":
            c.environments = 16; c.stepsPerEnvironment = 256; c.minibatchSize = 256; c.epochs = 4
            c.gamma = 0.99; c.gaeLambda = 0.94; c.learningRate = 1e-3; c.normalizeObservations = true
            c.totalSteps = 300_000
        case "Pendulum-v1":
            c.environments = 4; c.stepsPerEnvironment = 1024; c.minibatchSize = 64; c.epochs = 10
            c.gamma = 0.9; c.gaeLambda = 0.95; c.learningRate = 1e-3; c.normalizeObservations = true
            c.normalizeRewards = true; c.initialLogStd = -0.5; c.totalSteps = 300_000
        case "MountainCar-v0":
            c.environments = 16; c.stepsPerEnvironment = 16; c.minibatchSize = 256; c.epochs = 4
            c.gamma = 0.99; c.gaeLambda = 0.98; c.normalizeObservations = true; c.entropyCoefficient = 0.0
            c.totalSteps = 1_000_000
        case "Pong":
            c.environments = 8; c.stepsPerEnvironment = 256; c.minibatchSize = 256; c.epochs = 4
            c.gamma = 0.99; c.gaeLambda = 0.95; c.learningRate = 3e-4; c.normalizeObservations = true
            c.entropyCoefficient = 0.01; c.totalSteps = 1_500_000
        default: break
        }
        return c
    }
}
