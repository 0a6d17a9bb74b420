import Environments
import Foundation
import StudyEngine

extension DistillObjective {
    /// Reads the `objective` section of a study file (see the type's documentation); errors name the file,
    /// key path and line.
    static func read(_ section: YAMLValue, definition: StudyDefinition) throws -> DistillObjective {
        _ = try section.optional("kind")
        let datasetNode = try section.required("dataset")
        let path = definition.resolve(try datasetNode.string()).path
        if let recordNode = try section.optional("record"), !FileManager.default.fileExists(atPath: path) {
            try record(recordNode, to: path)
        }
        let environmentNode = try section.optional("environment")
        let environment = try environmentNode?.string()

        let featurizer: Featurizer
        let featuresNode = try section.optional("features")
        if let node = featuresNode, node.isMapping {
            featurizer = try readFeaturizer(node)
        } else {
            let name = try featuresNode?.string() ?? "standard"
            guard name == "standard" else { throw featuresNode!.error("features is 'standard' or a mapping {objects, fields, relations}") }
            let key = environment ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            guard let standard = Featurizer.standard(for: key) ?? Featurizer.standard(for: key.components(separatedBy: "-").prefix(2).joined(separator: "-")) else {
                throw (featuresNode ?? section).error("no standard features for '\(key)': give features {objects: [{type, name, slots}], fields, relations}")
            }
            featurizer = standard
        }

        let decodingNode = try section.required("decoding")
        let decoding = try readDecoding(decodingNode)
        let splitNode = try section.optional("split")
        let weightNode = try section.optional("class_weight")
        let weight = try weightNode?.string() ?? "none"
        guard ["balanced", "none"].contains(weight) else { throw weightNode!.error("class_weight is balanced or none") }
        func positive(_ key: String, _ fallback: Int) throws -> Int {
            guard let node = try section.optional(key) else { return fallback }
            let value = try node.int()
            guard value >= 1 else { throw node.error("\(key) must be at least 1") }
            return value
        }
        let episodes = try positive("episodes", 10)
        let maxSteps = try positive("max_steps", .max)
        let seedNode = try section.optional("episode_seed")
        let episodeSeed = try seedNode?.int() ?? 1000
        if let seedNode, episodeSeed < 0 { throw seedNode.error("episode_seed must not be negative") }
        let toleranceNode = try section.optional("tolerance")
        let tolerance = try toleranceNode?.double() ?? 0.1
        try section.finish()
        // The dataset last, so that a mistake in the section is reported before a large file is read.
        let dataset: DistillDataset
        do { dataset = try DistillDataset.load(path) } catch let error as DatasetError {
            throw datasetNode.error(error.localizedDescription)
        }
        let split = try readSplit(splitNode, count: dataset.count)
        if let environment {
            do { _ = try EnvironmentRegistry.visit(environment, seed: 0, ActionSpaceReader()) } catch {
                throw environmentNode!.error(errorText(error))
            }
        }
        do {
            return try DistillObjective(dataset: dataset, featurizer: featurizer, decoding: decoding, split: split, classWeights: weight == "balanced",
                                        environment: environment, episodes: episodes, episodeSeed: UInt64(episodeSeed), maxSteps: maxSteps,
                                        tolerance: tolerance)
        } catch let error as DatasetError {
            throw datasetNode.error(error.localizedDescription)
        } catch let error as ActionDecodingError {
            throw decodingNode.error(error.localizedDescription)
        }
    }

    /// Checks that an environment id is known.
    struct ActionSpaceReader: EnvironmentVisitor {
        func visit<E: Environment>(_ environment: E) throws -> ActionSpace { environment.actionSpace }
    }

    /// Records the dataset a study names when it is missing: `{environment, teacher, episodes, max_rows,
    /// episode_steps, seed}`,
    /// `teacher` a scripted teacher's name or a teacher file.
    static func record(_ node: YAMLValue, to path: String) throws {
        let environment = try node.required("environment").string()
        let teacherNode = try node.required("teacher")
        let teacherName = try teacherNode.string()
        let teacher: Teacher
        if let scripted = ScriptedTeacher(rawValue: teacherName) {
            teacher = Teacher(scripted: scripted)
        } else {
            let file = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(teacherName).path
            do { teacher = try Teacher.load(teacherName.hasPrefix("/") ? teacherName : file) } catch {
                throw teacherNode.error("'\(teacherName)' is neither a scripted teacher (\(ScriptedTeacher.allCases.map(\.rawValue).joined(separator: ", "))) nor a readable teacher file")
            }
        }
        let episodes = try node.optional("episodes")?.int() ?? 10
        let maxRows = try node.optional("max_rows")?.int() ?? .max
        let episodeSteps = try node.optional("episode_steps")?.int() ?? .max
        let seed = try node.optional("seed")?.int() ?? 0
        try node.finish()
        do {
            let recorded = try DatasetRecorder.record(teacher, environment: environment, episodes: episodes, seed: UInt64(max(0, seed)), maxRows: maxRows,
                                                        maxEpisodeSteps: episodeSteps)
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            try (path.lowercased().hasSuffix(".csv") ? recorded.csv : recorded.json).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw node.error("cannot record the dataset to \(path): \(errorText(error))")
        }
    }

    static func readFeaturizer(_ node: YAMLValue) throws -> Featurizer {
        let objectsNode = try node.required("objects")
        func readFields(_ fieldsNode: YAMLValue) throws -> [Featurizer.Field] {
            try fieldsNode.items().map { item in
                guard let field = Featurizer.Field(rawValue: try item.string()) else {
                    throw item.error("a field is one of \(Featurizer.Field.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return field
            }
        }
        var objects: [Featurizer.ObjectSlots] = []
        for item in try objectsNode.items() {
            let type = try item.required("type").int()
            let name = try item.optional("name")?.string() ?? "o\(type)"
            let slots = try item.optional("slots")?.int() ?? 1
            let ownFieldsNode = try item.optional("fields")
            let ownFields = try ownFieldsNode.map(readFields)
            if let ownFieldsNode, ownFields?.isEmpty == true { throw ownFieldsNode.error("an object's fields list is not empty (leave it out to use the featurizer's fields)") }
            try item.finish()
            objects.append(.init(type: type, name: name, slots: slots, fields: ownFields))
        }
        var fields: [Featurizer.Field] = [.x, .y, .dx, .dy]
        if let fieldsNode = try node.optional("fields") { fields = try readFields(fieldsNode) }
        var relations: [Featurizer.Relation] = []
        if let relationsNode = try node.optional("relations") {
            for item in try relationsNode.items() {
                let kindNode = try item.required("kind")
                guard let kind = Featurizer.Relation.Kind(rawValue: try kindNode.string()) else {
                    throw kindNode.error("a relation kind is one of \(Featurizer.Relation.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                func end(_ key: String) throws -> Featurizer.ObjectReference {
                    let endNode = try item.required(key)
                    let slot = try item.optional("\(key)_slot")?.int() ?? 0
                    if let type = try? endNode.int() { return .init(type: type, slot: slot) }
                    let name = try endNode.string()
                    guard let group = objects.first(where: { $0.name == name }) else {
                        throw endNode.error("no object named '\(name)'; objects: \(objects.map(\.name).joined(separator: ", "))")
                    }
                    return .init(type: group.type, slot: slot)
                }
                let relation = Featurizer.Relation(kind: kind, from: try end("from"), to: try end("to"))
                try item.finish()
                relations.append(relation)
            }
        }
        try node.finish()
        do { return try Featurizer(objects: objects, fields: fields, relations: relations) } catch let error as FeaturizerError {
            throw node.error(error.localizedDescription)
        }
    }

    static func readDecoding(_ node: YAMLValue) throws -> ActionDecoding {
        let keys = try node.keys()
        guard keys.count == 1, let key = keys.first else { throw node.error("decoding is one of {rounded: [actions]}, {argmax: [actions]}, {continuous: {low: [..], high: [..]}}") }
        let value = try node.required(key)
        let decoding: ActionDecoding
        switch key {
        case "rounded": decoding = .rounded(actions: try value.items().map { try $0.int() })
        case "argmax": decoding = .argmax(actions: try value.items().map { try $0.int() })
        case "continuous":
            let low = try value.required("low").items().map { try $0.double() }
            let high = try value.required("high").items().map { try $0.double() }
            try value.finish()
            decoding = .continuous(low: low, high: high)
        default: throw node.error("unknown decoding '\(key)': rounded, argmax or continuous")
        }
        do { try decoding.validate() } catch let error as ActionDecodingError { throw value.error(error.localizedDescription) }
        return decoding
    }

    static func readSplit(_ node: YAMLValue?, count: Int) throws -> DatasetSplit {
        guard let node else { return .fraction(test: 0.25, seed: 0) }
        if let fractionNode = try node.optional("test_fraction") {
            let share = try fractionNode.double()
            guard share > 0, share < 1 else { throw fractionNode.error("test_fraction lies strictly between 0 and 1") }
            let seed = try node.optional("seed")?.int() ?? 0
            try node.finish()
            return .fraction(test: share, seed: UInt64(max(0, seed)))
        }
        func range(_ key: String) throws -> ClosedRange<Int> {
            let rangeNode = try node.required(key)
            let bounds = try rangeNode.items().map { try $0.int() }
            guard bounds.count == 2, bounds[0] <= bounds[1], bounds[0] >= 0 else { throw rangeNode.error("\(key) is [FIRST, LAST] rows, both included, FIRST <= LAST") }
            guard bounds[1] < count else { throw rangeNode.error("\(key) rows \(bounds[0])-\(bounds[1]) go beyond the dataset's \(count) rows (0-\(count - 1))") }
            return bounds[0]...bounds[1]
        }
        let split = DatasetSplit.ranges(train: try range("train"), test: try range("test"))
        try node.finish()
        if case .ranges(let train, let test) = split, train.overlaps(test) { throw node.error("the train and test rows overlap") }
        return split
    }
}
