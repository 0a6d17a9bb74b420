import Foundation

/// What a study looks like from storage: its id, name, directions and attributes.
public struct StudySummary: Sendable, Hashable {
    public var id: Int
    public var name: String
    public var directions: [StudyDirection]
    public var userAttributes: [String: JSONValue]
    public var systemAttributes: [String: JSONValue]
    public var trialCount: Int
    public var datetimeStart: Date?

    public init(id: Int, name: String, directions: [StudyDirection], userAttributes: [String: JSONValue] = [:],
                systemAttributes: [String: JSONValue] = [:], trialCount: Int = 0, datetimeStart: Date? = nil) {
        self.id = id
        self.name = name
        self.directions = directions
        self.userAttributes = userAttributes
        self.systemAttributes = systemAttributes
        self.trialCount = trialCount
        self.datetimeStart = datetimeStart
    }
}

/// A trial just created: its storage id and its number in the study.
public struct CreatedTrial: Sendable, Hashable {
    public var id: Int
    public var number: Int
    public init(id: Int, number: Int) {
        self.id = id
        self.number = number
    }
}

/// The one seam every storage sits behind: memory, SQLite, PostgreSQL, Optuna's journal file, and the
/// study service's clients. It mirrors Optuna's `BaseStorage` (and so the 19 RPCs of its gRPC proxy),
/// so that every storage can hold exactly what Optuna holds.
///
/// Calls are synchronous and may block on I/O: studies call them from their worker threads. Every method
/// is atomic: after it throws, storage is as it was before the call. Implementations are thread-safe and,
/// where the backing store is shared, process-safe.
public protocol StudyStorage: AnyObject, Sendable {
    // MARK: Studies

    /// Creates a study and returns its id. A nil name gets a generated unique one.
    /// Throws `StorageError.duplicatedStudy` when the name is taken.
    func createStudy(name: String?, directions: [StudyDirection]) throws -> Int
    /// Deletes a study with its trials.
    func deleteStudy(id: Int) throws
    /// The id of the study with this name; throws `StorageError.studyNotFound`.
    func studyID(named name: String) throws -> Int
    func studyName(id: Int) throws -> String
    func studyDirections(id: Int) throws -> [StudyDirection]
    func setStudyUserAttribute(studyID: Int, key: String, value: JSONValue) throws
    func setStudySystemAttribute(studyID: Int, key: String, value: JSONValue) throws
    func studyUserAttributes(id: Int) throws -> [String: JSONValue]
    func studySystemAttributes(id: Int) throws -> [String: JSONValue]
    /// Every study in the storage.
    func allStudies() throws -> [StudySummary]

    // MARK: Trials

    /// Creates a trial in the study with the next free number. With a template, the trial starts
    /// as a copy of it (state, params, values, attributes); without one it starts RUNNING with the
    /// current time as its start.
    func createTrial(studyID: Int, template: FrozenTrial?) throws -> CreatedTrial
    /// Creates a trial as `createTrial(studyID:template:)` does, unless the study already has `maxTrials`
    /// trials (in any state); then returns nil and changes nothing. Storages shared by several workers check
    /// and create in one atomic step, so workers that share a budget never overshoot it.
    func createTrial(studyID: Int, template: FrozenTrial?, maxTrials: Int) throws -> CreatedTrial?
    /// Records a parameter value (internal representation) of an unfinished trial. Throws
    /// `DistributionError` when the value lies outside `distribution`, when the trial already has the
    /// parameter with another distribution, or when earlier trials of the study used it with another kind,
    /// log setting or choices (Optuna's `check_distribution_compatibility`); templates of `createTrial`
    /// obey the same study-wide rule.
    func setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: ParameterDistribution) throws
    /// Sets a trial's state and values. Returns false, changing nothing, when `state` is RUNNING and
    /// the trial is no longer WAITING: that is how one worker claims an enqueued trial against others.
    /// Throws `StorageError.trialFinished` for a finished trial.
    @discardableResult
    func setTrialState(trialID: Int, state: TrialState, values: [Double]?) throws -> Bool
    func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) throws
    func setTrialUserAttribute(trialID: Int, key: String, value: JSONValue) throws
    func setTrialSystemAttribute(trialID: Int, key: String, value: JSONValue) throws
    func trial(id: Int) throws -> FrozenTrial
    /// The study's trials in number order, optionally only those in `states`.
    func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial]
    /// The id of the trial with this number in the study.
    func trialID(studyID: Int, number: Int) throws -> Int
    /// How many trials the study has, optionally only those in `states`.
    func trialCount(studyID: Int, states: Set<TrialState>?) throws -> Int
}

extension StudyStorage {
    public func trials(studyID: Int) throws -> [FrozenTrial] { try trials(studyID: studyID, states: nil) }

    /// Counts, then creates: atomic only for a storage that one process alone uses; shared storages override it.
    public func createTrial(studyID: Int, template: FrozenTrial?, maxTrials: Int) throws -> CreatedTrial? {
        guard try trialCount(studyID: studyID, states: nil) < maxTrials else { return nil }
        return try createTrial(studyID: studyID, template: template)
    }

    public func trialCount(studyID: Int, states: Set<TrialState>?) throws -> Int {
        try trials(studyID: studyID, states: states).count
    }

    public func trialID(studyID: Int, number: Int) throws -> Int {
        guard let trial = try trials(studyID: studyID, states: nil).first(where: { $0.number == number }) else {
            throw StorageError.trialNotFound("number \(number) in study \(studyID) in the storage")
        }
        return trial.id
    }

    /// The best COMPLETE trial of a single-objective study.
    public func bestTrial(studyID: Int) throws -> FrozenTrial {
        let directions = try studyDirections(id: studyID)
        guard directions.count == 1 else {
            throw StorageError.invalidValue("the best trial is defined for one objective only; this study has \(directions.count): use bestTrials (the Pareto front)")
        }
        let direction = directions[0]
        var best: FrozenTrial?
        for trial in try trials(studyID: studyID, states: [.complete]) {
            guard let value = trial.value, !value.isNaN else { continue }
            if let current = best?.value, !direction.isBetter(value, than: current) { continue }
            best = trial
        }
        guard let best else { throw StorageError.invalidValue("no trial of the study is complete yet") }
        return best
    }
}

/// A storage that can group several of its calls into one transaction (the relational storages): a server
/// that answers one request with many storage calls (an ask that creates a trial and samples its
/// parameters) commits once, and all or nothing.
public protocol TransactionGroupingStorage: StudyStorage {
    /// Runs `body`, and every call it makes on this storage from the calling thread, in one transaction;
    /// rolls all of it back when `body` throws.
    func inOneTransaction<Result>(_ body: () throws -> Result) throws -> Result
}

/// A storage whose workers beat a heartbeat, so that trials of dead workers can be found and failed.
/// (Optuna's `BaseHeartbeat`; the relational, journal and remote storages adopt it.)
public protocol HeartbeatStorage: StudyStorage {
    /// Seconds between heartbeats of a running trial.
    var heartbeatInterval: Double { get }
    /// Seconds without a heartbeat after which a running trial counts as stale.
    var gracePeriod: Double { get }
    /// Records that the trial's worker is alive now.
    func recordHeartbeat(trialID: Int) throws
    /// Sets every stale RUNNING trial of the study to FAIL and returns their ids.
    func failStaleTrials(studyID: Int) throws -> [Int]
}
