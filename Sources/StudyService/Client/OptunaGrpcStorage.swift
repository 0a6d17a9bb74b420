import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import StudyEngine
import Synchronization

/// A `StudyStorage` that is a client of any server of Optuna's `optuna.StorageService` (storage URL
/// `optuna-grpc://HOST:PORT`): Optuna's own `run_grpc_proxy_server`, or `symstudy serve`. The study runs its
/// sampler and pruner in this process, as Optuna's GrpcStorageProxy does.
///
/// Datetimes travel as the server's naive local time: client and server should share a time zone.
public final class OptunaGrpcStorage: StudyStorage {
    let connection: ServiceConnection
    private var service: Optuna_StorageService.Client<HTTP2ClientTransport.Posix> {
        Optuna_StorageService.Client(wrapping: connection.client)
    }

    /// Connects to the server at `host:port` (lazily: the first call waits for it, within the retry budget).
    public init(host: String, port: Int, options: ServiceClientOptions = .fromEnvironment()) throws {
        connection = try ServiceConnection(host: host, port: port, options: options)
    }

    init(connection: ServiceConnection) { self.connection = connection }

    private func call<T: Sendable>(_ rpc: String, _ body: @escaping @Sendable (Optuna_StorageService.Client<HTTP2ClientTransport.Posix>, Metadata, CallOptions, Int) async throws -> T) throws -> T {
        let connection = connection
        return try connection.call(rpc) { client, attempt in
            try await body(Optuna_StorageService.Client(wrapping: client), connection.metadata, connection.callOptions, attempt)
        }
    }

    private func call<T: Sendable>(_ rpc: String, _ body: @escaping @Sendable (Optuna_StorageService.Client<HTTP2ClientTransport.Posix>, Metadata, CallOptions) async throws -> T) throws -> T {
        try call(rpc) { service, metadata, options, _ in try await body(service, metadata, options) }
    }

    // MARK: Studies

    public func createStudy(name: String?, directions: [StudyDirection]) throws -> Int {
        guard !directions.isEmpty else { throw StorageError.invalidDirections("a study needs at least one direction") }
        guard !directions.contains(.notSet) else { throw StorageError.invalidDirections("NOT_SET is not a direction to optimise in") }
        var request = Optuna_CreateNewStudyRequest()
        request.directions = directions.map(OptunaWireFormat.direction)
        request.studyName = name ?? "no-name-" + UUID().uuidString.lowercased()
        let studyName = request.studyName
        do {
            let sent = request
            return Int(try call("CreateNewStudy") { try await $0.createNewStudy(sent, metadata: $1, options: $2).studyID })
        } catch StorageError.duplicatedStudy {
            throw StorageError.duplicatedStudy(studyName)
        }
    }

    public func deleteStudy(id: Int) throws {
        var request = Optuna_DeleteStudyRequest()
        request.studyID = Int64(id)
        let sent = request
        _ = try call("DeleteStudy") { try await $0.deleteStudy(sent, metadata: $1, options: $2) }
    }

    public func studyID(named name: String) throws -> Int {
        var request = Optuna_GetStudyIdFromNameRequest()
        request.studyName = name
        let sent = request
        return Int(try call("GetStudyIdFromName") { try await $0.getStudyIdFromName(sent, metadata: $1, options: $2).studyID })
    }

    public func studyName(id: Int) throws -> String {
        var request = Optuna_GetStudyNameFromIdRequest()
        request.studyID = Int64(id)
        let sent = request
        return try call("GetStudyNameFromId") { try await $0.getStudyNameFromId(sent, metadata: $1, options: $2).studyName }
    }

    public func studyDirections(id: Int) throws -> [StudyDirection] {
        var request = Optuna_GetStudyDirectionsRequest()
        request.studyID = Int64(id)
        let sent = request
        let directions = try call("GetStudyDirections") { try await $0.getStudyDirections(sent, metadata: $1, options: $2).directions }
        return try OptunaWireFormat.directions(directions, rpc: "GetStudyDirections")
    }

    public func setStudyUserAttribute(studyID: Int, key: String, value: JSONValue) throws {
        var request = Optuna_SetStudyUserAttributeRequest()
        request.studyID = Int64(studyID)
        request.key = key
        request.value = value.jsonText
        let sent = request
        _ = try call("SetStudyUserAttribute") { try await $0.setStudyUserAttribute(sent, metadata: $1, options: $2) }
    }

    public func setStudySystemAttribute(studyID: Int, key: String, value: JSONValue) throws {
        var request = Optuna_SetStudySystemAttributeRequest()
        request.studyID = Int64(studyID)
        request.key = key
        request.value = value.jsonText
        let sent = request
        _ = try call("SetStudySystemAttribute") { try await $0.setStudySystemAttribute(sent, metadata: $1, options: $2) }
    }

    public func studyUserAttributes(id: Int) throws -> [String: JSONValue] {
        var request = Optuna_GetStudyUserAttributesRequest()
        request.studyID = Int64(id)
        let sent = request
        let texts = try call("GetStudyUserAttributes") { try await $0.getStudyUserAttributes(sent, metadata: $1, options: $2).userAttributes }
        return try OptunaWireFormat.attributes(fromTexts: texts, rpc: "GetStudyUserAttributes", field: "user_attributes")
    }

    public func studySystemAttributes(id: Int) throws -> [String: JSONValue] {
        var request = Optuna_GetStudySystemAttributesRequest()
        request.studyID = Int64(id)
        let sent = request
        let texts = try call("GetStudySystemAttributes") { try await $0.getStudySystemAttributes(sent, metadata: $1, options: $2).systemAttributes }
        return try OptunaWireFormat.attributes(fromTexts: texts, rpc: "GetStudySystemAttributes", field: "system_attributes")
    }

    /// Every study; the trial count and start of each come from one GetTrials per study, as Optuna's
    /// study summaries do.
    public func allStudies() throws -> [StudySummary] {
        let studies = try call("GetAllStudies") { try await $0.getAllStudies(Optuna_GetAllStudiesRequest(), metadata: $1, options: $2).studies }
        return try studies.map { study in
            let trials = try self.trials(studyID: Int(study.studyID), states: nil)
            return StudySummary(
                id: Int(study.studyID), name: study.studyName,
                directions: try OptunaWireFormat.directions(study.directions, rpc: "GetAllStudies"),
                userAttributes: try OptunaWireFormat.attributes(fromTexts: study.userAttributes, rpc: "GetAllStudies", field: "user_attributes"),
                systemAttributes: try OptunaWireFormat.attributes(fromTexts: study.systemAttributes, rpc: "GetAllStudies", field: "system_attributes"),
                trialCount: trials.count, datetimeStart: trials.first?.datetimeStart)
        }
    }

    // MARK: Trials

    public func createTrial(studyID: Int, template: FrozenTrial?) throws -> CreatedTrial {
        var request = Optuna_CreateNewTrialRequest()
        request.studyID = Int64(studyID)
        if let template {
            request.templateTrial = OptunaWireFormat.message(template)
        } else {
            request.templateTrialIsNone = true
        }
        let sent = request
        let id = Int(try call("CreateNewTrial") { try await $0.createNewTrial(sent, metadata: $1, options: $2).trialID })
        return CreatedTrial(id: id, number: try trial(id: id).number)
    }

    public func setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: ParameterDistribution) throws {
        var request = Optuna_SetTrialParameterRequest()
        request.trialID = Int64(trialID)
        request.paramName = name
        request.paramValueInternal = internalValue
        request.distribution = distribution.optunaJSON
        guard distribution.contains(internalValue: internalValue) else {
            throw DistributionError.valueOutOfDomain(name: name, value: "\(internalValue)", distribution: distribution.description)
        }
        do {
            let sent = request
            _ = try call("SetTrialParameter") { try await $0.setTrialParameter(sent, metadata: $1, options: $2) }
        } catch StorageError.invalidValue(let reason) {
            // Optuna's own server says only ValueError (INVALID_ARGUMENT): a distribution the study refuses.
            throw DistributionError.incompatibleWithStudy(name: name, existing: "(the server's)", requested: distribution.description, reason: reason)
        }
    }

    @discardableResult
    public func setTrialState(trialID: Int, state: TrialState, values: [Double]?) throws -> Bool {
        var request = Optuna_SetTrialStateValuesRequest()
        request.trialID = Int64(trialID)
        request.state = OptunaWireFormat.state(state)
        request.values = values ?? []
        let sent = request
        let retried = Atomic(false)
        do {
            return try call("SetTrialStateValues") { client, metadata, options, attempt in
                if attempt > 0 { retried.store(true, ordering: .relaxed) }
                return try await client.setTrialStateValues(sent, metadata: metadata, options: options).trialUpdated
            }
        } catch StorageError.trialFinished(let number, let current) where retried.load(ordering: .relaxed) && current == state {
            // An earlier attempt reached the server before it went away: this call did happen.
            _ = number
            return true
        }
    }

    public func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) throws {
        var request = Optuna_SetTrialIntermediateValueRequest()
        request.trialID = Int64(trialID)
        request.step = Int64(step)
        request.intermediateValue = value
        let sent = request
        _ = try call("SetTrialIntermediateValue") { try await $0.setTrialIntermediateValue(sent, metadata: $1, options: $2) }
    }

    public func setTrialUserAttribute(trialID: Int, key: String, value: JSONValue) throws {
        var request = Optuna_SetTrialUserAttributeRequest()
        request.trialID = Int64(trialID)
        request.key = key
        request.value = value.jsonText
        let sent = request
        _ = try call("SetTrialUserAttribute") { try await $0.setTrialUserAttribute(sent, metadata: $1, options: $2) }
    }

    public func setTrialSystemAttribute(trialID: Int, key: String, value: JSONValue) throws {
        var request = Optuna_SetTrialSystemAttributeRequest()
        request.trialID = Int64(trialID)
        request.key = key
        request.value = value.jsonText
        let sent = request
        _ = try call("SetTrialSystemAttribute") { try await $0.setTrialSystemAttribute(sent, metadata: $1, options: $2) }
    }

    public func trial(id: Int) throws -> FrozenTrial {
        var request = Optuna_GetTrialRequest()
        request.trialID = Int64(id)
        let sent = request
        let message = try call("GetTrial") { try await $0.getTrial(sent, metadata: $1, options: $2).trial }
        return try OptunaWireFormat.trial(message, rpc: "GetTrial")
    }

    public func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial] {
        var request = Optuna_GetTrialsRequest()
        request.studyID = Int64(studyID)
        request.trialIDGreaterThan = -1
        let sent = request
        let messages = try call("GetTrials") { try await $0.getTrials(sent, metadata: $1, options: $2).trials }
        var trials = try messages.map { try OptunaWireFormat.trial($0, rpc: "GetTrials") }
        if let states { trials.removeAll { !states.contains($0.state) } }
        trials.sort { $0.number < $1.number }
        return trials
    }

    public func trialID(studyID: Int, number: Int) throws -> Int {
        var request = Optuna_GetTrialIdFromStudyIdTrialNumberRequest()
        request.studyID = Int64(studyID)
        request.trialNumber = Int64(number)
        let sent = request
        return Int(try call("GetTrialIdFromStudyIdTrialNumber") { try await $0.getTrialIdFromStudyIdTrialNumber(sent, metadata: $1, options: $2).trialID })
    }
}
