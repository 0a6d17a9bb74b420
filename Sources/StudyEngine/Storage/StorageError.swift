import Foundation

/// Errors every storage reports the same way, whatever it is (memory, SQLite, PostgreSQL, journal, remote).
public enum StorageError: LocalizedError, Equatable, Sendable {
    case studyNotFound(String)
    case duplicatedStudy(String)
    case trialNotFound(String)
    /// The trial has finished and can no longer be changed (Optuna's "Trial#N has already finished").
    case trialFinished(number: Int, state: TrialState)
    case invalidDirections(String)
    case invalidValue(String)
    /// The backing store failed (I/O, database error, lost connection), with what it said.
    case backend(String)
    /// A storage URL that names no storage: the URL and what is wrong with it.
    case invalidURL(String, String)
    /// A line of a journal file is not an operation of Optuna's journal (`line` counts from 1).
    case invalidJournal(path: String, line: Int, reason: String)

    public var errorDescription: String? {
        switch self {
        case .studyNotFound(let what): return "no study \(what) in the storage"
        case .duplicatedStudy(let name):
            return "a study named '\(name)' already exists; load it, or pass loadIfExists: true (--load-if-exists)"
        case .trialNotFound(let what): return "no trial \(what) in the storage"
        case .trialFinished(let number, let state):
            return "Trial#\(number) has already finished (\(state)) and can not be updated."
        case .invalidDirections(let why): return "invalid directions: \(why)"
        case .invalidValue(let why): return why
        case .backend(let why): return "storage error: \(why)"
        case .invalidURL(let url, let why): return "invalid storage URL '\(StorageURL.redactingPassword(url))': \(why)"
        case .invalidJournal(let path, let line, let reason):
            return "journal \(path), line \(line): \(reason) (the file was left as it is)"
        }
    }
}
