import Foundation
import Testing
@testable import StudyEngine

@Suite("NSGAIISampler")
struct NSGAIISamplerTests {
    /// ZDT1 with five parameters: both objectives minimised, the Pareto front is f2 = 1 - sqrt(f1).
    private static func zdt1(_ trial: Trial) throws -> [Double] {
        let x = try (0..<5).map { try trial.suggestFloat("x\($0)", 0, 1) }
        let g = 1 + 9 * x[1...].reduce(0, +) / 4
        return [x[0], g * (1 - (x[0] / g).squareRoot())]
    }

    /// A search space with every kind of distribution; both objectives minimised.
    private static func mixed(_ trial: Trial) throws -> [Double] {
        let x = try trial.suggestFloat("x", -1, 1)
        let lr = try trial.suggestFloat("lr", 1e-4, 1, log: true)
        let q = try trial.suggestFloat("q", 0, 1, step: 0.1)
        let n = try trial.suggestInt("n", 1, 64, log: true)
        let k = try trial.suggestInt("k", 0, 20, step: 4)
        let m = try trial.suggestInt("m", -5, 5)
        let kind = try trial.suggestCategorical("kind", ["sin", "cos", "exp"])
        let penalty = kind == "exp" ? 1.0 : 0.0
        return [x * x + lr + q + penalty, (x - 1) * (x - 1) + Double(n + k + abs(m)) / 10 + penalty]
    }

    private static func check(_ trial: FrozenTrial) {
        for (name, value) in trial.params {
            let distribution = trial.distributions[name]!
            #expect((try? distribution.internalValue(of: value, name: name)) != nil, "\(name)=\(value) outside \(distribution)")
        }
    }

    @Test("values lie in their distributions for every kind of parameter and every crossover")
    func valuesInDomain() throws {
        let crossovers: [any NSGAIICrossover] = [
            try UniformCrossover(), BLXAlphaCrossover(), try SBXCrossover(), try VSBXCrossover(), SPXCrossover(),
            UNDXCrossover(),
        ]
        for crossover in crossovers {
            let sampler = try NSGAIISampler(populationSize: 10, crossover: crossover, seed: 7)
            let study = try Study.create(directions: [.minimize, .minimize], sampler: sampler, pruner: NopPruner())
            try study.optimize(nTrials: 60, catching: .none, objective: Self.mixed)
            let trials = try study.trials()
            #expect(trials.count == 60)
            #expect(trials.allSatisfy { $0.state == .complete && $0.params.count == 7 })
            for trial in trials { Self.check(trial) }
            // Six generations of ten ran.
            #expect(trials.compactMap { $0.systemAttributes[NSGAIISampler.generationKey]?.intValue }.max() == 5)
        }
    }

    @Test("the same seed gives the same trials, another seed other trials")
    func reproducible() throws {
        func run(seed: UInt64) throws -> [[String: ParameterValue]] {
            let study = try Study.create(directions: [.minimize, .minimize],
                                         sampler: try NSGAIISampler(populationSize: 10, seed: seed), pruner: NopPruner())
            try study.optimize(nTrials: 80, objective: Self.mixed)
            return try study.trials().map(\.params)
        }
        let first = try run(seed: 1)
        #expect(try run(seed: 1) == first)
        #expect(try run(seed: 2) != first)
    }

    @Test("generations are recorded in system attributes and each holds populationSize trials")
    func generations() throws {
        let sampler = try NSGAIISampler(populationSize: 10, seed: 3)
        let study = try Study.create(directions: [.minimize, .minimize], sampler: sampler, pruner: NopPruner())
        try study.optimize(nTrials: 55, objective: Self.zdt1)
        let trials = try study.trials()
        for trial in trials {
            #expect(trial.systemAttributes[NSGAIISampler.generationKey] == .int(trial.number / 10))
        }
        let attributes = try study.systemAttributes
        for generation in 1...5 {
            let ids = try #require(attributes[NSGAIISampler.parentCacheKeyPrefix + "\(generation)"]?.arrayValue)
            #expect(ids.count == 10)
            // Parents come from earlier generations.
            for id in ids.compactMap(\.intValue) {
                let parent = try #require(trials.first { $0.id == id })
                #expect(parent.systemAttributes[NSGAIISampler.generationKey]!.intValue! < generation)
            }
            #expect(try sampler.parentPopulation(study: study, generation: generation).count == 10)
            #expect(try sampler.population(study: study, generation: generation - 1).count == 10)
        }
        #expect(attributes[NSGAIISampler.parentCacheKeyPrefix + "6"] == nil)
    }

    @Test("the elite is chosen by non-domination rank: no left-out trial ranks better than a chosen one")
    func eliteByRank() throws {
        let sampler = try NSGAIISampler(populationSize: 10, seed: 4)
        let study = try Study.create(directions: [.minimize, .maximize], sampler: sampler, pruner: NopPruner())
        try study.optimize(nTrials: 40) { (trial: Trial) -> [Double] in
            let v = try Self.zdt1(trial)
            return [v[0], -v[1]]
        }
        for generation in 2...3 {
            let candidates = try sampler.population(study: study, generation: generation - 1)
                + sampler.parentPopulation(study: study, generation: generation - 1)
            #expect(candidates.count == 20)
            let chosen = Set(try sampler.parentPopulation(study: study, generation: generation).map(\.id))
            let ranks = NonDominatedSorting.ranks(losses: candidates.map { [$0.values![0], -$0.values![1]] })
            let worstChosen = zip(candidates, ranks).filter { chosen.contains($0.0.id) }.map(\.1).max()!
            let bestLeftOut = zip(candidates, ranks).filter { !chosen.contains($0.0.id) }.map(\.1).min()!
            #expect(worstChosen <= bestLeftOut)
        }
    }

    @Test("on ZDT1 after 300 trials the Pareto front beats random search's by hypervolume")
    func beatsRandomSearchOnZDT1() throws {
        let reference = [1.1, 3.0]
        func hypervolume(_ sampler: any Sampler) throws -> Double {
            let study = try Study.create(directions: [.minimize, .minimize], sampler: sampler, pruner: NopPruner())
            try study.optimize(nTrials: 300, objective: Self.zdt1)
            let front = try study.bestTrials
            #expect(!front.isEmpty)
            return Hypervolume.compute(trials: front, directions: study.directions, reference: reference)
        }
        let genetic = try hypervolume(try NSGAIISampler(populationSize: 20, seed: 12))
        let random = try hypervolume(RandomSampler(seed: 12))
        // Optuna 5.0.0 on the same problem over 8 seeds: NSGA-II 2.27-2.64, random search 1.34-1.98.
        #expect(genetic > random + 0.2, "NSGA-II \(genetic) vs random \(random)")
        #expect(genetic > 2.2)
    }

    @Test("one objective: later generations are better than the random first one")
    func singleObjective() throws {
        let sampler = try NSGAIISampler(populationSize: 10, seed: 5)
        let study = try Study.create(direction: .minimize, sampler: sampler, pruner: NopPruner())
        try study.optimize(nTrials: 150) { (trial: Trial) -> Double in
            let x = try trial.suggestFloat("x", -5, 5)
            let y = try trial.suggestFloat("y", -5, 5)
            let z = try trial.suggestInt("z", -5, 5)
            return x * x + y * y + Double(z * z)
        }
        func mean(_ trials: [FrozenTrial]) -> Double { trials.map { $0.value! }.reduce(0, +) / Double(trials.count) }
        let first = try sampler.population(study: study, generation: 0)
        let last = try sampler.population(study: study, generation: 14)
        #expect(first.count == 10 && last.count == 10)
        #expect(mean(last) < mean(first) / 2, "first \(mean(first)) last \(mean(last))")
    }

    @Test("arguments out of range are rejected")
    func invalidArguments() {
        #expect(throws: NSGAIISamplerError.self) { try NSGAIISampler(populationSize: 1) }
        #expect(throws: NSGAIISamplerError.self) { try NSGAIISampler(populationSize: 2, crossover: SPXCrossover()) }
        #expect(throws: NSGAIISamplerError.probabilityOutOfRange(argument: "mutationProbability", value: 1.5)) {
            try NSGAIISampler(mutationProbability: 1.5)
        }
        #expect(throws: NSGAIISamplerError.self) { try NSGAIISampler(crossoverProbability: -0.1) }
        #expect(throws: NSGAIISamplerError.self) { try SBXCrossover(eta: -1) }
        #expect(throws: NSGAIISamplerError.self) { try VSBXCrossover(useChildGeneProbability: 0) }
    }

    // MARK: Parts

    @Test("crossovers: uniform takes each coordinate from a parent, BLX stays in the widened interval")
    func crossoverParts() throws {
        let random = RandomSource(seed: 1)
        let parents = [[0.0, 1.0, 2.0, 3.0], [10.0, 11.0, 12.0, 13.0], [5.0, 5.0, 5.0, 5.0]]
        let lower = [-20.0, -20, -20, -20], upper = [20.0, 20, 20, 20]
        for _ in 0..<50 {
            let child = try UniformCrossover().crossover(parents: parents, lowerBounds: lower, upperBounds: upper,
                                                         isMultiObjective: true, random: random)
            #expect(child.indices.allSatisfy { child[$0] == parents[0][$0] || child[$0] == parents[1][$0] })
            let blend = BLXAlphaCrossover(alpha: 0.5).crossover(parents: parents, lowerBounds: lower, upperBounds: upper,
                                                                isMultiObjective: true, random: random)
            #expect(blend.indices.allSatisfy { blend[$0] >= parents[0][$0] - 5 && blend[$0] <= parents[1][$0] + 5 })
            for crossover in [try SBXCrossover(), try VSBXCrossover(), SPXCrossover(), UNDXCrossover()] as [any NSGAIICrossover] {
                let child = crossover.crossover(parents: parents, lowerBounds: lower, upperBounds: upper,
                                                isMultiObjective: false, random: random)
                #expect(child.count == 4 && child.allSatisfy(\.isFinite))
            }
        }
        // Parents that agree give back the same point under SBX with genes from the parents.
        let same = [[1.0, 2.0], [1.0, 2.0]]
        let child = try SBXCrossover(useChildGeneProbability: 1e-12).crossover(
            parents: same, lowerBounds: [0, 0], upperBounds: [5, 5], isMultiObjective: true, random: random)
        #expect(child == [1.0, 2.0])
    }

    @Test("non-domination ranks and crowding distances")
    func sorting() {
        let losses: [[Double]] = [[1, 5], [2, 3], [3, 1], [2, 4], [4, 4], [2, 3], [5, 5]]
        #expect(NonDominatedSorting.ranks(losses: losses) == [0, 0, 0, 1, 2, 0, 3])
        #expect(NonDominatedSorting.ranks(losses: [[3], [1], [2], [1]]) == [2, 0, 1, 0])
        let distances = NonDominatedSorting.crowdingDistances(values: [[1, 5], [2, 3], [3, 1]])
        #expect(distances[0] == .infinity && distances[2] == .infinity)
        #expect(abs(distances[1] - 2) < 1e-12)  // (3-1)/2 + (5-1)/4
        #expect(NonDominatedSorting.crowdingOrder(values: [[1, 5], [2, 3], [3, 1]]).last == 1)
        #expect(NonDominatedSorting.crowdingDistances(values: [[1, 1], [1, 1]]) == [0, 0])
    }

    @Test("hypervolume in one, two and three dimensions")
    func hypervolume() {
        #expect(Hypervolume.compute(points: [[1, 3], [2, 2], [3, 1]], reference: [4, 4]) == 6)
        #expect(Hypervolume.compute(points: [[1, 3], [2, 2], [3, 1], [3, 3], [5, 0]], reference: [4, 4]) == 6)
        #expect(Hypervolume.compute(points: [[0.5], [2]], reference: [3]) == 2.5)
        #expect(Hypervolume.compute(points: [], reference: [1, 1]) == 0)
        // Inclusion-exclusion: 2 + 4 - 1.
        #expect(Hypervolume.compute(points: [[0, 1, 1], [1, 0, 0]], reference: [2, 2, 2]) == 5)
        #expect(Hypervolume.compute(points: [[0, 0, 0]], reference: [1, 2, 3]) == 6)
        // A flat third objective leaves the two-dimensional volume.
        #expect(Hypervolume.compute(points: [[1, 3, 0], [2, 2, 0], [3, 1, 0]], reference: [4, 4, 1]) == 6)
        // Maximised objectives: the reference lies below.
        let trial = FrozenTrial(state: .complete, values: [3, 1])
        #expect(Hypervolume.compute(trials: [trial], directions: [.maximize, .minimize], reference: [0, 2]) == 3)
    }
}
