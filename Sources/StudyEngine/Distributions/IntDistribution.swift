/// An integer parameter on [low, high] with a step, optionally log-scaled (Optuna's `IntDistribution`).
public struct IntDistribution: Sendable, Hashable {
    public let low: Int
    public let high: Int
    public let log: Bool
    public let step: Int

    /// Validates the bounds with Optuna's rules and messages: step 1 with `log`, `low <= high`,
    /// `low >= 1` with `log`, `step > 0`; and, unlike Optuna (which silently lowers `high` to the last
    /// point of the grid), rejects a `step` that does not divide `high - low`, naming the `high` that
    /// would fit. `name` names the parameter in the error.
    public init(low: Int, high: Int, log: Bool = false, step: Int = 1, name: String? = nil) throws(DistributionError) {
        try self.init(low: low, high: high, log: log, step: step, name: name, adjustingHigh: false)
    }

    /// With `adjustingHigh`, a `high` off the step grid is lowered to the grid as Optuna does, instead
    /// of rejected: for distributions Optuna itself wrote.
    init(low: Int, high: Int, log: Bool, step: Int, name: String?, adjustingHigh: Bool) throws(DistributionError) {
        if log, step != 1 { throw .intLogWithStep(name: name, step: step) }
        guard low <= high else { throw .lowGreaterThanHigh(name: name, low: "\(low)", high: "\(high)") }
        if log, low < 1 { throw .logIntNeedsLowAtLeastOne(name: name, low: low, high: high) }
        guard step > 0 else { throw .nonPositiveStep(name: name, step: "\(step)") }
        let (range, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow else { throw .nonFiniteBound(name: name, low: "\(low)", high: "\(high)", step: "\(step)") }
        var high = high
        if range % step != 0 {
            let gridHigh = low + range / step * step
            guard adjustingHigh else {
                throw .stepDoesNotFit(name: name, low: "\(low)", high: "\(high)", step: "\(step)", suggestedHigh: "\(gridHigh)")
            }
            high = gridHigh
        }
        self.low = low
        self.high = high
        self.log = log
        self.step = step
    }

    /// True when the distribution has a single value (`high - low < step`; with the grid rule, `low == high`).
    public var isSingle: Bool { low == high || (!log && high - low < step) }

    /// True when `value` is an integer in [low, high] on the grid `low + k*step` (Optuna's `_contains`).
    public func contains(_ value: Double) -> Bool {
        guard Double(low) <= value, value <= Double(high), value.rounded() == value,
              let integer = Int(exactly: value) else { return false }
        return (integer - low) % step == 0
    }
}

extension IntDistribution: CustomStringConvertible {
    /// As Optuna's `repr`: `IntDistribution(high=10, log=False, low=1, step=1)`.
    public var description: String { "IntDistribution(high=\(high), log=\(log ? "True" : "False"), low=\(low), step=\(step))" }
}
