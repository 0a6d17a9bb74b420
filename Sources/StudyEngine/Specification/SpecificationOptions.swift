import Foundation

/// An error in a sampler or pruner named by its Optuna class name and keyword arguments (the CLI's
/// `--sampler TPESampler --sampler-kwargs '{"seed": 1}'`, a study file's `sampler:` section).
public enum SpecificationError: LocalizedError, Equatable, Sendable {
    case unknownClass(kind: String, name: String, known: [String])
    case unknownOption(owner: String, key: String, known: [String])
    case wrongType(owner: String, key: String, expected: String, found: String)
    case invalid(owner: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .unknownClass(let kind, let name, let known):
            return "unknown \(kind) '\(name)'; known: \(known.joined(separator: ", "))"
        case .unknownOption(let owner, let key, let known):
            return "\(owner) has no option '\(key)'; its options: \(known.joined(separator: ", "))"
        case .wrongType(let owner, let key, let expected, let found):
            return "\(owner) option '\(key)' must be \(expected), not \(found)"
        case .invalid(let owner, let reason):
            return "\(owner): \(reason)"
        }
    }
}

/// Keyword arguments of one sampler or pruner, read by name and type; every key must be read by the end
/// (`finish`), so a misspelt option is an error rather than silently ignored.
struct SpecificationOptions {
    let owner: String
    private let values: [String: JSONValue]
    private var known: [String] = []

    init(owner: String, values: [String: JSONValue]) {
        self.owner = owner
        self.values = values
    }

    private mutating func value(_ key: String) -> JSONValue? {
        known.append(key)
        guard let value = values[key], value != .null else { return nil }
        return value
    }

    private func wrongType(_ key: String, _ expected: String) -> SpecificationError {
        .wrongType(owner: owner, key: key, expected: expected, found: values[key]?.jsonText ?? "nothing")
    }

    mutating func int(_ key: String) throws -> Int? {
        guard let value = value(key) else { return nil }
        guard let int = value.intValue else { throw wrongType(key, "an integer") }
        return int
    }

    mutating func double(_ key: String) throws -> Double? {
        guard let value = value(key) else { return nil }
        guard let double = value.doubleValue else { throw wrongType(key, "a number") }
        return double
    }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.boolValue else { throw wrongType(key, "true or false") }
        return bool
    }

    mutating func seed(_ key: String = "seed") throws -> UInt64? {
        guard let value = value(key) else { return nil }
        guard let int = value.intValue, int >= 0 else { throw wrongType(key, "a non-negative integer") }
        return UInt64(int)
    }

    /// An integer, or the string "auto".
    mutating func resource(_ key: String) throws -> PruningResource? {
        guard let value = value(key) else { return nil }
        if value.stringValue == "auto" { return .auto }
        guard let int = value.intValue else { throw wrongType(key, "an integer or \"auto\"") }
        return .steps(int)
    }

    mutating func object(_ key: String) throws -> [String: JSONValue]? {
        guard let value = value(key) else { return nil }
        guard let object = value.objectValue else { throw wrongType(key, "an object") }
        return object
    }

    mutating func raw(_ key: String) -> JSONValue? { value(key) }

    /// Throws for any key that was never read.
    func finish() throws {
        if let extra = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw SpecificationError.unknownOption(owner: owner, key: extra, known: known.sorted())
        }
    }

    /// Runs `make`, turning the sampler's or pruner's own argument errors into `SpecificationError.invalid`.
    func building<T>(_ make: () throws -> T) throws -> T {
        do {
            return try make()
        } catch let error as SpecificationError {
            throw error
        } catch {
            throw SpecificationError.invalid(owner: owner, reason: (error as? any LocalizedError)?.errorDescription ?? "\(error)")
        }
    }
}
