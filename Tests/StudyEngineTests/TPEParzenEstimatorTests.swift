import Foundation
import Testing
@testable import StudyEngine

/// The Parzen estimator against Optuna 5.0.0's numbers (Tests/Fixtures/tpe/make_parzen_fixture.py).
@Suite struct TPEParzenEstimatorTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let name: String
            let kind: String
            let distribution: [String: JSONValue]
            let observations: [Double]
            let settings: [String: JSONValue]
            let weights: [Double]
            let mus: [Double]?
            let sigmas: [Double]?
            let table: [[Double]]?
            let points: [Double]
            let log_pdf: [Double]
            let order: [Int]
        }
        struct Multivariate: Decodable {
            let observations: [String: [Double]]
            let points: [String: [Double]]
            let log_pdf: [Double]
            let order: [String: [Int]]
        }
        let cases: [Case]
        let multivariate: Multivariate
        let gamma: [String: Int]
        let gamma_multiobjective: [String: Int]
        let gamma_hyperopt: [String: Int]
        let weights: [String: [Double]]
    }

    static let fixture: Fixture = {
        let data = try! Fixtures.data("tpe/parzen.json")
        return try! JSONDecoder().decode(Fixture.self, from: data)
    }()

    static func distribution(_ c: Fixture.Case) throws -> ParameterDistribution {
        let a = c.distribution
        switch c.kind {
        case "float":
            return .float(try FloatDistribution(low: a["low"]!.doubleValue!, high: a["high"]!.doubleValue!,
                                                log: a["log"]?.boolValue ?? false, step: a["step"]?.doubleValue))
        case "int":
            return .int(try IntDistribution(low: a["low"]!.intValue!, high: a["high"]!.intValue!, log: a["log"]?.boolValue ?? false))
        default:
            return .categorical(try CategoricalDistribution(choices: a["choices"]!.arrayValue!.map { ParameterValue(json: $0)! }))
        }
    }

    /// An estimator built as the sampler builds it: Parzen-space values, kernel order = observation
    /// order, sorted in NumPy's order (`orders`, which may place tied values either way round).
    static func estimator(_ dimensions: [ParzenDimension], _ observations: [[Double]], orders: [[Int]],
                          settings: ParzenEstimatorSettings) -> ParzenEstimator {
        let n = observations.first?.count ?? 0
        let weights = TPESampler.defaultWeights(n)
        var estimator = weights.withUnsafeBufferPointer {
            ParzenEstimator(dimensions: dimensions, observationCount: n, observationWeights: $0, settings: settings)
        }
        for (d, dimension) in dimensions.enumerated() {
            let values = observations[d].map { dimension.kind == .categorical ? $0 : dimension.transform($0) }
            let sorted = orders[d].map { Int32($0) }
            #expect(zip(sorted.dropFirst(), sorted).allSatisfy { values[Int($0)] >= values[Int($1)] })
            values.withUnsafeBufferPointer { v in
                sorted.withUnsafeBufferPointer { s in estimator.setObservations(dimension: d, values: v, sorted: s) }
            }
        }
        return estimator
    }

    static func close(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
        if a == b { return true }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test func musSigmasWeightsAndDensitiesMatchOptuna() throws {
        #expect(Self.fixture.cases.count == 48)
        for c in Self.fixture.cases {
            let distribution = try Self.distribution(c)
            let settings = ParzenEstimatorSettings(priorWeight: c.settings["prior_weight"]!.doubleValue!,
                                                   considerMagicClip: c.settings["consider_magic_clip"]!.boolValue!,
                                                   considerEndpoints: c.settings["consider_endpoints"]!.boolValue!)
            let dimension = ParzenDimension(distribution)
            let estimator = Self.estimator([dimension], [c.observations], orders: [c.order], settings: settings)
            let label = "\(c.name) n=\(c.observations.count) \(c.settings)"
            #expect(estimator.weights.count == c.weights.count, "\(label)")
            for (a, b) in zip(estimator.weights, c.weights) { #expect(Self.close(a, b, tolerance: 1e-14), "weights \(label)") }
            if let mus = c.mus, let sigmas = c.sigmas {
                for k in 0..<mus.count {
                    #expect(Self.close(estimator.mus[k], mus[k], tolerance: 1e-14), "mu \(k) \(label)")
                    #expect(Self.close(estimator.sigmas[k], sigmas[k], tolerance: 1e-14), "sigma \(k) \(label)")
                }
            }
            var out = [Double](repeating: 0, count: c.points.count)
            var workspace = ParzenEstimator.Workspace()
            c.points.withUnsafeBufferPointer { points in
                out.withUnsafeMutableBufferPointer {
                    estimator.logDensity(candidates: points, count: c.points.count, into: $0, workspace: &workspace)
                }
            }
            for (a, b) in zip(out, c.log_pdf) { #expect(Self.close(a, b), "log pdf \(label): \(a) vs \(b)") }
        }
    }

    @Test func multivariateDensityMatchesOptuna() throws {
        let m = Self.fixture.multivariate
        let distributions: [ParameterDistribution] = [
            .float(try FloatDistribution(low: -5, high: 5)), .int(try IntDistribution(low: 0, high: 100)),
            .categorical(try CategoricalDistribution(choices: ["a", "b", "c", "d"])),
        ]
        let names = ["x", "i", "c"]
        let estimator = Self.estimator(distributions.map(ParzenDimension.init), names.map { m.observations[$0]! },
                                       orders: names.map { m.order[$0]! }, settings: ParzenEstimatorSettings())
        let count = m.points["x"]!.count
        var candidates: [Double] = []
        for c in 0..<count { for name in names { candidates.append(m.points[name]![c]) } }
        var out = [Double](repeating: 0, count: count)
        var workspace = ParzenEstimator.Workspace()
        candidates.withUnsafeBufferPointer { points in
            out.withUnsafeMutableBufferPointer {
                estimator.logDensity(candidates: points, count: count, into: $0, workspace: &workspace)
            }
        }
        for (a, b) in zip(out, m.log_pdf) { #expect(Self.close(a, b), "\(a) vs \(b)") }
    }

    /// The pruned evaluation of a large mixture (kernels bounded away in SIMD groups, kernels kept in
    /// fixed slots in the order of one dimension) gives bit for bit the numbers of the evaluation of
    /// every kernel.
    @Test func prunedDensityEqualsFullDensityBitForBit() throws {
        let distributions: [ParameterDistribution] = [
            .float(try FloatDistribution(low: -5, high: 5)), .float(try FloatDistribution(low: 1e-4, high: 1, log: true)),
            .int(try IntDistribution(low: 0, high: 100)), .int(try IntDistribution(low: 1, high: 1024, log: true)),
            .categorical(try CategoricalDistribution(choices: ["a", "b", "c", "d"])),
            .float(try FloatDistribution(low: 0, high: 1, step: 0.1)),
        ]
        let dimensions = distributions.map(ParzenDimension.init)
        let random = RandomSource(seed: 7)
        func draw(_ d: Int, near center: Double?) -> Double {
            let dimension = dimensions[d]
            if dimension.kind == .categorical { return Double(random.integer(below: dimension.choiceCount)) }
            let low = dimension.transform(dimension.low), high = dimension.transform(dimension.high)
            var x = low + (high - low) * random.uniform()
            if let center { x = min(high, max(low, dimension.transform(center) + 0.05 * (high - low) * (random.uniform() - 0.5))) }
            return dimension.untransform(x)
        }
        for n in [60, 400] {
            // Observations clustered around a few centres, as a TPE run makes them.
            let centres = (0..<4).map { _ in (0..<dimensions.count).map { draw($0, near: nil) } }
            var observations = [[Double]](repeating: [], count: dimensions.count)
            for i in 0..<n {
                let centre = i % 3 == 0 ? nil : centres[i % 4]
                for d in dimensions.indices { observations[d].append(draw(d, near: centre?[d])) }
            }
            let orders = dimensions.indices.map { d -> [Int] in
                let values = observations[d].map { dimensions[d].kind == .categorical ? $0 : dimensions[d].transform($0) }
                return values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
            }
            let plain = Self.estimator(dimensions, observations, orders: orders, settings: ParzenEstimatorSettings())
            // The same mixture kept in fixed slots, arranged in the order of dimension 1.
            let arranged = IncrementalParzenEstimator()
            let members = (0..<n).map { Int32($0) }
            let weights = TPESampler.defaultWeights(n)
            let values = dimensions.indices.map { d in
                observations[d].map { dimensions[d].kind == .categorical ? $0 : dimensions[d].transform($0) }
            }
            members.withUnsafeBufferPointer { m in
                weights.withUnsafeBufferPointer { w in
                    arranged.update(columns: [], dimensions: dimensions, values: values, settings: ParzenEstimatorSettings(),
                                    members: m, trialNumbers: m, runningValues: UnsafeBufferPointer(start: nil, count: 0),
                                    weights: w, arrangeBy: 1)
                }
            }
            #expect(arranged.estimator.arrangedDimension == 1)
            // Candidates: uniform, near the centres, and exactly on observations.
            let count = 60
            var candidates: [Double] = []
            for c in 0..<count {
                for d in dimensions.indices {
                    switch c % 3 {
                    case 0: candidates.append(draw(d, near: nil))
                    case 1: candidates.append(draw(d, near: centres[c % 4][d]))
                    default: candidates.append(observations[d][c % n])
                    }
                }
            }
            var full = [Double](repeating: 0, count: count)
            var pruned = full, prunedArranged = full
            var workspace = ParzenEstimator.Workspace()
            candidates.withUnsafeBufferPointer { points in
                full.withUnsafeMutableBufferPointer {
                    plain.logDensity(candidates: points, count: count, into: $0, workspace: &workspace, pruning: false)
                }
                pruned.withUnsafeMutableBufferPointer {
                    plain.logDensity(candidates: points, count: count, into: $0, workspace: &workspace)
                }
                prunedArranged.withUnsafeMutableBufferPointer {
                    arranged.estimator.logDensity(candidates: points, count: count, into: $0, workspace: &workspace)
                }
            }
            #expect(full.allSatisfy { $0.isFinite })
            for c in 0..<count {
                #expect(pruned[c].bitPattern == full[c].bitPattern, "n=\(n) candidate \(c): \(pruned[c]) vs \(full[c])")
                #expect(prunedArranged[c].bitPattern == full[c].bitPattern,
                        "arranged n=\(n) candidate \(c): \(prunedArranged[c]) vs \(full[c])")
            }
        }
    }

    @Test func gammaAndWeightsMatchOptuna() {
        for (key, expected) in Self.fixture.gamma { #expect(TPESampler.defaultGamma(Int(key)!) == expected) }
        for (key, expected) in Self.fixture.gamma_multiobjective {
            #expect(TPESampler.defaultGammaMultiObjective(Int(key)!) == expected)
        }
        for (key, expected) in Self.fixture.gamma_hyperopt { #expect(TPESampler.hyperoptGamma(Int(key)!) == expected) }
        for (key, expected) in Self.fixture.weights {
            let weights = TPESampler.defaultWeights(Int(key)!)
            #expect(weights.count == expected.count)
            for (a, b) in zip(weights, expected) { #expect(a == b, "weights(\(key))") }
        }
    }

    @Test func truncatedNormalIsAccurateInTheTails() {
        // Phi(-40) = 3.655893540915e-350 underflows; its log does not.
        #expect(Self.close(TruncatedNormal.logNdtr(-40), -804.6084420137539, tolerance: 1e-12))
        #expect(Self.close(TruncatedNormal.logGaussMass(-41, -40), -804.6084420137539, tolerance: 1e-10))
        #expect(Self.close(TruncatedNormal.logGaussMass(40, 41), -804.6084420137539, tolerance: 1e-10))
        // Quantiles of a far-tail truncation stay inside it.
        for q in [1e-12, 0.3, 0.999999] {
            let x = TruncatedNormal.ppf(q, 30, 31)
            #expect(x >= 30 && x <= 31)
            let y = TruncatedNormal.ppf(q, -41, -40)
            #expect(y >= -41 && y <= -40)
        }
        #expect(Self.close(TruncatedNormal.ppf(0.5, -1, 1), 0, tolerance: 1e-12))
    }
}
