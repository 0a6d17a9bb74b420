import Foundation
import Testing
import TestSupport
@testable import StudyEngine

/// A fresh temporary folder for SQLite files, removed when the test's value goes away.

@Suite("SQLite storage")
struct SQLiteStorageTests {
    @Test(arguments: StorageConformance.Check.allCases)
    func conformance(_ check: StorageConformance.Check) throws {
        let folder = try TemporaryFolder()
        var made = 0
        try StorageConformance.run(check) {
            made += 1
            return try SQLiteStorage(path: folder.path("conformance-\(made).db"))
        }
    }

    @Test func heartbeats() throws {
        let folder = try TemporaryFolder()
        try HeartbeatConformance.run {
            try SQLiteStorage(path: folder.path("beats.db"), heartbeatInterval: HeartbeatConformance.interval,
                              gracePeriod: HeartbeatConformance.gracePeriod)
        }
    }
}
