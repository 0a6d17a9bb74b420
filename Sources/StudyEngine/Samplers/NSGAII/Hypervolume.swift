/// The hypervolume indicator: the volume of objective space that a set of points dominates, bounded by a
/// reference point (Optuna's `compute_hypervolume`). Larger is better; it is the usual single number to
/// compare Pareto fronts.
public enum Hypervolume {
    /// The hypervolume of loss vectors `points` (minimised) with respect to `reference`.
    ///
    /// Points not strictly better than the reference in every objective add nothing. Exact for any
    /// number of objectives: a sweep for two, slicing along the last objective for more (meant for
    /// hundreds of points, not millions).
    public static func compute(points: [[Double]], reference: [Double]) -> Double {
        let inside = points.filter { point in
            point.count == reference.count && zip(point, reference).allSatisfy { $0 < $1 }
        }
        guard !inside.isEmpty else { return 0 }
        return volume(inside, reference: reference)
    }

    /// The hypervolume of the COMPLETE trials' values, given in the objectives' own directions;
    /// `reference` is in the same directions (a maximised objective's reference lies below its values).
    public static func compute(trials: [FrozenTrial], directions: [StudyDirection], reference: [Double]) -> Double {
        let points = trials.compactMap { trial -> [Double]? in
            guard trial.state == .complete, let values = trial.values, values.count == directions.count,
                  !values.contains(where: \.isNaN) else { return nil }
            return zip(values, directions).map { $1.loss($0) }
        }
        return compute(points: points, reference: zip(reference, directions).map { $1.loss($0) })
    }

    private static func volume(_ points: [[Double]], reference: [Double]) -> Double {
        let dimensions = reference.count
        switch dimensions {
        case 0:
            return 0
        case 1:
            return reference[0] - points.map { $0[0] }.min()!
        case 2:
            let sorted = points.sorted { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] }
            var area = 0.0
            var ceiling = reference[1]
            for point in sorted where point[1] < ceiling {
                area += (reference[0] - point[0]) * (ceiling - point[1])
                ceiling = point[1]
            }
            return area
        default:
            let last = dimensions - 1
            let sorted = points.sorted { $0[last] < $1[last] }
            let lowerReference = Array(reference.prefix(last))
            var total = 0.0
            var slice: [[Double]] = []
            for (index, point) in sorted.enumerated() {
                slice.append(Array(point.prefix(last)))
                let top = index + 1 < sorted.count ? sorted[index + 1][last] : reference[last]
                let thickness = top - point[last]
                if thickness > 0 { total += volume(slice, reference: lowerReference) * thickness }
            }
            return total
        }
    }
}
