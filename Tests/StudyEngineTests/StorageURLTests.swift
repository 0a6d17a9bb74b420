import Foundation
import Testing
@testable import StudyEngine

@Suite("Storage URLs") struct StorageURLTests {
    @Test("sqlite follows SQLAlchemy: three slashes and a relative path, four for an absolute one")
    func sqlite() throws {
        #expect(try StorageURL(parsing: "sqlite:///study.db") == .sqlite(path: "study.db"))
        #expect(try StorageURL(parsing: "sqlite:////tmp/a b.db") == .sqlite(path: "/tmp/a b.db"))
        #expect(try StorageURL(parsing: "sqlite:////tmp/a%20b.db") == .sqlite(path: "/tmp/a b.db"))
        #expect(try StorageURL(parsing: "sqlite:///:memory:") == .memory)
        #expect(throws: StorageError.self) { try StorageURL(parsing: "sqlite://study.db") }
    }

    @Test("postgresql, its aliases and SQLAlchemy's driver suffix; the password never shows in messages")
    func postgres() throws {
        #expect(try StorageURL(parsing: "postgresql://u:p@h:5432/db") == .postgres(url: "postgresql://u:p@h:5432/db"))
        #expect(try StorageURL(parsing: "postgres://u@h/db") == .postgres(url: "postgresql://u@h/db"))
        #expect(try StorageURL(parsing: "postgresql+psycopg2://u:p@h/db") == .postgres(url: "postgresql://u:p@h/db"))
        #expect(try StorageURL(parsing: "postgresql://u:secret@h/db").description == "postgresql://u:***@h/db")
        let error = StorageError.invalidURL(url: "postgresql://u:secret@h/db", reason: "x")
        #expect(!(error.errorDescription ?? "").contains("secret"))
    }

    @Test("journal URLs, a plain path to an existing journal, memory and study servers")
    func others() throws {
        #expect(try StorageURL(parsing: "journal:///tmp/x.log") == .journal(path: "/tmp/x.log"))
        #expect(try StorageURL(parsing: "journal://x.log") == .journal(path: "x.log"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString).log")
        try Data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try StorageURL(parsing: file.path) == .journal(path: file.path))
        #expect(try StorageURL(parsing: "memory:") == .memory)
        #expect(try StorageURL(parsing: "grpc://10.0.0.2:50051") == .remote(scheme: "grpc", host: "10.0.0.2", port: 50051))
        #expect(try StorageURL(parsing: "optuna-grpc://[::1]:13000") == .remote(scheme: "optuna-grpc", host: "::1", port: 13000))
    }

    @Test("an unknown scheme or a malformed URL is one error naming the URL and what would be valid")
    func errors() {
        for (url, fragment) in [("mysql://u@h/db", "unknown scheme 'mysql'"), ("grpc://host", "needs a host and a port"),
                                ("grpc://host:99999", "needs a host and a port"), ("/no/such/file.log", "no scheme"),
                                ("postgresql:", "postgresql://user:password@host:port/database")] {
            do {
                _ = try StorageURL(parsing: url)
                Issue.record("\(url) was accepted")
            } catch {
                let message = (error as? StorageError)?.errorDescription ?? ""
                #expect(message.contains(fragment), "\(url): \(message)")
                #expect(message.contains("invalid storage URL"))
            }
        }
    }
}
