import Foundation

/// The arithmetic Optuna's pruners share: the interval-step rule, NaN-ignoring extremes and numpy's
/// linear-interpolation percentile.
enum IntermediateValues {
    /// True when `step` is the first report in its pruning interval (Optuna's `_is_first_in_interval_step`):
    /// the trial's previous reported step lies before the latest pruning step `warmup + k * interval <= step`.
    /// Requires `step >= warmupSteps`.
    static func isFirstInInterval(step: Int, steps: Dictionary<Int, Double>.Keys, warmupSteps: Int, intervalSteps: Int) -> Bool {
        let nearestLowerPruningStep = (step - warmupSteps) / intervalSteps * intervalSteps + warmupSteps
        var secondLastStep = -1
        for other in steps where other > secondLastStep && other != step { secondLastStep = other }
        return secondLastStep < nearestLowerPruningStep
    }

    /// The best of `values` in `direction`, ignoring NaN (numpy's `nanmin`/`nanmax`); NaN when all are NaN.
    static func best<Values: Sequence<Double>>(of values: Values, direction: StudyDirection) -> Double {
        var best = Double.nan
        for value in values where !value.isNaN {
            if best.isNaN || direction.isBetter(value, than: best) { best = value }
        }
        return best
    }

    /// numpy's `nanpercentile(values, percent)` with the default linear method; NaN when no value is a number.
    /// Sorts `values` in place after dropping NaNs.
    static func nanPercentile(_ values: inout [Double], percent: Double) -> Double {
        values.removeAll(where: \.isNaN)
        guard !values.isEmpty else { return .nan }
        values.sort()
        let quantile = percent / 100
        let last = values.count - 1
        let virtualIndex = Double(last) * quantile
        guard virtualIndex < Double(last) else { return lerp(values[last], values[last], 0) }
        guard virtualIndex >= 0 else { return values[0] }
        let previous = virtualIndex.rounded(.down)
        let index = Int(previous)
        return lerp(values[index], values[index + 1], virtualIndex - previous)
    }

    /// numpy's `_lerp`: interpolation from the nearer end, so t = 0 and t = 1 give the ends exactly.
    @inline(__always)
    static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let difference = b - a
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
    }
}
