/// Mean-decrease-in-impurity importances, as Optuna's `MeanDecreaseImpurityImportanceEvaluator` computes
/// them: a random forest regressor fits the target from the parameters, and a parameter's importance is the
/// forest's `feature_importances_` summed over the parameter's encoded columns (they sum to 1).
///
/// Only parameters present (with one distribution) in every COMPLETE trial are assessed. The forest is this
/// package's own, seeded by `RandomSource`, so the numbers agree with Optuna's only approximately.
public struct MeanDecreaseImpurityImportanceEvaluator: ImportanceEvaluator {
    public let nTrees: Int
    public let maxDepth: Int
    /// Seeds the bootstrap samples and feature orders; nil draws a fresh seed.
    public let seed: UInt64?

    public init(nTrees: Int = 64, maxDepth: Int = 64, seed: UInt64? = nil) {
        self.nTrees = nTrees
        self.maxDepth = maxDepth
        self.seed = seed
    }

    /// - Throws: `ImportanceError.multiObjectiveNeedsTarget`, `.noTrialWithAllParameters`, `.dynamicSearchSpace`,
    ///   `.tooFewTrials` (fewer than two usable trials; Optuna returns zeros).
    public func evaluate(study: Study, params: [String]?, target: (@Sendable (FrozenTrial) -> Double)?) throws -> [String: Double] {
        guard nTrees >= 1, maxDepth >= 1 else { throw ImportanceError.invalidForest(nTrees: nTrees, maxDepth: maxDepth) }
        let input = try ForestInput(study: study, params: params, target: target, excludeSingle: false)
        var importances = input.zeroScores
        guard !input.encoding.space.isEmpty else { return importances }
        let forest = RandomForestRegressor(
            features: input.features, rowCount: input.targets.count, columnCount: input.encoding.columnCount,
            targets: input.targets, nTrees: nTrees, maxDepth: maxDepth, seed: seed)
        let decrease = forest.impurityDecrease
        for (column, parameter) in input.encoding.parameterOfColumn.enumerated() {
            importances[input.encoding.space[parameter].name, default: 0] += decrease[column]
        }
        return importances
    }
}
