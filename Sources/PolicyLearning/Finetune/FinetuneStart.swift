import Environments
import Foundation
import StudyEngine
import SymbolicRegression

/// Where a fine-tuning starts, from the objective's `start` section:
///
/// ```yaml
/// start: {policy: policies/cartpole-weak.json}          # a SymbolicPolicy JSON file (or a list of them)
/// start: {study: cartpole-distill, top: 3}              # the best trials' `policy` of a study; storage:
///                                                       # `storage`, else that of NAME.yaml beside this
///                                                       # file, else sqlite NAME.db beside it
/// start: {expression: "(pole_x - cart_x) + 0.3", decoding: rounded}   # text over the environment's
///                                                       # standard features; decoding: rounded, argmax,
///                                                       # continuous, or {rounded: [0, 1]}, {argmax: [...]}
/// ```
enum FinetuneStart {
    /// Reads the start policies; errors name the key and line of the study file.
    static func read(_ node: YAMLValue, definition: StudyDefinition, environment: String) throws -> [SymbolicPolicy] {
        guard node.isMapping else { throw node.error("start is a mapping: {policy: FILE}, {study: NAME} or {expression: TEXT, decoding: ...}") }
        let kinds = try node.keys().filter { ["policy", "study", "expression"].contains($0) }
        guard kinds.count == 1 else { throw node.error("start names exactly one of policy, study or expression") }
        let policies: [SymbolicPolicy]
        switch kinds[0] {
        case "policy":
            let files = try node.required("policy")
            let paths = files.isSequence ? try files.items() : [files]
            policies = try paths.map { item in try policy(file: definition.resolve(try item.string()).path, node: item) }
        case "study":
            policies = try fromStudy(node, definition: definition)
        default:
            policies = try fromExpression(node, environment: environment)
        }
        try node.finish()
        return policies
    }

    static func policy(file path: String, node: YAMLValue) throws -> SymbolicPolicy {
        guard let data = FileManager.default.contents(atPath: path) else { throw node.error("cannot read the policy file \(path)") }
        do { return try SymbolicPolicy.parse(String(decoding: data, as: UTF8.self)) } catch {
            throw node.error("\(path): \(errorText(error))")
        }
    }

    static func fromStudy(_ node: YAMLValue, definition: StudyDefinition) throws -> [SymbolicPolicy] {
        let nameNode = try node.required("study")
        let name = try nameNode.string()
        let topNode = try node.optional("top")
        let top = try topNode?.int() ?? 1
        if let topNode, top < 1 { throw topNode.error("top must be at least 1") }
        let storageURL: String
        if let storageNode = try node.optional("storage") {
            storageURL = try resolvedStorage(try storageNode.string(), definition: definition, node: storageNode)
        } else {
            let sibling = definition.folder.appendingPathComponent("\(name).yaml").path
            if FileManager.default.fileExists(atPath: sibling), let other = try? StudyDefinition.load(file: sibling) {
                storageURL = other.storageURL
            } else {
                storageURL = "sqlite:///" + definition.folder.appendingPathComponent("\(name).db").standardizedFileURL.path
            }
        }
        let trials: [FrozenTrial]
        let study: Study
        do {
            let storage = try StorageURL(parsing: storageURL).open()
            study = try Study.load(name: name, storage: storage)
            trials = try study.trials(states: [.complete])
        } catch {
            throw nameNode.error("cannot read study '\(name)' in \(storageURL): \(errorText(error))")
        }
        let direction = study.directions[0]
        let ranked = trials.filter { $0.values?.first.map { !$0.isNaN } ?? false && $0.userAttributes["policy"] != nil }
            .sorted { direction.isBetter($0.values![0], than: $1.values![0]) }
        guard !ranked.isEmpty else {
            throw nameNode.error("study '\(name)' in \(storageURL) has no complete trial with a 'policy' user attribute")
        }
        return try ranked.prefix(top).map { trial in
            let stored = trial.userAttributes["policy"]!
            do { return try SymbolicPolicy.parse(stored.stringValue ?? stored.jsonText) } catch {
                throw nameNode.error("trial \(trial.number) of study '\(name)': \(errorText(error))")
            }
        }
    }

    /// A storage URL of the start section, relative SQLite paths resolved against the study file's folder.
    static func resolvedStorage(_ url: String, definition: StudyDefinition, node: YAMLValue) throws -> String {
        do {
            if case .sqlite(let path) = try StorageURL(parsing: url), !path.hasPrefix("/") {
                return "sqlite:///" + definition.folder.appendingPathComponent(path).standardizedFileURL.path
            }
        } catch {
            throw node.error(errorText(error))
        }
        return url
    }

    static func fromExpression(_ node: YAMLValue, environment: String) throws -> [SymbolicPolicy] {
        let expressionNode = try node.required("expression")
        let texts = expressionNode.isSequence ? try expressionNode.items().map { try $0.string() } : [try expressionNode.string()]
        let facts: (space: ActionSpace, featurizer: Featurizer)
        do { facts = try EnvironmentRegistry.visit(environment, seed: 0, Facts(name: environment)) } catch {
            throw node.error("cannot make the environment \(environment): \(errorText(error))")
        }
        let decodingNode = try node.optional("decoding")
        let decoding = try decodingNode.map { try self.decoding($0, space: facts.space) } ?? SymbolicPolicy.defaultDecoding(facts.space)
        var programs: [Program] = []
        for text in texts {
            do {
                programs.append(try InfixFormat.parse(text, functionSet: SymbolicPolicy.allOperators, featureNames: facts.featurizer.featureNames))
            } catch {
                throw expressionNode.error("'\(text)': \(errorText(error)); features: \(facts.featurizer.featureNames.joined(separator: ", "))")
            }
        }
        do { return [try SymbolicPolicy(featurizer: facts.featurizer, decoding: decoding, programs: programs)] } catch {
            throw expressionNode.error(errorText(error))
        }
    }

    static func decoding(_ node: YAMLValue, space: ActionSpace) throws -> ActionDecoding {
        let fallback = SymbolicPolicy.defaultDecoding(space)
        if !node.isMapping {
            switch try node.string() {
            case "rounded": return .rounded(actions: fallback.actions.isEmpty ? [0] : fallback.actions)
            case "argmax": return .argmax(actions: fallback.actions.isEmpty ? [0] : fallback.actions)
            case "continuous":
                guard case .continuous = fallback else { throw node.error("a continuous decoding needs a box action space; this one is \(space)") }
                return fallback
            case let other: throw node.error("unknown decoding '\(other)': rounded, argmax or continuous")
            }
        }
        return try DistillObjective.readDecoding(node)
    }

    /// The action space and default featurizer of an environment.
    struct Facts: EnvironmentVisitor {
        let name: String
        func visit<E: Environment>(_ environment: E) throws -> (space: ActionSpace, featurizer: Featurizer) {
            (environment.actionSpace, try SymbolicPolicy.defaultFeaturizer(for: environment, name: name))
        }
    }
}
