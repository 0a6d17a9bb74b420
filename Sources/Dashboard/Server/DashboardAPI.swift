import Foundation
import Hummingbird
import StudyEngine

/// The handlers of the JSON API and the charts. They only read: every answer comes from a snapshot of
/// storage, and no handler calls a storage method that writes.
struct DashboardAPI: Sendable {
    let storage: any StudyStorage
    let snapshots: SnapshotCache
    let importanceCache: ImportanceCache
    /// How many best expressions a study's answer lists.
    let topExpressionCount = 10

    init(storage: any StudyStorage, snapshotMaxAge: Duration) {
        self.storage = storage
        snapshots = SnapshotCache(storage: storage, maxAge: snapshotMaxAge)
        importanceCache = ImportanceCache(storage: storage)
    }

    // MARK: Endpoints

    /// `GET /api/studies`
    func studies() async throws -> Response {
        let summaries = try await storageCall { try await snapshots.studies() }
        var items: [StudyListItem] = []
        for summary in summaries.sorted(by: { $0.id < $1.id }) {
            if let snapshot = try? await snapshots.snapshot(studyID: summary.id) {
                items.append(StudyListItem(snapshot: snapshot))
            } else {
                // A study whose trials cannot be read is still listed, without them.
                items.append(StudyListItem(snapshot: StudySnapshot(id: summary.id, name: summary.name, directions: summary.directions,
                                                                   userAttributes: summary.userAttributes, trials: [])))
            }
        }
        return try HTTPAnswer.json(items)
    }

    /// `GET /api/studies/{id}`
    func study(_ id: String) async throws -> Response {
        let snapshot = try await snapshot(id)
        let top = topExpressionCount
        return try HTTPAnswer.json(try await Blocking.run { StudyDetail(snapshot: snapshot, top: top) })
    }

    /// `GET /api/studies/{id}/trials`
    func trials(_ id: String, parameters: [String: String]) async throws -> Response {
        let snapshot = try await snapshot(id)
        let query = try TrialQuery(parameters: parameters)
        return try HTTPAnswer.json(try await Blocking.run { query.page(of: snapshot) })
    }

    /// `GET /api/studies/{id}/trials/{number}`
    func trial(_ id: String, number: String) async throws -> Response {
        let snapshot = try await snapshot(id)
        let index = try trialIndex(snapshot, number)
        return try HTTPAnswer.json(TrialDetail(snapshot: snapshot, index: index))
    }

    /// `GET /api/studies/{id}/importance`
    func importance(_ id: String, parameters: [String: String]) async throws -> Response {
        let snapshot = try await snapshot(id)
        let options = try ChartOptions(parameters: parameters, links: true)
        try ChartRenderer.validate(options, for: snapshot)
        switch await importanceCache.importances(snapshot, method: options.importance, objective: options.objective) {
        case .success(let result): return try HTTPAnswer.json(result)
        case .failure(let error as ImportanceError):
            return try HTTPAnswer.json(ImportanceResult(method: options.importance, objective: options.objective, importances: [],
                                                        message: error.localizedDescription))
        case .failure(let error): throw DashboardError.storageFailed(error.localizedDescription)
        }
    }

    /// `GET /api/studies/{id}/charts/{kind}.svg`
    func chart(_ id: String, file: String, parameters: [String: String]) async throws -> Response {
        guard file.hasSuffix(".svg"), let kind = ChartKind(rawValue: String(file.dropLast(4))) else {
            throw DashboardError.notFound(path: "/api/studies/\(id)/charts/\(file)")
        }
        let snapshot = try await snapshot(id)
        let options = try ChartOptions(parameters: parameters, links: true)
        try ChartRenderer.validate(options, for: snapshot)
        if kind == .importance {
            let result = await importanceCache.importances(snapshot, method: options.importance, objective: options.objective)
            return HTTPAnswer.svg(try ChartRenderer.importanceChart(snapshot: snapshot, options: options, result: result))
        }
        let storage = self.storage
        return HTTPAnswer.svg(try await Blocking.run {
            try ChartRenderer.render(kind, snapshot: snapshot, options: options, storage: storage)
        })
    }

    /// `GET /api/studies/{id}/trials/{number}/charts/{intermediate|expression}.svg`
    func trialChart(_ id: String, number: String, file: String, parameters: [String: String]) async throws -> Response {
        let snapshot = try await snapshot(id)
        let index = try trialIndex(snapshot, number)
        let trialNumber = snapshot.trials[index].number
        switch file {
        case "intermediate.svg":
            let options = try ChartOptions(parameters: parameters, links: false)
            return HTTPAnswer.svg(try ChartRenderer.trialIntermediate(snapshot: snapshot, number: trialNumber, options: options))
        case "expression.svg":
            var output: Int?
            if let text = parameters["output"], !text.isEmpty {
                guard let value = Int(text) else { throw DashboardError.badOption(name: "output", reason: "'\(text)' is not an output index") }
                output = value
            }
            return HTTPAnswer.svg(try ChartRenderer.expressionTree(snapshot: snapshot, number: trialNumber, output: output))
        default:
            throw DashboardError.notFound(path: "/api/studies/\(id)/trials/\(number)/charts/\(file)")
        }
    }

    /// Checks that a study (and a trial) exists before its page is served.
    func requireStudy(_ id: String, trial number: String? = nil) async throws {
        let snapshot = try await snapshot(id)
        if let number { _ = try trialIndex(snapshot, number) }
    }

    // MARK: Lookups

    func snapshot(_ id: String) async throws -> StudySnapshot {
        guard let studyID = Int(id), studyID >= 0 else { throw DashboardError.studyNotFound(id) }
        do {
            return try await snapshots.snapshot(studyID: studyID)
        } catch StorageError.studyNotFound {
            throw DashboardError.studyNotFound(id)
        } catch let error as DashboardError {
            throw error
        } catch {
            throw DashboardError.storageFailed(error.localizedDescription)
        }
    }

    private func trialIndex(_ snapshot: StudySnapshot, _ number: String) throws -> Int {
        guard let value = Int(number), let index = snapshot.index(ofTrialNumber: value) else {
            throw DashboardError.trialNotFound(study: snapshot.name, number: number)
        }
        return index
    }

    private func storageCall<Value>(_ work: () async throws -> Value) async throws -> Value {
        do {
            return try await work()
        } catch let error as DashboardError {
            throw error
        } catch {
            throw DashboardError.storageFailed(error.localizedDescription)
        }
    }
}
