import Environments
import Foundation

/// A teacher: a PPO-trained network or a scripted (hand-written) policy, saved as JSON
/// (`{"environment", "kind": "ppo" | "scripted", ...}`).
public struct Teacher: Sendable, Codable {
    public enum Kind: String, Sendable, Codable { case ppo, scripted }

    public var environment: String
    public var kind: Kind
    /// The network of a PPO teacher.
    public var model: ActorCritic?
    /// The name of a scripted teacher.
    public var scripted: ScriptedTeacher?
    /// How a PPO teacher was trained.
    public var training: PPOConfiguration?
    public var trainingSteps: Int?

    public init(environment: String, model: ActorCritic, training: PPOConfiguration, steps: Int) {
        (self.environment, kind, self.model, self.training, trainingSteps) = (environment, .ppo, model, training, steps)
    }

    public init(scripted: ScriptedTeacher) {
        environment = scripted.environment
        kind = .scripted
        self.scripted = scripted
    }

    /// A readable name: "PPO teacher" or "scripted teacher 'NAME'".
    public var name: String { kind == .ppo ? "PPO teacher" : "scripted teacher '\(scripted?.rawValue ?? "?")'" }

    /// The teacher's (deterministic) action for a flat observation.
    public func action(_ observation: [Double]) -> ActionValue {
        if let model { return model.deterministicAction(observation) }
        let a = scripted!.action(observation)
        return scripted == .pendulumEnergy ? .continuous([a]) : .discrete(Int(a))
    }

    /// Reads a teacher file.
    /// - Throws: `PolicyLearningError.invalidTeacher` naming the file and what is wrong.
    public static func load(_ path: String) throws -> Teacher {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyLearningError.invalidTeacher(path, "cannot read the file")
        }
        let teacher: Teacher
        do { teacher = try JSONDecoder().decode(Teacher.self, from: data) } catch {
            throw PolicyLearningError.invalidTeacher(path, "not a teacher file: \(error)")
        }
        if teacher.kind == .ppo && teacher.model == nil { throw PolicyLearningError.invalidTeacher(path, "a ppo teacher without 'model'") }
        if teacher.kind == .scripted && teacher.scripted == nil {
            throw PolicyLearningError.invalidTeacher(path, "a scripted teacher without 'scripted' (one of \(ScriptedTeacher.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return teacher
    }

    /// Writes the teacher as JSON.
    public func save(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }
}

/// Errors of PolicyLearning; each names the file, environment or value at fault.
public enum PolicyLearningError: LocalizedError, Equatable, Sendable {
    case invalidTeacher(String, String)
    case mismatch(String)

    public var errorDescription: String? {
        switch self {
        case .invalidTeacher(let path, let why): return "\(path): \(why)"
        case .mismatch(let why): return why
        }
    }
}
