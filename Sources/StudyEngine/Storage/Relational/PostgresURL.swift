import Foundation

/// A PostgreSQL storage URL as Optuna (SQLAlchemy) takes it: `postgresql://user:password@host:port/db`,
/// also spelt `postgres://` or with a driver (`postgresql+psycopg2://`), which is ignored.
struct PostgresURL: Sendable, Equatable {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String

    /// `host:port`, as messages name the server.
    var server: String { "\(host):\(port)" }
    /// The URL without its password, as messages name the database.
    var redacted: String { "postgresql://\(user)@\(server)/\(database)" }

    init(_ text: String) throws {
        func invalid(_ reason: String) -> StorageError {
            .invalidURL(url: Self.redact(text), reason: reason)
        }
        guard let schemeEnd = text.range(of: "://") else {
            throw invalid("expected postgresql://user:password@host:port/database")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let base = scheme.split(separator: "+", maxSplits: 1).first.map(String.init) ?? scheme
        guard base == "postgresql" || base == "postgres" else {
            throw invalid("the scheme is '\(scheme)', not postgresql")
        }
        guard let components = URLComponents(string: "postgresql://" + text[schemeEnd.upperBound...]) else {
            throw invalid("it is not a URL")
        }
        guard let user = components.user, !user.isEmpty else { throw invalid("it names no user (postgresql://USER@host/database)") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw invalid("it names no database (postgresql://user@host:port/DATABASE)")
        }
        for item in components.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("sslmode", "disable"), ("sslmode", "allow"), ("sslmode", "prefer"): continue
            case ("sslmode", let mode):
                throw invalid("sslmode=\(mode) asks for TLS, which symstudy's PostgreSQL storage does not speak")
            default:
                throw invalid("the parameter '\(item.name)' is not supported (only sslmode=disable|allow|prefer)")
            }
        }
        self.user = user
        self.password = components.password
        self.host = components.host.map { $0.hasPrefix("[") ? String($0.dropFirst().dropLast()) : $0 }
            .flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        self.port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
    }

    /// `text` with the password, if any, replaced by `***`.
    static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"), let at = text[schemeEnd.upperBound...].lastIndex(of: "@"),
              let colon = text[schemeEnd.upperBound..<at].firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }
}
