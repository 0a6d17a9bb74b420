/// An algorithm that scores how much each parameter of a study matters for its objective
/// (Optuna's `BaseImportanceEvaluator`).
///
/// Use it through `ParameterImportance.compute(study:evaluator:params:target:normalize:)`, which orders
/// and normalises the scores.
public protocol ImportanceEvaluator: Sendable {
    /// Scores parameters from the COMPLETE trials of `study`.
    ///
    /// - Parameters:
    ///   - study: the study whose trials are assessed.
    ///   - params: the parameters to assess; nil for the evaluator's default set.
    ///   - target: the number to assess per trial; nil for the objective value (single-objective studies).
    /// - Returns: a non-negative importance per parameter, not normalised.
    /// - Throws: `ImportanceError` when the study cannot be assessed.
    func evaluate(study: Study, params: [String]?, target: (@Sendable (FrozenTrial) -> Double)?) throws -> [String: Double]
}
