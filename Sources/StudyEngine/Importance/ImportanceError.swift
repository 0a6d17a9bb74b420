import Foundation

/// Why parameter importances could not be computed.
public enum ImportanceError: LocalizedError, Equatable, Sendable {
    /// A multi-objective study was given without a `target` to reduce its values to one number.
    case multiObjectiveNeedsTarget(study: String, objectives: Int)
    /// Fewer usable trials than the evaluator needs (COMPLETE, with a finite target, holding the parameters).
    case tooFewTrials(study: String, usable: Int, needed: Int)
    /// Named parameters that no COMPLETE trial of the study holds.
    case unknownParameters(study: String, missing: [String])
    /// No COMPLETE trial holds all of the named parameters together (fANOVA and MDI need them in one trial).
    case noTrialWithAllParameters(study: String, params: [String])
    /// A named parameter was drawn from different distributions in different trials (fANOVA and MDI).
    case dynamicSearchSpace(params: [String], parameter: String)
    /// Every tree of the forest predicts a constant: the target does not vary over the trials (fANOVA).
    case zeroVarianceInAllTrees(study: String)
    /// PED-ANOVA quantiles must satisfy 0 < targetQuantile < regionQuantile <= 1.
    case invalidQuantiles(targetQuantile: Double, regionQuantile: Double)
    /// A forest needs at least one tree of depth at least one.
    case invalidForest(nTrees: Int, maxDepth: Int)

    public var errorDescription: String? {
        switch self {
        case .multiObjectiveNeedsTarget(let study, let objectives):
            return "Study '\(study)' has \(objectives) objectives: if the `study` is being used for multi-objective "
                + "optimization, please specify the `target`. For example, use `target: { $0.values![0] }` "
                + "for the first objective value."
        case .tooFewTrials(let study, let usable, let needed):
            return "Study '\(study)' has \(usable) usable trial(s) (COMPLETE, with a finite target and the assessed "
                + "parameters); parameter importances need at least \(needed)."
        case .unknownParameters(let study, let missing):
            return "Study '\(study)' must contain at least one completed trial for each specified parameter. "
                + "Missing parameters: \(missing)."
        case .noTrialWithAllParameters(let study, let params):
            return "Study '\(study)' must contain completed trials with all specified parameters. "
                + "Specified parameters: \(params)."
        case .dynamicSearchSpace(let params, let parameter):
            return "Parameters importances cannot be assessed with dynamic search spaces if parameters are "
                + "specified: '\(parameter)' has different distributions in different trials. Specified parameters: \(params)."
        case .zeroVarianceInAllTrees(let study):
            return "Encountered zero total variance in all trees: the target is constant over the trials of study '\(study)'."
        case .invalidQuantiles(let target, let region):
            return "PED-ANOVA needs 0 < targetQuantile < regionQuantile <= 1; got targetQuantile \(target), "
                + "regionQuantile \(region)."
        case .invalidForest(let nTrees, let maxDepth):
            return "A forest needs nTrees >= 1 and maxDepth >= 1; got nTrees \(nTrees), maxDepth \(maxDepth)."
        }
    }
}
