import Foundation
import StudyEngine

/// Runs a study file's trials in this process: opens (or joins) the study in its storage, and runs trials on
/// `jobs` threads until the budget is spent. Other processes running the same study file on the same storage
/// join the same study; the budget (`trials`) counts the study's finished trials, so several workers
/// together run as many trials as the file asks.
public final class StudyRunner: Sendable {
    public let definition: StudyDefinition
    public let objective: any TrialObjective
    public let targets: [StudyDefinition.Target]
    public let storageURL: String
    public let study: Study
    let jobs: Int
    let threadsPerTrial: Int
    let trials: Int?
    let timeout: Double?

    /// Seconds between heartbeats of running trials; a trial whose worker stops beating for the grace period
    /// is failed by the next worker and re-run (RetryFailedTrialCallback, three times at most).
    public static let heartbeatInterval = 10.0
    public static let gracePeriod = 60.0

    /// - Parameters:
    ///   - storage: a URL overriding the study file's storage.
    ///   - jobs: trials run at once in this process.
    ///   - threadsPerTrial: threads one trial's run may use (GP evaluation spreads rows over them). One by
    ///     default: trials in parallel (`jobs`) use the cores better than threads inside a trial do.
    ///   - trials, timeout: override the file's budget.
    public init(definition: StudyDefinition, storage: String? = nil, jobs: Int = 1, threadsPerTrial: Int = 1,
                trials: Int? = nil, timeout: Double? = nil) throws {
        self.definition = definition
        objective = try StudyObjectives.make(definition)
        targets = definition.targets.isEmpty ? objective.defaultTargets : definition.targets
        storageURL = storage ?? definition.storageURL
        self.jobs = jobs
        self.threadsPerTrial = max(1, threadsPerTrial)
        self.trials = trials ?? definition.trials
        self.timeout = timeout ?? definition.timeout
        let opened = try StorageURL(parsing: storageURL).open(heartbeatInterval: Self.heartbeatInterval, gracePeriod: Self.gracePeriod)
        study = try Study.create(name: definition.name, storage: opened, directions: targets.map(\.direction),
                                 sampler: try definition.sampler.make(), pruner: try definition.pruner.make(), loadIfExists: true,
                                 staleTrialCallback: RetryFailedTrialCallback(maxRetry: 3).callback)
        // Optuna's name for the objectives (optuna-dashboard shows them), and what made the study.
        try study.setSystemAttribute("study:metric_names", .array(targets.map { .string($0.metric) }))
        try study.setUserAttribute("objective_kind", .string(definition.objectiveKind))
    }

    /// Finished trials of the study (COMPLETE, PRUNED or FAIL).
    public func finishedCount() throws -> Int {
        try study.storage.trialCount(studyID: study.id, states: [.complete, .pruned, .fail])
    }

    /// Runs trials until the study has `trials` trials (counting every worker's: workers sharing the study
    /// together run exactly that many), the timeout passes, or `study.stop()`; calls `onTrial` after each
    /// trial this process finishes.
    public func run(onTrial: @escaping @Sendable (FrozenTrial) -> Void = { _ in }) throws {
        if trials == nil, timeout == nil {
            throw ObjectiveError.failed("the study has no budget: give `trials` or `timeout` in \(definition.file), or --trials/--timeout")
        }
        try study.optimize(timeout: timeout, jobs: jobs, callbacks: [{ _, trial in onTrial(trial) }],
                           studyTrialLimit: trials) { [self] trial in
            try self.runTrial(trial, threads: threadsPerTrial)
        }
    }

    /// One trial: the parameters, `seeds_per_trial` runs of the objective, their values combined.
    func runTrial(_ trial: Trial, threads: Int) throws -> [Double] {
        var parameters: [String: ParameterValue] = [:]
        for parameter in definition.searchSpace { parameters[parameter.name] = try parameter.value(for: trial) }
        var outcomes: [ObjectiveOutcome] = []
        let stepOffset = StepOffset()
        for seedIndex in 0..<definition.seedsPerTrial {
            let seed = Self.seed(base: definition.seed, trial: trial.number, index: seedIndex)
            let context = ObjectiveContext(parameters: parameters, seed: seed, trialNumber: trial.number, seedIndex: seedIndex,
                                           threads: threads) { step, value in
                // Seeds run one after another; their steps follow on, so pruners see one curve per trial.
                let global = stepOffset.global(step)
                guard value.isFinite else { return false }
                try? trial.report(value, step: global)
                return (try? trial.shouldPrune()) ?? false
            }
            outcomes.append(try objective.run(context))
            stepOffset.endSeed()
        }
        let values = try targets.map { target -> Double in
            let samples = try outcomes.map { outcome -> Double in
                guard let value = outcome.metrics[target.metric] else {
                    throw ObjectiveError.failed("the \(definition.objectiveKind) objective reported no '\(target.metric)' (it reported \(outcome.metrics.keys.sorted().joined(separator: ", ")))")
                }
                return value
            }
            return Self.combine(samples, direction: target.direction, how: definition.seedAggregate)
        }
        // The best seed's expression stands for the trial.
        let primary = targets[0]
        let best = outcomes.indices.max { a, b in
            let x = outcomes[a].metrics[primary.metric] ?? .nan, y = outcomes[b].metrics[primary.metric] ?? .nan
            return primary.direction == .maximize ? x < y : x > y
        } ?? 0
        let outcome = outcomes[best]
        if let expression = outcome.expression { try trial.setUserAttribute("expression", expression) }
        if let program = outcome.program { try trial.setUserAttribute("program", program) }
        for (key, value) in outcome.userAttributes { try trial.setUserAttribute(key, value) }
        var metrics: [String: JSONValue] = [:]
        for key in outcome.metrics.keys.sorted() {
            let samples = outcomes.compactMap { $0.metrics[key] }
            metrics[key] = .double(Self.combine(samples, direction: targets.first { $0.metric == key }?.direction ?? .maximize,
                                                how: definition.seedAggregate == .best ? .mean : definition.seedAggregate))
        }
        try trial.setUserAttribute("metrics", .object(metrics))
        if definition.seedsPerTrial > 1 { try trial.setUserAttribute("seeds", .int(definition.seedsPerTrial)) }
        return values
    }

    static func combine(_ samples: [Double], direction: StudyDirection, how: StudyDefinition.SeedAggregate) -> Double {
        guard !samples.isEmpty else { return .nan }
        switch how {
        case .mean: return samples.reduce(0, +) / Double(samples.count)
        case .median:
            let sorted = samples.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : 0.5 * (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2])
        case .best: return direction == .maximize ? samples.max()! : samples.min()!
        }
    }

    /// A run's seed from the study's seed, the trial number and the seed index (SplitMix64 mixing).
    public static func seed(base: UInt64, trial: Int, index: Int) -> UInt64 {
        var z = base &+ UInt64(truncatingIfNeeded: trial) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: index) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (z ^ (z >> 31)) & 0xFFFF_FFFF  // within 32 bits: every generator seeds from it the same way
    }
}

/// Numbers the steps of successive seeds of one trial as one sequence.
private final class StepOffset: @unchecked Sendable {
    private let lock = NSLock()
    private var offset = 0
    private var highest = -1

    func global(_ step: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        highest = max(highest, offset + step)
        return offset + step
    }

    func endSeed() {
        lock.lock()
        offset = highest + 1
        lock.unlock()
    }
}
