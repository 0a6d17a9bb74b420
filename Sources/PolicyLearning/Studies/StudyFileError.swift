import Foundation

/// A study file that cannot be used: the file, the line, the key path (`search_space.population_size.low`)
/// and what is wrong, with what would be valid.
public struct StudyFileError: LocalizedError, Equatable, Sendable {
    public var file: String
    /// 1-based line of the offending key or value; nil when the file could not be read at all.
    public var line: Int?
    /// Dotted key path from the top of the file; empty for the file itself.
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int?, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    public var errorDescription: String? {
        var location = file
        if let line { location += ":\(line)" }
        return keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }
}
