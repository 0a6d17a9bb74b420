import Foundation
import StudyEngine

/// Maps data values to pixel positions along one axis: linear, base-10 logarithmic, or categorical (one slot
/// per choice, values are choice indices).
public struct AxisScale: Sendable {
    public enum Kind: Sendable, Equatable {
        case linear
        case log
        case categorical([String])
    }

    public let kind: Kind
    /// The data interval shown (for a log scale, in data units, both positive).
    public let low: Double
    public let high: Double
    /// The pixel positions of `low` and `high` (`start` may be greater than `end`, as for a y axis).
    public let start: Double
    public let end: Double

    public init(kind: Kind, low: Double, high: Double, start: Double, end: Double) {
        self.kind = kind
        var low = low, high = high
        if kind == .log {
            low = max(low, Double.leastNormalMagnitude)
            high = max(high, low)
        }
        if !(low.isFinite && high.isFinite) { low = 0; high = 1 }
        if low == high {
            let pad = kind == .log ? low * 0.5 : (abs(low) > 0 ? abs(low) * 0.05 : 0.5)
            low -= pad
            high += kind == .log ? pad * 2 : pad
        }
        self.low = low
        self.high = high
        self.start = start
        self.end = end
    }

    /// A linear or log scale over the finite values in `values`, widened by `padding` (a fraction of the
    /// span) on each side; a log scale is used only when asked and every value is positive.
    public static func fitting(_ values: [Double], start: Double, end: Double, padding: Double = 0.05,
                               log: Bool = false) -> AxisScale {
        var low = Double.infinity, high = -Double.infinity
        for value in values where value.isFinite {
            low = min(low, value)
            high = max(high, value)
        }
        if low > high { return AxisScale(kind: .linear, low: 0, high: 1, start: start, end: end) }
        if log, low > 0 {
            let span = Foundation.log10(high) - Foundation.log10(low)
            let pad = span > 0 ? span * padding : 0.1
            return AxisScale(kind: .log, low: pow(10, Foundation.log10(low) - pad), high: pow(10, Foundation.log10(high) + pad),
                             start: start, end: end)
        }
        let pad = (high - low) * padding
        return AxisScale(kind: .linear, low: low - pad, high: high + pad, start: start, end: end)
    }

    /// The scale of a parameter's axis: its distribution's range (widened to the values seen, for values
    /// stored outside it), log when the distribution is log, one slot per choice for a categorical.
    static func parameter(_ distribution: ParameterDistribution, values: [Double], start: Double, end: Double) -> AxisScale {
        switch distribution {
        case .categorical(let categorical):
            return AxisScale(kind: .categorical(categorical.choices.map(\.description)), low: 0,
                             high: Double(max(categorical.choices.count, 1)), start: start, end: end)
        case .float(let float):
            return bounded(low: float.low, high: float.high, log: float.log, values: values, start: start, end: end)
        case .int(let int):
            return bounded(low: Double(int.low), high: Double(int.high), log: int.log, values: values, start: start, end: end)
        }
    }

    private static func bounded(low: Double, high: Double, log: Bool, values: [Double], start: Double, end: Double) -> AxisScale {
        var low = low, high = high
        for value in values where value.isFinite {
            low = min(low, value)
            high = max(high, value)
        }
        if log, low > 0 {
            let pad = (Foundation.log10(high) - Foundation.log10(low)) * 0.03
            return AxisScale(kind: .log, low: low / pow(10, pad), high: high * pow(10, pad), start: start, end: end)
        }
        let pad = (high - low) * 0.03
        return AxisScale(kind: .linear, low: low - pad, high: high + pad, start: start, end: end)
    }

    /// The pixel position of `value` (a choice index on a categorical scale: the middle of its slot).
    public func position(_ value: Double) -> Double {
        let fraction: Double
        switch kind {
        case .linear: fraction = (value - low) / (high - low)
        case .log: fraction = (Foundation.log10(max(value, low)) - Foundation.log10(low)) / (Foundation.log10(high) - Foundation.log10(low))
        case .categorical: fraction = (value + 0.5 - low) / (high - low)
        }
        return start + fraction * (end - start)
    }

    /// The data value at a pixel position (the inverse of `position`).
    public func value(at position: Double) -> Double {
        let fraction = (position - start) / (end - start)
        switch kind {
        case .linear: return low + fraction * (high - low)
        case .log: return pow(10, Foundation.log10(low) + fraction * (Foundation.log10(high) - Foundation.log10(low)))
        case .categorical: return low + fraction * (high - low) - 0.5
        }
    }

    /// Tick values and their labels: round numbers on a linear scale, powers of ten (or 1-2-5 steps within a
    /// decade) on a log scale, every choice on a categorical scale.
    public func ticks(count: Int = 5) -> [(value: Double, label: String)] {
        switch kind {
        case .categorical(let choices):
            return choices.enumerated().map { (value: Double($0.offset), label: $0.element) }
        case .log:
            let lowExponent = Int(Foundation.log10(low).rounded(.down)), highExponent = Int(Foundation.log10(high).rounded(.up))
            var ticks: [(value: Double, label: String)] = []
            let multipliers: [Double] = highExponent - lowExponent <= 1 ? [1, 2, 5] : [1]
            let stride = max(1, (highExponent - lowExponent) / 8)
            for exponent in Swift.stride(from: lowExponent, through: highExponent, by: stride) {
                for multiplier in multipliers {
                    let value = multiplier * pow(10, Double(exponent))
                    if value >= low * 0.999999, value <= high * 1.000001 { ticks.append((value, ValueFormat.short(value))) }
                }
            }
            return ticks
        case .linear:
            let step = Self.niceStep((high - low) / Double(max(count, 2)))
            guard step > 0, step.isFinite else { return [] }
            var ticks: [(value: Double, label: String)] = []
            var value = (low / step).rounded(.up) * step
            while value <= high + step * 1e-9, ticks.count < 50 {
                let clean = abs(value) < step * 1e-9 ? 0 : value
                ticks.append((clean, ValueFormat.short(clean)))
                value += step
            }
            return ticks
        }
    }

    /// 1, 2 or 5 times a power of ten, near `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 0 }
        let exponent = Foundation.log10(rough).rounded(.down)
        let base = pow(10, exponent)
        let fraction = rough / base
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * base
    }
}
