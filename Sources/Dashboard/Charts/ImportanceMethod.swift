import StudyEngine

/// The importance evaluators the dashboard offers (StudyEngine's PED-ANOVA, fANOVA and mean decrease impurity).
public enum ImportanceMethod: String, Sendable, Hashable, CaseIterable, Codable {
    case pedAnova = "ped-anova"
    case fanova
    case mdi

    /// The evaluator, seeded for the forests so the same study always shows the same importances.
    var evaluator: any ImportanceEvaluator {
        switch self {
        case .pedAnova: return PedAnovaImportanceEvaluator()
        case .fanova: return FanovaImportanceEvaluator(seed: 0)
        case .mdi: return MeanDecreaseImpurityImportanceEvaluator(seed: 0)
        }
    }

    /// A label for charts and pages.
    public var label: String {
        switch self {
        case .pedAnova: return "PED-ANOVA"
        case .fanova: return "fANOVA"
        case .mdi: return "mean decrease impurity"
        }
    }
}
