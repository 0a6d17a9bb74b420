import Foundation

/// Where a study lives, named by URL as Optuna names storages:
///
/// - `sqlite:///relative/file.db`, `sqlite:////absolute/file.db` (SQLAlchemy's rule, so one URL opens the same
///   file in Optuna and in symstudy)
/// - `postgresql://user:password@host:port/database` (also `postgres://` and SQLAlchemy's `postgresql+driver://`)
/// - `journal:///absolute/file.log` or `journal://relative/file.log`: Optuna's append-only journal file; a plain
///   path to an existing file is read as a journal, as Optuna's CLI does
/// - `memory:` for a storage that lives as long as the process
/// - `grpc://host:port` and `optuna-grpc://host:port`: a study server (opened by the StudyService module)
public enum StorageURL: Equatable, Sendable, CustomStringConvertible {
    case memory
    case sqlite(path: String)
    case postgres(url: String)
    case journal(path: String)
    /// A study server: `scheme` is `grpc` (symstudy's own API) or `optuna-grpc` (Optuna's StorageService).
    case remote(scheme: String, host: String, port: Int)

    public static let schemes = ["sqlite", "postgresql", "journal", "memory", "grpc", "optuna-grpc"]

    /// Parses a storage URL; throws `StorageError.invalidURL` naming what is wrong.
    public init(parsing text: String) throws {
        let url = text.trimmingCharacters(in: .whitespaces)
        guard let separator = url.range(of: ":") else {
            if FileManager.default.fileExists(atPath: url) {
                self = .journal(path: url)
                return
            }
            throw StorageError.invalidURL(url, "no scheme; use one of \(Self.schemes.map { $0 + "://" }.joined(separator: ", ")) (a plain path must name an existing journal file)")
        }
        let scheme = url[..<separator.lowerBound].lowercased()
        let rest = String(url[separator.upperBound...])
        let baseScheme = scheme.split(separator: "+", maxSplits: 1).first.map(String.init) ?? scheme
        switch baseScheme {
        case "memory", "inmemory":
            self = .memory
        case "sqlite":
            guard rest.hasPrefix("///"), rest.count > 3 else {
                throw StorageError.invalidURL(url, "an SQLite URL is sqlite:///relative/path.db or sqlite:////absolute/path.db")
            }
            let path = String(rest.dropFirst(3))
            guard path != ":memory:" else { self = .memory; return }
            self = .sqlite(path: path.removingPercentEncoding ?? path)
        case "postgresql", "postgres":
            guard rest.hasPrefix("//"), rest.count > 2 else {
                throw StorageError.invalidURL(url, "a PostgreSQL URL is postgresql://user:password@host:port/database")
            }
            self = .postgres(url: "postgresql:" + rest)
        case "journal":
            guard rest.hasPrefix("//"), rest.count > 2 else {
                throw StorageError.invalidURL(url, "a journal URL is journal:///absolute/file.log or journal://relative/file.log")
            }
            let path = String(rest.dropFirst(2))
            self = .journal(path: path.removingPercentEncoding ?? path)
        case "grpc", "optuna-grpc":
            guard rest.hasPrefix("//") else {
                throw StorageError.invalidURL(url, "a study server URL is \(baseScheme)://host:port")
            }
            let authority = rest.dropFirst(2).split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
            guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]),
                  (1...65535).contains(port) else {
                throw StorageError.invalidURL(url, "a study server URL needs a host and a port: \(baseScheme)://host:port")
            }
            var host = String(authority[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            self = .remote(scheme: baseScheme, host: host.isEmpty ? "127.0.0.1" : host, port: port)
        default:
            if url.hasPrefix("/") || url.hasPrefix("."), FileManager.default.fileExists(atPath: url) {
                self = .journal(path: url)
                return
            }
            throw StorageError.invalidURL(url, "unknown scheme '\(scheme)'; known: \(Self.schemes.joined(separator: ", "))")
        }
    }

    public var description: String {
        switch self {
        case .memory: return "memory:"
        case .sqlite(let path): return "sqlite:///\(path)"
        case .postgres(let url): return Self.redactingPassword(url)
        case .journal(let path): return "journal://\(path)"
        case .remote(let scheme, let host, let port): return "\(scheme)://\(host):\(port)"
        }
    }

    /// A storage URL with its password replaced by `***`, for messages and logs.
    public static func redacting(_ url: String) -> String { redactingPassword(url) }

    /// The URL with its password replaced by `***`, for messages and logs.
    static func redactingPassword(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url.range(of: "@", options: .backwards),
              at.lowerBound > schemeEnd.upperBound else { return url }
        let credentials = url[schemeEnd.upperBound..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return url[..<schemeEnd.upperBound] + credentials[..<colon] + ":***" + url[at.lowerBound...]
    }
}

extension StorageURL {
    /// Opens the storage this URL names (a study server's URL is opened by the StudyService module, which
    /// throws here). Heartbeats are on when `heartbeatInterval` is given; the grace period defaults to
    /// twice the interval, as Optuna's `RDBStorage` does.
    public func open(heartbeatInterval: Double? = nil, gracePeriod: Double? = nil) throws -> any StudyStorage {
        switch self {
        case .memory:
            return InMemoryStorage()
        case .journal(let path):
            // Optuna's journal storage has no heartbeats: a dead worker's trial stays RUNNING there too.
            return try JournalStorage(path: path)
        case .sqlite, .postgres:
            throw StorageError.invalidURL(description, "not available in this build yet")
        case .remote(let scheme, _, _):
            throw StorageError.invalidURL(description, "\(scheme):// storages are opened by the study service client (StudyService)")
        }
    }
}
