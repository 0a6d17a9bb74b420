import Foundation
import Synchronization

/// Storage in the memory of this process: the default for library use, and the fastest.
/// Thread-safe; gone when the process ends.
public final class InMemoryStorage: StudyStorage {
    private struct StudyRecord {
        var name: String
        var directions: [StudyDirection]
        var userAttributes: [String: JSONValue] = [:]
        var systemAttributes: [String: JSONValue] = [:]
        /// Indexed by trial number.
        var trials: [FrozenTrial] = []
        /// How many trials are in each state, indexed by `TrialState.rawValue`, so that asking for the
        /// trials of a state that has none (WAITING, before every `ask`) costs nothing.
        var stateCounts = [Int](repeating: 0, count: TrialState.allCases.count)

        /// How many trials are in one of `states`.
        func count(in states: Set<TrialState>) -> Int { states.reduce(0) { $0 + stateCounts[$1.rawValue] } }
        /// The first distribution recorded for each parameter name, against which later ones are checked.
        var paramDistributions: [String: ParameterDistribution] = [:]

        /// Optuna's `check_distribution_compatibility` against earlier trials, then records `distribution`.
        mutating func checkAndRecord(_ name: String, _ distribution: ParameterDistribution) throws {
            if let earlier = paramDistributions[name] {
                try earlier.checkCompatibility(with: distribution, name: name)
            } else {
                paramDistributions[name] = distribution
            }
        }
    }

    private struct State {
        var studies: [Int: StudyRecord] = [:]
        var studyIDsByName: [String: Int] = [:]
        /// Trial id -> (study id, trial number).
        var trialLocations: [Int: (study: Int, number: Int)] = [:]
        var nextStudyID = 0
        var nextTrialID = 0
    }

    private let state = Mutex(State())

    public init() {}

    // MARK: Studies

    public func createStudy(name: String?, directions: [StudyDirection]) throws -> Int {
        guard !directions.isEmpty else { throw StorageError.invalidDirections("a study needs at least one direction") }
        guard !directions.contains(.notSet) else { throw StorageError.invalidDirections("NOT_SET is not a direction to optimise in") }
        return try state.withLock { state in
            let id = state.nextStudyID
            let studyName = name ?? Self.generatedStudyName()
            guard state.studyIDsByName[studyName] == nil else { throw StorageError.duplicatedStudy(studyName) }
            state.nextStudyID += 1
            state.studies[id] = StudyRecord(name: studyName, directions: directions)
            state.studyIDsByName[studyName] = id
            return id
        }
    }

    /// A fresh study name, as Optuna makes them (`no-name-` and a UUID).
    static func generatedStudyName() -> String { "no-name-" + UUID().uuidString.lowercased() }

    public func deleteStudy(id: Int) throws {
        try state.withLock { state in
            guard let record = state.studies.removeValue(forKey: id) else { throw StorageError.studyNotFound("with id \(id)") }
            state.studyIDsByName[record.name] = nil
            for trial in record.trials { state.trialLocations[trial.id] = nil }
        }
    }

    public func studyID(named name: String) throws -> Int {
        try state.withLock { state in
            guard let id = state.studyIDsByName[name] else { throw StorageError.studyNotFound("named '\(name)'") }
            return id
        }
    }

    private func withStudy<Result>(_ id: Int, _ body: (inout StudyRecord) throws -> Result) throws -> Result {
        try state.withLock { state in
            guard state.studies[id] != nil else { throw StorageError.studyNotFound("with id \(id)") }
            return try body(&state.studies[id]!)
        }
    }

    public func studyName(id: Int) throws -> String { try withStudy(id) { $0.name } }
    public func studyDirections(id: Int) throws -> [StudyDirection] { try withStudy(id) { $0.directions } }
    public func studyUserAttributes(id: Int) throws -> [String: JSONValue] { try withStudy(id) { $0.userAttributes } }
    public func studySystemAttributes(id: Int) throws -> [String: JSONValue] { try withStudy(id) { $0.systemAttributes } }

    public func setStudyUserAttribute(studyID: Int, key: String, value: JSONValue) throws {
        try withStudy(studyID) { $0.userAttributes[key] = value }
    }

    public func setStudySystemAttribute(studyID: Int, key: String, value: JSONValue) throws {
        try withStudy(studyID) { $0.systemAttributes[key] = value }
    }

    public func allStudies() throws -> [StudySummary] {
        state.withLock { state in
            state.studies.keys.sorted().map { id in
                let record = state.studies[id]!
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

    public func createTrial(studyID: Int, template: FrozenTrial?, maxTrials: Int) throws -> CreatedTrial? {
        try state.withLock { state in
            guard state.studies[studyID] != nil else { throw StorageError.studyNotFound("with id \(studyID)") }
            guard state.studies[studyID]!.trials.count < maxTrials else { return nil }
            if let template {
                // Check every parameter before recording any, so that a rejected template changes nothing.
                var distributions = state.studies[studyID]!.paramDistributions
                for name in template.distributions.keys.sorted() {
                    if let earlier = distributions[name] {
                        try earlier.checkCompatibility(with: template.distributions[name]!, name: name)
                    } else {
                        distributions[name] = template.distributions[name]!
                    }
                }
                state.studies[studyID]!.paramDistributions = distributions
            }
            let id = state.nextTrialID
            state.nextTrialID += 1
            let number = state.studies[studyID]!.trials.count
            var trial: FrozenTrial
            if var template {
                template.id = id
                template.number = number
                if template.state == .running, template.datetimeStart == nil { template.datetimeStart = Date() }
                trial = template
            } else {
                trial = FrozenTrial(id: id, number: number, state: .running, datetimeStart: Date())
            }
            trial.id = id
            state.studies[studyID]!.trials.append(trial)
            state.studies[studyID]!.stateCounts[trial.state.rawValue] += 1
            state.trialLocations[id] = (studyID, number)
            return CreatedTrial(id: id, number: number)
        }
    }

    /// Runs `body` on the trial with this id, and the record of its study, while holding the lock.
    private func withTrialAndStudy<Result>(_ id: Int, _ body: (inout FrozenTrial, inout StudyRecord) throws -> Result) throws -> Result {
        try state.withLock { state in
            guard let location = state.trialLocations[id] else { throw StorageError.trialNotFound("with id \(id)") }
            var study = state.studies[location.study]!
            state.studies[location.study] = nil  // keeps the record uniquely referenced while it changes
            defer { state.studies[location.study] = study }
            var trial = study.trials[location.number]
            guard !trial.state.isFinished else { throw StorageError.trialFinished(number: trial.number, state: trial.state) }
            let result = try body(&trial, &study)
            study.trials[location.number] = trial
            return result
        }
    }

    /// Runs `body` on the trial with this id while holding the lock.
    private func withTrial<Result>(_ id: Int, _ body: (inout FrozenTrial) throws -> Result) throws -> Result {
        try state.withLock { state in
            guard let location = state.trialLocations[id] else { throw StorageError.trialNotFound("with id \(id)") }
            return try body(&state.studies[location.study]!.trials[location.number])
        }
    }

    private func withUnfinishedTrial<Result>(_ id: Int, _ body: (inout FrozenTrial) throws -> Result) throws -> Result {
        try withTrial(id) { trial in
            guard !trial.state.isFinished else { throw StorageError.trialFinished(number: trial.number, state: trial.state) }
            return try body(&trial)
        }
    }

    public func setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: ParameterDistribution) throws {
        try withTrialAndStudy(trialID) { trial, study in
            if let existing = trial.distributions[name], existing != distribution {
                throw DistributionError.incompatible(name: name, existing: existing.description, requested: distribution.description)
            }
            guard distribution.contains(internalValue: internalValue) else {
                throw DistributionError.valueOutOfDomain(name: name, value: pythonFloatRepr(internalValue), distribution: distribution.description)
            }
            try study.checkAndRecord(name, distribution)  // throws before it changes anything
            trial.distributions[name] = distribution
            trial.params[name] = distribution.externalValue(of: internalValue)
        }
    }

    @discardableResult
    public func setTrialState(trialID: Int, state newState: TrialState, values: [Double]?) throws -> Bool {
        try withTrialAndStudy(trialID) { trial, study in
            if newState == .running {
                guard trial.state == .waiting else { return false }
                trial.datetimeStart = Date()
            }
            if newState.isFinished { trial.datetimeComplete = Date() }
            study.stateCounts[trial.state.rawValue] -= 1
            study.stateCounts[newState.rawValue] += 1
            trial.state = newState
            if let values { trial.values = values }
            return true
        }
    }

    public func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) throws {
        try withUnfinishedTrial(trialID) { $0.intermediateValues[step] = value }
    }

    public func setTrialUserAttribute(trialID: Int, key: String, value: JSONValue) throws {
        try withUnfinishedTrial(trialID) { $0.userAttributes[key] = value }
    }

    public func setTrialSystemAttribute(trialID: Int, key: String, value: JSONValue) throws {
        try withUnfinishedTrial(trialID) { $0.systemAttributes[key] = value }
    }

    public func trial(id: Int) throws -> FrozenTrial { try withTrial(id) { $0 } }

    public func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial] {
        try withStudy(studyID) { record in
            guard let states else { return record.trials }
            let matching = record.count(in: states)
            if matching == 0 { return [] }
            if matching == record.trials.count { return record.trials }
            return record.trials.filter { states.contains($0.state) }
        }
    }

    public func trialID(studyID: Int, number: Int) throws -> Int {
        try withStudy(studyID) { record in
            guard record.trials.indices.contains(number) else {
                throw StorageError.trialNotFound("number \(number) in study '\(record.name)'")
            }
            return record.trials[number].id
        }
    }

    public func trialCount(studyID: Int, states: Set<TrialState>?) throws -> Int {
        try withStudy(studyID) { record in
            guard let states else { return record.trials.count }
            return record.count(in: states)
        }
    }
}
