/// How well extracted objects match the true ones: detections are matched one to one with true objects of the
/// same type whose top-left corner lies within `tolerance` pixels on both axes.
public struct ExtractionScore: Sendable, CustomStringConvertible {
    public var truePositives = 0, falsePositives = 0, falseNegatives = 0
    public var positionErrorSum = 0.0
    public var velocityErrorSum = 0.0
    public var tolerance = 2.0

    public init(tolerance: Double = 2) { self.tolerance = tolerance }

    public var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
    public var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }
    /// Mean Euclidean distance, in pixels, between matched positions.
    public var meanPositionError: Double { truePositives == 0 ? 0 : positionErrorSum / Double(truePositives) }
    /// Mean Euclidean distance between matched velocities.
    public var meanVelocityError: Double { truePositives == 0 ? 0 : velocityErrorSum / Double(truePositives) }

    /// Adds one frame's comparison.
    public mutating func add(extracted: [ObjectState], truth: [ObjectState]) {
        var used = [Bool](repeating: false, count: truth.count)
        for e in extracted {
            var best = -1, bestDistance = Double.infinity
            for (j, t) in truth.enumerated() where !used[j] && t.type == e.type
                && abs(t.x - e.x) <= tolerance && abs(t.y - e.y) <= tolerance {
                let d = ((t.x - e.x) * (t.x - e.x) + (t.y - e.y) * (t.y - e.y)).squareRoot()
                if d < bestDistance { best = j; bestDistance = d }
            }
            if best < 0 { falsePositives += 1; continue }
            used[best] = true
            truePositives += 1
            positionErrorSum += bestDistance
            let t = truth[best]
            velocityErrorSum += ((t.xVelocity - e.xVelocity) * (t.xVelocity - e.xVelocity)
                                 + (t.yVelocity - e.yVelocity) * (t.yVelocity - e.yVelocity)).squareRoot()
        }
        falseNegatives += used.filter { !$0 }.count
    }

    public var description: String {
        "precision \(precision), recall \(recall), mean position error \(meanPositionError) px, mean velocity error \(meanVelocityError) px/step (\(truePositives) matched, \(falsePositives) false, \(falseNegatives) missed)"
    }
}
