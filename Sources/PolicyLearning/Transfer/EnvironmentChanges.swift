import Environments
import Foundation

/// Changes to an environment's game parameters (`--change paddle_speed=4`), for testing how a policy
/// transfers to a changed game. Pong takes every field of `PongParameters` (snake_case: `paddle_speed`,
/// `paddle_height`, `ball_speed`, `max_ball_vertical_speed`, `court_top`, `court_bottom`, `opponent_speed`,
/// `opponent_skill`, `points_to_win`, `max_steps`, `serve_delay`), Pendulum-v1 `gravity`, MountainCar-v0
/// `goal_velocity`; the other environments have no parameters.
public struct EnvironmentChanges: Sendable, Equatable, CustomStringConvertible {
    /// Parameter names and values, in the order given.
    public var values: [(key: String, value: Double)]

    public static func == (a: EnvironmentChanges, b: EnvironmentChanges) -> Bool {
        a.values.count == b.values.count && zip(a.values, b.values).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public init(_ values: [(key: String, value: Double)] = []) { self.values = values }

    /// Reads `KEY=VALUE` items.
    /// - Throws: `TransferError.badChange` naming the item.
    public static func parse(_ items: [String]) throws -> EnvironmentChanges {
        EnvironmentChanges(try items.map { item in
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]), value.isFinite else {
                throw TransferError.badChange(item, "expected KEY=NUMBER, e.g. paddle_speed=4")
            }
            return (parts[0], value)
        })
    }

    public var isEmpty: Bool { values.isEmpty }

    public var description: String {
        values.isEmpty ? "unchanged" : values.map { "\($0.key)=\(Self.number($0.value))" }.joined(separator: ", ")
    }

    static func number(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)" }

    /// The parameters an environment takes, by id.
    public static func parameterNames(for environment: String) -> [String] {
        switch environment {
        case "Pong": return (try? PongParameters().snakeCaseDictionary().keys.sorted()) ?? []
        case "Pendulum-v1", "Pendulum": return ["gravity"]
        case "MountainCar-v0", "MountainCar": return ["goal_velocity"]
        default: return []
        }
    }

    /// Makes environment `id` with these changes, reset with `seed`, and runs `visitor` on it (as
    /// `EnvironmentRegistry.visit` does when there are no changes).
    /// - Throws: `TransferError.unknownParameter` for a parameter the environment does not take,
    ///   `EnvironmentError.invalidParameter` for a value out of range.
    public func visit<V: EnvironmentVisitor>(_ id: String, seed: UInt64, _ visitor: V) throws -> V.Result {
        if values.isEmpty { return try EnvironmentRegistry.visit(id, seed: seed, visitor) }
        let known = Self.parameterNames(for: id)
        if let unknown = values.first(where: { !known.contains($0.key) }) {
            throw TransferError.unknownParameter(environment: id, key: unknown.key, known: known)
        }
        switch id {
        case "Pong":
            var dictionary = try PongParameters().snakeCaseDictionary()
            for (key, value) in values { dictionary[key] = value }
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let parameters: PongParameters
            do { parameters = try decoder.decode(PongParameters.self, from: try JSONSerialization.data(withJSONObject: dictionary)) } catch {
                throw TransferError.badChange(description, "a Pong parameter has the wrong type (points_to_win, max_steps and serve_delay are whole numbers)")
            }
            return try visitor.visit(try Pong(seed: seed, parameters: parameters))
        case "Pendulum-v1", "Pendulum":
            return try visitor.visit(Pendulum(seed: seed, gravity: values.last { $0.key == "gravity" }!.value))
        default:
            return try visitor.visit(MountainCar(seed: seed, goalVelocity: values.last { $0.key == "goal_velocity" }!.value))
        }
    }
}

extension PongParameters {
    /// The parameters as a JSON object with snake_case keys.
    func snakeCaseDictionary() throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try JSONSerialization.jsonObject(with: try encoder.encode(self)) as? [String: Any] ?? [:]
    }
}

/// Errors of `replay` and `transfer`, naming the item or environment at fault.
public enum TransferError: LocalizedError, Equatable, Sendable {
    case badChange(String, String)
    case unknownParameter(environment: String, key: String, known: [String])
    case notAPolicy(String)
    case mismatch(String)

    public var errorDescription: String? {
        switch self {
        case .badChange(let item, let why): return "--change \(item): \(why)"
        case .unknownParameter(let environment, let key, let known):
            let list = known.isEmpty ? "\(environment) has no parameters to change (Pong, Pendulum-v1 and MountainCar-v0 have)" : "its parameters: \(known.joined(separator: ", "))"
            return "--change \(key): \(environment) has no parameter '\(key)'; \(list)"
        case .notAPolicy(let why): return why
        case .mismatch(let why): return why
        }
    }
}
