import Foundation
import GRDB
import Testing
import TestSupport
@testable import StudyEngine

/// Databases the relational storages must refuse, with a message naming what is wrong, leaving them
/// byte for byte as they were.
@Suite("Relational storages refuse bad databases")
struct RelationalBadInputTests {
    static let optunaSample = TestEnvironment.shared.appendingPathComponent("bench/optuna/schema_sample.db").path

    /// The bytes of the file and of its write-ahead log and rollback journal, if any (not of the `-shm`
    /// index, which readers update).
    static func snapshot(_ path: String) -> [Data?] {
        ["", "-wal", "-journal"].map { FileManager.default.contents(atPath: path + $0) }
    }

    /// A copy of the SQLite file Optuna 5.0.0 wrote, changed by `sql` (run by plain SQLite, not by symstudy).
    static func optunaCopy(in folder: TemporaryFolder, changedBy sql: String?) throws -> String {
        let path = folder.path("optuna.db")
        try FileManager.default.copyItem(atPath: optunaSample, toPath: path)
        if let sql {
            let queue = try DatabaseQueue(path: path)
            try queue.write { try $0.execute(sql: sql) }
            try queue.close()
        }
        return path
    }

    func expectRefusal(_ path: String, _ message: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let before = Self.snapshot(path)
        do {
            _ = try SQLiteStorage(path: path)
            Issue.record("\(path) was opened")
        } catch let error as StorageError {
            let text = error.localizedDescription
            for part in message { #expect(text.contains(part), "'\(part)' not in: \(text)") }
        }
        #expect(Self.snapshot(path) == before, "\(path) changed")
    }

    @Test func aFileThatIsNotADatabase() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("notes.db")
        try Data(String(repeating: "these are not the bytes of an SQLite database\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        try expectRefusal(path, [path, "not an SQLite database"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["notes.db"])
    }

    @Test func aDatabaseOfOtherTables() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("other.db")
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada')") }
        try queue.close()
        try expectRefusal(path, [path, "customers", "none of Optuna's"])
    }

    @Test func anotherSchemaVersion() throws {
        let folder = try TemporaryFolder()
        let path = try Self.optunaCopy(in: folder, changedBy: "UPDATE version_info SET schema_version = 11")
        try expectRefusal(path, [path, "schema_version 11", "schema_version 12", "v3.2.0.a", "never migrates"])
    }

    @Test func anotherAlembicRevision() throws {
        let folder = try TemporaryFolder()
        let path = try Self.optunaCopy(in: folder, changedBy: "UPDATE alembic_version SET version_num = 'v3.0.0.d'")
        try expectRefusal(path, [path, "alembic revision v3.0.0.d", "alembic revision v3.2.0.a"])
    }

    @Test func aMissingOptunaTable() throws {
        let folder = try TemporaryFolder()
        let path = try Self.optunaCopy(in: folder, changedBy: "DROP TABLE trial_heartbeats")
        try expectRefusal(path, [path, "trial_heartbeats", "missing"])
    }

    @Test func aMissingStudyName() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("studies.db")
        let storage = try SQLiteStorage(path: path)
        _ = try storage.createStudy(name: "present", directions: [.minimize])
        let before = Self.snapshot(path)
        #expect { try storage.studyID(named: "absent") } throws: { error in
            let text = (error as? StorageError)?.localizedDescription ?? ""
            return text.contains("'absent'") && text.contains(path)
        }
        #expect { try Study.load(name: "absent", storage: storage) } throws: { $0 is StorageError }
        #expect(Self.snapshot(path) == before)
    }

    /// A file Optuna made (rollback journal) opens, is switched to WAL, and keeps its studies, None among
    /// categorical choices included.
    @Test func aFileOptunaMade() throws {
        let folder = try TemporaryFolder()
        let path = try Self.optunaCopy(in: folder, changedBy: nil)
        let storage = try SQLiteStorage(path: path)
        let id = try storage.studyID(named: "schema-demo")
        let trials = try storage.trials(studyID: id)
        #expect(trials.count == 14 && trials.map(\.number) == Array(0..<14))
        #expect(trials[0].params["f_plain"] == .double(0.48813503927324753) && trials[0].params["i_plain"] == .int(55))
        #expect(trials[0].params["c_str"] == .string("sigmoid") && trials[0].params["c_mixed"] == .double(2.5))
        #expect(trials[8].params["c_mixed"] == .null)
        #expect(trials[3].state == .pruned && trials[3].values == [4.911728254782397])
        #expect(trials[5].values == [.infinity])
        #expect(trials.filter { $0.state == .waiting }.count == 1)
        #expect(try storage.studyUserAttributes(id: id) == ["owner": "anchor"])
        let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func aRefusedPostgreSQLConnection() throws {
        // A port nobody listens on: bind one, then let it go.
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        close(socket)
        #expect { try PostgresStorage(url: "postgresql://someone:secret@127.0.0.1:\(port)/nothing") } throws: { error in
            guard case .connectionFailed(let server, _)? = error as? StorageError else { return false }
            let text = error.localizedDescription
            return server == "127.0.0.1:\(port)" && text.contains("127.0.0.1:\(port)") && !text.contains("secret")
        }
        #expect { try PostgresStorage(url: "mysql://someone@127.0.0.1/db") } throws: { error in
            error.localizedDescription.contains("mysql")
        }
        #expect { try PostgresStorage(url: "postgresql://someone@127.0.0.1:5432") } throws: { error in
            error.localizedDescription.contains("no database")
        }
    }

    /// A PostgreSQL database of another schema version (or of other tables) is refused and not changed.
    @Test func postgreSQLDatabasesOfOtherSchemas() throws {
        let database = try PostgresTestDatabase()
        let storage = try PostgresStorage(url: database.url)
        _ = try storage.createStudy(name: "kept", directions: [.minimize])
        storage.close()
        try database.execute("UPDATE version_info SET schema_version = 11, library_version = '2.10.0'")
        func fingerprint() throws -> [String] {
            let probe = try PostgresBackend(url: try PostgresURL(database.url))
            defer { probe.close() }
            return try probe.read { session in
                let tables = try session.query(SQLStatement(text: "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1", parameterCount: 0), [])
                let rows = try session.query(SQLStatement(text: "SELECT schema_version::text || library_version || (SELECT string_agg(study_name, ',') FROM studies) || (SELECT version_num FROM alembic_version) FROM version_info", parameterCount: 0), [])
                return tables.values.compactMap(\.text) + rows.values.compactMap(\.text)
            }
        }
        let before = try fingerprint()
        #expect { try PostgresStorage(url: database.url) } throws: { error in
            let text = error.localizedDescription
            return text.contains("schema_version 11") && text.contains("Optuna 2.10.0") && text.contains("schema_version 12")
        }
        #expect(try fingerprint() == before)

        let other = try PostgresTestDatabase()
        try other.execute("CREATE TABLE invoices (id SERIAL PRIMARY KEY)")
        #expect { try PostgresStorage(url: other.url) } throws: { error in
            error.localizedDescription.contains("invoices") && error.localizedDescription.contains(other.name)
        }
    }
}
