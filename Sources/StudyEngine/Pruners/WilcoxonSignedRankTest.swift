import Foundation

/// The one-sample Wilcoxon signed-rank test as SciPy 1.17's `scipy.stats.wilcoxon(d, alternative=...,
/// zero_method="zsplit")` computes it with its defaults (`method="auto"`, no continuity correction), the
/// mode Optuna's `WilcoxonPruner` uses.
///
/// The statistic is the sum of the (average) ranks of `|d|` over positive differences, plus half the ranks
/// of zero differences. The p-value comes from the exact null distribution when there are at most 50
/// differences with neither ties nor zeros; from all `2^n` sign flips when there are ties or zeros and
/// at most 13 differences; and otherwise from the normal approximation with the tie correction.
enum WilcoxonSignedRankTest {
    enum Alternative {
        /// The differences tend to be positive.
        case greater
        /// The differences tend to be negative.
        case less
    }

    /// The p-value of the differences `d` (finite numbers) against the alternative; NaN for no differences.
    static func pValue(_ d: [Double], alternative: Alternative) -> Double {
        let n = d.count
        guard n > 0 else { return .nan }
        let (ranks, tieGroupSizes) = averageRanks(of: d.map(\.magnitude))
        let hasTies = tieGroupSizes.contains { $0 > 1 }
        let hasZeros = d.contains(0)
        let observed = plusRankSum(d, ranks: ranks)

        if n <= 50, !hasTies, !hasZeros {
            return exactPValue(statistic: observed, n: n, alternative: alternative)
        }
        if n > 13 {
            return asymptoticPValue(statistic: observed, n: n, tieGroupSizes: tieGroupSizes, alternative: alternative)
        }
        return permutationPValue(d, ranks: ranks, observed: observed, alternative: alternative)
    }

    /// Ranks 1...n of `values` with ties given their average rank (scipy's `rankdata(method="average")`),
    /// and the sizes of the groups of equal values.
    static func averageRanks(of values: [Double]) -> (ranks: [Double], tieGroupSizes: [Int]) {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var ranks = [Double](repeating: 0, count: values.count)
        var groups: [Int] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, values[order[end]] == values[order[start]] { end += 1 }
            let average = Double(start + 1 + end) / 2  // mean of ranks start+1 ... end
            for position in start..<end { ranks[order[position]] = average }
            groups.append(end - start)
            start = end
        }
        return (ranks, groups)
    }

    /// r+ with zeros split: the ranks of positive differences plus half the ranks of zero differences.
    private static func plusRankSum(_ d: [Double], ranks: [Double]) -> Double {
        var positive = 0.0, zero = 0.0
        for index in d.indices {
            if d[index] > 0 { positive += ranks[index] } else if d[index] == 0 { zero += ranks[index] }
        }
        return positive + zero / 2
    }

    /// From the exact distribution of r+ for n differences without ties or zeros (scipy's
    /// `WilcoxonDistribution`: probabilities of r+ = 0 ... n(n+1)/2, summed from the nearer tail).
    private static func exactPValue(statistic: Double, n: Int, alternative: Alternative) -> Double {
        var pmf = [1.0]
        for k in 1...n {
            var next = [Double](repeating: 0, count: k * (k + 1) / 2 + 1)
            let m = pmf.count
            for index in 0..<m { next[index] = pmf[index] * 0.5 }
            for index in 0..<m { next[next.count - m + index] += pmf[index] * 0.5 }
            pmf = next
        }
        let mean = Double(n * (n + 1)) / 4
        func sum(_ range: Range<Int>) -> Double {
            let clamped = range.clamped(to: 0..<pmf.count)
            return pmf[clamped].reduce(0, +)
        }
        func cdf(_ k: Int) -> Double { Double(k) <= mean ? sum(0..<(k + 1)) : 1 - sum((k + 1)..<pmf.count) }
        func sf(_ k: Int) -> Double { Double(k) <= mean ? sum(k..<pmf.count) : 1 - sum(0..<k) }
        switch alternative {
        case .less: return cdf(Int(statistic.rounded(.up)))
        case .greater: return sf(Int(statistic.rounded(.down)))
        }
    }

    /// The normal approximation of r+ with the tie correction, without continuity correction.
    private static func asymptoticPValue(statistic: Double, n: Int, tieGroupSizes: [Int],
                                         alternative: Alternative) -> Double {
        let count = Double(n)
        let mean = count * (count + 1) * 0.25
        var tieCorrection = 0.0
        for size in tieGroupSizes where size > 1 {
            let t = Double(size)
            tieCorrection += t * t * t - t
        }
        let variance = count * (count + 1) * (2 * count + 1)
        let standardError = ((variance - tieCorrection / 2) / 24).squareRoot()
        let z = (statistic - mean) / standardError
        switch alternative {
        case .greater: return normalCDF(-z)
        case .less: return normalCDF(z)
        }
    }

    /// The share of all 2^n sign flips of `d` whose r+ is at least (greater) or at most (less) the observed
    /// one, with scipy's relative tolerance of 100 machine epsilons.
    private static func permutationPValue(_ d: [Double], ranks: [Double], observed: Double,
                                          alternative: Alternative) -> Double {
        // Flipping a sign leaves the ranks alone; zeros always add half their rank.
        var zeroHalf = 0.0
        var nonzeroRanks: [Double] = []
        for index in d.indices {
            if d[index] == 0 { zeroHalf += ranks[index] / 2 } else { nonzeroRanks.append(ranks[index]) }
        }
        let tolerance = abs(Double.ulpOfOne * 100 * observed)
        let flips = 1 << d.count
        let nonzeroCount = nonzeroRanks.count
        var hits = 0
        for mask in 0..<flips {
            // Bits of the nonzero differences that are positive under this flip; the zero differences'
            // bits only repeat each sum 2^zeros times.
            let positives = mask & ((1 << nonzeroCount) - 1)
            var statistic = 0.0
            var bits = positives
            while bits != 0 {
                let bit = bits.trailingZeroBitCount
                statistic += nonzeroRanks[bit]
                bits &= bits - 1
            }
            statistic += zeroHalf
            switch alternative {
            case .greater: if statistic >= observed - tolerance { hits += 1 }
            case .less: if statistic <= observed + tolerance { hits += 1 }
            }
        }
        return Double(hits) / Double(flips)
    }

    /// The standard normal CDF as scipy's `ndtr` (Cephes) computes it from erf and erfc.
    static func normalCDF(_ a: Double) -> Double {
        let x = a * 0.5.squareRoot()
        let z = abs(x)
        if z < 0.5.squareRoot() { return 0.5 + 0.5 * erf(x) }
        let y = 0.5 * erfc(z)
        return x > 0 ? 1 - y : y
    }
}
