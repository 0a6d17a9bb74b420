import StudyEngine

/// Importances per study revision, objective and method: computing them (forests of trees for fANOVA) costs
/// far more than drawing, so each is computed once per change of the study, shared by concurrent requests.
actor ImportanceCache {
    private struct Key: Hashable {
        var studyID: Int
        var revision: String
        var method: ImportanceMethod
        var objective: Int
    }

    /// Entries kept before the cache starts again empty.
    static let capacity = 64
    let storage: any StudyStorage
    private var tasks: [Key: Task<ImportanceResult, any Error>] = [:]

    init(storage: any StudyStorage) { self.storage = storage }

    func importances(_ snapshot: StudySnapshot, method: ImportanceMethod, objective: Int) async -> Result<ImportanceResult, any Error> {
        let key = Key(studyID: snapshot.id, revision: snapshot.revision, method: method, objective: objective)
        if let task = tasks[key] { return await task.result }
        if tasks.count >= Self.capacity { tasks.removeAll() }
        let storage = self.storage
        let task = Task {
            try await Blocking.run { try ImportanceResult.compute(snapshot: snapshot, storage: storage, method: method, objective: objective) }
        }
        tasks[key] = task
        let result = await task.result
        if case .failure(let error) = result, !(error is ImportanceError) { tasks[key] = nil }
        return result
    }
}
