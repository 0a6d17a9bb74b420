import Foundation
import Synchronization

/// A study: an optimisation of one objective function (or several) over a search space, run as trials
/// (Optuna's `Study`). The study is a view over storage: every worker that opens the same study in the
/// same storage sees and adds to the same trials.
public final class Study: @unchecked Sendable {
    /// The study's name, unique in its storage.
    public let name: String
    /// The storage's id of the study.
    public let id: Int
    public let storage: any StudyStorage
    /// One direction per objective.
    public let directions: [StudyDirection]
    public let sampler: any Sampler
    public let pruner: any Pruner

    /// Called for each trial that `failStaleTrials` fails (Optuna's heartbeat stale-trial callback), e.g.
    /// `RetryFailedTrialCallback` to run it again.
    public let staleTrialCallback: StaleTrialCallback?

    /// Trials a sampler may not see (Hyperband's bracket views); nil for the study itself.
    let trialFilter: (@Sendable (FrozenTrial) -> Bool)?
    let stopFlag: Atomic<Bool>
    /// Ids of the trials this process is running through `optimize` (failed on a second Ctrl-C).
    let activeTrialIDs: Mutex<Set<Int>>
    private let root: Study?

    // MARK: Creating and loading

    /// Creates a study, or loads it when `loadIfExists` is true and a study of that name exists.
    ///
    /// - Parameters:
    ///   - name: unique within the storage; nil gives a generated name.
    ///   - storage: where trials live; an in-memory storage by default.
    ///   - directions: one per objective (a loaded study must have the same ones).
    ///   - sampler: TPE with Optuna's defaults when nil.
    ///   - pruner: the median pruner with Optuna's defaults when nil.
    ///   - staleTrialCallback: called for each trial of a dead worker that `failStaleTrials` fails.
    /// - Throws: `StorageError.duplicatedStudy` when the name is taken and `loadIfExists` is false.
    public static func create(
        name: String? = nil, storage: any StudyStorage = InMemoryStorage(),
        directions: [StudyDirection] = [.minimize], sampler: (any Sampler)? = nil, pruner: (any Pruner)? = nil,
        loadIfExists: Bool = false, staleTrialCallback: StaleTrialCallback? = nil
    ) throws -> Study {
        let sampler = sampler ?? TPESampler()
        let pruner = pruner ?? MedianPruner()
        let id: Int
        do {
            id = try storage.createStudy(name: name, directions: directions)
        } catch StorageError.duplicatedStudy(let existing) where loadIfExists {
            let study = try load(name: existing, storage: storage, sampler: sampler, pruner: pruner,
                                 staleTrialCallback: staleTrialCallback)
            guard study.directions == directions else {
                throw StorageError.invalidDirections("study '\(existing)' exists with directions \(study.directions), not \(directions)")
            }
            return study
        }
        return Study(name: try storage.studyName(id: id), id: id, storage: storage, directions: directions,
                     sampler: sampler, pruner: pruner, staleTrialCallback: staleTrialCallback)
    }

    /// Creates a single-objective study; see `create(name:storage:directions:sampler:pruner:loadIfExists:)`.
    public static func create(
        name: String? = nil, storage: any StudyStorage = InMemoryStorage(), direction: StudyDirection,
        sampler: (any Sampler)? = nil, pruner: (any Pruner)? = nil, loadIfExists: Bool = false,
        staleTrialCallback: StaleTrialCallback? = nil
    ) throws -> Study {
        try create(name: name, storage: storage, directions: [direction], sampler: sampler, pruner: pruner,
                   loadIfExists: loadIfExists, staleTrialCallback: staleTrialCallback)
    }

    /// Loads an existing study by name. Throws `StorageError.studyNotFound` when there is none.
    public static func load(name: String, storage: any StudyStorage, sampler: (any Sampler)? = nil,
                            pruner: (any Pruner)? = nil, staleTrialCallback: StaleTrialCallback? = nil) throws -> Study {
        let id = try storage.studyID(named: name)
        return Study(name: name, id: id, storage: storage, directions: try storage.studyDirections(id: id),
                     sampler: sampler ?? TPESampler(), pruner: pruner ?? MedianPruner(),
                     staleTrialCallback: staleTrialCallback)
    }

    init(name: String, id: Int, storage: any StudyStorage, directions: [StudyDirection], sampler: any Sampler,
         pruner: any Pruner, staleTrialCallback: StaleTrialCallback? = nil) {
        self.name = name
        self.id = id
        self.storage = storage
        self.directions = directions
        self.sampler = sampler
        self.pruner = pruner
        self.staleTrialCallback = staleTrialCallback
        self.trialFilter = nil
        self.stopFlag = Atomic(false)
        self.activeTrialIDs = Mutex([])
        self.root = nil
    }

    private init(viewOf study: Study, filter: @escaping @Sendable (FrozenTrial) -> Bool) {
        name = study.name
        id = study.id
        storage = study.storage
        directions = study.directions
        sampler = study.sampler
        pruner = study.pruner
        staleTrialCallback = study.staleTrialCallback
        trialFilter = filter
        stopFlag = Atomic(false)
        activeTrialIDs = Mutex([])
        root = study.root ?? study
    }

    /// A view of this study whose `trials` holds only the trials `filter` accepts (what a sampler sees
    /// under Hyperband). Everything else, storage included, is shared.
    public func filtered(by filter: @escaping @Sendable (FrozenTrial) -> Bool) -> Study {
        Study(viewOf: self, filter: filter)
    }

    /// True for a study with more than one objective.
    public var isMultiObjective: Bool { directions.count > 1 }

    /// The direction of a single-objective study.
    public var direction: StudyDirection { directions[0] }

    // MARK: Reading

    /// The study's trials in number order, optionally only those in `states`.
    public func trials(states: Set<TrialState>? = nil) throws -> [FrozenTrial] {
        let all = try storage.trials(studyID: id, states: states)
        guard let trialFilter else { return all }
        return all.filter(trialFilter)
    }

    /// The best COMPLETE trial of a single-objective study.
    public var bestTrial: FrozenTrial {
        get throws {
            guard !isMultiObjective else { throw StudyError.singleObjectiveOnly("bestTrial") }
            var best: FrozenTrial?
            for trial in try trials(states: [.complete]) {
                guard let value = trial.value, !value.isNaN else { continue }
                if let current = best?.value, !direction.isBetter(value, than: current) { continue }
                best = trial
            }
            guard let best else { throw StudyError.noCompleteTrial(study: name) }
            return best
        }
    }

    /// The value of the best trial.
    public var bestValue: Double { get throws { try bestTrial.value! } }

    /// The parameters of the best trial.
    public var bestParams: [String: ParameterValue] { get throws { try bestTrial.params } }

    /// The Pareto-optimal COMPLETE trials (for one objective: every trial with the best value).
    public var bestTrials: [FrozenTrial] {
        get throws { ParetoFront.nonDominated(try trials(states: [.complete]), directions: directions) }
    }

    public var userAttributes: [String: JSONValue] { get throws { try storage.studyUserAttributes(id: id) } }
    public var systemAttributes: [String: JSONValue] { get throws { try storage.studySystemAttributes(id: id) } }

    public func setUserAttribute(_ key: String, _ value: JSONValue) throws {
        try storage.setStudyUserAttribute(studyID: id, key: key, value: value)
    }

    public func setSystemAttribute(_ key: String, _ value: JSONValue) throws {
        try storage.setStudySystemAttribute(studyID: id, key: key, value: value)
    }

    // MARK: Ask and tell

    /// Starts a trial: the oldest enqueued (WAITING) trial if there is one, otherwise a new one.
    /// Parameters in `fixedDistributions` are suggested at once.
    public func ask(fixedDistributions: [String: ParameterDistribution] = [:]) throws -> Trial {
        try ask(ifFewerThan: .max, fixedDistributions: fixedDistributions)!
    }

    /// Starts a trial as `ask` does, unless the study already has `limit` trials (in any state, counting every
    /// worker's): then returns nil. Storages shared by several workers check and create atomically, so
    /// workers sharing a budget end with exactly `limit` trials. An enqueued (WAITING) trial is always taken.
    public func ask(ifFewerThan limit: Int, fixedDistributions: [String: ParameterDistribution] = [:]) throws -> Trial? {
        let trialID: Int
        if let waiting = try popWaitingTrialID() {
            trialID = waiting
        } else {
            guard let created = try storage.createTrial(studyID: id, template: nil, maxTrials: limit) else { return nil }
            trialID = created.id
        }
        let trial = try Trial(study: self, id: trialID)
        for name in fixedDistributions.keys.sorted() {
            _ = try trial.suggest(name, fixedDistributions[name]!)
        }
        return trial
    }

    private func popWaitingTrialID() throws -> Int? {
        for trial in try storage.trials(studyID: id, states: [.waiting]) {
            if try storage.setTrialState(trialID: trial.id, state: .running, values: nil) { return trial.id }
        }
        return nil
    }

    /// Finishes a trial with its objective values (COMPLETE), or with `state` (PRUNED or FAIL).
    ///
    /// Values that are NaN, or of the wrong count, make the trial FAIL, as in Optuna. A PRUNED trial keeps
    /// its last intermediate value as its value.
    /// - Returns: the finished trial as stored.
    @discardableResult
    public func tell(_ trial: Trial, values: [Double]? = nil, state: TrialState? = nil,
                     skipIfFinished: Bool = false) throws -> FrozenTrial {
        try tell(trialNumber: trial.number, values: values, state: state, skipIfFinished: skipIfFinished)
    }

    /// Finishes a single-objective trial with its value.
    @discardableResult
    public func tell(_ trial: Trial, value: Double) throws -> FrozenTrial {
        try tell(trialNumber: trial.number, values: [value])
    }

    /// Finishes the trial numbered `trialNumber`; see `tell(_:values:state:skipIfFinished:)`.
    @discardableResult
    public func tell(trialNumber: Int, values: [Double]? = nil, state: TrialState? = nil,
                     skipIfFinished: Bool = false) throws -> FrozenTrial {
        let trialID = try storage.trialID(studyID: id, number: trialNumber)
        let frozen = try storage.trial(id: trialID)
        if frozen.state.isFinished, skipIfFinished { return frozen }
        guard frozen.state == .running else { throw StudyError.cannotTell(number: trialNumber, state: frozen.state) }

        var state = state
        var values = values
        switch state {
        case .complete?:
            guard let given = values else {
                throw StudyError.invalidArgument("No values were told. Values are required when state is TrialState.COMPLETE.")
            }
            if let problem = valuesProblem(given) { throw problem }
        case .pruned?:
            guard values == nil else { throw StudyError.invalidArgument(Self.valuesWithFinishedState) }
            if let last = frozen.lastStep, let value = frozen.intermediateValues[last], !value.isNaN, !isMultiObjective {
                values = [value]
            }
        case .fail?:
            guard values == nil else { throw StudyError.invalidArgument(Self.valuesWithFinishedState) }
        case .running?, .waiting?:
            throw StudyError.invalidArgument("Cannot tell with state \(state!): tell COMPLETE, PRUNED or FAIL.")
        case nil:
            if let given = values, valuesProblem(given) == nil {
                state = .complete
            } else {
                let reason = values.flatMap(valuesProblem)?.errorDescription ?? "The value None could not be cast to float."
                try? storage.setTrialSystemAttribute(trialID: trialID, key: "fail_reason", value: .string(reason))
                state = .fail
                values = nil
            }
        }
        let view = try pruner.samplerView(of: self, for: frozen)
        do {
            try sampler.afterTrial(study: view, trial: frozen, state: state!, values: values)
        } catch {
            try storage.setTrialState(trialID: trialID, state: state!, values: values)
            throw error
        }
        try storage.setTrialState(trialID: trialID, state: state!, values: values)
        return try storage.trial(id: trialID)
    }

    private static let valuesWithFinishedState =
        "Values were told. Values cannot be specified when state is TrialState.PRUNED or TrialState.FAIL."

    /// What is wrong with told values, checked in Optuna's order: NaN first, then the count.
    private func valuesProblem(_ values: [Double]) -> StudyError? {
        if let bad = values.first(where: \.isNaN) { return .notAFiniteNumber(value: pythonFloatRepr(bad)) }
        guard values.count == directions.count else {
            return .wrongNumberOfValues(given: values.count, objectives: directions.count)
        }
        return nil
    }

    // MARK: Queue and stop

    /// Adds a trial with fixed parameter values to the queue; the next `ask` takes it. Parameters not
    /// given are sampled as usual. With `skipIfExists`, nothing is added when a trial with the same
    /// values already exists (finished, running or waiting).
    public func enqueueTrial(params: [String: ParameterValue], userAttributes: [String: JSONValue] = [:],
                             skipIfExists: Bool = false) throws {
        if skipIfExists {
            for trial in try trials() {
                let existing: [String: ParameterValue]
                if trial.state == .waiting, let fixed = trial.systemAttributes["fixed_params"]?.objectValue {
                    existing = fixed.compactMapValues(ParameterValue.init(json:))
                } else {
                    existing = trial.params
                }
                // Optuna's rule: the same parameter names, and equal values (NaN equals NaN). Unlike
                // Optuna, an integer and a double of equal value count as equal.
                guard Set(existing.keys) == Set(params.keys) else { continue }
                let matches = params.allSatisfy { key, value in
                    let other = existing[key]!
                    return other == value || other.isNumericallyEqual(to: value)
                }
                if matches { return }
            }
        }
        let template = FrozenTrial(
            state: .waiting,
            userAttributes: userAttributes,
            systemAttributes: ["fixed_params": .object(params.mapValues(\.jsonValue))]
        )
        _ = try storage.createTrial(studyID: id, template: template)
    }

    /// Asks `optimize` to start no further trial; trials already running finish.
    public func stop() { (root ?? self).stopFlag.store(true, ordering: .sequentiallyConsistent) }

    var isStopRequested: Bool { (root ?? self).stopFlag.load(ordering: .sequentiallyConsistent) }

    /// The study itself, for a view made by `filtered(by:)`.
    var rootStudy: Study { root ?? self }
}

/// The Pareto front: trials that no other trial dominates.
public enum ParetoFront {
    /// True when `a` dominates `b`: no worse in every objective and better in at least one.
    public static func dominates(_ a: [Double], _ b: [Double], directions: [StudyDirection]) -> Bool {
        var strictlyBetter = false
        for index in directions.indices {
            let lossA = directions[index].loss(a[index]), lossB = directions[index].loss(b[index])
            if lossA > lossB { return false }
            if lossA < lossB { strictlyBetter = true }
        }
        return strictlyBetter
    }

    /// The non-dominated trials among `trials` (those with values), in number order.
    public static func nonDominated(_ trials: [FrozenTrial], directions: [StudyDirection]) -> [FrozenTrial] {
        let candidates = trials.filter { ($0.values?.count ?? 0) == directions.count && !$0.values!.contains(where: \.isNaN) }
        // Sort by the first loss so a trial can only be dominated by one before it (or an equal one).
        let losses = candidates.map { trial in directions.indices.map { directions[$0].loss(trial.values![$0]) } }
        let order = candidates.indices.sorted { losses[$0].lexicographicallyPrecedes(losses[$1]) }
        var front: [Int] = []
        for index in order {
            let dominated = front.contains { other in dominates(candidates[other].values!, candidates[index].values!, directions: directions) }
            if !dominated { front.append(index) }
        }
        return front.sorted().map { candidates[$0] }
    }
}
