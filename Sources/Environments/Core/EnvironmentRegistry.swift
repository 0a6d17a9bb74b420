/// The environments symstudy knows by name: the native ones, and any Gymnasium or OCAtari id through the
/// Python bridge (`gym:CartPole-v1`, `ocatari:Pong-v5`).
public enum EnvironmentRegistry {
    /// The ids of the native environments.
    public static let nativeIDs = ["CartPole-v1", "MountainCar-v0", "Acrobot-v1", "Pendulum-v1", "Pong", "Freeway"]

    /// Makes the environment `id`, reset with `seed`, and runs `visitor` on it with its concrete type.
    /// - Throws: `EnvironmentError.unknownEnvironment` for an unknown id; bridge errors for `gym:`/`ocatari:` ids.
    public static func visit<V: EnvironmentVisitor>(_ id: String, seed: UInt64, _ visitor: V) throws -> V.Result {
        switch id {
        case "CartPole-v1", "CartPole": return try visitor.visit(CartPole(seed: seed))
        case "MountainCar-v0", "MountainCar": return try visitor.visit(MountainCar(seed: seed))
        case "Acrobot-v1", "Acrobot": return try visitor.visit(Acrobot(seed: seed))
        case "Pendulum-v1", "Pendulum": return try visitor.visit(Pendulum(seed: seed))
        case "Pong": return try visitor.visit(Pong(seed: seed))
        case "Freeway": return try visitor.visit(Freeway(seed: seed))
        default:
            if let (kind, bridged) = PythonEnvironment.bridgedID(id) {
                return try visitor.visit(PythonEnvironment(kind, bridged, seed: seed))
            }
            throw EnvironmentError.unknownEnvironment(id, known: nativeIDs)
        }
    }
}
