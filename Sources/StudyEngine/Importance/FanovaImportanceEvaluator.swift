/// fANOVA importances (Hutter et al., ICML 2014) as Optuna's `FanovaImportanceEvaluator` computes them:
/// a random forest regressor fits the target from the parameters, and a parameter's importance is the mean,
/// over the trees, of the share of the tree's variance that the parameter's marginal explains.
///
/// Only parameters present (with one distribution) in every COMPLETE trial are assessed; categorical ones are
/// one-hot encoded, log-scaled ones are used on their linear scale, as Optuna does. Single-valued parameters
/// score 0. The forest is this package's own (scikit-learn's split rules, seeded by `RandomSource`), so the
/// numbers agree with Optuna's only as closely as two different forests agree.
public struct FanovaImportanceEvaluator: ImportanceEvaluator {
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
    ///   `.tooFewTrials` (fewer than two usable trials; Optuna returns zeros), `.zeroVarianceInAllTrees`.
    public func evaluate(study: Study, params: [String]?, target: (@Sendable (FrozenTrial) -> Double)?) throws -> [String: Double] {
        guard nTrees >= 1, maxDepth >= 1 else { throw ImportanceError.invalidForest(nTrees: nTrees, maxDepth: maxDepth) }
        let input = try ForestInput(study: study, params: params, target: target, excludeSingle: true)
        var importances = input.zeroScores
        guard !input.encoding.space.isEmpty else { return importances }
        let forest = RandomForestRegressor(
            features: input.features, rowCount: input.targets.count, columnCount: input.encoding.columnCount,
            targets: input.targets, nTrees: nTrees, maxDepth: maxDepth, seed: seed)
        let trees = forest.trees.map {
            FanovaTree(tree: $0, lowerBounds: input.encoding.lowerBounds, upperBounds: input.encoding.upperBounds)
        }
        guard trees.contains(where: { $0.variance != 0 }) else {
            throw ImportanceError.zeroVarianceInAllTrees(study: study.name)
        }
        for (index, entry) in input.encoding.space.enumerated() {
            let columns = input.encoding.columnsOfParameter[index]
            var sum = 0.0
            var count = 0
            for tree in trees where tree.variance > 0 {
                sum += max(tree.marginalVariance(columns: columns), 0) / tree.variance
                count += 1
            }
            importances[entry.name] = sum / Double(count)
        }
        return importances
    }
}

/// The trials and features a forest evaluator fits (shared by fANOVA and MDI).
struct ForestInput {
    let encoding: ForestEncoding
    /// Column-major features of the usable trials.
    let features: [Double]
    let targets: [Double]
    /// Every assessed parameter with importance 0 (single-valued ones included).
    let zeroScores: [String: Double]

    init(study: Study, params: [String]?, target: (@Sendable (FrozenTrial) -> Double)?, excludeSingle: Bool) throws {
        if target == nil, study.isMultiObjective {
            throw ImportanceError.multiObjectiveNeedsTarget(study: study.name, objectives: study.directions.count)
        }
        let completed = try study.trials(states: [.complete])
        guard !completed.isEmpty else { throw ImportanceError.tooFewTrials(study: study.name, usable: 0, needed: 2) }
        let space = try ImportanceTrials.forestSearchSpace(study: study, completed: completed, params: params)
        let names = params ?? space.map(\.name)
        var zeros: [String: Double] = [:]
        for name in names { zeros[name] = 0 }
        let assessed = excludeSingle ? space.filter { !$0.distribution.isSingle } : space
        encoding = ForestEncoding(space: assessed)
        zeroScores = zeros
        if assessed.isEmpty {
            features = []
            targets = []
            return
        }
        let trials = ImportanceTrials.trialsHolding(names, in: completed, target: target)
        guard trials.count > 1 else {
            throw ImportanceError.tooFewTrials(study: study.name, usable: trials.count, needed: 2)
        }
        features = encoding.featureMatrix(trials)
        targets = trials.map { ImportanceTrials.targetValue(of: $0, target: target) }
    }
}
