import Foundation
import Testing
@testable import StudyEngine

@Suite("RandomSampler")
struct RandomSamplerTests {
    /// `count` internal values of `distribution` from a sampler seeded with `seed`.
    private static func draws(_ distribution: ParameterDistribution, count: Int, seed: UInt64) throws -> [Double] {
        let sampler = RandomSampler(seed: seed)
        let study = try Study.create(sampler: sampler, pruner: NopPruner())
        let trial = FrozenTrial()
        return try (0..<count).map { _ in
            try sampler.sampleIndependent(study: study, trial: trial, name: "p", distribution: distribution)
        }
    }

    /// Pearson's chi-square statistic of `counts` against `expected` probabilities.
    private static func chiSquare(counts: [Int], probabilities: [Double]) -> Double {
        let total = Double(counts.reduce(0, +))
        return zip(counts, probabilities).reduce(0) { sum, pair in
            let expected = total * pair.1
            return sum + (Double(pair.0) - expected) * (Double(pair.0) - expected) / expected
        }
    }

    @Test("plain floats lie in [low, high) and fill it evenly")
    func plainFloat() throws {
        let values = try Self.draws(.float(try FloatDistribution(low: -2, high: 3)), count: 4000, seed: 1)
        #expect(values.allSatisfy { $0 >= -2 && $0 < 3 })
        var counts = [Int](repeating: 0, count: 10)
        for value in values { counts[min(Int((value + 2) / 0.5), 9)] += 1 }
        // 9 degrees of freedom: 27.88 is the 0.999 quantile.
        #expect(Self.chiSquare(counts: counts, probabilities: Array(repeating: 0.1, count: 10)) < 27.88)
    }

    @Test("log floats are uniform in log space")
    func logFloat() throws {
        let values = try Self.draws(.float(try FloatDistribution(low: 1e-3, high: 1e3, log: true)), count: 4000, seed: 2)
        #expect(values.allSatisfy { $0 >= 1e-3 && $0 < 1e3 })
        // Uniform on a log scale puts half the draws below 1 (a linear scale would put 0.05% there).
        var counts = [Int](repeating: 0, count: 6)
        for value in values { counts[min(max(Int(floor(log10(value) + 3)), 0), 5)] += 1 }
        #expect(Self.chiSquare(counts: counts, probabilities: Array(repeating: 1.0 / 6, count: 6)) < 20.52)
    }

    @Test("stepped floats lie on the grid low + k*step, every grid value equally likely")
    func steppedFloat() throws {
        let distribution = try FloatDistribution(low: 0.5, high: 1.5, step: 0.25)
        let values = try Self.draws(.float(distribution), count: 4000, seed: 3)
        var counts = [Int](repeating: 0, count: 5)
        for value in values {
            #expect(distribution.contains(value))
            let k = (value - 0.5) / 0.25
            #expect(abs(k - k.rounded()) < 1e-9)
            counts[Int(k.rounded())] += 1
        }
        #expect(counts.allSatisfy { $0 > 0 })
        #expect(Self.chiSquare(counts: counts, probabilities: Array(repeating: 0.2, count: 5)) < 18.47)
    }

    @Test("ints are uniform over [low, high], both ends included")
    func plainInt() throws {
        let values = try Self.draws(.int(try IntDistribution(low: -3, high: 6)), count: 4000, seed: 4)
        var counts = [Int](repeating: 0, count: 10)
        for value in values {
            #expect(value.rounded() == value && value >= -3 && value <= 6)
            counts[Int(value) + 3] += 1
        }
        #expect(Self.chiSquare(counts: counts, probabilities: Array(repeating: 0.1, count: 10)) < 27.88)
    }

    @Test("stepped ints lie on the grid and are uniform over it")
    func steppedInt() throws {
        let values = try Self.draws(.int(try IntDistribution(low: 2, high: 22, step: 5)), count: 4000, seed: 5)
        var counts = [Int](repeating: 0, count: 5)
        for value in values {
            #expect([2.0, 7, 12, 17, 22].contains(value))
            counts[(Int(value) - 2) / 5] += 1
        }
        #expect(Self.chiSquare(counts: counts, probabilities: Array(repeating: 0.2, count: 5)) < 18.47)
    }

    @Test("log ints follow the log-uniform law on [low - 0.5, high + 0.5], rounded")
    func logInt() throws {
        let values = try Self.draws(.int(try IntDistribution(low: 1, high: 8, log: true)), count: 4000, seed: 6)
        var counts = [Int](repeating: 0, count: 8)
        for value in values {
            #expect(value.rounded() == value && value >= 1 && value <= 8)
            counts[Int(value) - 1] += 1
        }
        let span = log(8.5) - log(0.5)
        let probabilities = (1...8).map { (log(Double($0) + 0.5) - log(Double($0) - 0.5)) / span }
        #expect(Self.chiSquare(counts: counts, probabilities: probabilities) < 24.32)
        // Small values are much more likely than large ones.
        #expect(counts[0] > 3 * counts[7])
    }

    @Test("categorical choices are uniform")
    func categorical() throws {
        let distribution = try CategoricalDistribution(choices: ["a", "b", 3, 4.5, true])
        let values = try Self.draws(.categorical(distribution), count: 4000, seed: 7)
        var counts = [Int](repeating: 0, count: 5)
        for value in values {
            #expect(distribution.contains(value))
            counts[Int(value)] += 1
        }
        // 4 degrees of freedom: 18.47 is the 0.999 quantile.
        #expect(Self.chiSquare(counts: counts, probabilities: Array(repeating: 0.2, count: 5)) < 18.47)
    }

    @Test("a single-valued distribution gives its value")
    func single() throws {
        #expect(try Self.draws(.float(try FloatDistribution(low: 2, high: 2)), count: 5, seed: 8) == [2, 2, 2, 2, 2])
        #expect(try Self.draws(.int(try IntDistribution(low: 3, high: 3)), count: 3, seed: 8) == [3, 3, 3])
        #expect(try Self.draws(.categorical(try CategoricalDistribution(choices: ["only"])), count: 2, seed: 8) == [0, 0])
    }

    @Test("the same seed gives the same sequence, different seeds different ones")
    func seeds() throws {
        let distribution = ParameterDistribution.float(try FloatDistribution(low: 0, high: 1))
        let first = try Self.draws(distribution, count: 50, seed: 42)
        #expect(try Self.draws(distribution, count: 50, seed: 42) == first)
        #expect(try Self.draws(distribution, count: 50, seed: 43) != first)

        let sampler = RandomSampler(seed: 42)
        let study = try Study.create(sampler: sampler, pruner: NopPruner())
        let again = try (0..<50).map { _ in
            try sampler.sampleIndependent(study: study, trial: FrozenTrial(), name: "x", distribution: distribution)
        }
        #expect(again == first)
        sampler.reseed(42)
        #expect(try sampler.sampleIndependent(study: study, trial: FrozenTrial(), name: "x", distribution: distribution) == first[0])
    }

    @Test("a study with a seeded RandomSampler suggests values in every distribution, reproducibly")
    func throughStudy() throws {
        func run(seed: UInt64) throws -> [[String: ParameterValue]] {
            let study = try Study.create(sampler: RandomSampler(seed: seed), pruner: NopPruner())
            try study.optimize(nTrials: 30) { (trial: Trial) -> Double in
                let x = try trial.suggestFloat("x", -1, 1)
                let lr = try trial.suggestFloat("lr", 1e-5, 1e-1, log: true)
                let q = try trial.suggestFloat("q", 0, 1, step: 0.1)
                let n = try trial.suggestInt("n", 1, 64, log: true)
                let k = try trial.suggestInt("k", 0, 10, step: 2)
                let kind = try trial.suggestCategorical("kind", ["sin", "cos", "exp"])
                #expect(x >= -1 && x < 1 && lr >= 1e-5 && lr < 1e-1 && q >= 0 && q <= 1)
                #expect(abs(q * 10 - (q * 10).rounded()) < 1e-9)
                #expect(n >= 1 && n <= 64 && k % 2 == 0 && k >= 0 && k <= 10 && ["sin", "cos", "exp"].contains(kind))
                return x
            }
            return try study.trials().map(\.params)
        }
        let first = try run(seed: 9)
        #expect(first.count == 30)
        #expect(try run(seed: 9) == first)
        #expect(try run(seed: 10) != first)
    }
}
