import Foundation
import Testing
import TestSupport
@testable import StudyEngine

/// A database of its own on the test server (`SYMSTUDY_TEST_POSTGRES_URL`), created for one test and
/// dropped when the value goes away, so that tests never see each other's studies.
final class PostgresTestDatabase: @unchecked Sendable {
    let name: String
    let url: String
    private let serverURL: String

    init() throws {
        serverURL = try TestEnvironment.postgresURL()
        name = "symstudy_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try PostgresBackend.executeStandalone(url: serverURL, sql: "CREATE DATABASE \(name)")
        let base = serverURL[..<serverURL.lastIndex(of: "/")!]
        url = "\(base)/\(name)"
    }

    /// Runs one statement in the database (outside the storage under test).
    func execute(_ sql: String) throws { try PostgresBackend.executeStandalone(url: url, sql: sql) }

    deinit { try? PostgresBackend.executeStandalone(url: serverURL, sql: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
}

@Suite("PostgreSQL storage")
struct PostgresStorageTests {
    @Test(arguments: StorageConformance.Check.allCases)
    func conformance(_ check: StorageConformance.Check) throws {
        var databases: [PostgresTestDatabase] = []
        try StorageConformance.run(check) {
            let database = try PostgresTestDatabase()
            databases.append(database)
            return try PostgresStorage(url: database.url)
        }
    }

    @Test func heartbeats() throws {
        let database = try PostgresTestDatabase()
        try HeartbeatConformance.run {
            try PostgresStorage(url: database.url, heartbeatInterval: HeartbeatConformance.interval,
                                gracePeriod: HeartbeatConformance.gracePeriod)
        }
    }
}
