/// What a per-generation callback sees: the generation's run details and its best program.
public struct GenerationReport: Sendable {
    public var record: GenerationRecord
    /// The best program of the generation by raw fitness (linear scaling, when on, not yet applied).
    public var bestProgram: Program
    public var bestRawFitness: Double
    /// Node evaluations (program length x rows, summed over every evaluated program) so far in this fit.
    public var nodeEvaluations: Double
    public var greaterIsBetter: Bool
}

/// A callback's answer: go on, or stop the run now (a pruned study trial).
public enum GenerationDecision: Sendable {
    case proceed
    case stop
}

/// Why a run ended.
public enum StopReason: String, Sendable, Codable {
    case generations
    case stoppingCriteria = "stopping_criteria"
    case callback
}

/// Called after every generation.
public typealias GenerationCallback = (GenerationReport) -> GenerationDecision
