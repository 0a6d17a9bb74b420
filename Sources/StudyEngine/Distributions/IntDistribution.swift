/// An integer parameter on [low, high] with a step, optionally log-scaled (Optuna's `IntDistribution`).
public struct IntDistribution: Sendable, Hashable {
    public let low: Int
    public let high: Int
    public let log: Bool
    public let step: Int

    /// Validates the bounds as Optuna does: `low <= high`, `low >= 1` with `log`, step 1 with `log`,
    /// `step > 0`, and, unlike Optuna (which silently lowers `high`), a `step` that divides `high - low`.
    public init(low: Int, high: Int, log: Bool = false, step: Int = 1, name: String? = nil) throws(DistributionError) {
        if log, step != 1 { throw .logWithStep(name: name) }
        guard low <= high else { throw .lowGreaterThanHigh(name: name, low: "\(low)", high: "\(high)") }
        if log, low < 1 { throw .logIntNeedsLowAtLeastOne(name: name, low: low, high: high) }
        guard step > 0 else { throw .nonPositiveStep(name: name, step: "\(step)") }
        if (high - low) % step != 0 {
            let adjusted = low + (high - low) / step * step
            throw .stepDoesNotFit(name: name, low: "\(low)", high: "\(high)", step: "\(step)", suggestedHigh: "\(adjusted)")
        }
        self.low = low
        self.high = high
        self.log = log
        self.step = step
    }

    /// True when the distribution has a single value.
    public var isSingle: Bool { low == high }

    /// True when `value` lies in the distribution and on its grid.
    public func contains(_ value: Double) -> Bool {
        guard !value.isNaN, Double(low) <= value, value <= Double(high), value.rounded() == value else { return false }
        return (Int(value) - low) % step == 0
    }
}

extension IntDistribution: CustomStringConvertible {
    public var description: String { "IntDistribution(low=\(low), high=\(high), log=\(log), step=\(step))" }
}
