import Foundation

/// The settings of a Parzen estimator that `TPESampler` exposes (Optuna's `_ParzenEstimatorParameters`).
struct ParzenEstimatorSettings: Sendable {
    var priorWeight: Double = 1.0
    var considerMagicClip: Bool = true
    var considerEndpoints: Bool = false
}

/// Per-trial memo of a kernel's bandwidth-dependent constants, so that a kernel whose sigma did not
/// change since the last call costs no logarithm and no erf. Indexed by trial number.
final class KernelConstantCache {
    var sigma: [Double] = []
    var logSigma: [Double] = []
    var constant: [Double] = []

    func reserve(_ count: Int) {
        guard sigma.count < count else { return }
        let grow = max(count, sigma.count * 2) - sigma.count
        sigma.append(contentsOf: repeatElement(.nan, count: grow))
        logSigma.append(contentsOf: repeatElement(0, count: grow))
        constant.append(contentsOf: repeatElement(0, count: grow))
    }
}

/// A mixture of product kernels over several parameters (Optuna's `_ParzenEstimator` and
/// `_MixtureOfProductDistribution`): one kernel per observation plus a prior kernel, all dimensions
/// of kernel k sharing the mixture weight w_k.
///
/// Storage is a structure of arrays, dimension-major (`mus[d * kernelCount + k]`), so the loops over
/// kernels in `logDensity` run over contiguous memory.
struct ParzenEstimator {
    let dimensions: [ParzenDimension]
    /// Observations + 1 prior kernel (just the prior when there are no observations).
    let kernelCount: Int
    let observationCount: Int
    /// Normalised mixture weights.
    private(set) var weights: [Double]
    /// Kernel means in Parzen space; for a categorical dimension the observed choice (-1 for the prior).
    private(set) var mus: [Double]
    private(set) var sigmas: [Double]
    private(set) var inverseSigmas: [Double]
    private(set) var logSigmas: [Double]
    /// For categorical dimensions: log probability of the kernel's own choice and of any other choice.
    private var logHit: [Double]
    private var logMiss: [Double]
    /// Per kernel: log w_k plus every dimension's constant (-log sigma - log sqrt(2 pi) - log Z for
    /// continuous dimensions, -log Z for discrete ones), Z being the mass inside the bounds.
    private(set) var kernelConstants: [Double]
    private let settings: ParzenEstimatorSettings
    private let hasDiscrete: Bool

    /// An estimator over `dimensions` for `observationCount` observations with unnormalised
    /// `observationWeights` (the prior's weight is appended). Fill every dimension with
    /// `setObservations`, then call `finish()`.
    init(dimensions: [ParzenDimension], observationCount: Int, observationWeights: UnsafeBufferPointer<Double>,
         settings: ParzenEstimatorSettings) {
        precondition(observationWeights.count >= observationCount)
        self.dimensions = dimensions
        self.observationCount = observationCount
        self.settings = settings
        let k = observationCount + 1
        kernelCount = k
        var weights = [Double](repeating: 1, count: k)
        if observationCount > 0 {
            for i in 0..<observationCount { weights[i] = observationWeights[i] }
            weights[observationCount] = settings.priorWeight
            var total = 0.0
            for w in weights { total += w }
            for i in 0..<k { weights[i] /= total }
        }
        self.weights = weights
        let size = dimensions.count * k
        mus = [Double](repeating: 0, count: size)
        sigmas = [Double](repeating: 1, count: size)
        inverseSigmas = [Double](repeating: 1, count: size)
        logSigmas = [Double](repeating: 0, count: size)
        logHit = [Double](repeating: 0, count: size)
        logMiss = [Double](repeating: 0, count: size)
        kernelConstants = weights.map { Foundation.log($0) }
        hasDiscrete = dimensions.contains { $0.kind == .discrete }
    }

    /// Sets dimension `d` from the observations in kernel order (`values[k]`, Parzen space: choice
    /// index for categorical, log'd for log parameters) and `sorted`, the kernel indices ordered by value.
    /// `cache` and `numbers` (the trial number of each kernel) let kernels skip recomputing constants.
    mutating func setObservations(dimension d: Int, values: UnsafeBufferPointer<Double>,
                                  sorted: UnsafeBufferPointer<Int32>,
                                  cache: KernelConstantCache? = nil, numbers: UnsafeBufferPointer<Int32>? = nil) {
        let dimension = dimensions[d]
        let n = observationCount
        let k = kernelCount
        let base = d * k
        if dimension.kind == .categorical {
            let choices = Double(dimension.choiceCount)
            let logPrior = -Foundation.log(choices)
            if n > 0 {
                // Each row starts at prior_weight / n_kernels, the observed choice gets +1, rows are normalised.
                let fill = settings.priorWeight / Double(k)
                let rowSum = choices * fill + 1
                let hit = rowSum == 0 ? -Double.infinity : Foundation.log((fill + 1) / rowSum)
                let miss = Foundation.log(fill / rowSum)
                for i in 0..<n {
                    mus[base + i] = values[i]
                    logHit[base + i] = hit
                    logMiss[base + i] = miss
                }
            }
            // The prior row is uniform (all entries equal before normalisation).
            mus[base + n] = -1
            logHit[base + n] = logPrior
            logMiss[base + n] = logPrior
            return
        }

        let low = dimension.adaptedLow, high = dimension.adaptedHigh
        // Bandwidths: the larger distance to the sorted neighbours, with low and high at the two ends
        // (the prior kernel's mu does not join the list); without endpoints the outermost kernels take
        // the distance to their only inner neighbour; then the magic clip.
        let maxSigma = high - low
        let minSigma = settings.considerMagicClip ? (high - low) / min(100.0, 1.0 + Double(n + 1)) : 1e-12
        for position in 0..<n {
            let kernel = Int(sorted[position])
            let mu = values[kernel]
            let previous = position == 0 ? low : values[Int(sorted[position - 1])]
            let next = position == n - 1 ? high : values[Int(sorted[position + 1])]
            var sigma = max(mu - previous, next - mu)
            if !settings.considerEndpoints && n >= 2 {
                if position == 0 { sigma = next - mu } else if position == n - 1 { sigma = mu - previous }
            }
            sigma = min(max(sigma, minSigma), maxSigma)
            mus[base + kernel] = mu
            sigmas[base + kernel] = sigma
        }
        mus[base + n] = 0.5 * (low + high)
        sigmas[base + n] = high - low

        let continuous = dimension.kind == .continuous
        for kernel in 0..<k {
            let mu = mus[base + kernel], sigma = sigmas[base + kernel]
            inverseSigmas[base + kernel] = 1 / sigma
            var logSigma: Double
            var constant: Double
            let number = kernel < n ? Int(numbers?[kernel] ?? -1) : -1
            if let cache, number >= 0, cache.sigma[number] == sigma {
                logSigma = cache.logSigma[number]
                constant = cache.constant[number]
            } else {
                logSigma = Foundation.log(sigma)
                let logMass = TruncatedNormal.logGaussMass((low - mu) / sigma, (high - mu) / sigma)
                constant = continuous ? -logSigma - TruncatedNormal.logSqrtTwoPi - logMass : -logMass
                if let cache, number >= 0 {
                    cache.sigma[number] = sigma
                    cache.logSigma[number] = logSigma
                    cache.constant[number] = constant
                }
            }
            logSigmas[base + kernel] = logSigma
            kernelConstants[kernel] += constant
        }
    }

    // MARK: Sampling

    /// `count` draws from the mixture, in internal representation, laid out `out[c * dimensions + d]`.
    func sample(count: Int, using random: RandomSource) -> [Double] {
        let dimensionCount = dimensions.count
        var out = [Double](repeating: 0, count: count * dimensionCount)
        weights.withUnsafeBufferPointer { weights in
            for c in 0..<count {
                let kernel = random.index(weightedBy: weights)
                for d in 0..<dimensionCount {
                    out[c * dimensionCount + d] = sampleDimension(d, kernel: kernel, quantile: random.uniform())
                }
            }
        }
        return out
    }

    private func sampleDimension(_ d: Int, kernel: Int, quantile: Double) -> Double {
        let dimension = dimensions[d]
        let index = d * kernelCount + kernel
        if dimension.kind == .categorical {
            // Count the choices whose cumulative probability is below the quantile (the last is 1).
            let hit = Foundation.exp(logHit[index]), miss = Foundation.exp(logMiss[index])
            let own = mus[index]
            var cumulative = 0.0
            for choice in 0..<(dimension.choiceCount - 1) {
                cumulative += Double(choice) == own ? hit : miss
                if !(cumulative < quantile) { return Double(choice) }
            }
            return Double(dimension.choiceCount - 1)
        }
        let mu = mus[index], sigma = sigmas[index]
        let a = (dimension.adaptedLow - mu) / sigma, b = (dimension.adaptedHigh - mu) / sigma
        let x = TruncatedNormal.ppf(quantile, a, b) * sigma + mu
        return dimension.untransform(x)
    }

    // MARK: Density

    /// Per-candidate scratch, reused across calls to `logDensity`.
    struct Workspace {
        var terms: [Double] = []
        var left: [Double] = []
        var right: [Double] = []
        var logWidth: [Double] = []
        var point: [Double] = []
    }

    /// log of the mixture density at each candidate (`candidates[c * dimensions + d]`, internal
    /// representation), written to `out[c]`.
    ///
    /// Continuous and categorical dimensions are summed exactly over all kernels in vectorisable
    /// loops. A discrete dimension needs log(Phi(r) - Phi(l)) per kernel, two erfcs; instead the loop
    /// adds an upper bound, log((r - l)/sigma * phi(distance from mu to [l, r] in sigmas)), capped at 0
    /// (a mass is at most 1, and the density on [l, r] is at most its value at the point nearest mu).
    /// Every term stays an upper bound of the kernel's exact log term. The exact mass is then computed
    /// only for kernels whose bound comes within 50 nats of an exact term already known (the best
    /// bound's kernel first): a skipped kernel contributes less than e^-50 of the largest term, so all
    /// skipped kernels together change the sum by less than kernelCount * 2e-22 relative, below double
    /// precision for any realistic kernel count. The log-sum-exp skips the exp of such terms likewise.
    func logDensity(candidates: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>,
                    workspace: inout Workspace) {
        let k = kernelCount
        let dimensionCount = dimensions.count
        if workspace.terms.count < k { workspace.terms = [Double](repeating: 0, count: k) }
        if workspace.point.count < dimensionCount {
            workspace.point = [Double](repeating: 0, count: dimensionCount)
            workspace.left = workspace.point
            workspace.right = workspace.point
            workspace.logWidth = workspace.point
        }
        let skip = 50.0
        mus.withUnsafeBufferPointer { mus in
        inverseSigmas.withUnsafeBufferPointer { inverseSigmas in
        logSigmas.withUnsafeBufferPointer { logSigmas in
        logHit.withUnsafeBufferPointer { logHit in
        logMiss.withUnsafeBufferPointer { logMiss in
        kernelConstants.withUnsafeBufferPointer { constants in
        workspace.terms.withUnsafeMutableBufferPointer { terms in
        workspace.point.withUnsafeMutableBufferPointer { point in
        workspace.left.withUnsafeMutableBufferPointer { left in
        workspace.right.withUnsafeMutableBufferPointer { right in
        workspace.logWidth.withUnsafeMutableBufferPointer { logWidth in
            for c in 0..<count {
                for d in 0..<dimensionCount {
                    let dimension = dimensions[d]
                    let x = candidates[c * dimensionCount + d]
                    switch dimension.kind {
                    case .continuous, .categorical:
                        point[d] = dimension.transform(x)
                    case .discrete:
                        left[d] = dimension.transform(x - dimension.step / 2)
                        right[d] = dimension.transform(x + dimension.step / 2)
                        logWidth[d] = Foundation.log(right[d] - left[d])
                    }
                }
                for i in 0..<k { terms[i] = constants[i] }
                for d in 0..<dimensionCount {
                    let base = d * k
                    switch dimensions[d].kind {
                    case .continuous:
                        let x = point[d]
                        for i in 0..<k {
                            let z = (x - mus[base + i]) * inverseSigmas[base + i]
                            terms[i] -= 0.5 * z * z
                        }
                    case .categorical:
                        let x = point[d]
                        for i in 0..<k {
                            terms[i] += mus[base + i] == x ? logHit[base + i] : logMiss[base + i]
                        }
                    case .discrete:
                        let l = left[d], r = right[d], width = logWidth[d] - TruncatedNormal.logSqrtTwoPi
                        for i in 0..<k {
                            let mu = mus[base + i], inverse = inverseSigmas[base + i]
                            let distance = max(0, max((l - mu) * inverse, (mu - r) * inverse))
                            terms[i] += min(0, width - logSigmas[base + i] - 0.5 * distance * distance)
                        }
                    }
                }
                if hasDiscrete {
                    var best = 0
                    for i in 1..<k where terms[i] > terms[best] { best = i }
                    var floor = exactTerm(best, bound: terms[best], left: left, right: right, logWidth: logWidth,
                                          mus: mus, inverseSigmas: inverseSigmas, logSigmas: logSigmas) - skip
                    for i in 0..<k {
                        if terms[i] < floor {
                            terms[i] = -.infinity
                            continue
                        }
                        terms[i] = exactTerm(i, bound: terms[i], left: left, right: right, logWidth: logWidth,
                                             mus: mus, inverseSigmas: inverseSigmas, logSigmas: logSigmas)
                        floor = max(floor, terms[i] - skip)
                    }
                }
                var maximum = -Double.infinity
                for i in 0..<k { maximum = max(maximum, terms[i]) }
                if maximum == -.infinity {
                    out[c] = -.infinity
                    continue
                }
                let cut = maximum - skip
                var sum = 0.0
                for i in 0..<k where terms[i] >= cut { sum += Foundation.exp(terms[i] - maximum) }
                out[c] = maximum + Foundation.log(sum)
            }
        }}}}}}}}}}}
    }

    /// The exact log term of kernel i: its bound with each discrete dimension's bound replaced by the
    /// exact log mass of [l, r].
    @inline(__always)
    private func exactTerm(_ i: Int, bound: Double, left: UnsafeMutableBufferPointer<Double>,
                           right: UnsafeMutableBufferPointer<Double>, logWidth: UnsafeMutableBufferPointer<Double>,
                           mus: UnsafeBufferPointer<Double>,
                           inverseSigmas: UnsafeBufferPointer<Double>, logSigmas: UnsafeBufferPointer<Double>) -> Double {
        var term = bound
        let k = kernelCount
        for d in 0..<dimensions.count where dimensions[d].kind == .discrete {
            let index = d * k + i
            let l = left[d], r = right[d]
            let mu = mus[index], inverse = inverseSigmas[index]
            let distance = max(0, max((l - mu) * inverse, (mu - r) * inverse))
            let width = logWidth[d] - TruncatedNormal.logSqrtTwoPi
            term -= min(0, width - logSigmas[index] - 0.5 * distance * distance)
            term += TruncatedNormal.logGaussMass((l - mu) * inverse, (r - mu) * inverse)
        }
        return term
    }
}
