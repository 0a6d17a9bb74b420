import Foundation

/// One generation's line of run details (gplearn's `run_details_`).
public struct GenerationRecord: Sendable, Codable, Equatable {
    public var generation: Int
    public var averageLength: Double
    public var averageFitness: Double
    public var bestLength: Int
    public var bestFitness: Double
    /// NaN when `maxSamples` is 1.
    public var bestOOBFitness: Double
    public var generationTime: Double

    enum CodingKeys: String, CodingKey {
        case generation, averageLength = "average_length", averageFitness = "average_fitness"
        case bestLength = "best_length", bestFitness = "best_fitness", bestOOBFitness = "best_oob_fitness"
        case generationTime = "generation_time"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(generation, forKey: .generation)
        try c.encode(averageLength, forKey: .averageLength)
        try c.encode(averageFitness.isFinite ? averageFitness : nil, forKey: .averageFitness)
        try c.encode(bestLength, forKey: .bestLength)
        try c.encode(bestFitness.isFinite ? bestFitness : nil, forKey: .bestFitness)
        try c.encode(bestOOBFitness.isFinite ? bestOOBFitness : nil, forKey: .bestOOBFitness)
        try c.encode(generationTime, forKey: .generationTime)
    }

    public init(generation: Int, averageLength: Double, averageFitness: Double, bestLength: Int, bestFitness: Double,
                bestOOBFitness: Double, generationTime: Double) {
        self.generation = generation
        self.averageLength = averageLength
        self.averageFitness = averageFitness
        self.bestLength = bestLength
        self.bestFitness = bestFitness
        self.bestOOBFitness = bestOOBFitness
        self.generationTime = generationTime
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        generation = try c.decode(Int.self, forKey: .generation)
        averageLength = try c.decode(Double.self, forKey: .averageLength)
        averageFitness = try c.decodeIfPresent(Double.self, forKey: .averageFitness) ?? .nan
        bestLength = try c.decode(Int.self, forKey: .bestLength)
        bestFitness = try c.decodeIfPresent(Double.self, forKey: .bestFitness) ?? .nan
        bestOOBFitness = try c.decodeIfPresent(Double.self, forKey: .bestOOBFitness) ?? .nan
        generationTime = try c.decode(Double.self, forKey: .generationTime)
    }

    /// gplearn's table header (three lines).
    public static var tableHeader: String {
        let line = "-" * 4 + " " + "-" * 25 + " " + "-" * 42 + " " + "-" * 10
        return "    |" + center("Population Average", 25) + "|" + center("Best Individual", 42) + "|\n" + line + "\n"
            + pad("Gen", 4) + " " + pad("Length", 8) + " " + pad("Fitness", 16) + " " + pad("Length", 8) + " "
            + pad("Fitness", 16) + " " + pad("OOB Fitness", 16) + " " + pad("Time Left", 10)
    }

    /// gplearn's table line for this generation, `totalGenerations` giving the estimate of the time left.
    public func tableLine(totalGenerations: Int) -> String {
        var remaining = Double(totalGenerations - generation - 1) * generationTime
        let left: String
        if remaining > 60 { remaining /= 60; left = String(format: "%.2fm", remaining) } else { left = String(format: "%.2fs", remaining) }
        let oob = bestOOBFitness.isNaN ? "N/A" : Self.general(bestOOBFitness)
        return pad(String(generation), 4) + " " + pad(String(format: "%.2f", averageLength), 8) + " "
            + pad(Self.general(averageFitness), 16) + " " + pad(String(bestLength), 8) + " "
            + pad(Self.general(bestFitness), 16) + " " + pad(oob, 16) + " " + pad(left, 10)
    }

    /// Python's `{:g}`: 6 significant digits, trailing zeros dropped.
    static func general(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return String(format: "%g", x)
    }
}

private func * (text: String, count: Int) -> String { String(repeating: text, count: count) }
private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
private func center(_ text: String, _ width: Int) -> String {
    let total = max(0, width - text.count), left = total / 2
    return String(repeating: " ", count: left) + text + String(repeating: " ", count: total - left)
}
