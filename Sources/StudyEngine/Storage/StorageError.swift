import Foundation

/// Errors every storage reports the same way, whatever it is (memory, SQLite, PostgreSQL, journal, remote).
public enum StorageError: LocalizedError, Equatable, Sendable {
    /// No such study; the text says which and where ("named 'x' in the storage").
    case studyNotFound(String)
    case duplicatedStudy(String)
    /// No such trial; the text says which and where.
    case trialNotFound(String)
    /// The trial has finished and can no longer be changed (Optuna's "Trial#N has already finished").
    case trialFinished(number: Int, state: TrialState)
    case invalidDirections(String)
    case invalidValue(String)
    /// The backing store failed (I/O, database error, lost connection), with what it said.
    case backend(String)
    /// The file or database at `location` is not one symstudy can open as an Optuna storage (not an
    /// SQLite file, or a database of other tables); nothing in it was changed.
    case notAnOptunaDatabase(location: String, reason: String)
    /// The database at `location` holds Optuna's schema of another version; symstudy never migrates one.
    case incompatibleSchema(location: String, found: String, expected: String)
    /// The database server at `server` (host:port) could not be reached or refused the connection.
    case connectionFailed(server: String, reason: String)
    /// A storage URL that does not name a storage symstudy can open.
    case invalidURL(url: String, reason: String)
    /// A line of a journal file is not an operation of Optuna's journal (`line` counts from 1).
    case invalidJournal(path: String, line: Int, reason: String)

    public var errorDescription: String? {
        switch self {
        case .studyNotFound(let what): return "no study \(what)"
        case .duplicatedStudy(let name):
            return "a study named '\(name)' already exists; load it, or pass loadIfExists: true (--load-if-exists)"
        case .trialNotFound(let what): return "no trial \(what)"
        case .trialFinished(let number, let state):
            return "Trial#\(number) has already finished (\(state)) and can not be updated."
        case .invalidDirections(let why): return "invalid directions: \(why)"
        case .invalidValue(let why): return why
        case .backend(let why): return "storage error: \(why)"
        case .notAnOptunaDatabase(let location, let reason):
            return "\(location) is not an Optuna storage: \(reason); it was left unchanged"
        case .incompatibleSchema(let location, let found, let expected):
            return "\(location) holds Optuna's schema with \(found); symstudy reads and writes \(expected) and never migrates a database: Optuna 5's `optuna storage upgrade --storage URL` brings an older one to this version; it was left unchanged"
        case .connectionFailed(let server, let reason):
            return "cannot connect to the PostgreSQL server at \(server): \(reason)"
        case .invalidURL(let url, let reason): return "invalid storage URL '\(StorageURL.redactingPassword(url))': \(reason)"
        case .invalidJournal(let path, let line, let reason):
            return "journal \(path), line \(line): \(reason) (the file was left as it is)"
        }
    }
}
