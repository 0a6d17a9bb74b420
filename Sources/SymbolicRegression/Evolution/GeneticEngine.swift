import Foundation

/// The generational loop shared by the regressor, the classifier and the transformer: gplearn's evolution
/// (tournaments, crossover and mutations, parsimony, stopping criteria, run details) with the fast
/// evaluator, several threads, bloat limits, constant fitting and a Pareto archive.
final class GeneticEngine {
    private(set) var parameters: GPParameters
    let seed: UInt64
    let featureCount: Int
    private(set) var population: [Individual] = []
    private(set) var runDetails: [GenerationRecord] = []
    private(set) var pareto = ParetoFront()
    /// Programs' lengths times rows, summed over every program evaluated (gplearn's and Operon's count).
    private(set) var nodeEvaluations = 0.0
    /// The part of `nodeEvaluations` actually computed: a subtree shared by several programs counts once.
    private(set) var computedNodeEvaluations = 0.0
    private(set) var constantFittingEvaluations = 0.0
    private(set) var stopReason = StopReason.generations
    private let sharingWorkspace = SharingWorkspace()
    /// Per individual of `population`, the worker that bred and scored it (its memory is in that core's cache).
    private var heldBy: [Int] = []

    init(parameters: GPParameters, featureCount: Int) {
        self.parameters = parameters
        self.featureCount = featureCount
        self.seed = parameters.randomState ?? UInt64.random(in: 0...UInt64.max)
    }

    var generationsDone: Int { runDetails.count }

    /// Parameters of a warm-started fit (more generations, other probabilities); the seed stays.
    func updateParameters(_ parameters: GPParameters) {
        self.parameters = parameters
    }

    /// Evolves from the current state (none, or a warm start) up to `parameters.generations`.
    func run(fitness: FitnessFunction, exact: ExactEvaluator, data: Dataset, target: [Double],
             callback: GenerationCallback?) {
        let p = parameters
        let generator = ProgramGenerator(parameters: p, featureCount: featureCount)
        var master = RandomSource(seed: seed)
        for _ in 0..<(generationsDone * p.populationSize) { _ = master.next() }
        let thresholds = p.methodThresholds
        let greater = p.metric.greaterIsBetter
        let sampled = p.maxSamples < 1 ? Int(p.maxSamples * Double(fitness.rows)) : fitness.rows
        let optimizer = p.constantFitting.map {
            ConstantOptimizer(settings: $0, functionSet: p.functionSet, data: data, target: target,
                              linearScaling: p.linearScaling, seed: seed)
        }
        if p.verbose { FileHandle.standardError.write((GenerationRecord.tableHeader + "\n").data(using: .utf8)!) }
        stopReason = .generations

        for generation in generationsDone..<p.generations {
            let started = Date()
            let seeds = (0..<p.populationSize).map { _ in master.next() }
            let parents = population
            let elites = Self.best(p.elitism, of: parents, greater)
            // Breed first, then score: the whole generation's programs are known before any is evaluated, so
            // the subtrees they share are computed once (SharedSubtrees).
            var bred = [(program: Program, origin: Origin, mask: [Bool]?)?](repeating: nil, count: p.populationSize)
            // Each child goes to the worker that holds its first parent: the parent is read on the core where it
            // was made, and a family's members, which share most subtrees, are hash-consed and scored together.
            let (order, bounds) = Self.families(parents: parents, heldBy: heldBy, seeds: seeds, elites: elites.count,
                                                tournamentSize: p.tournamentSize, greater: greater, threads: p.threads)
            bred.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let out = buffer
                ParallelLoop.runOwned(count: p.populationSize, threads: p.threads, bounds: bounds) { _, position in
                    let index = order[position]
                    guard index >= elites.count else { return }
                    var rng = RandomSource(seed: seeds[index])
                    var (program, origin) = parents.isEmpty
                        ? (generator.build(&rng), Origin.initial)
                        : Self.breed(parents, generator, thresholds, p.tournamentSize, greater, &rng)
                    if let parent = Self.parentIndex(origin), Self.breaksLimits(program, p) {
                        program = parents[parent].program
                        origin = .bloatRejected(parent: parent)
                    }
                    var mask: [Bool]? = nil
                    if sampled < fitness.rows {
                        let outOfBag = rng.sampleMask(n: fitness.rows, count: fitness.rows - sampled)
                        mask = outOfBag.map { !$0 }
                    }
                    out[index] = (program, origin, mask)
                }
            }
            let shared = p.subtreeSharing
                ? SharedSubtrees(programs: bred.map { $0?.program }, featureCount: fitness.data.featureCount,
                                 stride: fitness.data.stride, minimumFunctions: Self.sharedMinimumFunctions,
                                 maximumColumns: Self.sharedMaximumColumns(rows: fitness.rows), threads: p.threads,
                                 workspace: sharingWorkspace, order: order, bounds: bounds)
                : nil
            // A program that is another one of this generation has its score (when both see all the rows).
            let scoredAs: (Int) -> Int = { index in
                guard let shared, bred[index]?.mask == nil, shared.firstCopy[index] >= 0 else { return index }
                return shared.firstCopy[index]
            }
            var offspring = [Individual?](repeating: nil, count: p.populationSize)
            for index in elites.indices {
                var elite = parents[elites[index]]
                elite.origin = .elite(parent: elites[index])
                offspring[index] = elite
            }
            // One loop: the shared columns first, then the programs, each waiting for the columns it reads.
            let columnCount = shared?.columns.count ?? 0
            var scored = order.filter { $0 >= elites.count && scoredAs($0) == $0 }
            // The columns in order, then each worker first scores the programs it bred (their nodes and marks are
            // in its cache), those that read no column or only early ones first (the last columns are still being
            // computed then).
            var scoreBounds: [Int]? = nil
            if p.threads > 1 {
                // `scored` follows `order`: worker w's share starts where its first program is.
                var workerAt = [Int](repeating: 0, count: p.populationSize)
                for worker in 0..<p.threads { for position in bounds[worker]..<bounds[worker + 1] { workerAt[order[position]] = worker } }
                var ends = [Int](repeating: columnCount + scored.count, count: p.threads + 1)
                ends[0] = columnCount
                for (position, index) in scored.enumerated().reversed() {
                    for worker in Swift.stride(from: 1, through: workerAt[index], by: 1) { ends[worker] = columnCount + position }
                }
                scoreBounds = ends
                if let shared {
                    var lastColumn = [Int32](repeating: -1, count: p.populationSize)
                    for index in scored { lastColumn[index] = shared.marks[index].reduce(-1) { Swift.max($0, $1.column) } }
                    for worker in 0..<p.threads {
                        let range = ends[worker] - columnCount..<ends[worker + 1] - columnCount
                        scored[range].sort { (lastColumn[$0], $0) < (lastColumn[$1], $1) }
                    }
                }
            }
            offspring.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let out = buffer
                ParallelLoop.runOwned(count: columnCount + scored.count, threads: p.threads, chunk: 1,
                                      shared: columnCount, bounds: scoreBounds) { worker, item in
                    if item < columnCount {
                        shared!.computeColumn(item, with: fitness, worker: worker)
                        return
                    }
                    let index = scored[item - columnCount]
                    let (program, origin, mask) = bred[index]!
                    let marks = shared?.marks[index] ?? []
                    shared?.waitFor(marks)
                    let score = fitness.score(program, inBag: mask, worker: worker, marks: marks, shared: shared)
                    out[index] = Individual(program: program, rawFitness: score.raw, fitness: score.raw,
                                            oobFitness: score.oob, origin: origin, scaling: score.scaling)
                }
            }
            for index in elites.count..<p.populationSize where scoredAs(index) != index {
                var copy = offspring[scoredAs(index)]!
                copy.origin = bred[index]!.origin
                copy.program = bred[index]!.program
                offspring[index] = copy
            }
            var next = offspring.map { $0! }
            let nominal = next.dropFirst(elites.count).reduce(0) { $0 + $1.length }
            nodeEvaluations += Double(nominal) * Double(fitness.rows)
            computedNodeEvaluations += Double(shared?.computedNodes ?? nominal) * Double(fitness.rows)

            if let optimizer, optimizer.settings.iterations > 0 {
                let before = nodeEvaluations
                constantFittingEvaluations += optimizer.improve(&next, fitness: fitness, greaterIsBetter: greater,
                                                                threads: p.threads, evaluations: &nodeEvaluations)
                computedNodeEvaluations += nodeEvaluations - before
            }

            let coefficient = Self.parsimony(next, p, greater)
            for index in next.indices {
                let raw = next[index].rawFitness.isFinite ? next[index].rawFitness : p.metric.worst
                next[index].rawFitness = raw
                next[index].fitness = raw - coefficient * Double(next[index].length) * p.metric.sign
            }
            population = next
            heldBy = [Int](repeating: 0, count: p.populationSize)
            for worker in 0..<p.threads { for position in bounds[worker]..<bounds[worker + 1] { heldBy[order[position]] = worker } }
            let best = Self.bestIndex(next.map(\.rawFitness), greater)
            pareto.insert(generation: next, sign: p.metric.sign)
            let record = GenerationRecord(
                generation: generation,
                averageLength: Double(next.reduce(0) { $0 + $1.length }) / Double(next.count),
                averageFitness: next.reduce(0.0) { $0 + $1.rawFitness } / Double(next.count),
                bestLength: next[best].length, bestFitness: next[best].rawFitness,
                bestOOBFitness: next[best].oobFitness ?? .nan,
                generationTime: Date().timeIntervalSince(started))
            runDetails.append(record)
            if p.verbose {
                FileHandle.standardError.write((record.tableLine(totalGenerations: p.generations) + "\n").data(using: .utf8)!)
            }
            let report = GenerationReport(record: record, bestProgram: next[best].program, bestRawFitness: next[best].rawFitness,
                                          nodeEvaluations: nodeEvaluations, greaterIsBetter: greater)
            if callback?(report) == .stop { stopReason = .callback; break }
            let bestFitness = next[best].rawFitness
            if greater ? bestFitness >= p.stoppingCriteria : bestFitness <= p.stoppingCriteria {
                stopReason = .stoppingCriteria
                break
            }
        }
    }

    /// Shared subtrees have at least this many operators. Even one pays: on gplearn's settings sharing subtrees of
    /// one operator too made a whole fit 10-15 % faster than sharing only those of two or more.
    static let sharedMinimumFunctions = 1

    /// Shared columns are kept under 64 MiB per generation (those that save the most nodes).
    static func sharedMaximumColumns(rows: Int) -> Int { max(16, (64 << 20) / (4 * max(1, rows))) }

    /// Indices of the `count` fittest individuals, best first, the earlier of equals first (the prefix of a
    /// stable sort, without sorting the whole population).
    static func best(_ count: Int, of individuals: [Individual], _ greater: Bool) -> [Int] {
        guard count > 0 else { return [] }
        var chosen: [Int] = []
        chosen.reserveCapacity(count + 1)
        func better(_ a: Int, _ b: Int) -> Bool {
            greater ? individuals[a].fitness > individuals[b].fitness : individuals[a].fitness < individuals[b].fitness
        }
        for index in individuals.indices {
            if chosen.count == count, !better(index, chosen[count - 1]) { continue }
            // After every one it is not better than: equals stay in index order.
            var position = chosen.count
            while position > 0, better(index, chosen[position - 1]) { position -= 1 }
            chosen.insert(index, at: position)
            if chosen.count > count { chosen.removeLast() }
        }
        return chosen
    }

    /// The winner of a tournament of `tournamentSize` parents drawn from `rng`.
    static func tournament(_ parents: [Individual], _ tournamentSize: Int, _ greater: Bool,
                           _ rng: inout RandomSource) -> Int {
        var best = rng.integer(below: parents.count)
        for _ in 1..<max(1, tournamentSize) {
            let contender = rng.integer(below: parents.count)
            let a = parents[contender].fitness, b = parents[best].fitness
            if greater ? a > b : a < b { best = contender }
        }
        return best
    }

    /// Which worker breeds and scores each child: the order of the population's indices, worker by worker, and
    /// where each worker's share starts (`threads + 1` bounds). A child goes to the worker that holds its first
    /// parent (drawn as `breed` draws it from the child's seed) unless that worker has its share already; the
    /// first generation and elites are split evenly by index.
    static func families(parents: [Individual], heldBy: [Int], seeds: [UInt64], elites: Int, tournamentSize: Int,
                         greater: Bool, threads: Int) -> (order: [Int], bounds: [Int]) {
        let count = seeds.count
        var worker = (0..<count).map { ParallelLoop.owner(of: $0, count: count, threads: threads) }
        if threads > 1, !parents.isEmpty, heldBy.count == parents.count {
            let share = (count + threads - 1) / threads
            var load = [Int](repeating: 0, count: threads)
            var firstParent = [Int](repeating: -1, count: count)
            firstParent.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let out = buffer
                ParallelLoop.runOwned(count: count, threads: threads, chunk: 32) { _, index in
                    guard index >= elites else { return }
                    var rng = RandomSource(seed: seeds[index])
                    _ = rng.uniform()
                    out[index] = tournament(parents, tournamentSize, greater, &rng)
                }
            }
            for index in 0..<count {
                var chosen = firstParent[index] >= 0 ? Swift.min(threads - 1, heldBy[firstParent[index]]) : worker[index]
                if load[chosen] >= share { chosen = load.indices.min { load[$0] < load[$1] }! }
                worker[index] = chosen
                load[chosen] += 1
            }
        }
        var bounds = [Int](repeating: 0, count: threads + 1)
        for index in 0..<count { bounds[worker[index] + 1] += 1 }
        for w in 0..<threads { bounds[w + 1] += bounds[w] }
        var next = Array(bounds.dropLast())
        var order = [Int](repeating: 0, count: count)
        for index in 0..<count {
            order[next[worker[index]]] = index
            next[worker[index]] += 1
        }
        return (order, bounds)
    }

    static func breed(_ parents: [Individual], _ generator: ProgramGenerator, _ thresholds: [Double],
                      _ tournamentSize: Int, _ greater: Bool, _ rng: inout RandomSource) -> (Program, Origin) {
        func tournament() -> Int { Self.tournament(parents, tournamentSize, greater, &rng) }
        let method = rng.uniform()
        let parent = tournament()
        let program = parents[parent].program
        if method < thresholds[0] {
            let donor = tournament()
            return (generator.crossover(program, parents[donor].program, &rng), .crossover(parent: parent, donor: donor))
        } else if method < thresholds[1] {
            return (generator.subtreeMutation(program, &rng), .subtreeMutation(parent: parent))
        } else if method < thresholds[2] {
            return (generator.hoistMutation(program, &rng), .hoistMutation(parent: parent))
        } else if method < thresholds[3] {
            return (generator.pointMutation(program, &rng), .pointMutation(parent: parent))
        }
        return (program, .reproduction(parent: parent))
    }

    static func parentIndex(_ origin: Origin) -> Int? {
        switch origin {
        case .initial: return nil
        case .crossover(let p, _), .subtreeMutation(let p), .hoistMutation(let p), .pointMutation(let p),
             .reproduction(let p), .bloatRejected(let p), .elite(let p): return p
        }
    }

    static func breaksLimits(_ program: Program, _ p: GPParameters) -> Bool {
        if let maxLength = p.maxLength, program.length > maxLength { return true }
        if let maxDepth = p.maxDepth, program.depth > maxDepth { return true }
        return false
    }

    /// gplearn's parsimony coefficient: fixed, or cov(length, fitness) / var(length) ("auto", with NumPy's
    /// ddof: 1 for the covariance, 0 for the variance).
    static func parsimony(_ individuals: [Individual], _ p: GPParameters, _ greater: Bool) -> Double {
        switch p.parsimonyCoefficient {
        case .fixed(let c): return c
        case .auto:
            let n = Double(individuals.count)
            guard individuals.count > 1 else { return 0 }
            let lengths = individuals.map { Double($0.length) }
            let raws = individuals.map { $0.rawFitness.isFinite ? $0.rawFitness : p.metric.worst }
            let ml = lengths.reduce(0, +) / n, mf = raws.reduce(0, +) / n
            var cov = 0.0, variance = 0.0
            for i in lengths.indices { cov += (lengths[i] - ml) * (raws[i] - mf); variance += (lengths[i] - ml) * (lengths[i] - ml) }
            cov /= (n - 1); variance /= n
            let c = cov / variance
            return c.isFinite ? c : 0
        }
    }

    /// Index of the best value (first of ties), as NumPy's argmax/argmin.
    static func bestIndex(_ values: [Double], _ greater: Bool) -> Int {
        var best = 0
        for index in values.indices.dropFirst() {
            if greater ? values[index] > values[best] : values[index] < values[best] { best = index }
        }
        return best
    }
}
