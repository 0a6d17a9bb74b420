import Synchronization

/// Samples every parameter independently and uniformly (Optuna's `RandomSampler`): uniform in log space
/// for log parameters, over `[low - step/2, high + step/2]` then rounded for stepped and int parameters,
/// and a uniform choice for categorical ones. It draws as Optuna does, so with the same seed it suggests
/// the same values as Optuna's `RandomSampler(seed=seed)`.
public final class RandomSampler: Sampler {
    private let random: Mutex<RandomSource>

    /// A sampler seeded with `seed` (nil: from the system's entropy).
    public init(seed: UInt64? = nil) {
        random = Mutex(RandomSource(seed: seed))
    }

    public func sampleIndependent(study: Study, trial: FrozenTrial, name: String, distribution: ParameterDistribution) throws -> Double {
        random.withLock { UniformSampling.sample(distribution, using: $0) }
    }

    /// Restarts the random sequence from `seed`.
    public func reseed(_ seed: UInt64?) { random.withLock { $0.reseed(seed) } }
}

/// Uniform sampling in the transformed space, shared by the samplers that fall back to random search.
public enum UniformSampling {
    /// One value of `distribution`, in internal representation.
    public static func sample(_ distribution: ParameterDistribution, using random: RandomSource) -> Double {
        if let single = distribution.singleInternalValue { return single }
        switch distribution {
        case .float(let d):
            if d.log {
                let value = _exp(random.uniform(_log(d.low), _log(d.high)))
                return min(max(value, d.low), d.high.nextDown)
            }
            if let step = d.step {
                let raw = random.uniform(d.low - step / 2, d.high + step / 2)
                return roundToStep(raw, low: d.low, high: d.high, step: step)
            }
            return min(random.uniform(d.low, d.high), d.high.nextDown)
        case .int(let d):
            if d.log {
                let raw = random.uniform(_log(Double(d.low) - 0.5), _log(Double(d.high) + 0.5))
                return Double(min(max(Int(_exp(raw).rounded(.toNearestOrEven)), d.low), d.high))
            }
            let raw = random.uniform(Double(d.low) - Double(d.step) / 2, Double(d.high) + Double(d.step) / 2)
            let index = ((raw - Double(d.low)) / Double(d.step) + 0.5).rounded(.down)
            return min(max(index * Double(d.step) + Double(d.low), Double(d.low)), Double(d.high))
        case .categorical(let d):
            // Optuna one-hot encodes the choices, draws each column in [0, 1) and takes the first maximum.
            var best = 0
            var bestDraw = -1.0
            for choice in 0..<d.choices.count {
                let draw = random.uniform()
                if draw > bestDraw {
                    best = choice
                    bestDraw = draw
                }
            }
            return Double(best)
        }
    }

    /// `value` rounded to the grid `low + k*step` and clipped to [low, high].
    @inline(__always)
    public static func roundToStep(_ value: Double, low: Double, high: Double, step: Double) -> Double {
        let rounded = ((value - low) / step).rounded(.toNearestOrEven) * step + low
        return min(max(rounded, low), high)
    }
}

@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }

import Foundation
