import Foundation

/// The state a journal's operations build, replayed by Optuna's rules (`JournalStorageReplayResult`), so that
/// every reader, Python or Swift, derives the same studies and trials from the same file:
///
/// - study ids count the CREATE_STUDY lines that succeeded, from 0; trial ids count the CREATE_TRIAL lines
///   that succeeded, across studies, from 0; a trial's number counts the trials of its study;
/// - an operation that is invalid where it stands (unknown study or trial, finished trial, a taken study name,
///   a parameter whose distribution is incompatible with the first trial of the study that has it) changes
///   nothing; only its writer learns why (`Outcome.rejected`);
/// - RUNNING on a trial already RUNNING changes nothing: the first claim of a WAITING trial in file order wins;
/// - a deleted study leaves the study list, but its trials keep their ids (and, as in Optuna, still take writes).
struct JournalReplay {
    struct StudyRecord {
        var name: String
        var directions: [StudyDirection]
        var userAttributes: [String: JSONValue] = [:]
        var systemAttributes: [String: JSONValue] = [:]
        /// By trial number.
        var trials: [FrozenTrial] = []
        /// Trials per state, indexed by `TrialState.rawValue`.
        var stateCounts = [Int](repeating: 0, count: TrialState.allCases.count)
        /// The lowest number of a trial that has each parameter: its distribution is the one later ones must be
        /// compatible with (Optuna scans the study's trials in order for the first that has the parameter).
        var firstTrialWithParameter: [String: Int] = [:]
        var isDeleted = false

        init(name: String, directions: [StudyDirection]) {
            self.name = name
            self.directions = directions
        }

        func count(in states: Set<TrialState>) -> Int { states.reduce(0) { $0 + stateCounts[$1.rawValue] } }

        /// Optuna's `check_distribution_compatibility` against the first trial of the study with `name`.
        func checkCompatibility(_ name: String, _ distribution: ParameterDistribution) throws(DistributionError) {
            guard let number = firstTrialWithParameter[name], let earlier = trials[number].distributions[name] else { return }
            try earlier.checkCompatibility(with: distribution, name: name)
        }
    }

    /// What an operation did, for the worker that wrote it.
    enum Outcome: Sendable {
        case createdStudy(id: Int)
        case createdTrial(CreatedTrial)
        case applied
        /// RUNNING asked for a trial that another worker had already claimed.
        case claimLost
        /// Nothing changed, for this reason (what Optuna raises in the writing worker).
        case rejected(any Error & Sendable)
    }

    /// By study id; deleted studies stay, marked.
    private(set) var studies: [StudyRecord] = []
    private(set) var studyIDsByName: [String: Int] = [:]
    /// Study id and number of each trial, by trial id.
    private(set) var trialLocations: [(study: Int, number: Int)] = []

    mutating func apply(_ operation: JournalOperation) -> Outcome {
        switch operation {
        case .createStudy(let name, let directions):
            guard studyIDsByName[name] == nil else { return .rejected(StorageError.duplicatedStudy(name)) }
            let id = studies.count
            studies.append(StudyRecord(name: name, directions: directions))
            studyIDsByName[name] = id
            return .createdStudy(id: id)
        case .deleteStudy(let studyID):
            let outcome = withStudy(studyID) { $0.isDeleted = true }
            if case .applied = outcome { studyIDsByName[studies[studyID].name] = nil }
            return outcome
        case .setStudyUserAttribute(let studyID, let key, let value):
            return withStudy(studyID) { $0.userAttributes[key] = value }
        case .setStudySystemAttribute(let studyID, let key, let value):
            return withStudy(studyID) { $0.systemAttributes[key] = value }
        case .createTrial(let studyID, let datetimeStart, let template):
            return createTrial(studyID: studyID, datetimeStart: datetimeStart, template: template)
        case .setTrialParameter(let trialID, let name, let internalValue, let distribution):
            return withUnfinishedTrial(trialID) { (study: inout StudyRecord, number: Int) throws(DistributionError) in
                try study.checkCompatibility(name, distribution)
                study.trials[number].params[name] = distribution.externalValue(of: internalValue)
                study.trials[number].distributions[name] = distribution
                if let first = study.firstTrialWithParameter[name], first <= number { return }
                study.firstTrialWithParameter[name] = number
            }
        case .setTrialState(let trialID, let state, let values, let datetime):
            var lost = false
            let outcome = withUnfinishedTrial(trialID) { study, number in
                let current = study.trials[number].state
                if state == .running {
                    guard current != .running else { lost = true; return }
                    study.trials[number].datetimeStart = datetime
                } else if state.isFinished {
                    study.trials[number].datetimeComplete = datetime
                }
                study.stateCounts[current.rawValue] -= 1
                study.stateCounts[state.rawValue] += 1
                study.trials[number].state = state
                if let values { study.trials[number].values = values }
            }
            return lost ? .claimLost : outcome
        case .setTrialIntermediateValue(let trialID, let step, let value):
            return withUnfinishedTrial(trialID) { study, number in study.trials[number].intermediateValues[step] = value }
        case .setTrialUserAttribute(let trialID, let key, let value):
            return withUnfinishedTrial(trialID) { study, number in study.trials[number].userAttributes[key] = value }
        case .setTrialSystemAttribute(let trialID, let key, let value):
            return withUnfinishedTrial(trialID) { study, number in study.trials[number].systemAttributes[key] = value }
        case .discardTrials:
            return .applied
        }
    }

    private mutating func createTrial(studyID: Int, datetimeStart: Date?, template: JournalOperation.TrialTemplate?) -> Outcome {
        guard studies.indices.contains(studyID), !studies[studyID].isDeleted else {
            return .rejected(StorageError.studyNotFound("with id \(studyID)"))
        }
        let id = trialLocations.count
        let number = studies[studyID].trials.count
        var trial = FrozenTrial(id: id, number: number, state: .running, datetimeStart: datetimeStart)
        if let template {
            trial.state = template.state
            trial.values = template.values
            trial.datetimeComplete = template.datetimeComplete
            trial.distributions = template.distributions
            for (name, value) in template.params {
                trial.params[name] = template.distributions[name]!.externalValue(of: value)
                if studies[studyID].firstTrialWithParameter[name] == nil {
                    studies[studyID].firstTrialWithParameter[name] = number
                }
            }
            trial.userAttributes = template.userAttributes
            trial.systemAttributes = template.systemAttributes
            trial.intermediateValues = template.intermediateValues
        }
        studies[studyID].stateCounts[trial.state.rawValue] += 1
        studies[studyID].trials.append(trial)
        trialLocations.append((studyID, number))
        return .createdTrial(CreatedTrial(id: id, number: number))
    }

    private mutating func withStudy(_ id: Int, _ body: (inout StudyRecord) -> Void) -> Outcome {
        guard studies.indices.contains(id), !studies[id].isDeleted else {
            return .rejected(StorageError.studyNotFound("with id \(id)"))
        }
        body(&studies[id])
        return .applied
    }

    /// Runs `body` on the record of an unfinished trial's study (live or deleted, as in Optuna), with the
    /// trial's number; the trial changes in place, through `study.trials[number]`.
    private mutating func withUnfinishedTrial(_ id: Int, _ body: (inout StudyRecord, Int) throws(DistributionError) -> Void) -> Outcome {
        guard trialLocations.indices.contains(id) else { return .rejected(StorageError.trialNotFound("with id \(id)")) }
        let (studyID, number) = trialLocations[id]
        let state = studies[studyID].trials[number].state
        guard !state.isFinished else { return .rejected(StorageError.trialFinished(number: number, state: state)) }
        do {
            try body(&studies[studyID], number)
        } catch {
            return .rejected(error)
        }
        return .applied
    }

    // MARK: Reading

    /// The live study with this id.
    func study(_ id: Int) throws(StorageError) -> StudyRecord {
        guard studies.indices.contains(id), !studies[id].isDeleted else { throw .studyNotFound("with id \(id)") }
        return studies[id]
    }

    /// Throws unless the study with this id is live.
    func requireStudy(_ id: Int) throws(StorageError) {
        guard studies.indices.contains(id), !studies[id].isDeleted else { throw .studyNotFound("with id \(id)") }
    }

    /// The study record and the number of an unfinished trial of a live study; throws `trialNotFound` or
    /// `trialFinished` otherwise.
    func unfinishedTrial(_ id: Int) throws(StorageError) -> (study: StudyRecord, number: Int) {
        let (study, number) = try location(ofTrial: id)
        let state = study.trials[number].state
        guard !state.isFinished else { throw .trialFinished(number: number, state: state) }
        return (study, number)
    }

    /// The trial with this id, when its study is live (the storage API hides the trials of deleted studies).
    func trial(_ id: Int) throws(StorageError) -> FrozenTrial {
        guard trialLocations.indices.contains(id), !studies[trialLocations[id].study].isDeleted else {
            throw .trialNotFound("with id \(id)")
        }
        let (study, number) = trialLocations[id]
        return studies[study].trials[number]
    }

    /// The study record of the trial with this id, and the trial's number, when its study is live.
    func location(ofTrial id: Int) throws(StorageError) -> (study: StudyRecord, number: Int) {
        guard trialLocations.indices.contains(id), !studies[trialLocations[id].study].isDeleted else {
            throw .trialNotFound("with id \(id)")
        }
        let (study, number) = trialLocations[id]
        return (studies[study], number)
    }
}
