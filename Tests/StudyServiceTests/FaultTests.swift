import Foundation
import StudyEngine
@testable import StudyService
import Testing
import TestSupport

/// Workers that die leave no trial RUNNING forever: symstudy workers heartbeat, Optuna workers' trials live
/// with their connection; failed trials are queued again with their parameters when retry is on.
@Suite("Dead workers")
struct FaultTests {
    @Test func aTrialWhoseWorkerStopsBeatingIsFailedAndRetried() throws {
        let server = try ServiceTestSupport.startServer { config in
            config.heartbeatInterval = 0.2
            config.gracePeriod = 0.6
            config.retryFailedTrials = true
        }
        defer { server.stop() }
        let storage = try RemoteStudyStorage(host: "127.0.0.1", port: server.port)
        let study = try Study.create(name: "stale", storage: storage, direction: .minimize)
        let space: [String: ParameterDistribution] = ["x": .float(try FloatDistribution(low: 0, high: 1))]
        let beating = try #require(try storage.askTrial(studyID: study.id, searchSpace: space, maxTrials: nil, heartbeats: true))
        let silent = try #require(try storage.askTrial(studyID: study.id, searchSpace: space, maxTrials: nil, heartbeats: true))
        #expect(beating.heartbeatInterval == 0.2)
        let failed = try ServiceTestSupport.eventually(5) {
            try storage.recordHeartbeat(trialID: beating.id)
            return try storage.trial(id: silent.id).state == .fail
        }
        #expect(failed)
        #expect(try storage.trial(id: beating.id).state == .running)
        // Re-queued with the same parameter; the next worker runs it.
        let waiting = try #require(try storage.trials(studyID: study.id, states: [.waiting]).first)
        #expect(waiting.params == (try storage.trial(id: silent.id)).params)
        #expect(RetryFailedTrialCallback.retriedTrialNumber(waiting) == silent.number)
        try study.optimize(nTrials: 1) { trial in try trial.suggestFloat("x", 0, 1) }
        let rerun = try storage.trial(id: waiting.id)
        #expect(rerun.state == .complete && rerun.params == waiting.params)
        _ = try study.tell(trialNumber: beating.number, values: [0.5])
    }

    @Test func anOptunaWorkersTrialLivesWithItsConnection() throws {
        let server = try ServiceTestSupport.startServer { config in
            config.connectionGracePeriod = 0.5
            config.retryFailedTrials = true
        }
        defer { server.stop() }
        let storage = try RemoteStudyStorage(host: "127.0.0.1", port: server.port)
        let study = try Study.create(name: "optuna-workers", storage: storage, direction: .minimize)
        // A live worker with an objective longer than the grace period keeps its trial.
        let slow = try ChildProcess.python("optuna_hanging_worker.py", ["--port", "\(server.port)", "--study", "optuna-workers", "--seconds", "2"])
        _ = try slow.waitForLine(containing: "started 0")
        // A worker killed mid-trial loses it once its connection has been gone for the grace period.
        let doomed = try ChildProcess.python("optuna_hanging_worker.py", ["--port", "\(server.port)", "--study", "optuna-workers"])
        _ = try doomed.waitForLine(containing: "started 1")
        doomed.kill()
        let failed = try ServiceTestSupport.eventually(6) { try storage.trial(id: try storage.trialID(studyID: study.id, number: 1)).state == .fail }
        #expect(failed)
        #expect(slow.wait(seconds: 30) == 0)
        let trials = try study.trials()
        #expect(trials[0].state == .complete)
        #expect(trials.filter { $0.state == .waiting }.map { RetryFailedTrialCallback.retriedTrialNumber($0) } == [1])
    }
}
