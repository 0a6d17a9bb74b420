/// The programs not dominated in (error, size) among all those a run evaluated: for each size, the best error
/// at that size or smaller. Kept up to date generation by generation.
public struct ParetoFront: Sendable {
    public struct Entry: Sendable {
        public var program: Program
        /// The raw fitness oriented so that lower is better (the negated score for greater-is-better metrics).
        public var error: Double
        public var rawFitness: Double
        public var length: Int { program.length }
        public var scaling: (offset: Double, scale: Double)
    }

    /// Sorted by increasing size, hence decreasing error.
    public private(set) var entries: [Entry] = []

    public init() {}

    /// Adds one generation's programs (error: `-sign` times the raw fitness) as inserting each in order would:
    /// only the best of each length can enter (the first of equals), so only those are tried.
    mutating func insert(generation individuals: [Individual], sign: Double) {
        var bestOfLength: [Int: Int] = [:]
        for (index, individual) in individuals.enumerated() where individual.rawFitness.isFinite {
            if let current = bestOfLength[individual.length],
               -sign * individuals[current].rawFitness <= -sign * individual.rawFitness { continue }
            bestOfLength[individual.length] = index
        }
        for index in bestOfLength.values.sorted() {
            let individual = individuals[index]
            insert(.init(program: individual.program, error: -sign * individual.rawFitness,
                         rawFitness: individual.rawFitness, scaling: individual.scaling))
        }
    }

    /// Adds `candidate` if no entry is at least as small and at least as good.
    mutating func insert(_ candidate: Entry) {
        guard candidate.error.isFinite else { return }
        if entries.contains(where: { $0.length <= candidate.length && $0.error <= candidate.error }) { return }
        entries.removeAll { $0.length >= candidate.length && $0.error >= candidate.error }
        let position = entries.firstIndex(where: { $0.length > candidate.length }) ?? entries.count
        entries.insert(candidate, at: position)
    }
}
