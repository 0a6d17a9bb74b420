import Foundation
import Testing
@testable import StudyEngine

/// The estimator kept between calls (kernels joining and leaving, running trials put back on every
/// call, slots rearranged and grown) is, number for number, the estimator built afresh from the same
/// observations.
@Suite struct IncrementalParzenEstimatorTests {
    static let distributions: [ParameterDistribution] = [
        .float(try! FloatDistribution(low: -5, high: 5)), .float(try! FloatDistribution(low: 1e-4, high: 1, log: true)),
        .int(try! IntDistribution(low: 0, high: 100)), .int(try! IntDistribution(low: 1, high: 1024, log: true)),
        .categorical(try! CategoricalDistribution(choices: ["a", "b", "c", "d"])),
        .float(try! FloatDistribution(low: 0, high: 1, step: 0.1)),
    ]

    /// A fresh estimator of `members` (kernel order), sorted by (value, trial number) as the sampler sorts.
    static func fresh(_ dimensions: [ParzenDimension], rows: [[Double]], trialNumbers: [Int32],
                      settings: ParzenEstimatorSettings) -> ParzenEstimator {
        let n = rows.count
        let weights = TPESampler.defaultWeights(n)
        var estimator = ParzenEstimator()
        weights.withUnsafeBufferPointer {
            estimator.reset(dimensions: dimensions, observationCount: n, observationWeights: $0, settings: settings)
        }
        for d in dimensions.indices {
            let values = rows.map { $0[d] }
            let sorted = values.indices.sorted {
                values[$0] < values[$1] || (values[$0] == values[$1] && trialNumbers[$0] < trialNumbers[$1])
            }.map { Int32($0) }
            values.withUnsafeBufferPointer { v in
                sorted.withUnsafeBufferPointer { s in estimator.setObservations(dimension: d, values: v, sorted: s) }
            }
        }
        return estimator
    }

    static func densities(_ estimator: ParzenEstimator, _ candidates: [Double], count: Int, pruning: Bool) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        var workspace = ParzenEstimator.Workspace()
        candidates.withUnsafeBufferPointer { points in
            out.withUnsafeMutableBufferPointer {
                estimator.logDensity(candidates: points, count: count, into: $0, workspace: &workspace, pruning: pruning)
            }
        }
        return out
    }

    @Test(arguments: [
        ParzenEstimatorSettings(),
        ParzenEstimatorSettings(priorWeight: 0.5, considerMagicClip: false, considerEndpoints: true),
    ])
    func equalsAFreshEstimatorAfterEveryUpdate(settings: ParzenEstimatorSettings) throws {
        let dimensions = Self.distributions.map(ParzenDimension.init)
        let random = RandomSource(seed: 11)
        /// A value in internal representation, clustered so that neighbours, ties and grid values occur.
        func draw(_ d: Int) -> Double {
            let dimension = dimensions[d]
            if dimension.kind == .categorical { return Double(random.integer(below: dimension.choiceCount)) }
            let low = dimension.transform(dimension.low), high = dimension.transform(dimension.high)
            let centre = random.uniform() < 0.5 ? 0.3 : random.uniform()
            let x = min(high, max(low, low + (high - low) * (centre + 0.1 * (random.uniform() - 0.5))))
            return dimension.untransform(x)
        }
        func parzen(_ row: [Double]) -> [Double] {
            row.enumerated().map { d, x in dimensions[d].kind == .categorical ? x : dimensions[d].transform(x) }
        }
        // Finished trials 0..<total (some repeat an earlier trial's values); running ones numbered above.
        let total = 700
        var trials: [[Double]] = []
        for number in 0..<total {
            if number > 10 && number % 9 == 0 {
                trials.append(trials[random.integer(below: number)])
            } else {
                trials.append((0..<dimensions.count).map(draw))
            }
        }
        let values = dimensions.indices.map { d in trials.map { parzen($0)[d] } }
        let columns = dimensions.indices.map { _ in ObjectIdentifier(NSObject()) }
        let incremental = IncrementalParzenEstimator()
        var finished = 0
        var members = Set<Int>()
        for step in 0..<80 {
            // Joiners (a burst of 150 once), leavers, and fresh running trials on every call.
            let joining = step == 30 ? 150 : random.integer(below: 4)
            for _ in 0..<joining where finished < total {
                members.insert(finished)
                finished += 1
            }
            for _ in 0..<random.integer(below: 3) where members.count > 2 {
                let current = members.sorted()
                members.remove(current[random.integer(below: current.count)])
            }
            let running = (0..<random.integer(below: 4)).map { _ in (0..<dimensions.count).map(draw) }
            let order = members.sorted()
            var memberCodes = order.map { Int32($0) }
            var trialNumbers = memberCodes
            var rows = order.map { parzen(trials[$0]) }
            var runningValues: [Double] = []
            for (row, values) in running.enumerated() {
                memberCodes.append(Int32(-1 - row))
                trialNumbers.append(Int32(total + 10 * step + row))
                rows.append(parzen(values))
                runningValues.append(contentsOf: parzen(values))
            }
            let weights = TPESampler.defaultWeights(memberCodes.count)
            memberCodes.withUnsafeBufferPointer { m in
                trialNumbers.withUnsafeBufferPointer { t in
                    runningValues.withUnsafeBufferPointer { r in
                        weights.withUnsafeBufferPointer { w in
                            incremental.update(columns: columns, dimensions: dimensions, values: values, settings: settings,
                                               members: m, trialNumbers: t, runningValues: r, weights: w,
                                               arrangeBy: step / 10 % dimensions.count)
                        }
                    }
                }
            }
            let kept = incremental.estimator
            let reference = Self.fresh(dimensions, rows: rows, trialNumbers: trialNumbers, settings: settings)
            #expect(kept.kernelCount == reference.kernelCount)
            #expect(kept.weights == reference.weights)
            for i in 0..<reference.kernelCount {
                let slot = Int(kept.slots[i]), referenceSlot = Int(reference.slots[i])
                #expect(kept.kernelConstants[slot].bitPattern == reference.kernelConstants[referenceSlot].bitPattern,
                        "step \(step) kernel \(i) constant")
                for d in dimensions.indices where dimensions[d].kind != .categorical {
                    #expect(kept.mu(slot: slot, dimension: d) == reference.mu(slot: referenceSlot, dimension: d))
                    #expect(kept.sigma(slot: slot, dimension: d).bitPattern
                            == reference.sigma(slot: referenceSlot, dimension: d).bitPattern,
                            "step \(step) kernel \(i) dimension \(d) sigma")
                }
            }
            // Densities at draws, on observations, and far out.
            let count = 24
            var candidates: [Double] = []
            for c in 0..<count {
                let row = c % 3 == 0 && !order.isEmpty ? trials[order[c % order.count]] : (0..<dimensions.count).map(draw)
                candidates.append(contentsOf: row)
            }
            let expected = Self.densities(reference, candidates, count: count, pruning: false)
            for pruning in [true, false] {
                let actual = Self.densities(kept, candidates, count: count, pruning: pruning)
                for c in 0..<count {
                    #expect(actual[c].bitPattern == expected[c].bitPattern,
                            "step \(step) n=\(rows.count) candidate \(c) pruning \(pruning): \(actual[c]) vs \(expected[c])")
                }
            }
        }
    }
}
