import Foundation
import StudyEngine

/// A study file (`studies/*.yaml`), decoded and validated: what to optimise (the objective), over which
/// parameters, with which sampler and pruner, for how long, and where the trials are kept.
///
/// ```yaml
/// name: pong-distill                       # default: the file's name without .yaml
/// storage: sqlite:///pong-distill.db       # default: an SQLite file beside the study file
/// objective:                               # kind and its own keys (see the objective kinds)
///   kind: distill
///   ...
/// objectives:                              # one or several values per trial, each a metric and a direction
///   - {metric: test_fidelity, direction: maximize}
///   - {metric: size, direction: minimize}
/// search_space: {...}                      # SearchParameter
/// sampler: {name: TPESampler, options: {seed: 1}}      # Optuna's class names and keyword arguments
/// pruner: {name: MedianPruner, options: {n_warmup_steps: 5}}
/// trials: 50                               # and/or timeout: seconds
/// seeds_per_trial: 1                       # GP runs per trial (different seeds), values averaged
/// seed: 0                                  # base of the per-trial seeds
/// ```
public struct StudyDefinition: Sendable {
    /// A value each trial reports, and whether larger or smaller is better.
    public struct Target: Sendable, Hashable {
        public var metric: String
        public var direction: StudyDirection
    }

    /// How the values of several seeds of one trial are combined.
    public enum SeedAggregate: String, Sendable, CaseIterable {
        case mean, median, best
    }

    /// The study file's path.
    public var file: String
    public var name: String
    public var storageURL: String
    public var objectiveKind: String
    /// The `objective` section, read by the objective kind's factory.
    public var objectiveSection: YAMLValue
    public var targets: [Target]
    /// The line of `objectives`, for errors about its metrics.
    public var targetsLine: Int?
    public var searchSpace: [SearchParameter]
    public var sampler: SamplerSpecification
    public var pruner: PrunerSpecification
    public var trials: Int?
    public var timeout: Double?
    public var seedsPerTrial: Int
    public var seedAggregate: SeedAggregate
    public var seed: UInt64

    /// The folder relative paths in the file are resolved against.
    public var folder: URL { URL(fileURLWithPath: file).deletingLastPathComponent() }

    public var directions: [StudyDirection] { targets.map(\.direction) }

    /// Resolves a path written in the study file: relative paths are relative to the file's folder.
    public func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path).standardizedFileURL
    }

    /// Reads and validates a study file. The objective's own keys are checked by `StudyObjectives.make`.
    public static func load(file path: String) throws -> StudyDefinition {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw StudyFileError(file: path, line: nil, keyPath: "", message: "cannot read the study file: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> StudyDefinition {
        let root = try YAMLValue.parse(text, file: file)
        guard root.isMapping else { throw root.error("a study file is a mapping of keys (name, objective, search_space, ...); found \(root.kindDescription)") }
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let name = try root.optional("name")?.string() ?? stem
        guard !name.isEmpty else { throw try root.required("name").error("the study name must not be empty") }

        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL
        var storage = "sqlite:///" + folder.appendingPathComponent("\(stem).db").path
        if let node = try root.optional("storage") {
            storage = try node.string()
            do {
                if case .sqlite(let path) = try StorageURL(parsing: storage), !path.hasPrefix("/") {
                    storage = "sqlite:///" + folder.appendingPathComponent(path).standardizedFileURL.path  // relative to the file
                }
            } catch {
                throw node.error(errorText(error))
            }
        }

        let objective = try root.required("objective")
        guard objective.isMapping else { throw objective.error("expected a mapping with a kind, e.g. {kind: regress, ...}; found \(objective.kindDescription)") }
        let kindNode = try objective.required("kind")
        let kind = try kindNode.string()
        guard StudyObjectives.kinds.contains(kind) else {
            throw kindNode.error("unknown objective kind '\(kind)'; kinds: \(StudyObjectives.kinds.joined(separator: ", "))")
        }

        var targets: [Target] = []
        let targetsNode = try root.optional("objectives")
        if let list = targetsNode {
            for item in try list.items() {
                let metric = try item.required("metric").string()
                let directionNode = try item.required("direction")
                guard let direction = StudyDirection(optunaName: try directionNode.string()), direction != .notSet else {
                    throw directionNode.error("direction is minimize or maximize")
                }
                try item.finish()
                targets.append(Target(metric: metric, direction: direction))
            }
            guard !targets.isEmpty else { throw list.error("name at least one objective, e.g. [{metric: test_r2, direction: maximize}]") }
            if let repeated = Dictionary(grouping: targets, by: \.metric).first(where: { $0.value.count > 1 })?.key {
                throw list.error("the metric '\(repeated)' is named twice")
            }
        }

        var searchSpace: [SearchParameter] = []
        if let space = try root.optional("search_space") {
            for (key, value) in try space.entries() { searchSpace.append(try SearchParameter.read(name: key, from: value)) }
        }

        func specification(_ key: String, default name: String) throws -> (String, [String: JSONValue]) {
            guard let node = try root.optional(key) else { return (name, [:]) }
            if !node.isMapping { return (try node.string(), [:]) }
            let className = try node.required("name").string()
            var options: [String: JSONValue] = [:]
            if let optionsNode = try node.optional("options") {
                guard case .object(let object) = try optionsNode.plain() else { throw optionsNode.error("options are a mapping of keyword arguments") }
                options = object
            }
            try node.finish()
            return (className, options)
        }
        let (samplerName, samplerOptions) = try specification("sampler", default: "TPESampler")
        let sampler = SamplerSpecification(name: samplerName, options: samplerOptions)
        let (prunerName, prunerOptions) = try specification("pruner", default: "MedianPruner")
        let pruner = PrunerSpecification(name: prunerName, options: prunerOptions)
        // Build them once here, so a bad class or option is reported with its line.
        do { _ = try sampler.make() } catch { throw try root.required("sampler").error(errorText(error)) }
        do { _ = try pruner.make() } catch { throw try root.required("pruner").error(errorText(error)) }

        let trials = try root.optional("trials").map { node -> Int in
            let value = try node.int()
            guard value >= 1 else { throw node.error("trials must be at least 1") }
            return value
        }
        let timeout = try root.optional("timeout").map { node -> Double in
            let value = try node.double()
            guard value > 0 else { throw node.error("timeout is a positive number of seconds") }
            return value
        }
        let seedsNode = try root.optional("seeds_per_trial")
        let seedsPerTrial = try seedsNode?.int() ?? 1
        if let seedsNode, seedsPerTrial < 1 { throw seedsNode.error("seeds_per_trial must be at least 1") }
        let aggregateNode = try root.optional("seed_aggregate")
        let aggregateText = try aggregateNode?.string() ?? "mean"
        guard let aggregate = SeedAggregate(rawValue: aggregateText) else {
            throw aggregateNode!.error("seed_aggregate is one of \(SeedAggregate.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let seedNode = try root.optional("seed")
        let seed = try seedNode?.int() ?? 0
        if let seedNode, seed < 0 { throw seedNode.error("seed must not be negative") }
        try root.finish()

        return StudyDefinition(file: file, name: name, storageURL: storage, objectiveKind: kind, objectiveSection: objective,
                               targets: targets, targetsLine: targetsNode?.line, searchSpace: searchSpace, sampler: sampler, pruner: pruner, trials: trials,
                               timeout: timeout, seedsPerTrial: seedsPerTrial, seedAggregate: aggregate, seed: UInt64(seed))
    }
}
