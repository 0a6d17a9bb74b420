/// The engine's seeded generator: xoshiro256** seeded through SplitMix64. Every random choice of a run draws
/// from one of these; the same seed gives the same run on any machine and with any number of threads.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// Uniform integer in 0..<upperBound (unbiased).
    public mutating func integer(below upperBound: Int) -> Int {
        precondition(upperBound > 0)
        return Int(next(upperBound: UInt64(upperBound)))
    }

    /// `count` distinct indices of 0..<n (Floyd's algorithm), as a mask of n flags.
    public mutating func sampleMask(n: Int, count: Int) -> [Bool] {
        var mask = [Bool](repeating: false, count: n)
        guard count > 0 else { return mask }
        for j in (n - count)..<n {
            let t = integer(below: j + 1)
            if mask[t] { mask[j] = true } else { mask[t] = true }
        }
        return mask
    }
}
