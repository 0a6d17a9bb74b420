import Foundation
import Synchronization

/// Optuna's journal file storage (`JournalStorage(JournalFileBackend(path))`): an append-only file with one
/// JSON operation per line, shared by every process that opens it, Python Optuna's included, with no server.
///
/// - Format and meaning are Optuna 5's: the same operation codes, field names and value encodings, the same
///   lock file (`JournalLockKind`), and the same replay rules (`JournalReplay`), so that Python and Swift
///   writers append to one journal at once and all see the same study.
/// - Each call first reads only what was appended since the last one (from the byte offset where it stopped).
///   A write takes the lock, catches up, checks the operation against the current state (so that it throws,
///   writing nothing, where Optuna's writer would raise), appends one line, and releases the lock.
/// - Works on network file systems: no `flock`, a fresh descriptor per read and write, the lock's stale rule
///   for writers that died holding it.
/// - Durability is a choice (`JournalDurability`): Optuna flushes every write to disk; by default this storage
///   flushes the writes that finish trials or change studies, outside its locks, so that concurrent flushes
///   overlap. Other processes see every write at once in any case.
///
/// Differences from Optuna's own reader, none of which changes what a journal means: a line that is not an
/// operation (bad JSON, an unknown op code, a missing field) is an error as soon as it is complete, where Optuna
/// fails only once another line follows it; a write refuses to follow an incomplete last line (a writer that
/// died mid-line), which Optuna would turn into a bad line; the trials of a deleted study are not visible
/// (`trial(id:)` does not find them), though, as in Optuna, they keep their ids.
///
/// Optuna's journal storage has no heartbeat, and neither has this one: a trial whose worker died stays RUNNING.
/// Thread-safe: calls of one instance read and write one at a time; their flushes to disk overlap.
public final class JournalStorage: StudyStorage {
    /// The journal file's path, as given.
    public let path: String
    public let lockKind: JournalLockKind
    public let durability: JournalDurability

    private struct Core {
        let file: JournalFile
        var replay = JournalReplay()
        var decoder = JournalLineDecoder()
        /// Writes this storage's lines, named by `workerID`.
        var encoder: JournalLineEncoder
        /// Names this storage's lines (Optuna's `worker_id`: a UUID, `-`, and a number).
        let workerID: String
        /// What this storage's last line did, learnt while replaying it.
        var ownOutcome: JournalReplay.Outcome?
    }

    private let core: Mutex<Core>

    /// Raised by a check when a RUNNING claim loses before anything is written.
    private struct ClaimLost: Error {}

    /// Opens the journal at `path`, creating an empty one if there is no file, and reads it.
    ///
    /// - Parameters:
    ///   - lock: the lock file writers take; Optuna's default is the symbolic link. Every process writing to one
    ///     journal must use the same kind.
    ///   - lockGracePeriod: seconds a lock may stay unchanged before a waiting writer breaks it as abandoned
    ///     (Optuna's `grace_period`, 30 by default); nil never breaks one.
    ///   - durability: when writes are forced to disk. The default flushes each finished trial and each change
    ///     of a study, so that a machine's crash can lose only what running trials had recorded, at one flush
    ///     per trial; `everyWrite` is Optuna's (about 13 flushes per trial of 11 parameters).
    /// - Throws: `StorageError.invalidJournal` naming the line when the file is not a journal (nothing is
    ///   written to it), `StorageError.backend` when it cannot be opened or read, `StorageError.invalidValue`
    ///   for a grace period that is not positive.
    public init(path: String, lock: JournalLockKind = .symlink, lockGracePeriod: Double? = 30,
                durability: JournalDurability = .finishedTrials) throws {
        if let lockGracePeriod, !(lockGracePeriod > 0) {
            throw StorageError.invalidValue("the journal lock's grace period must be a positive number of seconds, not \(lockGracePeriod)")
        }
        self.path = path
        self.lockKind = lock
        self.durability = durability
        let file = try JournalFile(path: path, lock: JournalFileLock(journalPath: path, kind: lock, gracePeriod: lockGracePeriod))
        let workerID = UUID().uuidString.lowercased() + "-\(ProcessInfo.processInfo.processIdentifier)"
        var core = Core(file: file, encoder: JournalLineEncoder(workerID: workerID), workerID: workerID)
        try Self.sync(&core)
        self.core = Mutex(core)
    }

    // MARK: Reading and writing the file

    /// Replays what was appended since the last call.
    private static func sync(_ core: inout Core) throws {
        let file = core.file
        try file.readNewLines { line, number in try apply(line, number, to: &core) }
    }

    private static func apply(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, to core: inout Core) throws {
        let entry: JournalLineDecoder.Entry
        do {
            entry = try core.decoder.decode(line)
        } catch {
            throw StorageError.invalidJournal(path: core.file.path, line: number, reason: error.reason)
        }
        let outcome = core.replay.apply(entry.operation)
        if entry.workerID == core.workerID { core.ownOutcome = outcome }
    }

    /// Runs `body` on the state after replaying what is new.
    private func read<Result>(_ body: (JournalReplay) throws -> Result) throws -> Result {
        try core.withLock { core in
            try Self.sync(&core)
            return try body(core.replay)
        }
    }

    /// Appends `operation` once `check` passes on the journal's current state (under the lock), and returns
    /// what it did. A rejection (possible only when another writer broke the lock) is thrown.
    private func write(_ operation: JournalOperation, check: (JournalReplay) throws -> Void) throws -> JournalReplay.Outcome {
        let durable: Bool
        switch durability {
        case .everyWrite: durable = true
        case .finishedTrials: durable = operation.isDurabilityPoint
        case .none: durable = false
        }
        let (outcome, flush) = try core.withLock { core in
            let line = core.encoder.line(for: operation)
            let file = core.file
            core.ownOutcome = nil
            let (inPlace, flush) = try file.append(line, durable: durable,
                                                   handle: { line, number in try Self.apply(line, number, to: &core) },
                                                   check: { try check(core.replay) })
            // The line is what others will read: the operation itself, its datetimes already in microseconds.
            if inPlace { core.ownOutcome = core.replay.apply(operation) }
            return (core.ownOutcome, flush)
        }
        // The line is in the file: wait for the disk, outside the lock, whatever the outcome.
        try flush.complete()
        guard let outcome else {
            throw StorageError.backend("the line written to the journal \(path) was not found when it was read back")
        }
        if case .rejected(let error) = outcome { throw error }
        return outcome
    }

    // MARK: Studies

    public func createStudy(name: String?, directions: [StudyDirection]) throws -> Int {
        guard !directions.isEmpty else { throw StorageError.invalidDirections("a study needs at least one direction") }
        guard !directions.contains(.notSet) else { throw StorageError.invalidDirections("NOT_SET is not a direction to optimise in") }
        let studyName = name ?? InMemoryStorage.generatedStudyName()
        let outcome = try write(.createStudy(name: studyName, directions: directions)) { replay in
            if replay.studyIDsByName[studyName] != nil { throw StorageError.duplicatedStudy(studyName) }
        }
        guard case .createdStudy(let id) = outcome else { throw StorageError.backend("study '\(studyName)' was not created") }
        return id
    }

    public func deleteStudy(id: Int) throws {
        _ = try write(.deleteStudy(studyID: id)) { replay in try replay.requireStudy(id) }
    }

    public func studyID(named name: String) throws -> Int {
        try read { replay in
            guard let id = replay.studyIDsByName[name] else { throw StorageError.studyNotFound("named '\(name)'") }
            return id
        }
    }

    public func studyName(id: Int) throws -> String { try read { try $0.study(id).name } }
    public func studyDirections(id: Int) throws -> [StudyDirection] { try read { try $0.study(id).directions } }
    public func studyUserAttributes(id: Int) throws -> [String: JSONValue] { try read { try $0.study(id).userAttributes } }
    public func studySystemAttributes(id: Int) throws -> [String: JSONValue] { try read { try $0.study(id).systemAttributes } }

    public func setStudyUserAttribute(studyID: Int, key: String, value: JSONValue) throws {
        _ = try write(.setStudyUserAttribute(studyID: studyID, key: key, value: value)) { try $0.requireStudy(studyID) }
    }

    public func setStudySystemAttribute(studyID: Int, key: String, value: JSONValue) throws {
        _ = try write(.setStudySystemAttribute(studyID: studyID, key: key, value: value)) { try $0.requireStudy(studyID) }
    }

    public func allStudies() throws -> [StudySummary] {
        try read { replay in
            replay.studies.indices.compactMap { id in
                let record = replay.studies[id]
                guard !record.isDeleted else { return nil }
                return StudySummary(id: id, name: record.name, directions: record.directions,
                                    userAttributes: record.userAttributes, systemAttributes: record.systemAttributes,
                                    trialCount: record.trials.count, datetimeStart: record.trials.first?.datetimeStart)
            }
        }
    }

    // MARK: Trials

    public func createTrial(studyID: Int, template: FrozenTrial?) throws -> CreatedTrial {
        try createTrial(studyID: studyID, template: template, maxTrials: .max)!
    }

    /// Thrown inside the write's check when the study is full; nothing is appended.
    private struct TrialLimitReached: Error {}

    public func createTrial(studyID: Int, template: FrozenTrial?, maxTrials: Int) throws -> CreatedTrial? {
        var start: Date? = JournalTimestamp.rounded(Date())
        var journalTemplate: JournalOperation.TrialTemplate?
        if let template {
            var params: [String: Double] = [:]
            for (name, value) in template.params {
                guard let distribution = template.distributions[name] else {
                    throw StorageError.invalidValue("the template's parameter '\(name)' has no distribution")
                }
                params[name] = try distribution.internalValue(of: value, name: name)
            }
            journalTemplate = JournalOperation.TrialTemplate(
                state: template.state, values: template.values, datetimeComplete: template.datetimeComplete.map(JournalTimestamp.rounded),
                distributions: template.distributions, params: params, userAttributes: template.userAttributes,
                systemAttributes: template.systemAttributes, intermediateValues: template.intermediateValues)
            if template.datetimeStart != nil || template.state != .running { start = template.datetimeStart.map(JournalTimestamp.rounded) }
        }
        let outcome: JournalReplay.Outcome
        do {
            outcome = try write(.createTrial(studyID: studyID, datetimeStart: start, template: journalTemplate)) { replay in
                try replay.requireStudy(studyID)
                if replay.studies[studyID].trials.count >= maxTrials { throw TrialLimitReached() }
                guard let template else { return }
                let study = replay.studies[studyID]
                for name in template.distributions.keys.sorted() {
                    try study.checkCompatibility(name, template.distributions[name]!)
                }
            }
        } catch is TrialLimitReached {
            return nil
        }
        guard case .createdTrial(let created) = outcome else { throw StorageError.backend("the trial was not created") }
        return created
    }

    public func setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: ParameterDistribution) throws {
        _ = try write(.setTrialParameter(trialID: trialID, name: name, internalValue: internalValue, distribution: distribution)) { replay in
            let (study, number) = try replay.unfinishedTrial(trialID)
            if let existing = study.trials[number].distributions[name], existing != distribution {
                throw DistributionError.incompatible(name: name, existing: existing.description, requested: distribution.description)
            }
            guard distribution.contains(internalValue: internalValue) else {
                throw DistributionError.valueOutOfDomain(name: name, value: pythonFloatRepr(internalValue), distribution: distribution.description)
            }
            try study.checkCompatibility(name, distribution)
        }
    }

    @discardableResult
    public func setTrialState(trialID: Int, state: TrialState, values: [Double]?) throws -> Bool {
        let datetime: Date? = state == .running || state.isFinished ? JournalTimestamp.rounded(Date()) : nil
        do {
            let outcome = try write(.setTrialState(trialID: trialID, state: state, values: values, datetime: datetime)) { replay in
                let (study, number) = try replay.unfinishedTrial(trialID)
                if state == .running, study.trials[number].state != .waiting { throw ClaimLost() }
            }
            if case .claimLost = outcome { return false }
            return true
        } catch is ClaimLost {
            return false
        }
    }

    public func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) throws {
        _ = try write(.setTrialIntermediateValue(trialID: trialID, step: step, value: value)) { _ = try $0.unfinishedTrial(trialID) }
    }

    public func setTrialUserAttribute(trialID: Int, key: String, value: JSONValue) throws {
        _ = try write(.setTrialUserAttribute(trialID: trialID, key: key, value: value)) { _ = try $0.unfinishedTrial(trialID) }
    }

    public func setTrialSystemAttribute(trialID: Int, key: String, value: JSONValue) throws {
        _ = try write(.setTrialSystemAttribute(trialID: trialID, key: key, value: value)) { _ = try $0.unfinishedTrial(trialID) }
    }

    public func trial(id: Int) throws -> FrozenTrial { try read { try $0.trial(id) } }

    public func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial] {
        try read { replay in
            let study = try replay.study(studyID)
            guard let states else { return study.trials }
            let matching = study.count(in: states)
            if matching == 0 { return [] }
            if matching == study.trials.count { return study.trials }
            return study.trials.filter { states.contains($0.state) }
        }
    }

    public func trialID(studyID: Int, number: Int) throws -> Int {
        try read { replay in
            let study = try replay.study(studyID)
            guard study.trials.indices.contains(number) else {
                throw StorageError.trialNotFound("number \(number) in study '\(study.name)'")
            }
            return study.trials[number].id
        }
    }

    public func trialCount(studyID: Int, states: Set<TrialState>?) throws -> Int {
        try read { replay in
            let study = try replay.study(studyID)
            guard let states else { return study.trials.count }
            return study.count(in: states)
        }
    }
}
