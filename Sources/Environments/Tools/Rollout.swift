import Foundation

/// Steps an environment through a list of actions and records each step: the tool for debugging an
/// environment and comparing it with another implementation (`symstudy rollout`). Stepping goes on past
/// termination and truncation, as the reference trajectories do.
public struct Rollout: Sendable {
    /// One recorded step: the result of applying the step's action.
    public struct Step: Sendable, Equatable {
        public var observation: [Double]
        public var state: [Double]
        public var reward: Double
        public var terminated: Bool
        public var truncated: Bool
    }

    /// The state before the first action.
    public var initialObservation: [Double]
    public var initialState: [Double]
    public var steps: [Step]

    /// Runs `actions` on `environment` from its current state.
    /// - Throws: `EnvironmentError.invalidAction` naming the index of an action outside the action space.
    /// `afterStep` is called after each step with the environment and the step's index (e.g. to save frames).
    public static func run<E: Environment>(_ environment: inout E, actions: [ActionValue],
                                           afterStep: (E, Int) throws -> Void = { _, _ in }) throws -> Rollout {
        var rollout = Rollout(initialObservation: environment.observation, initialState: environment.state, steps: [])
        rollout.steps.reserveCapacity(actions.count)
        for (index, value) in actions.enumerated() {
            let action: E.Action
            do { action = try environment.action(value) } catch let error as EnvironmentError {
                if case .invalidAction(let id, let why) = error {
                    throw EnvironmentError.invalidAction(id, "action \(index): \(why)")
                }
                throw error
            }
            let t = environment.step(action)
            rollout.steps.append(Step(observation: environment.observation, state: environment.state,
                                      reward: t.reward, terminated: t.terminated, truncated: t.truncated))
            try afterStep(environment, index)
        }
        return rollout
    }

    /// Decodes a JSON array of actions: integers for discrete spaces, numbers or arrays of numbers for boxes.
    /// - Throws: `EnvironmentError.invalidFile` naming `source` and the index of a bad entry.
    public static func decodeActions(_ data: Data, source: String) throws -> [ActionValue] {
        let entries: [ActionEntry]
        do { entries = try JSONDecoder().decode([ActionEntry].self, from: data) } catch let DecodingError.dataCorrupted(context) {
            throw EnvironmentError.invalidFile(source, "not a JSON array of actions: \(context.debugDescription)")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let index = context.codingPath.first?.intValue.map { "action \($0)" } ?? "the file"
            throw EnvironmentError.invalidFile(source, "\(index) is not a number or an array of numbers")
        }
        return entries.map(\.value)
    }

    /// One entry of an actions file: a number (integral numbers are discrete actions) or an array of numbers.
    struct ActionEntry: Decodable {
        var value: ActionValue
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let number = try? c.decode(Double.self) {
                value = number == number.rounded() && abs(number) < 1e15 ? .discrete(Int(number)) : .continuous([number])
            } else {
                value = .continuous(try c.decode([Double].self))
            }
        }
    }

    /// Decodes a state: a JSON array of numbers.
    /// - Throws: `EnvironmentError.invalidFile` naming `source`.
    public static func decodeState(_ text: String, source: String) throws -> [Double] {
        guard let numbers = try? JSONDecoder().decode([Double].self, from: Data(text.utf8)) else {
            throw EnvironmentError.invalidFile(source, "expected a JSON array of numbers, got '\(text.prefix(80))'")
        }
        return numbers
    }

    /// The JSON form: `{"steps": [{"observation": [...], "state": [...], "reward": r, "terminated": b,
    /// "truncated": b}, ...]}`, numbers printed so that they read back to the same Double.
    public var json: String {
        var out = "{\"steps\": ["
        for (i, step) in steps.enumerated() {
            if i > 0 { out += ", " }
            out += "{\"observation\": \(Self.json(step.observation)), \"state\": \(Self.json(step.state)), "
            out += "\"reward\": \(Self.json(step.reward)), \"terminated\": \(step.terminated), \"truncated\": \(step.truncated)}"
        }
        return out + "]}"
    }

    /// One line per step, for people.
    public var text: String {
        var lines = ["initial   observation \(Self.json(initialObservation))  state \(Self.json(initialState))"]
        for (i, step) in steps.enumerated() {
            lines.append("step \(i)".padding(toLength: 10, withPad: " ", startingAt: 0)
                         + "observation \(Self.json(step.observation))  state \(Self.json(step.state))  reward \(Self.json(step.reward))"
                         + (step.terminated ? "  terminated" : "") + (step.truncated ? "  truncated" : ""))
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "Infinity" : "-Infinity") }
        if value == value.rounded(), abs(value) < 1e15 { return String(format: "%.1f", value) }
        return "\(value)"
    }

    static func json(_ values: [Double]) -> String { "[" + values.map { json($0) }.joined(separator: ", ") + "]" }
}
