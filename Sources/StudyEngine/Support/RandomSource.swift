import CGSL

/// A seeded random number generator (GSL's MT19937) with the draws the samplers need.
///
/// A seed below 2^32 starts exactly the stream of NumPy's `RandomState(seed)`, which Optuna's samplers
/// draw from, and `uniform()` is NumPy's `random_sample()`: a symstudy sampler and an Optuna sampler with
/// the same seed draw the same numbers. Not thread-safe: each sampler guards its own source. The same seed
/// gives the same sequence.
public final class RandomSource: @unchecked Sendable {
    private let generator: UnsafeMutablePointer<gsl_rng>

    /// A generator seeded with `seed`, or from the system's entropy when `seed` is nil.
    public init(seed: UInt64?) {
        cgsl_disable_error_handler()
        generator = gsl_rng_alloc(cgsl_rng_mt19937())
        reseed(seed)
    }

    deinit { gsl_rng_free(generator) }

    /// Restarts the sequence from `seed` (or from fresh entropy when nil).
    public func reseed(_ seed: UInt64?) {
        let value = seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        if value <= UInt64(UInt32.max), cgsl_rng_mt19937_init_genrand(generator, UInt(value)) == 0 { return }
        // Seeds of more than 32 bits (NumPy refuses them) fold into 32 bits, never to GSL's special 0.
        let folded = (value ^ (value >> 32)) & 0xFFFF_FFFF
        gsl_rng_set(generator, UInt(folded == 0 ? 0x9E37_79B9 : folded))
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inline(__always)
    public func uniform() -> Double {
        let high = UInt64(gsl_rng_get(generator)) >> 5  // 27 bits
        let low = UInt64(gsl_rng_get(generator)) >> 6  // 26 bits
        return Double(high << 26 | low) * (1.0 / 9007199254740992.0)
    }

    /// A uniform double in [low, high).
    @inline(__always)
    public func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// A uniform integer in 0..<upperBound (upperBound > 0).
    public func integer(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "upperBound must be positive")
        if upperBound <= Int(UInt32.max) {
            return Int(gsl_rng_uniform_int(generator, UInt(upperBound)))
        }
        return Int(uniform() * Double(upperBound))
    }

    /// A standard normal draw (GSL's ziggurat method).
    public func gaussian() -> Double { gsl_ran_gaussian_ziggurat(generator, 1.0) }

    /// An index drawn with probability proportional to `weights` (non-negative, not all zero).
    public func index(weightedBy weights: UnsafeBufferPointer<Double>) -> Int {
        var total = 0.0
        for weight in weights { total += weight }
        let target = uniform() * total
        var cumulative = 0.0
        for index in weights.indices {
            cumulative += weights[index]
            if target < cumulative { return index }
        }
        return weights.count - 1
    }

    /// An index drawn with probability proportional to `weights`.
    public func index(weightedBy weights: [Double]) -> Int {
        weights.withUnsafeBufferPointer { index(weightedBy: $0) }
    }

    /// The elements of `collection` in a random order (Fisher-Yates).
    public func shuffled<Element>(_ collection: [Element]) -> [Element] {
        var result = collection
        if result.count < 2 { return result }
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(index, integer(below: index + 1))
        }
        return result
    }

    /// A 64-bit seed for a child generator, drawn from this one.
    public func nextSeed() -> UInt64 {
        UInt64(gsl_rng_get(generator)) << 32 | UInt64(gsl_rng_get(generator))
    }
}
