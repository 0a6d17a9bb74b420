import StudyEngine

/// Parameter importances of one objective of a study, as the API returns them.
public struct ImportanceResult: Sendable, Codable {
    public struct Entry: Sendable, Codable {
        public var name: String
        public var importance: Double
    }

    public var method: ImportanceMethod
    public var objective: Int
    public var importances: [Entry]
    /// Why there are no importances (too few trials, ...), when there are none.
    public var message: String?

    var entries: [(name: String, importance: Double)] { importances.map { ($0.name, $0.importance) } }

    /// Computes importances with StudyEngine's `ParameterImportance` over the study's COMPLETE trials,
    /// normalised to sum to 1. For a multi-objective study, objective `objective` is assessed (as a loss).
    /// - Throws: `ImportanceError` when there are too few trials, and storage errors.
    public static func compute(snapshot: StudySnapshot, storage: any StudyStorage, method: ImportanceMethod,
                        objective: Int) throws -> ImportanceResult {
        let study = try Study.load(name: snapshot.name, storage: storage)
        var target: (@Sendable (FrozenTrial) -> Double)?
        if snapshot.directions.count > 1 {
            let direction = snapshot.directions[objective]
            target = { trial in
                guard let values = trial.values, objective < values.count else { return .nan }
                return direction.loss(values[objective])
            }
        }
        let ranked = try ParameterImportance.compute(study: study, evaluator: method.evaluator, target: target)
        return ImportanceResult(method: method, objective: objective, importances: ranked.map { Entry(name: $0.name, importance: $0.importance) },
                                message: nil)
    }
}
