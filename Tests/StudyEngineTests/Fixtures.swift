import Foundation

/// Test data committed under `Tests/Fixtures`, each folder with the script that made it.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The URL of `Tests/Fixtures/<path>`.
    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// The contents of `Tests/Fixtures/<path>`.
    static func data(_ path: String) throws -> Data { try Data(contentsOf: url(path)) }
}
