import Synchronization

/// The NSGA-II genetic algorithm for one or several objectives (Optuna's `NSGAIISampler`; Deb et al.,
/// "A fast and elitist multiobjective genetic algorithm: NSGA-II", 2002).
///
/// Trials are grouped into generations of `populationSize` COMPLETE trials; a trial's generation is its
/// system attribute `NSGAIISampler:generation`. The first generation is random. The parents of
/// generation `g` are the elite of generation `g - 1` together with that generation's parents: the best
/// `populationSize` by non-domination rank, ties within the last rank broken by crowding distance; their
/// trial ids are cached in the study's system attribute `NSGAIISampler:parent:g`, as in Optuna. A child
/// picks parents by binary tournament, crosses them with probability `crossoverProbability` (otherwise it
/// copies one parent), and then each parameter mutates with probability `mutationProbability` (default
/// `1 / number of parameters`): a mutated parameter is drawn uniformly at random (`UniformSampling`).
/// Categorical parameters always cross uniformly; numerical ones use `crossover` in the transformed space
/// (log for log parameters). Only the parameters every complete trial shares (the intersection search
/// space) take part; any other parameter is drawn at random.
///
/// Differences from Optuna: a trial's generation is fixed when the trial starts (in `beforeTrial`), so
/// enqueued trials with every parameter fixed join the current generation (Optuna leaves them out);
/// cached parent populations are read back in trial-number order both when computed and when cached;
/// a crossover that keeps producing values outside their distributions gives up after 10,000 attempts
/// and copies the first parent; constraints (Optuna's deprecated `constraints_func`) and mutation
/// operators other than random resampling are not implemented.
public final class NSGAIISampler: Sampler {
    /// The trial system attribute holding the trial's generation.
    public static let generationKey = "NSGAIISampler:generation"
    /// The prefix of the study system attributes caching each generation's parent trial ids.
    public static let parentCacheKeyPrefix = "NSGAIISampler:parent:"

    /// Complete trials per generation, and the number of parents kept.
    public let populationSize: Int
    /// The probability that a parameter is redrawn at random; nil: 1 / number of parameters.
    public let mutationProbability: Double?
    /// The crossover of numerical parameters.
    public let crossover: any NSGAIICrossover
    /// The probability that a child is a crossover of parents rather than a copy of one.
    public let crossoverProbability: Double
    /// The probability of taking a categorical parameter from the second parent.
    public let swappingProbability: Double

    /// A crossover that keeps producing values outside their distributions gives up after this many tries.
    static let maximumCrossoverAttempts = 10_000

    private struct State {
        let independentRandom: RandomSource
        let geneticRandom: RandomSource
    }

    /// COMPLETE trials only, as Optuna's NSGA-II asks for.
    private let searchSpace = IntersectionSearchSpace(includePruned: false)

    private let state: Mutex<State>

    /// - Parameters:
    ///   - populationSize: at least 2, and at least the crossover's parent count.
    ///   - mutationProbability: in [0, 1], or nil for 1 / number of parameters.
    ///   - crossover: `UniformCrossover(swappingProbability:)` when nil.
    ///   - crossoverProbability: in [0, 1].
    ///   - swappingProbability: in [0, 1]; used for categorical parameters and the default crossover.
    ///   - seed: nil seeds from the system's entropy.
    /// - Throws: `NSGAIISamplerError` for an argument out of range.
    public init(populationSize: Int = 50, mutationProbability: Double? = nil, crossover: (any NSGAIICrossover)? = nil,
                crossoverProbability: Double = 0.9, swappingProbability: Double = 0.5,
                seed: UInt64? = nil) throws(NSGAIISamplerError) {
        for (name, value) in [("mutationProbability", mutationProbability), ("crossoverProbability", crossoverProbability),
                              ("swappingProbability", swappingProbability)] {
            if let value, !(0...1).contains(value) { throw .probabilityOutOfRange(argument: name, value: value) }
        }
        let chosenCrossover: any NSGAIICrossover
        if let crossover {
            chosenCrossover = crossover
        } else {
            chosenCrossover = try UniformCrossover(swappingProbability: swappingProbability)
        }
        let crossover = chosenCrossover
        guard populationSize >= 2 else {
            throw .populationTooSmall(populationSize: populationSize, minimum: 2, crossover: "\(type(of: crossover))")
        }
        guard populationSize >= crossover.parentCount else {
            throw .populationTooSmall(populationSize: populationSize, minimum: crossover.parentCount,
                                      crossover: "\(type(of: crossover))")
        }
        self.populationSize = populationSize
        self.mutationProbability = mutationProbability
        self.crossover = crossover
        self.crossoverProbability = crossoverProbability
        self.swappingProbability = swappingProbability
        let independent = RandomSource(seed: seed)
        // A stream of its own for the genetic choices, derived from the seed.
        let genetic = RandomSource(seed: seed.map { $0 ^ 0x9E37_79B9_7F4A_7C15 } ?? independent.nextSeed())
        state = Mutex(State(independentRandom: independent, geneticRandom: genetic))
    }

    /// Restarts both random sequences from `seed`.
    public func reseed(_ seed: UInt64?) {
        state.withLock { state in
            state.independentRandom.reseed(seed)
            state.geneticRandom.reseed(seed.map { $0 ^ 0x9E37_79B9_7F4A_7C15 } ?? state.independentRandom.nextSeed())
        }
    }

    // MARK: Sampler

    public func beforeTrial(study: Study, trial: FrozenTrial) throws {
        // The trial handed in was just read from storage: no need to read it again.
        if trial.systemAttributes[Self.generationKey] == nil { _ = try assignGeneration(to: trial, study: study) }
    }

    public func inferRelativeSearchSpace(study: Study, trial: FrozenTrial) throws -> [String: ParameterDistribution] {
        try searchSpace.calculate(study: study).filter { !$0.value.isSingle }
    }

    public func sampleRelative(study: Study, trial: FrozenTrial, searchSpace: [String: ParameterDistribution]) throws -> [String: Double] {
        let generation = try generation(of: trial, study: study)
        let parents = try parentPopulation(study: study, generation: generation)
        if parents.isEmpty || searchSpace.isEmpty { return [:] }
        return state.withLock { state in
            childParameters(study: study, searchSpace: searchSpace, parents: parents, random: state.geneticRandom)
        }
    }

    public func sampleIndependent(study: Study, trial: FrozenTrial, name: String, distribution: ParameterDistribution) throws -> Double {
        state.withLock { UniformSampling.sample(distribution, using: $0.independentRandom) }
    }

    // MARK: Generations

    /// The generation of `trial`: recorded, or else the latest generation while it has fewer than
    /// `populationSize` complete trials and the next one after that (then recorded).
    public func generation(of trial: FrozenTrial, study: Study) throws -> Int {
        if let recorded = trial.systemAttributes[Self.generationKey]?.intValue { return recorded }
        if let recorded = try study.storage.trial(id: trial.id).systemAttributes[Self.generationKey]?.intValue {
            return recorded
        }
        return try assignGeneration(to: trial, study: study)
    }

    /// Computes and records the generation of a trial that has none.
    private func assignGeneration(to trial: FrozenTrial, study: Study) throws -> Int {
        var latest = 0, latestCount = 0
        for complete in try study.trials(states: [.complete]) {
            let generation = complete.systemAttributes[Self.generationKey]?.intValue ?? -1
            if generation > latest {
                latest = generation
                latestCount = 1
            } else if generation == latest {
                latestCount += 1
            }
        }
        let generation = latestCount < populationSize ? latest : latest + 1
        try study.storage.setTrialSystemAttribute(trialID: trial.id, key: Self.generationKey, value: .int(generation))
        return generation
    }

    /// The COMPLETE trials of `generation`, in number order.
    public func population(study: Study, generation: Int) throws -> [FrozenTrial] {
        try study.trials(states: [.complete]).filter { $0.systemAttributes[Self.generationKey]?.intValue == generation }
    }

    /// The parents of `generation` (none for generation 0), in number order; selected once and cached
    /// in the study's system attributes.
    public func parentPopulation(study: Study, generation: Int) throws -> [FrozenTrial] {
        if generation <= 0 { return [] }
        let key = Self.parentCacheKeyPrefix + String(generation)
        if let cached = try study.storage.studySystemAttributes(id: study.id)[key]?.arrayValue {
            let ids = Set(cached.compactMap(\.intValue))
            return try study.trials().filter { ids.contains($0.id) }
        }
        let candidates = try population(study: study, generation: generation - 1)
            + parentPopulation(study: study, generation: generation - 1)
        let elite = selectElite(candidates, directions: study.directions)
        try study.storage.setStudySystemAttribute(studyID: study.id, key: key, value: .array(elite.map { .int($0.id) }))
        return elite.sorted { $0.number < $1.number }
    }

    /// The best `populationSize` of `population`: whole fronts by non-domination rank, then the most
    /// crowded-apart of the front that does not fit.
    func selectElite(_ population: [FrozenTrial], directions: [StudyDirection]) -> [FrozenTrial] {
        let candidates = population.filter { trial in
            guard let values = trial.values, values.count == directions.count else { return false }
            return !values.contains(where: \.isNaN)
        }
        let losses = candidates.map { trial in zip(trial.values!, directions).map { $1.loss($0) } }
        let ranks = NonDominatedSorting.ranks(losses: losses)
        var fronts = [[FrozenTrial]](repeating: [], count: (ranks.max() ?? -1) + 1)
        for (trial, rank) in zip(candidates, ranks) { fronts[rank].append(trial) }
        var elite: [FrozenTrial] = []
        for front in fronts {
            if elite.count + front.count < populationSize {
                elite.append(contentsOf: front)
            } else {
                let order = NonDominatedSorting.crowdingOrder(values: front.map { $0.values! })
                elite.append(contentsOf: order.prefix(populationSize - elite.count).map { front[$0] })
                break
            }
        }
        return elite
    }

    // MARK: Children

    /// A child's values for the search space, minus the parameters that mutate (drawn at random later).
    private func childParameters(study: Study, searchSpace: [String: ParameterDistribution], parents: [FrozenTrial],
                                 random: RandomSource) -> [String: Double] {
        let names = searchSpace.keys.sorted()
        let categorical = names.filter { if case .categorical = searchSpace[$0]! { return true } else { return false } }
        let numerical = names.filter { if case .categorical = searchSpace[$0]! { return false } else { return true } }
        // Every parent must carry every parameter (complete trials of the intersection do).
        let usable = parents.filter { parent in names.allSatisfy { parent.internalValue(of: $0) != nil } }
        guard usable.count >= crossover.parentCount else { return [:] }

        var child: [String: Double]
        if random.uniform() < crossoverProbability {
            child = crossedParameters(study: study, categorical: categorical, numerical: numerical,
                                      searchSpace: searchSpace, parents: usable, random: random)
        } else {
            let parent = usable[random.integer(below: usable.count)]
            child = Dictionary(uniqueKeysWithValues: names.map { ($0, parent.internalValue(of: $0)!) })
        }
        let probability = mutationProbability ?? 1 / Double(max(1, child.count))
        var kept: [String: Double] = [:]
        for name in categorical + numerical where random.uniform() >= probability {
            kept[name] = child[name]
        }
        return kept
    }

    /// Tournament-selected parents crossed until every value lies in its distribution.
    private func crossedParameters(study: Study, categorical: [String], numerical: [String],
                                   searchSpace: [String: ParameterDistribution], parents: [FrozenTrial],
                                   random: RandomSource) -> [String: Double] {
        let transform = numerical.isEmpty ? nil
            : NumericalSearchSpaceTransform(distributions: numerical.map { searchSpace[$0]! })
        var chosen: [FrozenTrial] = []
        for _ in 0..<Self.maximumCrossoverAttempts {
            chosen = selectParents(from: parents, directions: study.directions, random: random)
            var child: [String: Double] = [:]
            for name in categorical {
                let parent = random.uniform() >= swappingProbability ? chosen[chosen.count - 1] : chosen[0]
                child[name] = parent.internalValue(of: name)!
            }
            if let transform {
                let points = chosen.map { parent in transform.transform(numerical.map { parent.internalValue(of: $0)! }) }
                let crossed = crossover.crossover(parents: points, lowerBounds: transform.lowerBounds,
                                                  upperBounds: transform.upperBounds,
                                                  isMultiObjective: study.isMultiObjective, random: random)
                for (name, value) in zip(numerical, transform.untransform(crossed)) { child[name] = value }
            }
            if child.allSatisfy({ searchSpace[$0.key]!.contains(internalValue: $0.value) }) { return child }
        }
        let parent = chosen.first ?? parents[0]
        return Dictionary(uniqueKeysWithValues: (categorical + numerical).map { ($0, parent.internalValue(of: $0)!) })
    }

    /// `crossover.parentCount` distinct parents, each the winner of a binary tournament.
    private func selectParents(from population: [FrozenTrial], directions: [StudyDirection],
                               random: RandomSource) -> [FrozenTrial] {
        var chosen: [FrozenTrial] = []
        for _ in 0..<crossover.parentCount {
            let remaining = population.filter { candidate in !chosen.contains { $0.id == candidate.id } }
            let first = remaining[random.integer(below: remaining.count)]
            let second = remaining[random.integer(below: remaining.count)]
            chosen.append(Self.dominates(first, second, directions: directions) ? first : second)
        }
        return chosen
    }

    /// Optuna's `_dominates` for trials: a complete trial dominates an incomplete one; equal values do not dominate.
    static func dominates(_ a: FrozenTrial, _ b: FrozenTrial, directions: [StudyDirection]) -> Bool {
        guard a.state == .complete, let x = a.values else { return false }
        guard b.state == .complete, let y = b.values else { return true }
        var strictlyBetter = false
        for index in directions.indices {
            let lossX = directions[index].loss(x[index]), lossY = directions[index].loss(y[index])
            if lossX > lossY { return false }
            if lossX < lossY { strictlyBetter = true }
        }
        return strictlyBetter
    }
}
