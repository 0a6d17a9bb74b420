import Foundation

/// The settings of a Parzen estimator that `TPESampler` exposes (Optuna's `_ParzenEstimatorParameters`).
struct ParzenEstimatorSettings: Sendable, Equatable {
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
    var logMass: [Double] = []

    func reserve(_ count: Int) {
        guard sigma.count < count else { return }
        let grow = max(count, sigma.count * 2) - sigma.count
        sigma.append(contentsOf: repeatElement(.nan, count: grow))
        logSigma.append(contentsOf: repeatElement(0, count: grow))
        constant.append(contentsOf: repeatElement(0, count: grow))
        logMass.append(contentsOf: repeatElement(0, count: grow))
    }
}

/// A mixture of product kernels over several parameters (Optuna's `_ParzenEstimator` and
/// `_MixtureOfProductDistribution`): one kernel per observation plus a prior kernel, all dimensions
/// of kernel k sharing the mixture weight w_k.
///
/// Storage is a structure of arrays, dimension-major (`mus[d * stride + k]`, the stride being the
/// kernel count rounded up to a multiple of 8), so the loops over kernels in `logDensity` run over
/// contiguous memory. The buffers only grow: `reset` refits an estimator without allocating, so a
/// sampler keeps one estimator per study and refills it on every call.
struct ParzenEstimator {
    private(set) var dimensions: [ParzenDimension] = []
    /// Observations + 1 prior kernel (just the prior when there are no observations).
    private(set) var kernelCount = 1
    private(set) var observationCount = 0
    /// Distance between two dimensions' rows in the per-kernel arrays (kernelCount rounded up to 8);
    /// padding kernels have a constant of -infinity.
    private(set) var stride = 8
    /// Normalised mixture weights.
    private(set) var weights: [Double] = []
    /// Kernel means in Parzen space; for a categorical dimension the observed choice (-1 for the prior).
    private(set) var mus: [Double] = []
    private(set) var sigmas: [Double] = []
    private(set) var inverseSigmas: [Double] = []
    private(set) var logSigmas: [Double] = []
    /// For categorical dimensions: log probability of the kernel's own choice and of any other choice.
    private var logHit: [Double] = []
    private var logMiss: [Double] = []
    /// Per kernel: log w_k plus every dimension's constant (-log sigma - log sqrt(2 pi) - log Z for
    /// continuous dimensions, -log Z for discrete ones), Z being the mass inside the bounds.
    private(set) var kernelConstants: [Double] = []
    /// Per kernel and dimension: log Z, which sampling needs.
    private var logMasses: [Double] = []
    /// Per kernel and dimension: sqrt(1/2) / sigma, for the pruning bounds (0.5 z^2 as one square).
    private var halfInverseSigmas: [Double] = []
    /// Kernels in fixed slots only: per kernel and dimension, the dimension's share of the kernel constant.
    private var dimensionConstants: [Double] = []
    /// Slots at or above this hold no kernel (kernelCount, or with fixed slots a multiple of 8 up to `stride`).
    private(set) var slotLimit = 1
    /// Where each kernel's numbers are stored (its slot), and the kernel in each slot. Slots follow
    /// kernel order unless `reset` was given an arrangement; the prior is always last.
    private(set) var slots: [Int32] = []
    private(set) var kernelInSlot: [Int32] = []
    /// The dimension whose sorted order the slots follow, if any.
    private(set) var arrangedDimension: Int?
    /// Scratch: the kernel each candidate is drawn from.
    private var kernelChoices: [Int] = []
    private var settings = ParzenEstimatorSettings()
    private var hasDiscrete = false

    /// An empty estimator, to be filled by `reset`.
    init() {}

    /// An estimator over `dimensions` for `observationCount` observations with unnormalised
    /// `observationWeights` (the prior's weight is appended). Fill every dimension with `setObservations`.
    init(dimensions: [ParzenDimension], observationCount: Int, observationWeights: UnsafeBufferPointer<Double>,
         settings: ParzenEstimatorSettings) {
        reset(dimensions: dimensions, observationCount: observationCount, observationWeights: observationWeights,
              settings: settings)
    }

    /// Refits the estimator to new observations, reusing its buffers (see the initializer). Kernel i
    /// is stored in slot i.
    mutating func reset(dimensions: [ParzenDimension], observationCount: Int, observationWeights: UnsafeBufferPointer<Double>,
                        settings: ParzenEstimatorSettings) {
        precondition(observationWeights.count >= observationCount)
        if self.dimensions != dimensions { self.dimensions = dimensions }
        self.observationCount = observationCount
        self.settings = settings
        let k = observationCount + 1
        kernelCount = k
        stride = (k + 7) / 8 * 8
        slotLimit = k
        setWeights(observationWeights, count: observationCount)
        let size = dimensions.count * stride
        Self.grow(&mus, to: size, 0)
        Self.grow(&sigmas, to: size, 1)
        Self.grow(&inverseSigmas, to: size, 1)
        Self.grow(&logSigmas, to: size, 0)
        Self.grow(&logHit, to: size, 0)
        Self.grow(&logMiss, to: size, 0)
        Self.grow(&logMasses, to: size, 0)
        Self.grow(&halfInverseSigmas, to: size, 0)
        Self.grow(&kernelConstants, to: stride, 0)
        if slots.count < k {
            slots = [Int32](repeating: 0, count: stride)
            kernelInSlot = slots
        }
        arrangedDimension = nil
        for i in 0..<k {
            slots[i] = Int32(i)
            kernelInSlot[i] = Int32(i)
        }
        kernelConstants.withUnsafeMutableBufferPointer { constants in
            for i in 0..<k { constants[Int(slots[i])] = Foundation.log(weights[i]) }
            for i in k..<stride { constants[i] = -.infinity }
        }
        // Padding kernels: harmless parameters (their constant already excludes them).
        for d in 0..<dimensions.count {
            for i in k..<stride {
                mus[d * stride + i] = 0
                sigmas[d * stride + i] = 1
                inverseSigmas[d * stride + i] = 1
                logSigmas[d * stride + i] = 0
                logHit[d * stride + i] = 0
                logMiss[d * stride + i] = 0
            }
        }
        hasDiscrete = dimensions.contains { $0.kind == .discrete }
    }

    /// The normalised weights of `count` observations and the prior (just the prior's 1 without observations).
    private mutating func setWeights(_ observationWeights: UnsafeBufferPointer<Double>, count n: Int) {
        weights.removeAll(keepingCapacity: true)
        if n == 0 {
            weights.append(1)
            return
        }
        weights.append(contentsOf: observationWeights[0..<n])
        weights.append(settings.priorWeight)
        weights.withUnsafeMutableBufferPointer { weights in
            var total = 0.0
            for w in weights { total += w }
            for i in weights.indices { weights[i] /= total }
        }
    }

    /// Grows `array` to at least `count` elements (never shrinks, so the buffer is reused).
    @inline(__always)
    private static func grow(_ array: inout [Double], to count: Int, _ fill: Double) {
        if array.count < count {
            array.append(contentsOf: repeatElement(fill, count: max(count, array.count + array.count / 2) - array.count))
        }
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
        let base = d * stride
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
                    let slot = base + Int(slots[i])
                    mus[slot] = values[i]
                    logHit[slot] = hit
                    logMiss[slot] = miss
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
        logMasses.withUnsafeMutableBufferPointer { logMasses in
        slots.withUnsafeBufferPointer { slots in
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
                let slot = base + Int(slots[kernel])
                mus[slot] = mu
                sigmas[slot] = sigma
            }
            mus[base + n] = 0.5 * (low + high)
            sigmas[base + n] = high - low

            func compute(_ slot: Int) -> (logSigma: Double, constant: Double, logMass: Double) {
                let mu = mus[base + slot], sigma = sigmas[base + slot]
                let logSigma = Foundation.log(sigma)
                let logMass = TruncatedNormal.logGaussMass((low - mu) / sigma, (high - mu) / sigma)
                return (logSigma, continuous ? -logSigma - TruncatedNormal.logSqrtTwoPi - logMass : -logMass, logMass)
            }
            if let cache, let numbers {
                cache.sigma.withUnsafeMutableBufferPointer { cachedSigma in
                cache.logSigma.withUnsafeMutableBufferPointer { cachedLogSigma in
                cache.constant.withUnsafeMutableBufferPointer { cachedConstant in
                cache.logMass.withUnsafeMutableBufferPointer { cachedLogMass in
                    for kernel in 0..<n {
                        let number = Int(numbers[kernel])
                        let slot = Int(slots[kernel])
                        let sigma = sigmas[base + slot]
                        inverseSigmas[base + slot] = 1 / sigma
                        if number >= 0 && cachedSigma[number] == sigma {
                            logSigmas[base + slot] = cachedLogSigma[number]
                            kernelConstants[slot] += cachedConstant[number]
                            logMasses[base + slot] = cachedLogMass[number]
                            continue
                        }
                        let (logSigma, constant, logMass) = compute(slot)
                        logSigmas[base + slot] = logSigma
                        kernelConstants[slot] += constant
                        logMasses[base + slot] = logMass
                        if number >= 0 {
                            cachedSigma[number] = sigma
                            cachedLogSigma[number] = logSigma
                            cachedConstant[number] = constant
                            cachedLogMass[number] = logMass
                        }
                    }
                }}}}
            } else {
                for kernel in 0..<n {
                    let slot = Int(slots[kernel])
                    inverseSigmas[base + slot] = 1 / sigmas[base + slot]
                    let (logSigma, constant, logMass) = compute(slot)
                    logSigmas[base + slot] = logSigma
                    kernelConstants[slot] += constant
                    logMasses[base + slot] = logMass
                }
            }
            inverseSigmas[base + n] = 1 / sigmas[base + n]
            let (logSigma, constant, logMass) = compute(n)
            logSigmas[base + n] = logSigma
            kernelConstants[n] += constant
            logMasses[base + n] = logMass
            halfInverseSigmas.withUnsafeMutableBufferPointer { halfInverseSigmas in
                for slot in 0..<k { halfInverseSigmas[base + slot] = inverseSigmas[base + slot] * 0.70710678118654752440 }
            }
        }}}}}}}
    }

    // MARK: Kernels in fixed slots

    /// Lays the estimator out for kernels in fixed slots (`IncrementalParzenEstimator`'s way of building
    /// it): `capacity` slots (a multiple of 8), all free. Fill them with `setMu` and `setSigma`, then
    /// call `commitSlots`.
    mutating func layOutSlots(dimensions: [ParzenDimension], settings: ParzenEstimatorSettings, capacity: Int) {
        precondition(capacity > 0 && capacity % 8 == 0)
        if self.dimensions != dimensions { self.dimensions = dimensions }
        self.settings = settings
        hasDiscrete = dimensions.contains { $0.kind == .discrete }
        stride = capacity
        let size = dimensions.count * capacity
        mus = [Double](repeating: 0, count: size)
        sigmas = [Double](repeating: .nan, count: size)
        inverseSigmas = [Double](repeating: 1, count: size)
        halfInverseSigmas = [Double](repeating: 0.70710678118654752440, count: size)
        logSigmas = mus
        logHit = mus
        logMiss = mus
        logMasses = mus
        dimensionConstants = mus
        kernelConstants = [Double](repeating: -.infinity, count: capacity)
        slots = [Int32](repeating: 0, count: capacity)
        kernelInSlot = slots
        observationCount = 0
        kernelCount = 0
        slotLimit = 0
        arrangedDimension = nil
        weights.removeAll(keepingCapacity: true)
    }

    /// Moves the kernels to a layout of `capacity` slots: the kernel in slot s goes to `destination[s]`
    /// (slots with a negative destination are dropped), every other slot is free.
    mutating func moveSlots(_ destination: UnsafeBufferPointer<Int32>, capacity: Int) {
        precondition(capacity > 0 && capacity % 8 == 0 && destination.count <= stride)
        let oldStride = stride
        let dimensionCount = dimensions.count
        // The source of each new slot (-1: free), so that every row is one gather.
        var source = [Int](repeating: -1, count: capacity)
        for (slot, target) in destination.enumerated() where target >= 0 { source[Int(target)] = slot }
        func moved(_ array: [Double], free: Double) -> [Double] {
            var result = [Double](repeating: free, count: dimensionCount * capacity)
            result.withUnsafeMutableBufferPointer { result in
                array.withUnsafeBufferPointer { array in
                    source.withUnsafeBufferPointer { source in
                        for d in 0..<dimensionCount {
                            let from = array.baseAddress! + d &* oldStride, to = result.baseAddress! + d &* capacity
                            for target in 0..<capacity where source[target] >= 0 { to[target] = from[source[target]] }
                        }
                    }
                }
            }
            return result
        }
        mus = moved(mus, free: 0)
        sigmas = moved(sigmas, free: .nan)
        inverseSigmas = moved(inverseSigmas, free: 1)
        halfInverseSigmas = moved(halfInverseSigmas, free: 0.70710678118654752440)
        logSigmas = moved(logSigmas, free: 0)
        logHit = moved(logHit, free: 0)
        logMiss = moved(logMiss, free: 0)
        logMasses = moved(logMasses, free: 0)
        dimensionConstants = moved(dimensionConstants, free: 0)
        stride = capacity
        kernelConstants = [Double](repeating: -.infinity, count: capacity)
        slots = [Int32](repeating: 0, count: capacity)
        kernelInSlot = slots
        slotLimit = 0
    }

    /// The centre of the kernel in `slot` in dimension d (Parzen space).
    @inline(__always)
    func mu(slot: Int, dimension d: Int) -> Double { mus[d * stride + slot] }

    /// The bandwidth of the kernel in `slot` in dimension d.
    @inline(__always)
    func sigma(slot: Int, dimension d: Int) -> Double { sigmas[d * stride + slot] }

    /// Sets the centre of the kernel in `slot` in dimension d; a numerical dimension then needs `setSigma`.
    @inline(__always)
    mutating func setMu(_ mu: Double, slot: Int, dimension d: Int) { mus[d * stride + slot] = mu }

    /// Sets the bandwidth of the kernel in `slot` in numerical dimension d, and the numbers that follow
    /// from it, computed as `setObservations` computes them.
    mutating func setSigma(_ sigma: Double, slot: Int, dimension d: Int) {
        let dimension = dimensions[d]
        let index = d * stride + slot
        let mu = mus[index]
        let low = dimension.adaptedLow, high = dimension.adaptedHigh
        let logSigma = Foundation.log(sigma)
        let logMass = TruncatedNormal.logGaussMass((low - mu) / sigma, (high - mu) / sigma)
        sigmas[index] = sigma
        let inverse = 1 / sigma
        inverseSigmas[index] = inverse
        halfInverseSigmas[index] = inverse * 0.70710678118654752440
        logSigmas[index] = logSigma
        logMasses[index] = logMass
        dimensionConstants[index] = dimension.kind == .continuous ? -logSigma - TruncatedNormal.logSqrtTwoPi - logMass : -logMass
    }

    /// Frees `slot`: harmless parameters, excluded from every sum by `commitSlots`; its bandwidth is NaN,
    /// so that `setSigma` is never skipped for the next kernel there.
    mutating func clearSlot(_ slot: Int) {
        for d in 0..<dimensions.count {
            let index = d * stride + slot
            mus[index] = 0
            sigmas[index] = .nan
            inverseSigmas[index] = 1
            halfInverseSigmas[index] = 0.70710678118654752440
            logSigmas[index] = 0
            logMasses[index] = 0
            dimensionConstants[index] = 0
        }
    }

    /// Completes an estimator of fixed slots: observation i (in kernel order, which sets the weights and
    /// the order of every sum) is the kernel in `kernelSlots[i]`, the prior the one in the last entry;
    /// `observationWeights` are unnormalised; slots at or above `slotLimit` are free, and so are those
    /// below it that `kernelSlots` does not name. The numbers are those `reset` and `setObservations`
    /// compute for the same observations.
    mutating func commitSlots(kernelSlots: UnsafeBufferPointer<Int32>, observationWeights: UnsafeBufferPointer<Double>,
                              slotLimit: Int, arrangedDimension: Int?) {
        let k = kernelSlots.count
        let n = k - 1
        precondition(n >= 0 && observationWeights.count >= n && slotLimit <= stride)
        observationCount = n
        kernelCount = k
        self.slotLimit = slotLimit
        self.arrangedDimension = arrangedDimension
        setWeights(observationWeights, count: n)
        let stride = self.stride
        let dimensionCount = dimensions.count
        slots.withUnsafeMutableBufferPointer { slots in
            kernelInSlot.withUnsafeMutableBufferPointer { kernelInSlot in
                for i in 0..<k {
                    slots[i] = kernelSlots[i]
                    kernelInSlot[Int(kernelSlots[i])] = Int32(i)
                }
            }
        }
        kernelConstants.withUnsafeMutableBufferPointer { constants in
            let constants = constants.baseAddress!
            for slot in 0..<stride { constants[slot] = -.infinity }
            weights.withUnsafeBufferPointer { weights in
                for i in 0..<k { constants[Int(kernelSlots[i])] = Foundation.log(weights[i]) }
            }
            dimensionConstants.withUnsafeBufferPointer { dimensionConstants in
                for d in 0..<dimensionCount where dimensions[d].kind != .categorical {
                    let row = dimensionConstants.baseAddress! + d * stride
                    for slot in 0..<slotLimit { constants[slot] += row[slot] }
                }
            }
        }
        // Categorical tables depend on the number of kernels (see setObservations).
        let prior = Int(kernelSlots[n])
        for d in 0..<dimensionCount where dimensions[d].kind == .categorical {
            let choices = Double(dimensions[d].choiceCount)
            let logPrior = -Foundation.log(choices)
            let fill = settings.priorWeight / Double(k)
            let rowSum = choices * fill + 1
            let hit = rowSum == 0 ? -Double.infinity : Foundation.log((fill + 1) / rowSum)
            let miss = Foundation.log(fill / rowSum)
            let base = d * stride
            for slot in 0..<slotLimit {
                logHit[base + slot] = hit
                logMiss[base + slot] = miss
            }
            mus[base + prior] = -1
            logHit[base + prior] = logPrior
            logMiss[base + prior] = logPrior
        }
    }

    // MARK: Sampling

    /// `count` draws from the mixture, in internal representation, laid out `out[c * dimensions + d]`.
    mutating func sample(count: Int, using random: RandomSource) -> [Double] {
        var out: [Double] = []
        sample(count: count, using: random, into: &out)
        return out
    }

    /// `sample(count:using:)` into `out` (replacing its contents, reusing its buffer).
    mutating func sample(count: Int, using random: RandomSource, into out: inout [Double]) {
        let dimensionCount = dimensions.count
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: repeatElement(0, count: count * dimensionCount))
        // NumPy's order of draws, as Optuna makes them: every candidate's kernel, then the quantiles of each
        // categorical dimension, then those of each numerical dimension (dimension by dimension). With the
        // same seed, the candidates are Optuna's.
        kernelChoices.removeAll(keepingCapacity: true)
        weights.withUnsafeBufferPointer { weights in
            for _ in 0..<count { kernelChoices.append(random.index(weightedBy: weights)) }
        }
        for categorical in [true, false] {
            for d in 0..<dimensionCount where (dimensions[d].kind == .categorical) == categorical {
                for c in 0..<count {
                    out[c * dimensionCount + d] = sampleDimension(d, kernel: kernelChoices[c], quantile: random.uniform())
                }
            }
        }
    }

    private mutating func sampleDimension(_ d: Int, kernel: Int, quantile: Double) -> Double {
        let dimension = dimensions[d]
        let index = d * stride + Int(slots[kernel])
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
        let logTail = tailMemo.logNdtr(a < 0 ? a : -b)
        let x = TruncatedNormal.ppf(quantile, a, b, logMass: logMasses[index], logTail: logTail) * sigma + mu
        return dimension.untransform(x)
    }

    /// log Phi at the bounds of the kernels drawn from (which recur from call to call), remembered by
    /// its argument: a pure function, so a hit is the computed number.
    private var tailMemo = LogNdtrMemo()

    struct LogNdtrMemo {
        static let bits = 10
        private var arguments = [UInt64](repeating: Double.nan.bitPattern, count: 1 << bits)
        private var values = [Double](repeating: 0, count: 1 << bits)

        mutating func logNdtr(_ x: Double) -> Double {
            let key = x.bitPattern
            let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - Self.bits))
            if arguments[slot] == key { return values[slot] }
            let value = TruncatedNormal.logNdtr(x)
            arguments[slot] = key
            values[slot] = value
            return value
        }
    }

    // MARK: Density

    /// Scratch reused across calls to `logDensity`.
    struct Workspace {
        var terms: [SIMD8<Double>] = []
        var point: [SIMD8<Double>] = []
        var left: [SIMD8<Double>] = []
        var right: [SIMD8<Double>] = []
        var logWidth: [SIMD8<Double>] = []
        /// Pruned evaluation: the kernels that can matter for one candidate, and their bounds.
        var survivors: [Int32] = []
        var bounds: [Double] = []
        var order: [Int] = []
        /// Full evaluation: each candidate's largest kernel bound, and the first kernel to reach it.
        var fullMaximum: [Double] = []
        var fullBest: [Int] = []
        /// Pruned evaluation: the SIMD groups (first slots) still in play, and their partial bounds.
        var groups: [Int32] = []
        var partials: [SIMD8<Double>] = []
        /// The dimension that pruned the most kernels in the last pruned evaluation: the one to arrange
        /// the next estimator by.
        var leadingDimension = 0
        /// Exact log masses of discrete kernels on candidates' intervals, by their inputs (see `LogMassMemo`).
        var massMemo = LogMassMemo()
    }

    /// A direct-mapped memo of `TruncatedNormal.logGaussMass((l - mu) * inverse, (r - mu) * inverse)`
    /// keyed by the bit patterns of l, r, mu and inverse: a pure function of its key, so a hit returns
    /// exactly the number the computation gives. Kernels and candidates' grid values recur from call
    /// to call, so most discrete terms (two erfcs and a logarithm each) are found here.
    struct LogMassMemo {
        struct Entry {
            var l: UInt64, r: UInt64, mu: UInt64, inverse: UInt64
            var value: Double
        }
        static let bits = 14
        /// An empty entry's keys: a NaN pattern that no computation produces.
        static let empty: UInt64 = 0x7FF4_DEAD_BEEF_0001
        var entries: [Entry] = []

        mutating func prepare() {
            if entries.isEmpty {
                entries = [Entry](repeating: Entry(l: Self.empty, r: Self.empty, mu: Self.empty, inverse: Self.empty, value: 0),
                                  count: 1 << Self.bits)
            }
        }

        @inline(__always)
        static func logMass(l: Double, r: Double, mu: Double, inverse: Double, in entries: UnsafeMutablePointer<Entry>) -> Double {
            let lBits = l.bitPattern, rBits = r.bitPattern, muBits = mu.bitPattern, inverseBits = inverse.bitPattern
            var h = lBits &* 0x9E37_79B9_7F4A_7C15 ^ rBits &* 0xC2B2_AE3D_27D4_EB4F ^ muBits &* 0x1656_67B1_9E37_79F9 ^ inverseBits
            h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
            let entry = entries + Int(truncatingIfNeeded: h >> UInt64(64 - bits))
            if entry.pointee.l == lBits && entry.pointee.r == rBits && entry.pointee.mu == muBits
                && entry.pointee.inverse == inverseBits {
                return entry.pointee.value
            }
            let value = TruncatedNormal.logGaussMass((l - mu) * inverse, (r - mu) * inverse)
            entry.pointee = Entry(l: lBits, r: rBits, mu: muBits, inverse: inverseBits, value: value)
            return value
        }
    }

    /// Mixtures with fewer kernels are evaluated without pruning.
    static let pruningKernelCount = 48
    /// Kernels whose log term is this far below the largest one do not change the sum in double precision.
    static let skip = 50.0

    /// log of the mixture density at each candidate (`candidates[c * dimensions + d]`, internal
    /// representation), written to `out[c]`.
    ///
    /// Every kernel gets an upper bound of its log term: a discrete dimension, whose exact term
    /// log(Phi(r) - Phi(l)) needs two erfcs, contributes log((r - l)/sigma * phi(distance from mu to
    /// [l, r] in sigmas)) capped at 0 (a mass is at most 1, and the density on [l, r] is at most its
    /// value at the point nearest mu); the other dimensions contribute their exact term. The exact
    /// term is computed only for kernels whose bound comes within 50 nats of an exact term already
    /// known (the best bound's kernel first): a skipped kernel contributes less than e^-50 of the
    /// largest term, so all skipped kernels together change the density by less than
    /// kernelCount * 2e-22 relative, below double precision for any realistic kernel count. The
    /// log-sum-exp skips such terms likewise.
    ///
    /// Small mixtures run the bounds eight candidates at a time (SIMD lanes) over every kernel. Large
    /// ones go one candidate at a time, eight kernels per SIMD step, summing the dimensions in order
    /// of selectivity and dropping a group of kernels as soon as all their partial bounds (each
    /// dimension's term is <= 0) fall more than 51 nats below the prior kernel's exact term, a lower
    /// bound of the largest term. Only the remaining kernels get their bound summed in dimension
    /// order, so every number that reaches the result is the one the full evaluation computes.
    /// `pruning: false` evaluates every kernel whatever the mixture's size (the results are the same).
    func logDensity(candidates: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>,
                    workspace: inout Workspace, pruning: Bool = true) {
        prepare(candidates: candidates, count: count, workspace: &workspace)
        logDensity(preparedCount: count, into: out, workspace: &workspace, pruning: pruning)
    }

    /// Whether `logDensity` bounds kernels away (and so honours `needed` and offers `priorTerms`).
    var prunes: Bool { kernelCount >= Self.pruningKernelCount }

    /// `logDensity` of the candidates last given to `prepare`.
    func logDensity(preparedCount count: Int, into out: UnsafeMutableBufferPointer<Double>, workspace: inout Workspace,
                    pruning: Bool = true) {
        workspace.massMemo.prepare()
        if pruning && prunes {
            logDensityPruned(count: count, into: out, workspace: &workspace, sequence: nil, priorOnly: false) { _ in .evaluate }
        } else {
            logDensityFull(count: count, into: out, workspace: &workspace)
        }
    }

    /// What to do with the next candidate of a sequence (see `logDensity(preparedCount:into:workspace:sequence:step:)`).
    enum SequenceStep { case evaluate, skip, stop }

    /// For a pruning estimator, `logDensity` of the prepared candidates taken in the order `sequence`,
    /// each as `step` (asked before it, with the results so far in `out`) says; the entries of `out`
    /// of candidates not evaluated are left as they are.
    func logDensity(preparedCount count: Int, into out: UnsafeMutableBufferPointer<Double>, workspace: inout Workspace,
                    sequence: UnsafeBufferPointer<Int>, step proceed: (Int) -> SequenceStep) {
        precondition(prunes)
        workspace.massMemo.prepare()
        logDensityPruned(count: count, into: out, workspace: &workspace, sequence: sequence, priorOnly: false, while: proceed)
    }

    /// For a pruning estimator, the prior kernel's log term at each candidate last given to `prepare`:
    /// a lower bound of `logDensity` there, computed as `logDensity` computes it (so the density found
    /// afterwards is never below it).
    func priorTerms(preparedCount count: Int, into out: UnsafeMutableBufferPointer<Double>, workspace: inout Workspace) {
        precondition(prunes)
        workspace.massMemo.prepare()
        logDensityPruned(count: count, into: out, workspace: &workspace, sequence: nil, priorOnly: true) { _ in .evaluate }
    }

    /// Puts `count` candidates (`candidates[c * dimensions + d]`, internal representation) into the
    /// workspace in Parzen space, for `logDensity(preparedCount:...)` and `priorTerms`.
    func prepare(candidates: UnsafeBufferPointer<Double>, count: Int, workspace: inout Workspace) {
        let dimensionCount = dimensions.count
        let blocks = (count + 7) / 8
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
    }

    /// The bounds of every kernel, eight candidates at a time, then each candidate's density.
    private func logDensityFull(count: Int, into out: UnsafeMutableBufferPointer<Double>, workspace: inout Workspace) {
        fullBounds(count: count, workspace: &workspace)
        for c in 0..<count { out[c] = fullDensity(c, workspace: &workspace) }
    }

    /// For an estimator that does not prune, an upper bound of `logDensity` at each prepared candidate;
    /// it leaves the workspace ready for `logDensity(preparedCandidate:)`. Each kernel's term is at most
    /// its bound b, and exp(b - M) (M the largest bound) at most e^0, e^-1, e^-2, e^-4 or e^-8 as
    /// M - b is below 1, 2, 4, 8 or not: so log density <= M + log of the sum of those, a little raised
    /// against rounding.
    func densityUpperBounds(preparedCount count: Int, into out: UnsafeMutableBufferPointer<Double>, workspace: inout Workspace) {
        precondition(!prunes)
        workspace.massMemo.prepare()
        fullBounds(count: count, workspace: &workspace)
        let k = kernelCount
        let e1 = Foundation.exp(-1.0), e2 = Foundation.exp(-2.0), e4 = Foundation.exp(-4.0), e8 = Foundation.exp(-8.0)
        workspace.terms.withUnsafeBufferPointer { terms in
            for c in 0..<count {
                let maximum = workspace.fullMaximum[c]
                let b = c / 8, lane = c % 8
                var total = 0.0
                for i in 0..<k {
                    let gap = maximum - terms[b * k + i][lane]
                    total += gap < 1 ? 1 : gap < 2 ? e1 : gap < 4 ? e2 : gap < 8 ? e4 : e8
                }
                out[c] = maximum + Foundation.log(total) + 1e-9 * max(1, abs(maximum))
            }
        }
    }

    /// `logDensity` at prepared candidate c, after `densityUpperBounds`.
    func logDensity(preparedCandidate c: Int, workspace: inout Workspace) -> Double {
        fullDensity(c, workspace: &workspace)
    }

    /// Pass 1 of the full evaluation: the bound of every kernel at every candidate, and each candidate's
    /// largest bound and the first kernel to reach it, into the workspace.
    private func fullBounds(count: Int, workspace: inout Workspace) {
        let k = kernelCount
        let stride = self.stride
        let dimensionCount = dimensions.count
        let blocks = (count + 7) / 8
        if workspace.terms.count < blocks * k { workspace.terms = [SIMD8<Double>](repeating: .zero, count: blocks * k) }
        if workspace.fullMaximum.count < blocks * 8 {
            workspace.fullMaximum = [Double](repeating: 0, count: blocks * 8)
            workspace.fullBest = [Int](repeating: 0, count: blocks * 8)
        }
        let kinds = dimensions.map { $0.kind }
        slots.withUnsafeBufferPointer { slots in
        mus.withUnsafeBufferPointer { mus in
        inverseSigmas.withUnsafeBufferPointer { inverseSigmas in
        logSigmas.withUnsafeBufferPointer { logSigmas in
        logHit.withUnsafeBufferPointer { logHit in
        logMiss.withUnsafeBufferPointer { logMiss in
        kernelConstants.withUnsafeBufferPointer { constants in
        kinds.withUnsafeBufferPointer { kinds in
        workspace.terms.withUnsafeMutableBufferPointer { terms in
        workspace.fullMaximum.withUnsafeMutableBufferPointer { fullMaximum in
        workspace.fullBest.withUnsafeMutableBufferPointer { fullBest in
        workspace.point.withUnsafeBufferPointer { points in
        workspace.left.withUnsafeBufferPointer { lefts in
        workspace.right.withUnsafeBufferPointer { rights in
        workspace.logWidth.withUnsafeBufferPointer { logWidths in
            for b in 0..<blocks {
                let row = b * dimensionCount
                var bestValue = SIMD8<Double>(repeating: -.infinity)
                var bestKernel = SIMD8<Double>(repeating: 0)
                for i in 0..<k {
                    let slot = Int(slots[i])
                    var acc = SIMD8<Double>(repeating: constants[slot])
                    for d in 0..<dimensionCount {
                        let index = d * stride + slot
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
                    fullMaximum[b * 8 + lane] = bestValue[lane]
                    fullBest[b * 8 + lane] = Int(bestKernel[lane])
                }
            }
        }}}}}}}}}}}}}}}
    }

    /// Pass 2 of the full evaluation at candidate c: the log-sum-exp of the terms that can matter
    /// (exact ones for discrete dimensions, found from the bounds of pass 1).
    private func fullDensity(_ c: Int, workspace: inout Workspace) -> Double {
        let k = kernelCount
        let dimensionCount = dimensions.count
        let skip = Self.skip
        let b = c / 8, lane = c % 8, row = b * dimensionCount
        let bestValue = workspace.fullMaximum[c]
        return slots.withUnsafeBufferPointer { slots in
        mus.withUnsafeBufferPointer { mus in
        inverseSigmas.withUnsafeBufferPointer { inverseSigmas in
        logSigmas.withUnsafeBufferPointer { logSigmas in
        workspace.terms.withUnsafeBufferPointer { terms in
        workspace.left.withUnsafeBufferPointer { lefts in
        workspace.right.withUnsafeBufferPointer { rights in
        workspace.logWidth.withUnsafeBufferPointer { logWidths in
        workspace.massMemo.entries.withUnsafeMutableBufferPointer { memo -> Double in
            let memo = memo.baseAddress!
            if !hasDiscrete {
                let maximum = bestValue
                if maximum == -.infinity { return -.infinity }
                let cut = maximum - skip
                var sum = 0.0
                for i in 0..<k {
                    let term = terms[b * k + i][lane]
                    if term >= cut { sum += Foundation.exp(term - maximum) }
                }
                return maximum + Foundation.log(sum)
            }
            // Exact terms for the kernels that can matter, summed by an online log-sum-exp.
            let best = workspace.fullBest[c]
            var maximum = exactTerm(Int(slots[best]), bound: terms[b * k + best][lane], lane: lane, row: row, lefts: lefts,
                                    rights: rights, logWidths: logWidths, mus: mus, inverseSigmas: inverseSigmas,
                                    logSigmas: logSigmas, memo: memo)
            if maximum == -.infinity { return -.infinity }
            var sum = 1.0
            for i in 0..<k where i != best {
                let bound = terms[b * k + i][lane]
                if bound < maximum - skip { continue }
                let term = exactTerm(Int(slots[i]), bound: bound, lane: lane, row: row, lefts: lefts, rights: rights,
                                     logWidths: logWidths, mus: mus, inverseSigmas: inverseSigmas, logSigmas: logSigmas,
                                     memo: memo)
                if term > maximum {
                    sum = sum * Foundation.exp(maximum - term) + 1
                    maximum = term
                } else if term >= maximum - skip {
                    sum += Foundation.exp(term - maximum)
                }
            }
            return maximum + Foundation.log(sum)
        }}}}}}}}}
    }

    /// A pruning threshold below `term`: a little more than `skip` nats, so that rounding in a
    /// differently ordered sum cannot push a kernel that matters below it.
    @inline(__always)
    private static func threshold(below term: Double) -> Double { term - (skip + 1) - 1e-9 * abs(term) }

    /// The same numbers as `logDensityFull`, one candidate at a time, bounding most kernels away.
    private func logDensityPruned(count: Int, into out: UnsafeMutableBufferPointer<Double>, workspace: inout Workspace,
                                  sequence: UnsafeBufferPointer<Int>?, priorOnly: Bool, while proceed: (Int) -> SequenceStep) {
        let k = kernelCount
        let stride = self.stride
        let dimensionCount = dimensions.count
        let prior = k - 1  // the prior's kernel index and slot
        let skip = Self.skip
        let kinds = dimensions.map { $0.kind }
        if workspace.bounds.count < k { workspace.bounds = [Double](repeating: 0, count: stride) }
        if workspace.groups.count < stride / 8 {
            workspace.groups = [Int32](repeating: 0, count: stride / 8)
            workspace.partials = [SIMD8<Double>](repeating: .zero, count: stride / 8)
        }
        workspace.survivors.reserveCapacity(stride)
        // Moved out of the workspace while in use, so that they stay uniquely referenced.
        var survivors: [Int32] = []
        var order: [Int] = []
        swap(&survivors, &workspace.survivors)
        swap(&order, &workspace.order)
        var leading = workspace.leadingDimension
        slots.withUnsafeBufferPointer { slots in
        kernelInSlot.withUnsafeBufferPointer { kernelInSlot in
        mus.withUnsafeBufferPointer { mus in
        inverseSigmas.withUnsafeBufferPointer { inverseSigmas in
        halfInverseSigmas.withUnsafeBufferPointer { halfInverseSigmas in
        logSigmas.withUnsafeBufferPointer { logSigmas in
        logHit.withUnsafeBufferPointer { logHit in
        logMiss.withUnsafeBufferPointer { logMiss in
        kernelConstants.withUnsafeBufferPointer { constants in
        kinds.withUnsafeBufferPointer { kinds in
        workspace.point.withUnsafeBufferPointer { points in
        workspace.left.withUnsafeBufferPointer { lefts in
        workspace.right.withUnsafeBufferPointer { rights in
        workspace.logWidth.withUnsafeBufferPointer { logWidths in
        workspace.bounds.withUnsafeMutableBufferPointer { bounds in
        workspace.groups.withUnsafeMutableBufferPointer { groups in
        workspace.partials.withUnsafeMutableBufferPointer { partials in
        workspace.massMemo.entries.withUnsafeMutableBufferPointer { memo in
            let memo = memo.baseAddress!
            /// The bound of kernel `i` for one candidate, summed exactly as a lane of `logDensityFull` sums it.
            @inline(__always)
            func fullBound(_ i: Int, lane: Int, row: Int) -> Double {
                let slot = Int(slots[i])
                var acc = constants[slot]
                for d in 0..<dimensionCount {
                    let index = d &* stride &+ slot
                    switch kinds[d] {
                    case .continuous:
                        let z = (points[row &+ d][lane] - mus[index]) * inverseSigmas[index]
                        acc -= 0.5 * z * z
                    case .categorical:
                        acc += points[row &+ d][lane] == mus[index] ? logHit[index] : logMiss[index]
                    case .discrete:
                        let mu = mus[index], inverse = inverseSigmas[index]
                        let below = (lefts[row &+ d][lane] - mu) * inverse
                        let above = (mu - rights[row &+ d][lane]) * inverse
                        var distance = above > below ? above : below
                        if distance < 0 { distance = 0 }
                        var bound = logWidths[row &+ d][lane] - logSigmas[index] - 0.5 * distance * distance
                        if bound > 0 { bound = 0 }
                        acc += bound
                    }
                }
                return acc
            }

            /// The exact term of kernel `i`, whose bound is `bound`.
            @inline(__always)
            func exact(_ i: Int, bound: Double, lane: Int, row: Int) -> Double {
                exactTerm(Int(slots[i]), bound: bound, lane: lane, row: row, lefts: lefts, rights: rights,
                          logWidths: logWidths, mus: mus, inverseSigmas: inverseSigmas, logSigmas: logSigmas, memo: memo)
            }

            /// The kernels whose partial bound stays at or above `cut`, in kernel order.
            func scan(_ cut: Double, lane: Int, row: Int, order: UnsafeBufferPointer<Int>, into survivors: inout [Int32]) {
                survivors.removeAll(keepingCapacity: true)
                let cutVector = SIMD8<Double>(repeating: cut)
                let groupBase = groups.baseAddress!, partialBase = partials.baseAddress!
                let constantBase = UnsafeRawPointer(constants.baseAddress!)
                // Dimension by dimension over the groups still in play (the first dimension over every
                // group, from the kernel constants), compacting them without branches: a group leaves
                // once all its partial bounds are below the cut.
                var count = (slotLimit + 7) / 8
                for (step, d) in order.enumerated() where count > 0 {
                    let rowBase = d &* stride
                    let mu = UnsafeRawPointer(mus.baseAddress! + rowBase)
                    func run<Term: GroupBound>(_ term: Term) {
                        count = Self.boundGroups(term, first: step == 0, count: count, constants: constantBase,
                                                 groups: groupBase, partials: partialBase, cut: cutVector)
                    }
                    switch kinds[d] {
                    case .continuous:
                        run(ContinuousBound(point: SIMD8(repeating: points[row + d][lane]), mu: mu,
                                            halfInverse: UnsafeRawPointer(halfInverseSigmas.baseAddress! + rowBase)))
                    case .categorical:
                        run(CategoricalBound(point: SIMD8(repeating: points[row + d][lane]), mu: mu,
                                             hit: UnsafeRawPointer(logHit.baseAddress! + rowBase),
                                             miss: UnsafeRawPointer(logMiss.baseAddress! + rowBase)))
                    case .discrete:
                        run(DiscreteBound(left: SIMD8(repeating: lefts[row + d][lane]), right: SIMD8(repeating: rights[row + d][lane]),
                                          logWidth: SIMD8(repeating: logWidths[row + d][lane]), mu: mu,
                                          inverse: UnsafeRawPointer(inverseSigmas.baseAddress! + rowBase),
                                          logSigma: UnsafeRawPointer(logSigmas.baseAddress! + rowBase)))
                    }
                }
                for j in 0..<count {
                    let chunk = Int(groupBase[j])
                    let acc = partialBase[j]
                    for lane in 0..<8 where !(acc[lane] < cut) && chunk + lane < slotLimit {
                        survivors.append(kernelInSlot[chunk + lane])
                    }
                }
                // In kernel order (few survivors: insertion sort).
                survivors.withUnsafeMutableBufferPointer { survivors in
                    for i in survivors.indices.dropFirst() {
                        let kernel = survivors[i]
                        var position = i
                        while position > 0 && survivors[position - 1] > kernel {
                            survivors[position] = survivors[position - 1]
                            position -= 1
                        }
                        survivors[position] = kernel
                    }
                }
            }

            /// All kernels, for candidates whose numbers defeat the bounds (infinities, NaN).
            func everyKernel(into survivors: inout [Int32]) {
                survivors.removeAll(keepingCapacity: true)
                for i in 0..<k { survivors.append(Int32(i)) }
            }

            // The arranged dimension first (its SIMD groups hold neighbours); the others by how many
            // kernels each alone prunes for the first candidate evaluated, on a sample of the kernels.
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: 0..<dimensionCount)
            let probe = sequence?.first ?? 0
            let probeLane = probe % 8, probeRow = (probe / 8) * dimensionCount
            let probePrior = fullBound(prior, lane: probeLane, row: probeRow)
            let lowest = hasDiscrete ? exact(prior, bound: probePrior, lane: probeLane, row: probeRow) : probePrior
            if lowest.isFinite && !priorOnly {
                let cut = Self.threshold(below: lowest)
                var pruned = [Int](repeating: 0, count: dimensionCount)
                for slot in Swift.stride(from: 0, to: slotLimit, by: max(4, slotLimit / 128)) {
                    for d in 0..<dimensionCount {
                        let index = d * stride + slot
                        var term: Double
                        let at = probeRow + d
                        switch kinds[d] {
                        case .continuous:
                            let z = (points[at][probeLane] - mus[index]) * inverseSigmas[index]
                            term = -0.5 * z * z
                        case .categorical:
                            term = points[at][probeLane] == mus[index] ? logHit[index] : logMiss[index]
                        case .discrete:
                            let mu = mus[index], inverse = inverseSigmas[index]
                            let distance = max(0, max((lefts[at][probeLane] - mu) * inverse, (mu - rights[at][probeLane]) * inverse))
                            term = min(0, logWidths[at][probeLane] - logSigmas[index] - 0.5 * distance * distance)
                        }
                        if constants[slot] + term < cut { pruned[d] += 1 }
                    }
                }
                let arranged = arrangedDimension ?? -1
                order.sort { (a: Int, b: Int) -> Bool in
                    if a == arranged || b == arranged { return a == arranged && b != arranged }
                    let pa: Int = pruned[a], pb: Int = pruned[b]
                    return pa > pb || (pa == pb && a < b)
                }
                leading = pruned.indices.max { pruned[$0] < pruned[$1] } ?? 0
            }

            order.withUnsafeBufferPointer { order in
                for position in 0..<(sequence?.count ?? count) {
                    let c = sequence?[position] ?? position
                    let next = proceed(c)
                    if next == .stop { break }
                    if next == .skip { continue }
                    let lane = c % 8, row = (c / 8) * dimensionCount
                    let priorBound = fullBound(prior, lane: lane, row: row)
                    let lowest = hasDiscrete ? exact(prior, bound: priorBound, lane: lane, row: row) : priorBound
                    if priorOnly {
                        out[c] = lowest
                        continue
                    }
                    var cut = -Double.infinity
                    if lowest.isFinite {
                        cut = Self.threshold(below: lowest)
                        scan(cut, lane: lane, row: row, order: order, into: &survivors)
                    } else {
                        everyKernel(into: &survivors)
                    }
                    // The bounds of the survivors, and the largest (the first kernel to reach it).
                    var bestValue = -Double.infinity
                    var best = -1
                    for i in survivors {
                        let bound = fullBound(Int(i), lane: lane, row: row)
                        bounds[Int(i)] = bound
                        if bound > bestValue {
                            bestValue = bound
                            best = Int(i)
                        }
                    }
                    if best < 0 && cut != -.infinity {
                        // No bound above -infinity among the survivors (NaN): evaluate every kernel.
                        everyKernel(into: &survivors)
                        for i in survivors {
                            let bound = fullBound(Int(i), lane: lane, row: row)
                            bounds[Int(i)] = bound
                            if bound > bestValue {
                                bestValue = bound
                                best = Int(i)
                            }
                        }
                        cut = -.infinity
                    }
                    if !hasDiscrete {
                        let maximum = bestValue
                        if maximum == -.infinity {
                            out[c] = -.infinity
                            continue
                        }
                        let termCut = maximum - skip
                        var sum = 0.0
                        for i in survivors {
                            let term = bounds[Int(i)]
                            if term >= termCut { sum += Foundation.exp(term - maximum) }
                        }
                        out[c] = maximum + Foundation.log(sum)
                        continue
                    }
                    // The full evaluation starts from kernel 0 when no bound beats -infinity.
                    if best < 0 { best = 0 }
                    var maximum = exact(best, bound: bounds[best], lane: lane, row: row)
                    if maximum == -.infinity {
                        out[c] = -.infinity
                        continue
                    }
                    if cut != -.infinity {
                        if !maximum.isFinite {
                            everyKernel(into: &survivors)
                            for i in survivors { bounds[Int(i)] = fullBound(Int(i), lane: lane, row: row) }
                        } else if Self.threshold(below: maximum) < cut {
                            // The best bound's exact term is below the prior's: kernels between the two
                            // thresholds take part in the full evaluation too.
                            scan(Self.threshold(below: maximum), lane: lane, row: row, order: order, into: &survivors)
                            for i in survivors { bounds[Int(i)] = fullBound(Int(i), lane: lane, row: row) }
                        }
                    }
                    var sum = 1.0
                    for i32 in survivors {
                        let i = Int(i32)
                        if i == best { continue }
                        let bound = bounds[i]
                        if bound < maximum - skip { continue }
                        let term = exact(i, bound: bound, lane: lane, row: row)
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
        }}}}}}}}}}}}}}}}}}
        workspace.survivors = survivors
        workspace.order = order
        workspace.leadingDimension = leading
    }

    /// One dimension's pass of the pruned evaluation over the SIMD groups in play: adds the dimension's
    /// bound to each group's partial bounds (to the kernel constants on the first pass, which covers
    /// every group) and keeps, in order, the groups with a partial bound at or above the cut. Returns
    /// how many are kept.
    @inline(__always)
    private static func boundGroups<Term: GroupBound>(_ term: Term, first: Bool, count: Int, constants: UnsafeRawPointer,
                                                      groups: UnsafeMutablePointer<Int32>,
                                                      partials: UnsafeMutablePointer<SIMD8<Double>>, cut: SIMD8<Double>) -> Int {
        var kept = 0
        if first {
            for j in 0..<count {
                let offset = j &* 64
                let acc = constants.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self) + term.bound(at: offset)
                groups[kept] = Int32(truncatingIfNeeded: j &* 8)
                partials[kept] = acc
                kept &+= all(acc .< cut) ? 0 : 1
            }
        } else {
            for j in 0..<count {
                let chunk = groups[j]
                let acc = partials[j] + term.bound(at: Int(truncatingIfNeeded: chunk) &* 8)
                groups[kept] = chunk
                partials[kept] = acc
                kept &+= all(acc .< cut) ? 0 : 1
            }
        }
        return kept
    }

    /// The exact log term of kernel i for one candidate (a lane of a block): its bound with each
    /// discrete dimension's bound replaced by the exact log mass of [l, r].
    @inline(__always)
    private func exactTerm(_ slot: Int, bound: Double, lane: Int, row: Int, lefts: UnsafeBufferPointer<SIMD8<Double>>,
                           rights: UnsafeBufferPointer<SIMD8<Double>>, logWidths: UnsafeBufferPointer<SIMD8<Double>>,
                           mus: UnsafeBufferPointer<Double>, inverseSigmas: UnsafeBufferPointer<Double>,
                           logSigmas: UnsafeBufferPointer<Double>, memo: UnsafeMutablePointer<LogMassMemo.Entry>) -> Double {
        var term = bound
        let stride = self.stride
        for d in 0..<dimensions.count where dimensions[d].kind == .discrete {
            let index = d * stride + slot
            let l = lefts[row + d][lane], r = rights[row + d][lane]
            let mu = mus[index], inverse = inverseSigmas[index]
            let distance = max(0, max((l - mu) * inverse, (mu - r) * inverse))
            term -= min(0, logWidths[row + d][lane] - logSigmas[index] - 0.5 * distance * distance)
            term += LogMassMemo.logMass(l: l, r: r, mu: mu, inverse: inverse, in: memo)
        }
        return term
    }
}

/// One dimension's bound of the log terms of eight kernels (a SIMD group at a byte offset into the
/// dimension's rows), for the pruned density evaluation.
private protocol GroupBound {
    func bound(at offset: Int) -> SIMD8<Double>
}

/// A continuous dimension: -0.5 z^2 as -(z / sqrt 2)^2, off by an ulp or so from the exact term.
private struct ContinuousBound: GroupBound {
    let point: SIMD8<Double>
    let mu: UnsafeRawPointer, halfInverse: UnsafeRawPointer

    @inline(__always)
    func bound(at offset: Int) -> SIMD8<Double> {
        let w = (point - mu.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self))
            * halfInverse.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
        return -(w * w)
    }
}

/// A categorical dimension: the exact log probability of the candidate's choice.
private struct CategoricalBound: GroupBound {
    let point: SIMD8<Double>
    let mu: UnsafeRawPointer, hit: UnsafeRawPointer, miss: UnsafeRawPointer

    @inline(__always)
    func bound(at offset: Int) -> SIMD8<Double> {
        let own = mu.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self) .== point
        return miss.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
            .replacing(with: hit.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self), where: own)
    }
}

/// A discrete dimension: the log of the interval's width times the density at its point nearest the
/// kernel's centre, capped at 0 (see `logDensity`).
private struct DiscreteBound: GroupBound {
    let left: SIMD8<Double>, right: SIMD8<Double>, logWidth: SIMD8<Double>
    let mu: UnsafeRawPointer, inverse: UnsafeRawPointer, logSigma: UnsafeRawPointer

    @inline(__always)
    func bound(at offset: Int) -> SIMD8<Double> {
        let muVector = mu.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
        let inverseVector = inverse.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
        let below = (left - muVector) * inverseVector
        let above = (muVector - right) * inverseVector
        var distance = below.replacing(with: above, where: above .> below)
        distance.replace(with: 0, where: distance .< 0)
        var bound = logWidth - logSigma.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self) - 0.5 * distance * distance
        bound.replace(with: 0, where: bound .> 0)
        return bound
    }
}
