import Foundation
import StudyEngine

/// Values as symstudy's own StudyService carries them: times as microseconds since 1970 (UTC), parameters
/// both as JSON values and in internal representation, directions in Python's numbering.
enum SymstudyWireFormat {
    static let samplerAttribute = "symstudy:sampler"
    static let prunerAttribute = "symstudy:pruner"

    static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }
    static func date(micros: Int64) -> Date { Date(timeIntervalSince1970: Double(micros) / 1_000_000) }

    static func direction(_ direction: StudyDirection) -> Symstudy_Direction {
        direction == .maximize ? .maximize : .minimize
    }

    static func directions(_ values: [Symstudy_Direction], rpc: String) throws -> [StudyDirection] {
        try values.map { value in
            switch value {
            case .minimize: return .minimize
            case .maximize: return .maximize
            default:
                throw ServiceError.malformed(rpc: rpc, field: "directions", reason: "\(value.rawValue) is not a direction (MINIMIZE 1, MAXIMIZE 2)")
            }
        }
    }

    static func state(_ state: TrialState) -> Symstudy_TrialState { Symstudy_TrialState(rawValue: state.rawValue) ?? .fail }

    static func state(_ value: Symstudy_TrialState, rpc: String, field: String = "state") throws -> TrialState {
        guard let state = TrialState(rawValue: value.rawValue) else {
            throw ServiceError.malformed(rpc: rpc, field: field, reason: "\(value.rawValue) is not a TrialState (RUNNING 0 ... WAITING 4)")
        }
        return state
    }

    // MARK: Samplers and pruners

    static func component(name: String, options: [String: JSONValue]) -> Symstudy_Component {
        var component = Symstudy_Component()
        component.name = name
        component.kwargs = JSONValue.object(options).jsonText
        return component
    }

    /// The name and options of a component; nil when unset.
    static func options(of component: Symstudy_Component, rpc: String, field: String) throws -> (name: String, options: [String: JSONValue])? {
        guard !component.name.isEmpty else { return nil }
        guard !component.kwargs.isEmpty else { return (component.name, [:]) }
        guard let object = try OptunaWireFormat.attribute(component.kwargs, rpc: rpc, field: "\(field).kwargs").objectValue else {
            throw ServiceError.malformed(rpc: rpc, field: "\(field).kwargs", reason: "keyword arguments must be a JSON object, not \(component.kwargs)")
        }
        return (component.name, object)
    }

    /// A component as kept in a study's system attributes (`{"name": ..., "kwargs": {...}}`).
    static func attributeValue(name: String, options: [String: JSONValue]) -> JSONValue {
        .object(["name": .string(name), "kwargs": .object(options)])
    }

    static func component(fromAttribute value: JSONValue?) -> Symstudy_Component? {
        guard let object = value?.objectValue, let name = object["name"]?.stringValue else { return nil }
        return component(name: name, options: object["kwargs"]?.objectValue ?? [:])
    }

    // MARK: Studies and trials

    static func message(_ summary: StudySummary) -> Symstudy_Study {
        var study = Symstudy_Study()
        study.studyID = Int64(summary.id)
        study.studyName = summary.name
        study.directions = summary.directions.map(direction)
        study.userAttributes = OptunaWireFormat.attributeTexts(summary.userAttributes)
        study.systemAttributes = OptunaWireFormat.attributeTexts(summary.systemAttributes)
        study.trialCount = Int64(summary.trialCount)
        if let sampler = component(fromAttribute: summary.systemAttributes[samplerAttribute]) { study.sampler = sampler }
        if let pruner = component(fromAttribute: summary.systemAttributes[prunerAttribute]) { study.pruner = pruner }
        return study
    }

    static func summary(_ study: Symstudy_Study, rpc: String) throws -> StudySummary {
        StudySummary(id: Int(study.studyID), name: study.studyName, directions: try directions(study.directions, rpc: rpc),
                     userAttributes: try OptunaWireFormat.attributes(fromTexts: study.userAttributes, rpc: rpc, field: "user_attributes"),
                     systemAttributes: try OptunaWireFormat.attributes(fromTexts: study.systemAttributes, rpc: rpc, field: "system_attributes"),
                     trialCount: Int(study.trialCount))
    }

    static func message(_ trial: FrozenTrial, studyID: Int?) -> Symstudy_Trial {
        var message = Symstudy_Trial()
        message.trialID = Int64(trial.id)
        message.number = Int64(trial.number)
        message.state = state(trial.state)
        message.values = trial.values ?? []
        if let start = trial.datetimeStart { message.datetimeStart = micros(start) }
        if let complete = trial.datetimeComplete { message.datetimeComplete = micros(complete) }
        for (name, distribution) in trial.distributions {
            guard let value = trial.params[name], let internalValue = try? distribution.internalValue(of: value, name: name) else { continue }
            message.params[name] = value.jsonValue.jsonText
            message.paramsInternal[name] = internalValue
            message.distributions[name] = distribution.optunaJSON
        }
        message.userAttributes = OptunaWireFormat.attributeTexts(trial.userAttributes)
        message.systemAttributes = OptunaWireFormat.attributeTexts(trial.systemAttributes)
        for (step, value) in trial.intermediateValues { message.intermediateValues[Int64(step)] = value }
        if let studyID { message.studyID = Int64(studyID) }
        return message
    }

    static func trial(_ message: Symstudy_Trial, rpc: String) throws -> FrozenTrial {
        var trial = FrozenTrial(id: Int(message.trialID), number: Int(message.number),
                                state: try state(message.state, rpc: rpc, field: "trial.state"),
                                values: message.values.isEmpty ? nil : message.values,
                                datetimeStart: message.hasDatetimeStart ? date(micros: message.datetimeStart) : nil,
                                datetimeComplete: message.hasDatetimeComplete ? date(micros: message.datetimeComplete) : nil)
        let (params, distributions) = try parameters(internal: message.paramsInternal, distributions: message.distributions,
                                                     rpc: rpc, field: "trial")
        trial.params = params
        trial.distributions = distributions
        trial.userAttributes = try OptunaWireFormat.attributes(fromTexts: message.userAttributes, rpc: rpc, field: "trial.user_attributes")
        trial.systemAttributes = try OptunaWireFormat.attributes(fromTexts: message.systemAttributes, rpc: rpc, field: "trial.system_attributes")
        for (step, value) in message.intermediateValues { trial.intermediateValues[Int(step)] = value }
        return trial
    }

    /// Internal parameter values and their distributions, checked against each other.
    static func parameters(internal values: [String: Double], distributions texts: [String: String], rpc: String,
                           field: String) throws -> ([String: ParameterValue], [String: ParameterDistribution]) {
        var params: [String: ParameterValue] = [:]
        var distributions: [String: ParameterDistribution] = [:]
        for (name, text) in texts {
            let distribution = try OptunaWireFormat.distribution(text, rpc: rpc, field: "\(field).distributions[\(name)]")
            guard let value = values[name], distribution.contains(internalValue: value) else {
                throw ServiceError.malformed(rpc: rpc, field: "\(field).params_internal[\(name)]",
                                             reason: "missing, or not in \(distribution.description)")
            }
            distributions[name] = distribution
            params[name] = distribution.externalValue(of: value)
        }
        return (params, distributions)
    }

    static func searchSpace(_ texts: [String: String], rpc: String) throws -> [String: ParameterDistribution] {
        var space: [String: ParameterDistribution] = [:]
        for (name, text) in texts {
            space[name] = try OptunaWireFormat.distribution(text, rpc: rpc, field: "search_space[\(name)]")
        }
        return space
    }
}
