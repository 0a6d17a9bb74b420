import Foundation
import Synchronization
import Testing
import TestSupport
@testable import StudyEngine

/// `inOneTransaction` on both relational storages: one commit for many calls, all or nothing, and each call
/// inside still atomic on its own. `reopen` opens a second storage on the same database, which sees only
/// what was committed.
enum GroupedTransactionChecks {
    struct Planned: Error {}

    static func commitsTogether(_ storage: RelationalStorage, reopen: () throws -> RelationalStorage) throws {
        let study = try storage.createStudy(name: "grouped", directions: [.minimize])
        let x = ParameterDistribution.float(try FloatDistribution(low: 0, high: 1))
        let other = try reopen()
        let trialID = try storage.inOneTransaction { () -> Int in
            let created = try storage.createTrial(studyID: study, template: nil)
            for name in ["a", "b", "c"] {
                try storage.setTrialParameter(trialID: created.id, name: name, internalValue: 0.25, distribution: x)
            }
            // Reads inside the group see its own writes; other connections do not, until it commits.
            #expect(try storage.trial(id: created.id).params.count == 3)
            #expect(try other.trialCount(studyID: study, states: nil) == 0)
            try storage.setTrialState(trialID: created.id, state: .complete, values: [1.5])
            return created.id
        }
        let seen = try other.trial(id: trialID)
        #expect(seen.state == .complete)
        #expect(seen.values == [1.5])
        #expect(Set(seen.params.keys) == ["a", "b", "c"])
    }

    static func rollsBackEverything(_ storage: RelationalStorage, reopen: () throws -> RelationalStorage) throws {
        let study = try storage.createStudy(name: "rolled-back", directions: [.minimize])
        let x = ParameterDistribution.float(try FloatDistribution(low: 0, high: 1))
        #expect(throws: Planned.self) {
            try storage.inOneTransaction {
                let created = try storage.createTrial(studyID: study, template: nil)
                try storage.setTrialParameter(trialID: created.id, name: "a", internalValue: 0.5, distribution: x)
                _ = try storage.trials(studyID: study, states: nil)
                throw Planned()
            }
        }
        #expect(try storage.trialCount(studyID: study, states: nil) == 0)
        #expect(try reopen().trialCount(studyID: study, states: nil) == 0)
        // The storage goes on as before: the next trial is number 0, and a parameter of another
        // distribution is not refused on the strength of the rolled-back one.
        let next = try storage.createTrial(studyID: study, template: nil)
        #expect(next.number == 0)
        let y = ParameterDistribution.float(try FloatDistribution(low: 0, high: 10))
        try storage.setTrialParameter(trialID: next.id, name: "a", internalValue: 5, distribution: y)
        #expect(try reopen().trial(id: next.id).params["a"] == .double(5))
    }

    static func keepsEachCallAtomic(_ storage: RelationalStorage, reopen: () throws -> RelationalStorage) throws {
        let study = try storage.createStudy(name: "nested", directions: [.minimize])
        let x = ParameterDistribution.float(try FloatDistribution(low: 0, high: 1))
        let y = ParameterDistribution.float(try FloatDistribution(low: 0, high: 10))
        let trialID = try storage.inOneTransaction { () -> Int in
            let created = try storage.createTrial(studyID: study, template: nil)
            try storage.setTrialParameter(trialID: created.id, name: "a", internalValue: 0.5, distribution: x)
            // A failing call inside the group changes nothing and leaves the group usable.
            #expect(throws: (any Error).self) {
                try storage.setTrialParameter(trialID: created.id, name: "a", internalValue: 5, distribution: y)
            }
            try storage.setTrialParameter(trialID: created.id, name: "b", internalValue: 0.75, distribution: x)
            return created.id
        }
        let seen = try reopen().trial(id: trialID)
        #expect(seen.params == ["a": .double(0.5), "b": .double(0.75)])
    }

    /// A group reads the study's trials while other threads refresh the same study: no deadlock between the
    /// refresh lock and the database (SQLite has one connection, which the group holds).
    static func groupsAndRefreshesOnOtherThreadsFinish(_ storage: RelationalStorage, reopen: () throws -> RelationalStorage) throws {
        let study = try storage.createStudy(name: "concurrent", directions: [.minimize])
        let done = DispatchSemaphore(value: 0)
        let failures = Mutex(0)
        let rounds = 150
        Thread {
            for _ in 0..<rounds {
                do {
                    try storage.inOneTransaction {
                        let created = try storage.createTrial(studyID: study, template: nil)
                        _ = try storage.trials(studyID: study, states: nil)
                        try storage.setTrialState(trialID: created.id, state: .complete, values: [1])
                    }
                } catch { failures.withLock { $0 += 1 } }
            }
            done.signal()
        }.start()
        Thread {
            for _ in 0..<rounds {
                do { _ = try storage.trials(studyID: study, states: nil) } catch { failures.withLock { $0 += 1 } }
            }
            done.signal()
        }.start()
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(failures.withLock { $0 } == 0)
        #expect(try reopen().trialCount(studyID: study, states: [.complete]) == rounds)
    }
}

@Suite("Grouped transactions")
struct GroupedTransactionTests {
    enum Check: String, CaseIterable, Sendable {
        case commitsTogether, rollsBackEverything, keepsEachCallAtomic, groupsAndRefreshesOnOtherThreadsFinish

        var run: (RelationalStorage, () throws -> RelationalStorage) throws -> Void {
            switch self {
            case .commitsTogether: return GroupedTransactionChecks.commitsTogether
            case .rollsBackEverything: return GroupedTransactionChecks.rollsBackEverything
            case .keepsEachCallAtomic: return GroupedTransactionChecks.keepsEachCallAtomic
            case .groupsAndRefreshesOnOtherThreadsFinish: return GroupedTransactionChecks.groupsAndRefreshesOnOtherThreadsFinish
            }
        }
    }

    @Test(arguments: Check.allCases, ["sqlite", "postgresql"])
    func check(_ check: Check, _ backend: String) throws {
        try Self.run(backend, check.run)
    }

    private static func run(_ backend: String,
                            _ check: (RelationalStorage, () throws -> RelationalStorage) throws -> Void) throws {
        switch backend {
        case "sqlite":
            let folder = try TemporaryFolder()
            let path = folder.path("grouped.db")
            try check(try SQLiteStorage(path: path)) { try SQLiteStorage(path: path) }
        default:
            let database = try PostgresTestDatabase()
            try check(try PostgresStorage(url: database.url)) { try PostgresStorage(url: database.url) }
        }
    }
}
