import Foundation

/// The numerical part of a search space as the continuous box the crossovers work in (Optuna's
/// `_SearchSpaceTransform` with its defaults, for float and int parameters): one coordinate per
/// parameter, log-scaled for log parameters, bounds widened by half a step for stepped and int ones.
struct NumericalSearchSpaceTransform {
    let distributions: [ParameterDistribution]
    let lowerBounds: [Double]
    let upperBounds: [Double]

    /// `distributions` must be float or int ones.
    init(distributions: [ParameterDistribution]) {
        self.distributions = distributions
        var lower: [Double] = [], upper: [Double] = []
        for distribution in distributions {
            switch distribution {
            case .float(let d):
                let halfStep = (d.step ?? 0) / 2
                lower.append(Self.forward(d.low, log: d.log) - halfStep)
                upper.append(Self.forward(d.high, log: d.log) + halfStep)
            case .int(let d):
                let halfStep = Double(d.step) / 2
                if d.log {
                    lower.append(Foundation.log(Double(d.low) - halfStep))
                    upper.append(Foundation.log(Double(d.high) + halfStep))
                } else {
                    lower.append(Double(d.low) - halfStep)
                    upper.append(Double(d.high) + halfStep)
                }
            case .categorical:
                preconditionFailure("categorical parameters are not transformed")
            }
        }
        lowerBounds = lower
        upperBounds = upper
    }

    private static func forward(_ value: Double, log: Bool) -> Double { log ? Foundation.log(value) : value }

    /// Internal values to transformed coordinates.
    func transform(_ values: [Double]) -> [Double] {
        zip(values, distributions).map { value, distribution in Self.forward(value, log: distribution.isLog) }
    }

    /// Transformed coordinates back to internal values: exp for log, rounded to the step, clipped as
    /// Optuna clips (a plain float is only clipped from above, so a value below `low` stays out of range).
    func untransform(_ coordinates: [Double]) -> [Double] {
        zip(coordinates, distributions).map { coordinate, distribution in
            switch distribution {
            case .float(let d):
                if d.log { return min(max(exp(coordinate), d.low), d.high.nextDown) }
                if let step = d.step {
                    return min(max(((coordinate - d.low) / step).rounded(.toNearestOrEven) * step + d.low, d.low), d.high)
                }
                return min(coordinate, d.high.nextDown)
            case .int(let d):
                if d.log {
                    let value = exp(coordinate).rounded(.toNearestOrEven)
                    return min(max(value.isFinite ? value : Double(d.high), Double(d.low)), Double(d.high))
                }
                let index = ((coordinate - Double(d.low)) / Double(d.step) + 0.5).rounded(.down)
                return min(max(index * Double(d.step) + Double(d.low), Double(d.low)), Double(d.high))
            case .categorical:
                preconditionFailure("categorical parameters are not transformed")
            }
        }
    }
}
