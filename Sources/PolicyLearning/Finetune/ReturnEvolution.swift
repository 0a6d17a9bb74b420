import Environments
import Foundation
import SymbolicRegression

/// Method (a): genetic programming with episode return as fitness. The first population is the start
/// policies and variations of them; each generation scores every member on the same `fitness_episodes`
/// freshly seeded episodes (mean return − the soft expert penalty − parsimony × size), keeps `elitism` best
/// and breeds the rest by tournament, each child varying one expression of its parent.
struct ReturnEvolution<E: Environment> {
    struct Member: Sendable {
        var programs: [Program]
        var fitness = -Double.infinity
        var meanReturn = -Double.infinity
        var size: Int { programs.reduce(0) { $0 + $1.length } }
    }

    let scorer: EpisodeScorer<E>
    let mutator: ExpressionMutator
    let options: FinetuneOptions
    let threads: Int
    /// A dataset teacher: its expert term, as if paid on every step of a full episode, joins the fitness.
    let expert: ExpertDataset?
    private(set) var population: [Member] = []
    var generator: SeededGenerator

    init(scorer: EpisodeScorer<E>, mutator: ExpressionMutator, options: FinetuneOptions, threads: Int, seed: UInt64,
         expert: ExpertDataset? = nil) {
        self.expert = options.expertWeight > 0 ? expert : nil
        self.scorer = scorer
        self.mutator = mutator
        self.options = options
        self.threads = threads
        generator = SeededGenerator(seed: seed)
    }

    /// The best member of the last generation.
    var best: Member { population.max { $0.fitness < $1.fitness }! }

    /// Replaces the best member's expressions (by PPO's tuned constants, Lamarckian).
    mutating func replaceBest(with programs: [Program]) {
        guard let index = population.indices.max(by: { population[$0].fitness < population[$1].fitness }) else { return }
        population[index].programs = programs
    }

    /// Runs one generation: the first from `starts`, later ones bred from the last; returns the best.
    mutating func generation(starts: [[Program]], logStd: [Double]) -> Member {
        var next: [Member] = []
        if population.isEmpty {
            next = starts.prefix(options.populationSize).map { Member(programs: $0) }
            while next.count < options.populationSize {
                let parent = starts[Int.random(in: 0..<starts.count, using: &generator)]
                next.append(Member(programs: vary(parent, donor: starts[Int.random(in: 0..<starts.count, using: &generator)])))
            }
        } else {
            let ranked = population.indices.sorted { population[$0].fitness > population[$1].fitness }
            next = ranked.prefix(options.elitism).map { population[$0] }
            while next.count < options.populationSize {
                let parent = tournament(), donor = tournament()
                next.append(Member(programs: vary(population[parent].programs, donor: population[donor].programs)))
            }
        }
        let seeds = (0..<options.fitnessEpisodes).map { _ in generator.next() }
        let scores = scorer.score(next.map(\.programs), logStd: logStd, seeds: seeds, threads: threads)
        for index in next.indices {
            next[index].meanReturn = scores[index].meanReturn
            next[index].fitness = scores[index].meanReturn - scores[index].meanPenalty - options.parsimony * Double(next[index].size)
            if let expert {
                let loss = expert.meanLoss(next[index].programs, stepper: scorer.stepper, logStd: logStd, rows: 0..<min(expert.rows, 1000))
                next[index].fitness -= options.expertWeight * loss * Double(scorer.prototype.maxEpisodeSteps)
            }
        }
        population = next
        return best
    }

    mutating func tournament() -> Int {
        var winner = Int.random(in: 0..<population.count, using: &generator)
        for _ in 1..<max(1, options.tournamentSize) {
            let contender = Int.random(in: 0..<population.count, using: &generator)
            if population[contender].fitness > population[winner].fitness { winner = contender }
        }
        return winner
    }

    /// A child: one expression of `parent` varied by an operator drawn with the options' probabilities
    /// (crossover with the same expression of `donor`); a child longer than `max_length` is the parent.
    mutating func vary(_ parent: [Program], donor: [Program]) -> [Program] {
        var child = parent
        let k = Int.random(in: 0..<parent.count, using: &generator)
        let u = generator.nextUnit()
        let o = options
        var varied: Program
        if u < o.pCrossover {
            varied = mutator.crossover(parent[k], donor[k], &generator)
        } else if u < o.pCrossover + o.pSubtreeMutation {
            varied = mutator.subtreeMutation(parent[k], &generator)
        } else if u < o.pCrossover + o.pSubtreeMutation + o.pHoistMutation {
            varied = mutator.hoistMutation(parent[k], &generator)
        } else if u < o.pCrossover + o.pSubtreeMutation + o.pHoistMutation + o.pPointMutation {
            varied = mutator.pointMutation(parent[k], &generator)
        } else if u < o.pCrossover + o.pSubtreeMutation + o.pHoistMutation + o.pPointMutation + o.pConstantMutation {
            varied = mutator.constantMutation(parent[k], &generator)
        } else {
            varied = parent[k]
        }
        if varied.length > mutator.maxLength { varied = parent[k] }
        child[k] = varied
        return child
    }
}
