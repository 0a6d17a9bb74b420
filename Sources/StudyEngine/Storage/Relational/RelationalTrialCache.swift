import Synchronization

/// What one process remembers of the trials of a relational storage, so that the samplers' many
/// `trials(studyID:states:)` calls per trial do not re-read the study (Optuna's `_CachedStorage` idea).
///
/// Finished trials never change, so once read they are kept. A refresh reads only the trials created
/// since the last one (trial ids grow in commit order within a study: creators hold the study's lock)
/// and the unfinished ones, which may have changed; and nothing at all when the database says no other
/// connection has committed (SQLite's `data_version`) and this process wrote none of the study's trials.
/// Writers mark what they touched (`noteWrite`); refreshes are serialised by the storage.
final class RelationalTrialCache: Sendable {
    struct StudyTrials {
        /// Every known trial, in number order.
        var trials: [FrozenTrial] = []
        var indexByID: [Int: Int] = [:]
        var idByNumber: [Int: Int] = [:]
        /// Known trials that were RUNNING or WAITING when read.
        var unfinishedIDs: Set<Int> = []
        /// Every trial of the study with an id up to this one has been read.
        var maxReadID = -1
        var stateCounts = [Int](repeating: 0, count: TrialState.allCases.count)
        /// The change token at the last refresh (nil: never refreshed, or the backend can not tell).
        var token: Int?
        var refreshed = false
        /// Trials this process wrote since the last refresh.
        var dirtyIDs: Set<Int> = []
        /// Trials this process created since the last refresh.
        var created = false
        /// The last filtered answer, while nothing changed.
        var memo: (states: Set<TrialState>, trials: [FrozenTrial])?

        mutating func upsert(_ trial: FrozenTrial) {
            memo = nil
            idByNumber[trial.number] = trial.id
            if let index = indexByID[trial.id] {
                let old = trials[index]
                if old.state.isFinished, !trial.state.isFinished { return }  // a finished trial stays finished
                stateCounts[old.state.rawValue] -= 1
                trials[index] = trial
            } else if let last = trials.last, last.number > trial.number {
                // Out of order (only in databases with unusual numbering): insert and re-index.
                let position = trials.firstIndex { $0.number > trial.number }!
                trials.insert(trial, at: position)
                for index in position..<trials.count { indexByID[trials[index].id] = index }
            } else {
                indexByID[trial.id] = trials.count
                trials.append(trial)
            }
            stateCounts[trial.state.rawValue] += 1
            if trial.state.isFinished { unfinishedIDs.remove(trial.id) } else { unfinishedIDs.insert(trial.id) }
        }

        func count(in states: Set<TrialState>) -> Int { states.reduce(0) { $0 + stateCounts[$1.rawValue] } }

        mutating func trials(in states: Set<TrialState>?) -> [FrozenTrial] {
            guard let states else { return trials }
            let matching = count(in: states)
            if matching == 0 { return [] }
            if matching == trials.count { return trials }
            if let memo, memo.states == states { return memo.trials }
            let filtered = trials.filter { states.contains($0.state) }
            memo = (states, filtered)
            return filtered
        }
    }

    /// What a refresh must read.
    struct RefreshPlan {
        var newerThan: Int
        var ids: [Int]
        /// True when other connections may have changed the study (or deleted it).
        var foreignChanges: Bool
    }

    private let studies = Mutex<[Int: StudyTrials]>([:])
    /// Trial id -> study id, for the trials of cached studies.
    private let studyOfTrial = Mutex<[Int: Int]>([:])

    /// What to read to bring the study up to date, or nil when it is (`token` is the backend's change
    /// token read just now).
    func plan(studyID: Int, token: Int?) -> RefreshPlan? {
        studies.withLock { studies in
            let study = studies[studyID, default: StudyTrials()]
            let foreign = !study.refreshed || token == nil || token != study.token
            if !foreign, !study.created, study.dirtyIDs.isEmpty { return nil }
            let ids = foreign ? study.unfinishedIDs.union(study.dirtyIDs) : study.dirtyIDs
            return RefreshPlan(newerThan: study.maxReadID, ids: ids.filter { $0 <= study.maxReadID }.sorted(),
                               foreignChanges: foreign)
        }
    }

    /// Merges the trials a refresh read by `plan`, at `token`.
    func merge(studyID: Int, trials: [FrozenTrial], plan: RefreshPlan, token: Int?) {
        studies.withLock { studies in
            var study = studies.removeValue(forKey: studyID) ?? StudyTrials()
            for trial in trials {
                study.upsert(trial)
                if trial.id > study.maxReadID { study.maxReadID = trial.id }
            }
            study.token = token
            study.refreshed = true
            study.created = false
            let reread = Set(plan.ids)
            study.dirtyIDs = study.dirtyIDs.filter { !reread.contains($0) && $0 <= plan.newerThan }
            studies[studyID] = study
        }
        studyOfTrial.withLock { map in for trial in trials { map[trial.id] = studyID } }
    }

    /// The study's trials in `states`, as last merged.
    func trials(studyID: Int, states: Set<TrialState>?) -> [FrozenTrial] {
        studies.withLock { $0[studyID]?.trials(in: states) ?? [] }
    }

    func count(studyID: Int, states: Set<TrialState>?) -> Int {
        studies.withLock { studies in
            guard let study = studies[studyID] else { return 0 }
            return states.map(study.count(in:)) ?? study.trials.count
        }
    }

    /// The trial if it is known and finished (and so can not have changed).
    func finishedTrial(id: Int) -> FrozenTrial? {
        guard let studyID = studyOfTrial.withLock({ $0[id] }) else { return nil }
        return studies.withLock { studies in
            guard let study = studies[studyID], let index = study.indexByID[id] else { return nil }
            let trial = study.trials[index]
            return trial.state.isFinished ? trial : nil
        }
    }

    func trialID(studyID: Int, number: Int) -> Int? {
        studies.withLock { $0[studyID]?.idByNumber[number] }
    }

    /// Records a trial read directly (not by a refresh), if its study is cached.
    func offer(_ trial: FrozenTrial, studyID: Int) {
        let known = studies.withLock { studies -> Bool in
            guard studies[studyID] != nil else { return false }
            studies[studyID]!.upsert(trial)
            return true
        }
        if known { studyOfTrial.withLock { $0[trial.id] = studyID } }
    }

    /// Notes a trial this process created (by number), so that the next refresh looks for new trials.
    func noteCreated(studyID: Int, trialID: Int, number: Int) {
        studies.withLock { studies in
            studies[studyID, default: StudyTrials()].created = true
            studies[studyID]!.idByNumber[number] = trialID
        }
    }

    /// Notes a trial this process changed, so that the next refresh re-reads it.
    func noteWrite(studyID: Int, trialID: Int) {
        studies.withLock { studies in
            guard studies[studyID] != nil else { return }
            studies[studyID]!.dirtyIDs.insert(trialID)
            studies[studyID]!.memo = nil
        }
    }

    /// Forgets a study (deleted, or found missing).
    func forget(studyID: Int) {
        let removed = studies.withLock { $0.removeValue(forKey: studyID) }
        if let removed { studyOfTrial.withLock { map in for id in removed.indexByID.keys { map[id] = nil } } }
    }

    /// Forgets every study: the next reads load them again.
    func forgetAll() {
        studies.withLock { $0 = [:] }
        studyOfTrial.withLock { $0 = [:] }
    }
}
