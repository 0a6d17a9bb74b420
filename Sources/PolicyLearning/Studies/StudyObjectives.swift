import Foundation
import StudyEngine

/// The objective kinds a study file can name, and how each reads its `objective` section.
public enum StudyObjectives {
    typealias Builder = @Sendable (YAMLValue, StudyDefinition) throws -> any TrialObjective

    static let builders: [String: Builder] = [
        "command": { try CommandObjective.read($0, definition: $1) },
        "distill": { try DistillObjective.read($0, definition: $1) },
        "regress": { try RegressObjective.read($0, definition: $1) },
    ]

    /// The kinds, sorted.
    public static var kinds: [String] { builders.keys.sorted() }

    /// Builds the objective of a study file, checking its section, the metrics named in `objectives` and the
    /// parameters of `search_space` against what the objective knows; errors name the file, key and line.
    public static func make(_ definition: StudyDefinition) throws -> any TrialObjective {
        guard let builder = builders[definition.objectiveKind] else {
            throw definition.objectiveSection.error("unknown objective kind '\(definition.objectiveKind)'; kinds: \(kinds.joined(separator: ", "))")
        }
        let objective = try builder(definition.objectiveSection, definition)
        for target in definition.targets where !objective.metrics.contains(target.metric) {
            throw StudyFileError(file: definition.file, line: definition.targetsLine, keyPath: "objectives",
                                 message: "the \(definition.objectiveKind) objective has no metric '\(target.metric)'; its metrics: \(objective.metrics.joined(separator: ", "))")
        }
        if !objective.parameters.isEmpty {
            for parameter in definition.searchSpace where objective.parameters[parameter.name] == nil {
                throw StudyFileError(file: definition.file, line: parameter.line, keyPath: "search_space.\(parameter.name)",
                                     message: "the \(definition.objectiveKind) objective has no parameter '\(parameter.name)'; its parameters: \(objective.parameters.keys.sorted().joined(separator: ", "))")
            }
        }
        return objective
    }
}
