/// Which parameters of a study matter: Optuna's `optuna.importance.get_param_importances`.
public enum ParameterImportance {
    /// Scores the parameters of `study` with `evaluator`, most important first.
    ///
    /// - Parameters:
    ///   - study: the study to assess; only its COMPLETE trials count.
    ///   - evaluator: PED-ANOVA by default (Optuna 5's default); also `FanovaImportanceEvaluator` and
    ///     `MeanDecreaseImpurityImportanceEvaluator`.
    ///   - params: the parameters to assess; nil for all (PED-ANOVA: every parameter of a COMPLETE trial,
    ///     conditional ones included; the forests: those present in every COMPLETE trial). An empty list gives
    ///     an empty result.
    ///   - target: the number to assess per trial; nil for the objective value. Multi-objective studies
    ///     need one, e.g. `{ $0.values![0] }`. PED-ANOVA treats lower targets as better.
    ///   - normalize: when true the importances sum to 1 (all equal to 1/n when every score is 0).
    /// - Returns: `(name, importance)` pairs in descending importance. Ties come in descending name order,
    ///   as Optuna orders ties among name-sorted parameters (it lists tied entries in reverse insertion order).
    /// - Throws: `ImportanceError` (no or too few usable trials, missing target, unknown parameters, ...).
    public static func compute(
        study: Study, evaluator: any ImportanceEvaluator = PedAnovaImportanceEvaluator(), params: [String]? = nil,
        target: (@Sendable (FrozenTrial) -> Double)? = nil, normalize: Bool = true
    ) throws -> [(name: String, importance: Double)] {
        if let params, params.isEmpty { return [] }
        let scores = try evaluator.evaluate(study: study, params: params, target: target)
        var ranked = scores.map { (name: $0.key, importance: $0.value) }
        ranked.sort { $0.importance != $1.importance ? $0.importance > $1.importance : $0.name > $1.name }
        guard normalize else { return ranked }
        var total = 0.0
        for entry in ranked { total += entry.importance }
        if total == 0 {
            let equal = 1.0 / Double(ranked.count)
            return ranked.map { (name: $0.name, importance: equal) }
        }
        return ranked.map { (name: $0.name, importance: $0.importance / total) }
    }
}
