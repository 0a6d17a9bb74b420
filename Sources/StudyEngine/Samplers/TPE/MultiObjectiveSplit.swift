import Foundation

/// The below set of a multi-objective TPE (Optuna's `_split_complete_trials_multi_objective`): whole
/// non-domination ranks while they fit, then the next rank's tie broken by greedy hypervolume subset
/// selection (`_solve_hssp`).
enum MultiObjectiveSplit {
    /// The `count` best of the COMPLETE trials `numbers` (in number order), by rank then hypervolume.
    static func below(numbers: [Int], store: TPEObservationStore, count: Int) -> [Int] {
        let n = numbers.count
        let count = min(count, n)
        if count <= 0 { return [] }
        if count == n { return numbers }
        let m = store.directions.count
        let losses: [[Double]] = numbers.map { number in
            (0..<m).map { store.loss(store.objectiveValues[number * m + $0], objective: $0) }
        }
        let ranks = nonDominationRanks(losses, needed: count)
        var rankCounts: [Int: Int] = [:]
        for rank in ranks { rankCounts[rank, default: 0] += 1 }
        var lastFullRank = -1
        var total = 0
        for rank in rankCounts.keys.sorted() {
            total += rankCounts[rank]!
            if total <= count { lastFullRank = rank } else { break }
        }
        var below = (0..<n).filter { ranks[$0] <= lastFullRank }
        if below.count < count {
            let tied = (0..<n).filter { ranks[$0] == lastFullRank + 1 }
            let selected = hypervolumeSubset(tied.map { losses[$0] }, size: count - below.count)
            below.append(contentsOf: selected.map { tied[$0] })
        }
        let chosen = Set(below)
        return (0..<n).filter { chosen.contains($0) }.map { numbers[$0] }
    }

    /// Optuna's `_calculate_nondomination_rank`: ranks of the unique loss vectors, peeling Pareto fronts
    /// until `needed` unique vectors are ranked; the rest share the next rank.
    static func nonDominationRanks(_ losses: [[Double]], needed: Int) -> [Int] {
        let unique = uniqueLexsorted(losses)
        var ranks = [Int](repeating: 0, count: unique.rows.count)
        var remaining = Array(unique.rows.indices)
        let needed = min(needed, unique.rows.count)
        var rank = 0
        while unique.rows.count - remaining.count < needed {
            var front: [Int] = []
            var rest: [Int] = []
            for index in remaining {
                let point = unique.rows[index]
                let dominated = front.contains { dominates(unique.rows[$0], point) }
                    || remaining.contains { $0 != index && dominates(unique.rows[$0], point) }
                if dominated { rest.append(index) } else { front.append(index) }
            }
            for index in front { ranks[index] = rank }
            remaining = rest
            rank += 1
        }
        for index in remaining { ranks[index] = rank }
        return losses.indices.map { ranks[unique.inverse[$0]] }
    }

    /// True when a is no worse than b everywhere and better somewhere.
    static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var better = false
        for j in a.indices {
            if a[j] > b[j] { return false }
            if a[j] < b[j] { better = true }
        }
        return better
    }

    /// The distinct rows in lexicographic order, the first occurrence of each, and each row's position.
    static func uniqueLexsorted(_ rows: [[Double]]) -> (rows: [[Double]], firstIndex: [Int], inverse: [Int]) {
        let order = rows.indices.sorted { a, b in
            for j in rows[a].indices where rows[a][j] != rows[b][j] { return rows[a][j] < rows[b][j] }
            return a < b
        }
        var unique: [[Double]] = []
        var first: [Int] = []
        var inverse = [Int](repeating: 0, count: rows.count)
        for index in order {
            if unique.last != rows[index] {
                unique.append(rows[index])
                first.append(index)
            }
            inverse[index] = unique.count - 1
        }
        return (unique, first, inverse)
    }

    /// Optuna's `_solve_hssp`: `size` of the points (indices into `points`) chosen greedily by
    /// hypervolume contribution w.r.t. the reference point max(1.1 worst, 0.9 worst) (zeros -> 1e-12).
    static func hypervolumeSubset(_ points: [[Double]], size: Int) -> [Int] {
        if size >= points.count { return Array(points.indices) }
        let m = points[0].count
        var reference = [Double](repeating: 0, count: m)
        for j in 0..<m {
            let worst = points.map { $0[j] }.max()!
            reference[j] = max(1.1 * worst, 0.9 * worst)
            if reference[j] == 0 { reference[j] = 1e-12 }
        }
        let unique = uniqueLexsorted(points)
        if unique.rows.count < size {
            var chosen = Set(unique.firstIndex)
            for index in points.indices where chosen.count < size && !chosen.contains(index) { chosen.insert(index) }
            return points.indices.filter { chosen.contains($0) }
        }
        if !reference.allSatisfy(\.isFinite) { return Array(unique.firstIndex.prefix(size)) }
        if unique.rows.count == size { return unique.firstIndex }
        // Greedy: add the point of largest hypervolume contribution (the first of equals), repeatedly.
        var selected: [[Double]] = []
        var selectedIndices: [Int] = []
        var candidates = Array(unique.rows.indices)
        var selectedVolume = 0.0
        for _ in 0..<size {
            var bestPosition = 0
            var bestContribution = -Double.infinity
            for (position, candidate) in candidates.enumerated() {
                let contribution = hypervolume(selected + [unique.rows[candidate]], reference: reference) - selectedVolume
                if contribution > bestContribution {
                    bestContribution = contribution
                    bestPosition = position
                }
            }
            let chosen = candidates.remove(at: bestPosition)
            selected.append(unique.rows[chosen])
            selectedIndices.append(unique.firstIndex[chosen])
            selectedVolume = hypervolume(selected, reference: reference)
        }
        return selectedIndices
    }

    /// The hypervolume dominated by `points` (losses) up to `reference`: exact, by the WFG recursion
    /// (inclusive volume of each point minus the volume its successors already cover).
    static func hypervolume(_ points: [[Double]], reference: [Double]) -> Double {
        if points.isEmpty { return 0 }
        let sorted = points.sorted { $0[0] < $1[0] }
        let m = reference.count
        func inclusive(_ p: [Double]) -> Double {
            var volume = 1.0
            for j in 0..<m { volume *= reference[j] - p[j] }
            return volume
        }
        if m == 2 {
            // Sweep in the first objective, keeping the running minimum of the second.
            var volume = 0.0
            var ceiling = reference[1]
            for p in sorted where p[1] < ceiling {
                volume += (reference[0] - p[0]) * (ceiling - p[1])
                ceiling = p[1]
            }
            return volume
        }
        var volume = 0.0
        for (i, p) in sorted.enumerated() {
            let limited = sorted[(i + 1)...].map { q in (0..<m).map { max(p[$0], q[$0]) } }
            let front = limited.filter { q in !limited.contains { dominates($0, q) } }
            var seen = Set<[Double]>()
            let distinct = front.filter { seen.insert($0).inserted }
            volume += inclusive(p) - hypervolume(distinct, reference: reference)
        }
        return volume
    }
}
