import Foundation

/// A dataset that cannot be used, named by file, record (0-based index, as in the JSON array) and key.
public enum DatasetError: LocalizedError, Equatable, Sendable {
    case unreadable(file: String, reason: String)
    case notJSON(file: String, offset: Int, reason: String)
    case record(file: String, index: Int, key: String, problem: String)
    case csv(file: String, row: Int, column: String, problem: String)
    case empty(file: String)
    case split(file: String, problem: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read the dataset: \(reason)"
        case .notJSON(let file, let offset, let reason): return "\(file): not valid JSON at byte \(offset): \(reason)"
        case .record(let file, let index, let key, let problem): return "\(file): record \(index), key '\(key)': \(problem)"
        case .csv(let file, let row, let column, let problem): return "\(file): data row \(row + 1), column '\(column)': \(problem)"
        case .empty(let file): return "\(file): the dataset has no records"
        case .split(let file, let problem): return "\(file): cannot split the dataset: \(problem)"
        }
    }
}
