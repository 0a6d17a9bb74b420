import Foundation
import StudyEngine
import Synchronization

/// Every second, fails the running trials whose worker is gone (as `TrialSupervisor` judges), and with retry
/// on, queues each again as a WAITING trial with the same parameters (Optuna's RetryFailedTrialCallback).
final class StaleTrialSweeper: Sendable {
    private let storage: any StudyStorage
    private let studies: ServedStudies
    private let supervisor: TrialSupervisor
    private let retry: RetryFailedTrialCallback?
    private let stopped = Atomic(false)
    private let wake = DispatchSemaphore(value: 0)

    init(storage: any StudyStorage, studies: ServedStudies, supervisor: TrialSupervisor, retry: Bool, maxRetry: Int?) {
        self.storage = storage
        self.studies = studies
        self.supervisor = supervisor
        self.retry = retry ? RetryFailedTrialCallback(maxRetry: maxRetry) : nil
        let interval = min(1.0, min(supervisor.gracePeriod, supervisor.connectionGracePeriod) / 4)
        let thread = Thread { [self] in
            while !self.stopped.load(ordering: .relaxed) {
                if self.wake.wait(timeout: .now() + interval) == .success { return }
                self.sweep()
            }
        }
        thread.name = "symstudy-stale-trials"
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        wake.signal()
    }

    @discardableResult
    func sweep() -> [Int] {
        var failed: [Int] = []
        for (trialID, studyID) in supervisor.takeStale() {
            do {
                let trial = try storage.trial(id: trialID)
                guard trial.state == .running else { continue }
                try storage.setTrialSystemAttribute(trialID: trialID, key: "fail_reason",
                                                    value: "the worker of this trial stopped: no heartbeat, or its connection closed, within the grace period")
                guard try storage.setTrialState(trialID: trialID, state: .fail, values: nil) else { continue }
                studies.forget(trialID: trialID)
                failed.append(trialID)
                if let retry {
                    let context = try studies.context(studyID: try studyID ?? studies.studyID(ofTrial: trialID))
                    try retry.callback(context.study, try storage.trial(id: trialID))
                }
            } catch {
                // Finished meanwhile by its worker, or its study deleted: nothing to fail.
                continue
            }
        }
        return failed
    }
}
