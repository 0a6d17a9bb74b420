import Foundation

/// A snapshot of one trial as storage holds it (Optuna's `FrozenTrial`).
public struct FrozenTrial: Sendable, Hashable {
    /// The storage's id of the trial (unique across studies of one storage).
    public var id: Int
    /// The trial's number within its study: 0, 1, 2, ... in order of creation, dense and unique.
    public var number: Int
    public var state: TrialState
    /// One value per objective, once the trial is complete (a pruned trial may carry its last intermediate value).
    public var values: [Double]?
    public var datetimeStart: Date?
    public var datetimeComplete: Date?
    /// Parameter values as the objective saw them.
    public var params: [String: ParameterValue]
    /// The distribution each parameter was drawn from.
    public var distributions: [String: ParameterDistribution]
    public var userAttributes: [String: JSONValue]
    public var systemAttributes: [String: JSONValue]
    /// Values reported with `Trial.report(_:step:)`, by step.
    public var intermediateValues: [Int: Double]

    public init(
        id: Int = -1, number: Int = -1, state: TrialState = .running, values: [Double]? = nil,
        datetimeStart: Date? = nil, datetimeComplete: Date? = nil,
        params: [String: ParameterValue] = [:], distributions: [String: ParameterDistribution] = [:],
        userAttributes: [String: JSONValue] = [:], systemAttributes: [String: JSONValue] = [:],
        intermediateValues: [Int: Double] = [:]
    ) {
        self.id = id
        self.number = number
        self.state = state
        self.values = values
        self.datetimeStart = datetimeStart
        self.datetimeComplete = datetimeComplete
        self.params = params
        self.distributions = distributions
        self.userAttributes = userAttributes
        self.systemAttributes = systemAttributes
        self.intermediateValues = intermediateValues
    }

    /// The value of a single-objective trial.
    public var value: Double? {
        guard let values, values.count == 1 else { return nil }
        return values[0]
    }

    /// The parameter `name` in internal representation (a categorical's choice index), if it was suggested.
    public func internalValue(of name: String) -> Double? {
        guard let value = params[name], let distribution = distributions[name] else { return nil }
        return try? distribution.internalValue(of: value, name: name)
    }

    /// The highest step with an intermediate value.
    public var lastStep: Int? { intermediateValues.keys.max() }

    /// Wall time from start to completion.
    public var duration: TimeInterval? {
        guard let start = datetimeStart, let end = datetimeComplete else { return nil }
        return end.timeIntervalSince(start)
    }
}
