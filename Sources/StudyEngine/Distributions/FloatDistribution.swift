import Foundation

/// A float parameter on [low, high], optionally log-scaled or discretised by `step`
/// (Optuna's `FloatDistribution`).
public struct FloatDistribution: Sendable, Hashable {
    public let low: Double
    public let high: Double
    public let log: Bool
    public let step: Double?

    /// Validates the bounds with Optuna's rules and messages: no `step` with `log`, `low <= high`,
    /// `low > 0` with `log`, `step > 0`; and, unlike Optuna (which silently lowers `high` to the last
    /// point of the grid), rejects a `step` that does not divide `high - low`, naming the `high` that
    /// would fit. Bounds and step must be finite. `name` names the parameter in the error.
    public init(low: Double, high: Double, log: Bool = false, step: Double? = nil, name: String? = nil) throws(DistributionError) {
        try self.init(low: low, high: high, log: log, step: step, name: name, adjustingHigh: false)
    }

    /// With `adjustingHigh`, a `high` off the step grid is lowered to the grid as Optuna does, instead
    /// of rejected: for distributions Optuna itself wrote.
    init(low: Double, high: Double, log: Bool, step: Double?, name: String?, adjustingHigh: Bool) throws(DistributionError) {
        if log, step != nil { throw .logWithStep(name: name) }
        guard !(low > high) else { throw .lowGreaterThanHigh(name: name, low: pythonFloatRepr(low), high: pythonFloatRepr(high)) }
        if log, low <= 0 { throw .logNeedsPositiveLow(name: name, low: pythonFloatRepr(low), high: pythonFloatRepr(high)) }
        if let step, step <= 0 { throw .nonPositiveStep(name: name, step: pythonFloatRepr(step)) }
        guard low.isFinite, high.isFinite, step?.isFinite ?? true else {
            throw .nonFiniteBound(name: name, low: pythonFloatRepr(low), high: pythonFloatRepr(high), step: step.map(pythonFloatRepr))
        }
        var high = high
        if let step, let gridHigh = Self.gridHigh(low: low, high: high, step: step), gridHigh != high {
            guard adjustingHigh else {
                throw .stepDoesNotFit(name: name, low: pythonFloatRepr(low), high: pythonFloatRepr(high),
                                      step: pythonFloatRepr(step), suggestedHigh: pythonFloatRepr(gridHigh))
            }
            high = gridHigh
        }
        self.low = low
        self.high = high
        self.log = log
        self.step = step
    }

    /// The highest point `low + k*step <= high`, computed as Optuna computes it (decimal arithmetic on the
    /// shortest digits); nil when `step` divides `high - low` exactly.
    static func gridHigh(low: Double, high: Double, step: Double) -> Double? {
        let decimalLow = PythonDecimal(low), decimalStep = PythonDecimal(step)
        if let range = PythonDecimal.subtracting(PythonDecimal(high), decimalLow),
           let (quotient, remainder) = PythonDecimal.quotientAndRemainder(range, decimalStep) {
            if remainder.isZero { return nil }
            if let product = PythonDecimal.multiplying(quotient, decimalStep),
               let adjusted = PythonDecimal.adding(product, decimalLow) {
                return adjusted.doubleValue
            }
        }
        // Magnitudes too far apart for 38 digits: binary arithmetic.
        let intervals = (high - low) / step
        if intervals == intervals.rounded() { return nil }
        return low + intervals.rounded(.down) * step
    }

    /// True when the distribution has a single value: `low == high`, or, with a step, `high - low < step`
    /// (in Optuna's decimal arithmetic).
    public var isSingle: Bool {
        if low == high { return true }
        guard let step else { return false }
        if let range = PythonDecimal.subtracting(PythonDecimal(high), PythonDecimal(low)) {
            return range < PythonDecimal(step)
        }
        return high - low < step
    }

    /// True when `value` lies in [low, high] and, with a step, within 1e-8 steps of the grid
    /// (Optuna's `_contains`).
    public func contains(_ value: Double) -> Bool {
        guard low <= value, value <= high else { return false }
        if let step {
            let k = (value - low) / step
            return abs(k - k.rounded(.toNearestOrEven)) < 1.0e-8
        }
        return true
    }
}

extension FloatDistribution: CustomStringConvertible {
    /// As Optuna's `repr`: `FloatDistribution(high=1.0, log=False, low=0.0, step=None)`.
    public var description: String {
        "FloatDistribution(high=\(pythonFloatRepr(high)), log=\(log ? "True" : "False"), low=\(pythonFloatRepr(low)), step=\(step.map(pythonFloatRepr) ?? "None"))"
    }
}
