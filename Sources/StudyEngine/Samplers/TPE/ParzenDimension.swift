import Foundation

/// One parameter as the Parzen estimator models it (Optuna's `_Batched*Distributions`): continuous
/// (a truncated normal per kernel), discrete (a truncated normal discretised to the mass of
/// `[x - step/2, x + step/2]`), or categorical (a table of choice probabilities per kernel).
///
/// Kernels live in the *Parzen space*: the internal value, or its logarithm for log parameters.
/// Bounds are widened by half a step for discrete parameters (every int has a step), then log'd.
struct ParzenDimension: Sendable, Equatable {
    enum Kind: Sendable { case continuous, discrete, categorical }

    let kind: Kind
    let isLog: Bool
    /// The distribution's bounds in internal representation (choice count - 1 for categorical).
    let low: Double
    let high: Double
    /// The grid step (0 for continuous and categorical parameters).
    let step: Double
    /// The bounds of the truncation in Parzen space.
    let adaptedLow: Double
    let adaptedHigh: Double
    let choiceCount: Int

    init(_ distribution: ParameterDistribution) {
        switch distribution {
        case .float(let d):
            low = d.low
            high = d.high
            isLog = d.log
            step = d.step ?? 0
            kind = d.step == nil ? .continuous : .discrete
            choiceCount = 0
        case .int(let d):
            low = Double(d.low)
            high = Double(d.high)
            isLog = d.log
            step = Double(d.step)
            kind = .discrete
            choiceCount = 0
        case .categorical(let d):
            low = 0
            high = Double(d.choices.count - 1)
            isLog = false
            step = 0
            kind = .categorical
            choiceCount = d.choices.count
        }
        if kind == .categorical {
            adaptedLow = low
            adaptedHigh = high
        } else {
            let widenedLow = low - step / 2, widenedHigh = high + step / 2
            adaptedLow = isLog ? Foundation.log(widenedLow) : widenedLow
            adaptedHigh = isLog ? Foundation.log(widenedHigh) : widenedHigh
        }
    }

    /// An internal value in Parzen space (its logarithm for log parameters).
    @inline(__always)
    func transform(_ internalValue: Double) -> Double {
        isLog ? Foundation.log(internalValue) : internalValue
    }

    /// A Parzen-space draw back in internal representation: exp'd for log parameters, rounded to the
    /// grid `low + k*step` (half to even, as NumPy rounds) for discrete ones, and kept in [low, high].
    @inline(__always)
    func untransform(_ value: Double) -> Double {
        let x = isLog ? Foundation.exp(value) : value
        if kind == .discrete {
            let rounded = ((x - low) / step).rounded(.toNearestOrEven) * step + low
            return min(max(rounded, low), high)
        }
        return min(max(x, low), high)
    }
}
