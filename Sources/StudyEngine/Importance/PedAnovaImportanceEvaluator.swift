/// PED-ANOVA importances (Optuna 5's default evaluator): how much each parameter's distribution among the
/// best trials differs from its distribution among all (or the region's) trials, measured by the Pearson
/// divergence between grid Parzen estimators.
///
/// Conditional parameters are assessed per regime (Conditional PED-ANOVA): trials are grouped by the
/// distribution the parameter had in them (absent counts as a regime of its own, scoring nothing), and
/// regimes with fewer than two trials are dropped. The result is deterministic.
///
/// References: Watanabe et al., "PED-ANOVA: Efficiently Quantifying Hyperparameter Importance in Arbitrary
/// Subspaces" (IJCAI 2023); "Conditional PED-ANOVA" (KDD 2026).
public struct PedAnovaImportanceEvaluator: ImportanceEvaluator {
    /// The share of best trials whose parameters are compared (gamma' in the paper).
    public let targetQuantile: Double
    /// The share of best trials that defines the region compared against (gamma); 1 is the whole study.
    public let regionQuantile: Double
    /// True to compare against the region's trials (importance during the optimisation), false to compare
    /// against the uniform distribution over the search space.
    public let evaluateOnLocal: Bool

    /// Grid points for a continuous domain.
    let nSteps = 50
    /// Weight of the prior kernel in every Parzen estimator.
    let priorWeight = 1.0
    /// Regimes with fewer trials are ignored.
    let minTrialsInRegime = 2

    /// Quantiles must satisfy 0 < targetQuantile < regionQuantile <= 1 (checked by `evaluate`).
    public init(targetQuantile: Double = 0.1, regionQuantile: Double = 1.0, evaluateOnLocal: Bool = true) {
        self.targetQuantile = targetQuantile
        self.regionQuantile = regionQuantile
        self.evaluateOnLocal = evaluateOnLocal
    }

    /// Scores every parameter that appears in a COMPLETE trial (or those in `params`).
    ///
    /// Lower targets count as better when `target` is given; otherwise the study's direction decides.
    /// - Throws: `ImportanceError.invalidQuantiles`, `.multiObjectiveNeedsTarget` (Optuna 5 would instead rank
    ///   the trials by non-domination and hypervolume, which this port does not do), `.unknownParameters`,
    ///   `.tooFewTrials` when fewer than two COMPLETE trials have finite values (Optuna warns and returns zeros).
    public func evaluate(study: Study, params: [String]?, target: (@Sendable (FrozenTrial) -> Double)?) throws -> [String: Double] {
        guard targetQuantile > 0, targetQuantile < regionQuantile, regionQuantile <= 1 else {
            throw ImportanceError.invalidQuantiles(targetQuantile: targetQuantile, regionQuantile: regionQuantile)
        }
        if target == nil, study.isMultiObjective {
            throw ImportanceError.multiObjectiveNeedsTarget(study: study.name, objectives: study.directions.count)
        }
        let completed = try study.trials(states: [.complete])
        let names = try resolveParameters(study: study, completed: completed, params: params)

        let trials = completed.filter { trial in
            if let target { return target(trial).isFinite }
            return (trial.values ?? []).allSatisfy(\.isFinite)
        }
        guard trials.count > 1 else {
            throw ImportanceError.tooFewTrials(study: study.name, usable: trials.count, needed: 2)
        }
        let lowerIsBetter = target != nil || study.directions[0] == .minimize
        let targetTrials = topTrials(trials, quantile: targetQuantile, lowerIsBetter: lowerIsBetter, target: target)
        let regionTrials = topTrials(trials, quantile: regionQuantile, lowerIsBetter: lowerIsBetter, target: target)
        let targetIDs = Set(targetTrials.map(\.id))
        let quantile = Double(targetTrials.count) / Double(regionTrials.count)

        var importances: [String: Double] = [:]
        for name in names {
            var importance = 0.0
            for (distribution, regimeTrials) in regimes(of: name, in: regionTrials) {
                let regimeTargetTrials = regimeTrials.filter { targetIDs.contains($0.id) }
                guard let distribution, !distribution.isSingle, !regimeTargetTrials.isEmpty else { continue }
                let targetShare = Double(regimeTargetTrials.count) / Double(targetTrials.count)
                let regionShare = Double(regimeTrials.count) / Double(regionTrials.count)
                importance += targetShare * targetShare / regionShare
                    * pearsonDivergence(name: name, distribution: distribution, targetTrials: regimeTargetTrials,
                                        regionTrials: regimeTrials)
            }
            importances[name] = importance * (quantile * quantile)
        }
        return importances
    }

    /// All parameters of the COMPLETE trials, sorted, or the named ones (each must appear in one).
    private func resolveParameters(study: Study, completed: [FrozenTrial], params: [String]?) throws -> [String] {
        var all = Set<String>()
        for trial in completed { all.formUnion(trial.distributions.keys) }
        guard let params else { return all.sorted() }
        let missing = params.filter { !all.contains($0) }
        if !missing.isEmpty { throw ImportanceError.unknownParameters(study: study.name, missing: missing) }
        var seen = Set<String>()
        return params.filter { seen.insert($0).inserted }
    }

    /// The trials whose loss is at most the `quantile` order statistic of the losses, in study order (ties kept).
    private func topTrials(_ trials: [FrozenTrial], quantile: Double, lowerIsBetter: Bool,
                           target: (@Sendable (FrozenTrial) -> Double)?) -> [FrozenTrial] {
        if quantile == 1 { return trials }
        let sign = lowerIsBetter ? 1.0 : -1.0
        let losses = trials.map { sign * ImportanceTrials.targetValue(of: $0, target: target) }
        let cutoffIndex = Int((quantile * Double(losses.count)).rounded(.up)) - 1
        let cutoff = losses.sorted()[cutoffIndex]
        return zip(trials, losses).filter { $0.1 <= cutoff }.map(\.0)
    }

    /// The trials grouped by the distribution `name` had in them (nil: absent), in order of first appearance,
    /// without groups smaller than `minTrialsInRegime`.
    private func regimes(of name: String, in trials: [FrozenTrial]) -> [(ParameterDistribution?, [FrozenTrial])] {
        var groups: [(ParameterDistribution?, [FrozenTrial])] = []
        for trial in trials {
            let distribution = trial.distributions[name]
            if let index = groups.firstIndex(where: { $0.0 == distribution }) {
                groups[index].1.append(trial)
            } else {
                groups.append((distribution, [trial]))
            }
        }
        return groups.filter { $0.1.count >= minTrialsInRegime }
    }

    /// The Pearson divergence of the target trials' estimator from the region's (or from the uniform grid).
    private func pearsonDivergence(name: String, distribution: ParameterDistribution, targetTrials: [FrozenTrial],
                                   regionTrials: [FrozenTrial]) -> Double {
        let categorical: Bool
        if case .categorical = distribution { categorical = true } else { categorical = false }
        let topCounts = ScottParzenEstimator.gridCounts(name: name, distribution: distribution, trials: targetTrials,
                                                        nSteps: nSteps)
        let top = ScottParzenEstimator(counts: topCounts, categorical: categorical, priorWeight: priorWeight).gridPDF
        let gridSize = top.count
        var local: [Double]
        if evaluateOnLocal {
            let localCounts = ScottParzenEstimator.gridCounts(name: name, distribution: distribution,
                                                              trials: regionTrials, nSteps: nSteps)
            local = ScottParzenEstimator(counts: localCounts, categorical: categorical, priorWeight: priorWeight).gridPDF
            for index in local.indices { local[index] += 1e-12 }
        } else {
            local = [Double](repeating: 1.0 / Double(gridSize), count: gridSize)
        }
        var divergence = 0.0
        for index in 0..<gridSize {
            let ratio = (top[index] + 1e-12) / local[index] - 1
            divergence += local[index] * (ratio * ratio)
        }
        return divergence
    }
}
