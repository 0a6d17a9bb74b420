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
        let endpoints = settings.considerEndpoints
        let continuous = dimension.kind == .continuous
        mus.withUnsafeMutableBufferPointer { mus in
        sigmas.withUnsafeMutableBufferPointer { sigmas in
        inverseSigmas.withUnsafeMutableBufferPointer { inverseSigmas in
        logSigmas.withUnsafeMutableBufferPointer { logSigmas in
        kernelConstants.withUnsafeMutableBufferPointer { kernelConstants in
            for position in 0..<n {
                let kernel = Int(sorted[position])
                let mu = values[kernel]
                let previous = position == 0 ? low : values[Int(sorted[position - 1])]
                let next = position == n - 1 ? high : values[Int(sorted[position + 1])]
                var sigma = max(mu - previous, next - mu)
                if !endpoints && n >= 2 {
                    if position == 0 { sigma = next - mu } else if position == n - 1 { sigma = mu - previous }
                }
                sigma = min(max(sigma, minSigma), maxSigma)
                mus[base + kernel] = mu
                sigmas[base + kernel] = sigma
            }
            mus[base + n] = 0.5 * (low + high)
            sigmas[base + n] = high - low

            func compute(_ kernel: Int) -> (logSigma: Double, constant: Double) {
                let mu = mus[base + kernel], sigma = sigmas[base + kernel]
                let logSigma = Foundation.log(sigma)
                let logMass = TruncatedNormal.logGaussMass((low - mu) / sigma, (high - mu) / sigma)
                return (logSigma, continuous ? -logSigma - TruncatedNormal.logSqrtTwoPi - logMass : -logMass)
            }
            if let cache, let numbers {
                cache.sigma.withUnsafeMutableBufferPointer { cachedSigma in
                cache.logSigma.withUnsafeMutableBufferPointer { cachedLogSigma in
                cache.constant.withUnsafeMutableBufferPointer { cachedConstant in
                    for kernel in 0..<n {
                        let number = Int(numbers[kernel])
                        let sigma = sigmas[base + kernel]
                        inverseSigmas[base + kernel] = 1 / sigma
                        if number >= 0 && cachedSigma[number] == sigma {
                            logSigmas[base + kernel] = cachedLogSigma[number]
                            kernelConstants[kernel] += cachedConstant[number]
                            continue
                        }
                        let (logSigma, constant) = compute(kernel)
                        logSigmas[base + kernel] = logSigma
                        kernelConstants[kernel] += constant
                        if number >= 0 {
                            cachedSigma[number] = sigma
                            cachedLogSigma[number] = logSigma
                            cachedConstant[number] = constant
                        }
                    }
                }}}
            } else {
                for kernel in 0..<n {
                    inverseSigmas[base + kernel] = 1 / sigmas[base + kernel]
                    let (logSigma, constant) = compute(kernel)
                    logSigmas[base + kernel] = logSigma
                    kernelConstants[kernel] += constant
                }
            }
            inverseSigmas[base + n] = 1 / sigmas[base + n]
            let (logSigma, constant) = compute(n)
            logSigmas[base + n] = logSigma
            kernelConstants[n] += constant
        }}}}}
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

    /// Scratch reused across calls to `logDensity`.
    struct Workspace {
        var terms: [SIMD8<Double>] = []
        var point: [SIMD8<Double>] = []
        var left: [SIMD8<Double>] = []
        var right: [SIMD8<Double>] = []
        var logWidth: [SIMD8<Double>] = []
    }

    /// log of the mixture density at each candidate (`candidates[c * dimensions + d]`, internal
    /// representation), written to `out[c]`.
    ///
    /// Candidates go eight at a time (SIMD lanes) through one pass over the kernels, each kernel's
    /// parameters loaded once; continuous and categorical dimensions are summed exactly. A discrete
    /// dimension needs log(Phi(r) - Phi(l)) per kernel, two erfcs; instead the pass adds an upper bound,
    /// log((r - l)/sigma * phi(distance from mu to [l, r] in sigmas)), capped at 0 (a mass is at most 1,
    /// and the density on [l, r] is at most its value at the point nearest mu). Every term is then an
    /// upper bound of the kernel's exact log term. The exact mass is computed only for kernels whose
    /// bound comes within 50 nats of an exact term already known (the best bound's kernel first): a
    /// skipped kernel contributes less than e^-50 of the largest term, so all skipped kernels together
    /// change the density by less than kernelCount * 2e-22 relative, below double precision for any
    /// realistic kernel count. The log-sum-exp skips such terms likewise.
    func logDensity(candidates: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>,
                    workspace: inout Workspace) {
        let k = kernelCount
        let dimensionCount = dimensions.count
        let blocks = (count + 7) / 8
        if workspace.terms.count < blocks * k { workspace.terms = [SIMD8<Double>](repeating: .zero, count: blocks * k) }
        if workspace.point.count < blocks * dimensionCount {
            workspace.point = [SIMD8<Double>](repeating: .zero, count: blocks * dimensionCount)
            workspace.left = workspace.point
            workspace.right = workspace.point
            workspace.logWidth = workspace.point
        }
        // Candidates in Parzen space, one SIMD vector per (block, dimension); padding lanes repeat the last candidate.
        for b in 0..<blocks {
            for d in 0..<dimensionCount {
                let dimension = dimensions[d]
                var point = SIMD8<Double>.zero, left = SIMD8<Double>.zero, right = SIMD8<Double>.zero
                var logWidth = SIMD8<Double>.zero
                for lane in 0..<8 {
                    let c = min(b * 8 + lane, count - 1)
                    let x = candidates[c * dimensionCount + d]
                    switch dimension.kind {
                    case .continuous, .categorical:
                        point[lane] = dimension.transform(x)
                    case .discrete:
                        left[lane] = dimension.transform(x - dimension.step / 2)
                        right[lane] = dimension.transform(x + dimension.step / 2)
                        logWidth[lane] = Foundation.log(right[lane] - left[lane]) - TruncatedNormal.logSqrtTwoPi
                    }
                }
                workspace.point[b * dimensionCount + d] = point
                workspace.left[b * dimensionCount + d] = left
                workspace.right[b * dimensionCount + d] = right
                workspace.logWidth[b * dimensionCount + d] = logWidth
            }
        }
        let kinds = dimensions.map { $0.kind }
        let skip = 50.0
        mus.withUnsafeBufferPointer { mus in
        inverseSigmas.withUnsafeBufferPointer { inverseSigmas in
        logSigmas.withUnsafeBufferPointer { logSigmas in
        logHit.withUnsafeBufferPointer { logHit in
        logMiss.withUnsafeBufferPointer { logMiss in
        kernelConstants.withUnsafeBufferPointer { constants in
        kinds.withUnsafeBufferPointer { kinds in
        workspace.terms.withUnsafeMutableBufferPointer { terms in
        workspace.point.withUnsafeBufferPointer { points in
        workspace.left.withUnsafeBufferPointer { lefts in
        workspace.right.withUnsafeBufferPointer { rights in
        workspace.logWidth.withUnsafeBufferPointer { logWidths in
            for b in 0..<blocks {
                let row = b * dimensionCount
                var bestValue = SIMD8<Double>(repeating: -.infinity)
                var bestKernel = SIMD8<Double>(repeating: 0)
                for i in 0..<k {
                    var acc = SIMD8<Double>(repeating: constants[i])
                    for d in 0..<dimensionCount {
                        let index = d * k + i
                        switch kinds[d] {
                        case .continuous:
                            let z = (points[row + d] - mus[index]) * inverseSigmas[index]
                            acc -= 0.5 * z * z
                        case .categorical:
                            let hit = SIMD8<Double>(repeating: logHit[index])
                            acc += SIMD8<Double>(repeating: logMiss[index]).replacing(with: hit, where: points[row + d] .== mus[index])
                        case .discrete:
                            let mu = mus[index], inverse = inverseSigmas[index]
                            let below = (lefts[row + d] - mu) * inverse
                            let above = (mu - rights[row + d]) * inverse
                            var distance = below.replacing(with: above, where: above .> below)
                            distance.replace(with: 0, where: distance .< 0)
                            var bound = logWidths[row + d] - logSigmas[index] - 0.5 * distance * distance
                            bound.replace(with: 0, where: bound .> 0)
                            acc += bound
                        }
                    }
                    terms[b * k + i] = acc
                    let better = acc .> bestValue
                    bestValue.replace(with: acc, where: better)
                    bestKernel.replace(with: SIMD8<Double>(repeating: Double(i)), where: better)
                }
                for lane in 0..<8 {
                    let c = b * 8 + lane
                    if c >= count { break }
                    if !hasDiscrete {
                        let maximum = bestValue[lane]
                        if maximum == -.infinity {
                            out[c] = -.infinity
                            continue
                        }
                        let cut = maximum - skip
                        var sum = 0.0
                        for i in 0..<k {
                            let term = terms[b * k + i][lane]
                            if term >= cut { sum += Foundation.exp(term - maximum) }
                        }
                        out[c] = maximum + Foundation.log(sum)
                        continue
                    }
                    // Exact terms for the kernels that can matter, summed by an online log-sum-exp.
                    let best = Int(bestKernel[lane])
                    var maximum = exactTerm(best, bound: terms[b * k + best][lane], lane: lane, row: row, lefts: lefts,
                                            rights: rights, logWidths: logWidths, mus: mus, inverseSigmas: inverseSigmas,
                                            logSigmas: logSigmas)
                    if maximum == -.infinity {
                        out[c] = -.infinity
                        continue
                    }
                    var sum = 1.0
                    for i in 0..<k where i != best {
                        let bound = terms[b * k + i][lane]
                        if bound < maximum - skip { continue }
                        let term = exactTerm(i, bound: bound, lane: lane, row: row, lefts: lefts, rights: rights,
                                             logWidths: logWidths, mus: mus, inverseSigmas: inverseSigmas, logSigmas: logSigmas)
                        if term > maximum {
                            sum = sum * Foundation.exp(maximum - term) + 1
                            maximum = term
                        } else if term >= maximum - skip {
                            sum += Foundation.exp(term - maximum)
                        }
                    }
                    out[c] = maximum + Foundation.log(sum)
                }
            }
        }}}}}}}}}}}}
    }

    /// The exact log term of kernel i for one candidate (a lane of a block): its bound with each
    /// discrete dimension's bound replaced by the exact log mass of [l, r].
    @inline(__always)
    private func exactTerm(_ i: Int, bound: Double, lane: Int, row: Int, lefts: UnsafeBufferPointer<SIMD8<Double>>,
                           rights: UnsafeBufferPointer<SIMD8<Double>>, logWidths: UnsafeBufferPointer<SIMD8<Double>>,
                           mus: UnsafeBufferPointer<Double>, inverseSigmas: UnsafeBufferPointer<Double>,
                           logSigmas: UnsafeBufferPointer<Double>) -> Double {
        var term = bound
        let k = kernelCount
        for d in 0..<dimensions.count where dimensions[d].kind == .discrete {
            let index = d * k + i
            let l = lefts[row + d][lane], r = rights[row + d][lane]
            let mu = mus[index], inverse = inverseSigmas[index]
            let distance = max(0, max((l - mu) * inverse, (mu - r) * inverse))
            term -= min(0, logWidths[row + d][lane] - logSigmas[index] - 0.5 * distance * distance)
            term += TruncatedNormal.logGaussMass((l - mu) * inverse, (r - mu) * inverse)
        }
        return term
    }
}
