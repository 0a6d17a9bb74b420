import Foundation
import Synchronization

/// Which errors thrown by an objective `optimize` records as a failed trial and goes on after.
/// An error not caught is recorded too, then ends `optimize`, which rethrows it.
public enum ErrorCatching: Sendable {
    /// Every error: the study goes on whatever the objective throws (the default).
    case all
    /// No error: the first one ends `optimize` (Optuna's default `catch=()`).
    case none
    /// Errors for which the predicate is true.
    case matching(@Sendable (any Error) -> Bool)

    func catches(_ error: any Error) -> Bool {
        switch self {
        case .all: return true
        case .none: return false
        case .matching(let predicate): return predicate(error)
        }
    }
}

/// Called after each finished trial of `optimize`, on the worker thread that ran it.
public typealias StudyCallback = @Sendable (Study, FrozenTrial) throws -> Void

extension Study {
    /// Runs trials of a single-objective `objective` until `nTrials` have run, `timeout` seconds have
    /// passed, or `stop()` is called (with neither limit, until `stop()`).
    ///
    /// - Parameters:
    ///   - jobs: worker threads running trials at once (-1: one per core). Each trial asks the
    ///     sampler in turn; TPE's constant liar keeps parallel trials apart.
    ///   - catching: which objective errors fail the trial and let the study go on (all, by default).
    ///   - callbacks: run after each finished trial.
    ///   - studyTrialLimit: stop once the study has this many trials, counting every worker's (atomic on
    ///     shared storages: workers in several processes end with exactly this many).
    ///   - objective: returns the value; throws `TrialPruned` to prune, anything else to fail.
    public func optimize(
        nTrials: Int? = nil, timeout: Double? = nil, jobs: Int = 1, catching: ErrorCatching = .all,
        callbacks: [StudyCallback] = [], studyTrialLimit: Int? = nil, objective: @escaping @Sendable (Trial) throws -> Double
    ) throws {
        guard !isMultiObjective else {
            throw StudyError.invalidArgument("this study has \(directions.count) objectives: pass an objective that returns [Double]")
        }
        try optimize(nTrials: nTrials, timeout: timeout, jobs: jobs, catching: catching, callbacks: callbacks,
                     studyTrialLimit: studyTrialLimit) { trial in
            [try objective(trial)]
        }
    }

    /// Runs trials of a multi-objective `objective` (one value per direction); see the single-objective form.
    public func optimize(
        nTrials: Int? = nil, timeout: Double? = nil, jobs: Int = 1, catching: ErrorCatching = .all,
        callbacks: [StudyCallback] = [], studyTrialLimit: Int? = nil, objective: @escaping @Sendable (Trial) throws -> [Double]
    ) throws {
        if let nTrials, nTrials < 0 { throw StudyError.invalidArgument("nTrials must not be negative, not \(nTrials)") }
        if let timeout, !(timeout >= 0) { throw StudyError.invalidArgument("timeout must be a non-negative number of seconds, not \(timeout)") }
        let workers = jobs == -1 ? ProcessInfo.processInfo.activeProcessorCount : jobs
        guard workers >= 1 else { throw StudyError.invalidArgument("jobs must be -1 or at least 1, not \(jobs)") }

        stopFlag.store(false, ordering: .sequentiallyConsistent)
        let run = OptimizeRun(nTrials: nTrials, deadline: timeout.map { Date().addingTimeInterval($0) })
        let body: @Sendable () -> Void = { [self] in
            while run.claimTrial(stopRequested: self.isStopRequested) {
                do {
                    guard let frozen = try self.runTrial(objective: objective, catching: catching, limit: studyTrialLimit) else {
                        return  // the study has its trials
                    }
                    for callback in callbacks { try callback(self, frozen) }
                } catch {
                    run.fail(with: error)
                    return
                }
            }
        }
        if workers == 1 {
            body()
        } else {
            let group = DispatchGroup()
            for index in 0..<workers {
                group.enter()
                let thread = Thread {
                    body()
                    group.leave()
                }
                thread.name = "symstudy-worker-\(index)"
                thread.stackSize = 16 << 20
                thread.start()
            }
            group.wait()
        }
        if let error = run.firstError { throw error }
    }

    /// Runs one trial: ask, objective, tell. Returns the finished trial; rethrows an objective error
    /// that `catching` does not catch (after recording the trial as failed).
    func runTrial(objective: @Sendable (Trial) throws -> [Double], catching: ErrorCatching, limit: Int? = nil) throws -> FrozenTrial? {
        try failStaleTrials()
        guard let trial = try ask(ifFewerThan: limit ?? .max, fixedDistributions: [:],
                                  heartbeats: storage is any HeartbeatStorage) else { return nil }
        let root = rootStudy
        root.activeTrialIDs.withLock { _ = $0.insert(trial.id) }
        defer { root.activeTrialIDs.withLock { _ = $0.remove(trial.id) } }
        // A sampling server counts the ask as the first beat.
        let heartbeat = (storage as? any HeartbeatStorage).map {
            HeartbeatThread(storage: $0, trialID: trial.id, beatNow: !(storage is any ServerSampledStorage))
        }
        var values: [Double]?
        var state: TrialState?
        var objectiveError: (any Error)?
        do {
            values = try objective(trial)
        } catch let pruned as TrialPruned {
            _ = pruned
            state = .pruned
        } catch {
            state = .fail
            objectiveError = error
            try? trial.setSystemAttribute("fail_reason", .string(Self.failReason(error)))
        }
        heartbeat?.stop()
        let frozen = try tell(trial, values: values, state: state)
        if frozen.state == .complete || frozen.state == .pruned { learnSearchSpace(from: trial) }
        if let objectiveError, !catching.catches(objectiveError) { throw objectiveError }
        return frozen
    }
}

extension Study {
    /// The error's type and what it says: its `errorDescription` when it has one, else its value
    /// (`ObjectiveFailure(code: 3)`; Foundation's generic "The operation could not be completed" says nothing).
    static func failReason(_ error: any Error) -> String {
        let detail = (error as? any LocalizedError)?.errorDescription ?? String(describing: error)
        return "\(type(of: error)): \(detail)"
    }
}

/// Shared bookkeeping of one `optimize` call across its worker threads.
private final class OptimizeRun: Sendable {
    private struct State {
        var started = 0
        var firstError: (any Error)?
    }

    private let nTrials: Int?
    private let deadline: Date?
    private let state = Mutex(State())

    init(nTrials: Int?, deadline: Date?) {
        self.nTrials = nTrials
        self.deadline = deadline
    }

    /// True when another trial may start (and counts it as started).
    func claimTrial(stopRequested: Bool) -> Bool {
        state.withLock { state in
            if stopRequested || state.firstError != nil { return false }
            if let nTrials, state.started >= nTrials { return false }
            if let deadline, Date() >= deadline { return false }
            state.started += 1
            return true
        }
    }

    func fail(with error: any Error) {
        state.withLock { state in
            if state.firstError == nil { state.firstError = error }
        }
    }

    var firstError: (any Error)? { state.withLock { $0.firstError } }
}

/// Beats a trial's heartbeat every interval until stopped.
final class HeartbeatThread: Sendable {
    private let stopped = Atomic(false)
    private let done = DispatchSemaphore(value: 0)

    init(storage: any HeartbeatStorage, trialID: Int, beatNow: Bool = true) {
        if beatNow { try? storage.recordHeartbeat(trialID: trialID) }
        let interval = storage.heartbeatInterval
        let thread = Thread { [self] in
            while !self.stopped.load(ordering: .sequentiallyConsistent) {
                if self.done.wait(timeout: .now() + interval) == .success { return }
                try? storage.recordHeartbeat(trialID: trialID)
            }
        }
        thread.name = "symstudy-heartbeat-\(trialID)"
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        done.signal()
    }
}
