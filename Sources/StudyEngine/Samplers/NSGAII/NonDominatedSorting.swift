/// NSGA-II's orderings of objective vectors (Optuna's `_fast_non_domination_rank` and crowding distance).
///
/// Losses are minimised: turn a maximised value into a loss by negating it (`StudyDirection.loss`).
public enum NonDominatedSorting {
    /// The non-domination rank of each loss vector: 0 for the Pareto front, 1 for the front of what
    /// remains, and so on. Equal vectors share a rank; with one objective the rank is the dense rank of
    /// the value. Vectors must have the same length and no NaN.
    public static func ranks(losses: [[Double]]) -> [Int] {
        let count = losses.count
        guard count > 0 else { return [] }
        let objectives = losses[0].count
        var flat = [Double]()
        flat.reserveCapacity(count * objectives)
        for loss in losses { flat.append(contentsOf: loss) }

        var dominatedCount = [Int](repeating: 0, count: count)
        var dominates = [[Int]](repeating: [], count: count)
        flat.withUnsafeBufferPointer { values in
            for a in 0..<count {
                for b in (a + 1)..<count {
                    var aBetter = false, bBetter = false
                    for k in 0..<objectives {
                        let x = values[a * objectives + k], y = values[b * objectives + k]
                        if x < y { aBetter = true } else if y < x { bBetter = true }
                    }
                    if aBetter, !bBetter {
                        dominates[a].append(b)
                        dominatedCount[b] += 1
                    } else if bBetter, !aBetter {
                        dominates[b].append(a)
                        dominatedCount[a] += 1
                    }
                }
            }
        }
        var ranks = [Int](repeating: 0, count: count)
        var front = (0..<count).filter { dominatedCount[$0] == 0 }
        var rank = 0
        while !front.isEmpty {
            var next: [Int] = []
            for index in front {
                ranks[index] = rank
                for other in dominates[index] {
                    dominatedCount[other] -= 1
                    if dominatedCount[other] == 0 { next.append(other) }
                }
            }
            front = next
            rank += 1
        }
        return ranks
    }

    /// The crowding distance of each vector (Optuna's definition): per objective, the gap between the
    /// two neighbouring values divided by the range of finite values, summed over objectives; the
    /// extremes of an objective get infinity, an objective where all values are equal adds nothing.
    public static func crowdingDistances(values: [[Double]]) -> [Double] {
        crowding(values: values).distances
    }

    /// Indices of `values` from most to least crowded-apart (the order NSGA-II keeps them in when a
    /// front does not fit), ties ordered as Optuna orders them.
    public static func crowdingOrder(values: [[Double]]) -> [Int] {
        let (distances, order) = crowding(values: values)
        // Optuna sorts ascending (stably, from the order the objective sorts left) and then reverses.
        let ascending = order.enumerated().sorted { lhs, rhs in
            distances[lhs.element] != distances[rhs.element]
                ? distances[lhs.element] < distances[rhs.element] : lhs.offset < rhs.offset
        }.map(\.element)
        return ascending.reversed()
    }

    /// The distances, and the order left by sorting stably by each objective in turn (as Optuna's
    /// in-place sorts leave the population).
    private static func crowding(values: [[Double]]) -> (distances: [Double], order: [Int]) {
        let count = values.count
        var distances = [Double](repeating: 0, count: count)
        var order = Array(0..<count)
        guard count > 0 else { return (distances, order) }
        var column = [Double](repeating: 0, count: count + 2)
        for objective in 0..<values[0].count {
            order = order.enumerated().sorted { lhs, rhs in
                let x = values[lhs.element][objective], y = values[rhs.element][objective]
                return x != y ? x < y : lhs.offset < rhs.offset
            }.map(\.element)
            if values[order[0]][objective] == values[order[count - 1]][objective] { continue }
            column[0] = -.infinity
            column[count + 1] = .infinity
            for position in 0..<count { column[position + 1] = values[order[position]][objective] }
            let minimum = column.first { $0 != -.infinity }!
            let maximum = column.last { $0 != .infinity }!
            var width = maximum - minimum
            if !(width > 0) { width = 1 }
            for position in 0..<count {
                let gap = column[position] == column[position + 2] ? 0 : column[position + 2] - column[position]
                distances[order[position]] += gap / width
            }
        }
        return (distances, order)
    }
}
