import Foundation

/// A one-dimensional Parzen estimator over a grid, with Scott's-rule bandwidths (Optuna's
/// `optuna/importance/_ped_anova/scott_parzen_estimator.py`), as PED-ANOVA uses it.
///
/// A parameter's values are first counted on a grid: numerical parameters on `nSteps` evenly spaced points
/// of [low, high] (of [log low, log high] for log parameters; fewer points for ints and stepped floats),
/// categorical ones per choice. The estimator is a mixture with one kernel per occupied grid point, weighted
/// by its count, plus a prior kernel of weight `priorWeight`: discretised truncated normals on the grid
/// indices for numerical parameters, and "the observed choice plus a uniform share" for categorical ones.
struct ScottParzenEstimator {
    /// The probability of each grid point.
    let gridPDF: [Double]

    /// Counts the values of parameter `name` (which every trial holds) on the grid for `distribution`.
    static func gridCounts(name: String, distribution: ParameterDistribution, trials: [FrozenTrial], nSteps: Int) -> [Int] {
        switch distribution {
        case .categorical(let d):
            var counts = [Int](repeating: 0, count: d.choices.count)
            for trial in trials {
                if let value = trial.params[name], let index = d.index(of: value) { counts[index] += 1 }
            }
            return counts
        case .float(let d):
            var steps = nSteps
            if let step = d.step {
                steps = min(Int(((d.high - d.low) / step).rounded(.toNearestOrEven)) + 1, nSteps)
            }
            return numericalCounts(name: name, low: d.low, high: d.high, log: d.log, steps: steps, trials: trials)
        case .int(let d):
            var steps = nSteps
            if d.log {
                let log2DomainSize = Int((Foundation.log(Double(d.high - d.low + 1)) / Foundation.log(2.0)).rounded(.up)) + 1
                steps = min(log2DomainSize, nSteps)
            } else {
                steps = min(Int((Double(d.high - d.low) / Double(d.step)).rounded(.toNearestOrEven)) + 1, nSteps)
            }
            return numericalCounts(name: name, low: Double(d.low), high: Double(d.high), log: d.log, steps: steps,
                                   trials: trials)
        }
    }

    private static func numericalCounts(name: String, low: Double, high: Double, log: Bool, steps: Int,
                                        trials: [FrozenTrial]) -> [Int] {
        let lower = log ? Foundation.log(low) : low
        let upper = log ? Foundation.log(high) : high
        let stepSize = (upper - lower) / Double(steps - 1)
        var counts = [Int](repeating: 0, count: steps)
        for trial in trials {
            guard let raw = trial.params[name]?.doubleValue else { continue }
            let value = log ? Foundation.log(raw) : raw
            // Nearest grid point; a value exactly half-way goes to the lower point.
            let index = ((value - lower) / stepSize - 0.5).rounded(.up)
            counts[Int(min(max(index, 0), Double(steps - 1)))] += 1
        }
        return counts
    }

    /// The estimator for grid `counts`; `categorical` picks the categorical kernels.
    init(counts: [Int], categorical: Bool, priorWeight: Double) {
        let gridSize = counts.count
        var observations: [Int] = []
        var weights: [Int] = []
        for (index, count) in counts.enumerated() where count > 0 {
            observations.append(index)
            weights.append(count)
        }
        var total = 0
        for weight in weights { total += weight }
        // Mixture weights: one per kernel, the prior last.
        var logMixtureWeights: [Double]
        if observations.isEmpty {
            logMixtureWeights = [0]
        } else {
            let sum = Double(total) + priorWeight
            logMixtureWeights = weights.map { Foundation.log(Double($0) / sum) }
            logMixtureWeights.append(Foundation.log(priorWeight / sum))
        }
        let kernelCount = logMixtureWeights.count
        // logKernel[k * gridSize + x]: log probability of grid point x under kernel k.
        var logKernel = [Double](repeating: 0, count: kernelCount * gridSize)
        if categorical {
            Self.fillCategoricalKernels(&logKernel, observations: observations, gridSize: gridSize, priorWeight: priorWeight)
        } else {
            Self.fillNumericalKernels(&logKernel, observations: observations, weights: weights, total: total,
                                      gridSize: gridSize)
        }
        // Log-sum-exp over kernels at every grid point.
        var pdf = [Double](repeating: 0, count: gridSize)
        var terms = [Double](repeating: 0, count: kernelCount)
        for x in 0..<gridSize {
            var largest = -Double.infinity
            for k in 0..<kernelCount {
                terms[k] = logKernel[k * gridSize + x] + logMixtureWeights[k]
                largest = max(largest, terms[k])
            }
            if largest == -.infinity { largest = 0 }
            var sum = 0.0
            for k in 0..<kernelCount { sum += exp(terms[k] - largest) }
            pdf[x] = exp(Foundation.log(sum) + largest)
        }
        gridPDF = pdf
    }

    private static func fillCategoricalKernels(_ logKernel: inout [Double], observations: [Int], gridSize: Int,
                                               priorWeight: Double) {
        if observations.isEmpty {
            for x in 0..<gridSize { logKernel[x] = Foundation.log(1.0 / Double(gridSize)) }
            return
        }
        let kernelCount = observations.count + 1
        let share = priorWeight / Double(kernelCount)
        for k in 0..<kernelCount {
            var row = [Double](repeating: share, count: gridSize)
            if k < observations.count { row[observations[k]] += 1 }
            var rowSum = 0.0
            for value in row { rowSum += value }
            if rowSum == 0 { rowSum = 1 }
            for x in 0..<gridSize { logKernel[k * gridSize + x] = Foundation.log(row[x] / rowSum) }
        }
    }

    private static func fillNumericalKernels(_ logKernel: inout [Double], observations: [Int], weights: [Int],
                                             total: Int, gridSize: Int) {
        let low = 0.0
        let high = Double(gridSize - 1)
        var mus: [Double] = []
        var sigmas: [Double] = []
        if !observations.isEmpty {
            // Scott's rule on the weighted grid indices, bounded below so the kernels stay wider than a grid cell.
            var weightedSum = 0
            for (observation, weight) in zip(observations, weights) { weightedSum += observation * weight }
            let mean = Double(weightedSum) / Double(total)
            var squares = 0.0
            for (observation, weight) in zip(observations, weights) {
                let deviation = Double(observation) - mean
                squares += deviation * deviation * Double(weight)
            }
            var sigma = (squares / Double(max(1, total - 1))).squareRoot()
            var cumulative: [Int] = []
            var running = 0
            for weight in weights {
                running += weight
                cumulative.append(running)
            }
            let firstQuartileIndex = cumulative.firstIndex { $0 >= total / 4 } ?? cumulative.count
            let thirdQuartileIndex = cumulative.firstIndex { $0 > total * 3 / 4 } ?? cumulative.count
            let interquartileRange = Double(
                observations[min(observations.count - 1, thirdQuartileIndex)] - observations[firstQuartileIndex])
            sigma = 1.059 * min(interquartileRange / 1.34, sigma) * pow(Double(total), -0.2)
            let sigmaFloor = 0.5 / 1.64
            for observation in observations {
                mus.append(Double(observation))
                sigmas.append(max(sigma, sigmaFloor))
            }
        }
        mus.append((low + high) / 2.0)
        sigmas.append(high - low + 1)
        for k in mus.indices {
            let mu = mus[k], sigma = sigmas[k]
            let logNormaliser = GaussianMass.logMass((low - 0.5 - mu) / sigma, (high + 0.5 - mu) / sigma)
            for x in 0..<gridSize {
                let point = Double(x)
                logKernel[k * gridSize + x] =
                    GaussianMass.logMass((point - 0.5 - mu) / sigma, (point + 0.5 - mu) / sigma) - logNormaliser
            }
        }
    }
}
