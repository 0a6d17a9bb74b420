import Foundation

/// A float parameter on [low, high], optionally log-scaled or discretised by `step`
/// (Optuna's `FloatDistribution`).
public struct FloatDistribution: Sendable, Hashable {
    public let low: Double
    public let high: Double
    public let log: Bool
    public let step: Double?

    /// Validates the bounds as Optuna does: `low <= high`, `low > 0` with `log`, no `step` with `log`,
    /// `step > 0`, and, unlike Optuna (which silently lowers `high`), a `step` that divides `high - low`.
    public init(low: Double, high: Double, log: Bool = false, step: Double? = nil, name: String? = nil) throws(DistributionError) {
        guard low.isFinite, high.isFinite else {
            throw .nonFiniteBound(name: name, low: "\(low)", high: "\(high)")
        }
        if log, step != nil { throw .logWithStep(name: name) }
        guard low <= high else { throw .lowGreaterThanHigh(name: name, low: "\(low)", high: "\(high)") }
        if log, low <= 0 { throw .logNeedsPositiveLow(name: name, low: "\(low)", high: "\(high)") }
        if let step {
            guard step > 0, step.isFinite else { throw .nonPositiveStep(name: name, step: "\(step)") }
            let intervals = (high - low) / step
            let rounded = intervals.rounded()
            // Optuna tests divisibility in decimal arithmetic; a relative tolerance does the same for binary floats.
            if abs(intervals - rounded) > 1e-8 * max(1, abs(intervals)) {
                let adjusted = low + intervals.rounded(.down) * step
                throw .stepDoesNotFit(name: name, low: "\(low)", high: "\(high)", step: "\(step)", suggestedHigh: "\(adjusted)")
            }
        }
        self.low = low
        self.high = high
        self.log = log
        self.step = step
    }

    /// True when the distribution has a single value.
    public var isSingle: Bool {
        if low == high { return true }
        if let step { return high - low < step }
        return false
    }

    /// True when `value` lies in the distribution (on the grid, for a stepped one).
    public func contains(_ value: Double) -> Bool {
        guard !value.isNaN, low <= value, value <= high else { return false }
        if let step {
            let k = (value - low) / step
            return abs(k - k.rounded()) < 1e-8 * max(1, abs(k))
        }
        return true
    }
}

extension FloatDistribution: CustomStringConvertible {
    public var description: String {
        "FloatDistribution(low=\(low), high=\(high), log=\(log), step=\(step.map { "\($0)" } ?? "None"))"
    }
}
