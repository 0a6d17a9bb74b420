import Dispatch
import StudyEngine

/// Snapshots of studies, each read from storage at most once per `maxAge` seconds: the dozen requests of
/// one page load share one read, and concurrent requests wait for the same read instead of starting their
/// own. Storage calls block, so they run on a dispatch queue, off Swift's cooperative threads.
actor SnapshotCache {
    private enum Entry {
        case ready(StudySnapshot, ContinuousClock.Instant)
        case loading(Task<StudySnapshot, any Error>)
    }

    let storage: any StudyStorage
    let maxAge: Duration
    private var entries: [Int: Entry] = [:]

    init(storage: any StudyStorage, maxAge: Duration) {
        self.storage = storage
        self.maxAge = maxAge
    }

    /// The snapshot of study `studyID`, fresh to within `maxAge`.
    func snapshot(studyID: Int) async throws -> StudySnapshot {
        switch entries[studyID] {
        case .ready(let snapshot, let loadedAt)? where ContinuousClock.now - loadedAt < maxAge:
            return snapshot
        case .loading(let task)?:
            return try await task.value
        default:
            break
        }
        let storage = self.storage
        let task = Task { try await Blocking.run { try StudySnapshot.load(storage: storage, studyID: studyID) } }
        entries[studyID] = .loading(task)
        do {
            let snapshot = try await task.value
            entries[studyID] = .ready(snapshot, ContinuousClock.now)
            return snapshot
        } catch {
            entries[studyID] = nil
            throw error
        }
    }

    /// The studies in the storage (read every time: it is one cheap call).
    func studies() async throws -> [StudySummary] {
        let storage = self.storage
        return try await Blocking.run { try storage.allStudies() }
    }
}
