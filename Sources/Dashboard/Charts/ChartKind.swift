/// The charts of a study, as `symstudy plot KIND` and `/api/studies/{id}/charts/KIND.svg` name them.
public enum ChartKind: String, Sendable, CaseIterable, Codable {
    /// Objective value per trial with the best value so far.
    case history
    /// Intermediate values per trial by step, pruned trials marked.
    case intermediate
    /// Parallel coordinates: the objective and every parameter, one line per trial.
    case parallel
    /// Objective against each parameter, one panel per parameter.
    case slice
    /// The objective over two parameters, interpolated between trials.
    case contour
    /// Parameter importances.
    case importance
    /// The empirical distribution function of the objective.
    case edf
    /// The Pareto front of two objectives, or of the value against expression size for one objective.
    case pareto
}
