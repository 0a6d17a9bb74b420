import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import StudyEngine
import Synchronization

/// The storage of `grpc://HOST:PORT`: a `symstudy serve` seen as a storage, through which
/// `symstudy ask/tell/trials/best-trial ...` work as on a database, and on which `Study.optimize` runs the
/// coarse path (`ServerSampledStorage`): the server samples and prunes, a trial costs two calls plus one per
/// reported step. Reads and the coarse calls go through symstudy's StudyService; the few fine-grained writes
/// that only library and CLI use (attributes, enqueued trials, single parameters) through Optuna's
/// StorageService on the same server.
///
/// Workers beat every trial they run (`HeartbeatStorage`); the server, not the client, fails stale trials.
public final class RemoteStudyStorage: ServerSampledStorage, HeartbeatStorage {
    /// The sampler and pruner this client names when it creates studies and asks (nil: the study's own).
    public let sampler: SamplerSpecification?
    public let pruner: PrunerSpecification?
    private let connection: ServiceConnection
    private let optuna: OptunaGrpcStorage
    private let serverHeartbeatInterval = Mutex<Double?>(nil)

    /// Connects to the server at `host:port` (lazily: the first call waits for it, within the retry budget).
    public init(host: String, port: Int, sampler: SamplerSpecification? = nil, pruner: PrunerSpecification? = nil,
                options: ServiceClientOptions = .fromEnvironment()) throws {
        connection = try ServiceConnection(host: host, port: port, options: options)
        optuna = OptunaGrpcStorage(connection: connection)
        self.sampler = sampler
        self.pruner = pruner
    }

    private typealias Service = Symstudy_StudyService.Client<HTTP2ClientTransport.Posix>

    private func call<T: Sendable>(_ rpc: String, _ body: @escaping @Sendable (Service, Metadata, CallOptions, Int) async throws -> T) throws -> T {
        let connection = connection
        return try connection.call(rpc) { client, attempt in
            try await body(Service(wrapping: client), connection.metadata, connection.callOptions, attempt)
        }
    }

    private func call<T: Sendable>(_ rpc: String, _ body: @escaping @Sendable (Service, Metadata, CallOptions) async throws -> T) throws -> T {
        try call(rpc) { service, metadata, options, _ in try await body(service, metadata, options) }
    }

    private static func reference(_ studyID: Int) -> Symstudy_StudyRef {
        var reference = Symstudy_StudyRef()
        reference.studyID = Int64(studyID)
        return reference
    }

    // MARK: Studies

    public func createStudy(name: String?, directions: [StudyDirection]) throws -> Int {
        guard !directions.isEmpty else { throw StorageError.invalidDirections("a study needs at least one direction") }
        guard !directions.contains(.notSet) else { throw StorageError.invalidDirections("NOT_SET is not a direction to optimise in") }
        var request = Symstudy_CreateStudyRequest()
        request.studyName = name ?? ""
        request.directions = directions.map(SymstudyWireFormat.direction)
        if let sampler { request.sampler = SymstudyWireFormat.component(name: sampler.name, options: sampler.options) }
        if let pruner { request.pruner = SymstudyWireFormat.component(name: pruner.name, options: pruner.options) }
        let sent = request
        return Int(try call("CreateStudy") { try await $0.createStudy(sent, metadata: $1, options: $2).studyID })
    }

    public func deleteStudy(id: Int) throws { try optuna.deleteStudy(id: id) }
    public func studyID(named name: String) throws -> Int { try optuna.studyID(named: name) }
    public func studyName(id: Int) throws -> String { try optuna.studyName(id: id) }
    public func studyDirections(id: Int) throws -> [StudyDirection] { try optuna.studyDirections(id: id) }
    public func setStudyUserAttribute(studyID: Int, key: String, value: JSONValue) throws {
        try optuna.setStudyUserAttribute(studyID: studyID, key: key, value: value)
    }
    public func setStudySystemAttribute(studyID: Int, key: String, value: JSONValue) throws {
        try optuna.setStudySystemAttribute(studyID: studyID, key: key, value: value)
    }
    public func studyUserAttributes(id: Int) throws -> [String: JSONValue] { try optuna.studyUserAttributes(id: id) }
    public func studySystemAttributes(id: Int) throws -> [String: JSONValue] { try optuna.studySystemAttributes(id: id) }

    public func allStudies() throws -> [StudySummary] {
        let studies = try call("ListStudies") { try await $0.listStudies(Symstudy_ListStudiesRequest(), metadata: $1, options: $2).studies }
        return try studies.map { study in
            var summary = try SymstudyWireFormat.summary(study, rpc: "ListStudies")
            if summary.trialCount > 0 {
                summary.datetimeStart = try trials(studyID: summary.id, states: nil).first?.datetimeStart
            }
            return summary
        }
    }

    // MARK: Trials

    public func createTrial(studyID: Int, template: FrozenTrial?) throws -> CreatedTrial {
        try optuna.createTrial(studyID: studyID, template: template)
    }
    public func setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: ParameterDistribution) throws {
        try optuna.setTrialParameter(trialID: trialID, name: name, internalValue: internalValue, distribution: distribution)
    }
    @discardableResult
    public func setTrialState(trialID: Int, state: TrialState, values: [Double]?) throws -> Bool {
        try optuna.setTrialState(trialID: trialID, state: state, values: values)
    }
    public func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) throws {
        try optuna.setTrialIntermediateValue(trialID: trialID, step: step, value: value)
    }
    public func setTrialUserAttribute(trialID: Int, key: String, value: JSONValue) throws {
        try optuna.setTrialUserAttribute(trialID: trialID, key: key, value: value)
    }
    public func setTrialSystemAttribute(trialID: Int, key: String, value: JSONValue) throws {
        try optuna.setTrialSystemAttribute(trialID: trialID, key: key, value: value)
    }
    public func trialID(studyID: Int, number: Int) throws -> Int { try optuna.trialID(studyID: studyID, number: number) }

    public func trial(id: Int) throws -> FrozenTrial {
        var request = Symstudy_GetTrialRequest()
        request.trialID = Int64(id)
        let sent = request
        return try SymstudyWireFormat.trial(try call("GetTrial") { try await $0.getTrial(sent, metadata: $1, options: $2) }, rpc: "GetTrial")
    }

    public func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial] {
        var request = Symstudy_GetTrialsRequest()
        request.study = Self.reference(studyID)
        request.states = (states ?? []).sorted { $0.rawValue < $1.rawValue }.map(SymstudyWireFormat.state)
        let sent = request
        let messages = try call("GetTrials") { try await $0.getTrials(sent, metadata: $1, options: $2).trials }
        return try messages.map { try SymstudyWireFormat.trial($0, rpc: "GetTrials") }
    }

    public func trialCount(studyID: Int, states: Set<TrialState>?) throws -> Int {
        var request = Symstudy_GetTrialsRequest()
        request.study = Self.reference(studyID)
        request.states = (states ?? []).sorted { $0.rawValue < $1.rawValue }.map(SymstudyWireFormat.state)
        request.countOnly = true
        let sent = request
        return Int(try call("GetTrials") { try await $0.getTrials(sent, metadata: $1, options: $2).count })
    }

    // MARK: Sampling in the server

    public func askTrial(studyID: Int, searchSpace: [String: ParameterDistribution], maxTrials: Int?,
                         heartbeats: Bool) throws -> ServerAskedTrial? {
        var request = Symstudy_AskRequest()
        request.study = Self.reference(studyID)
        request.searchSpace = searchSpace.mapValues(\.optunaJSON)
        if let sampler { request.sampler = SymstudyWireFormat.component(name: sampler.name, options: sampler.options) }
        if let pruner { request.pruner = SymstudyWireFormat.component(name: pruner.name, options: pruner.options) }
        request.heartbeat = heartbeats
        request.maxTrials = Int64(maxTrials ?? 0)
        let sent = request
        let reply = try call("Ask") { try await $0.ask(sent, metadata: $1, options: $2) }
        if reply.budgetExhausted { return nil }
        if reply.heartbeatInterval > 0 { serverHeartbeatInterval.withLock { $0 = reply.heartbeatInterval } }
        let (_, distributions) = try SymstudyWireFormat.parameters(internal: reply.paramsInternal, distributions: reply.distributions,
                                                                   rpc: "Ask", field: "reply")
        return ServerAskedTrial(id: Int(reply.trialID), number: Int(reply.number), internalParams: reply.paramsInternal,
                                distributions: distributions, heartbeatInterval: reply.heartbeatInterval)
    }

    public func suggestParameter(trialID: Int, name: String, distribution: ParameterDistribution) throws -> Double {
        var request = Symstudy_SuggestRequest()
        request.trialID = Int64(trialID)
        request.name = name
        request.distribution = distribution.optunaJSON
        let sent = request
        let value = try call("Suggest") { try await $0.suggest(sent, metadata: $1, options: $2).valueInternal }
        guard distribution.contains(internalValue: value) else {
            throw DistributionError.valueOutOfDomain(name: name, value: "\(value)", distribution: distribution.description)
        }
        return value
    }

    public func reportIntermediateValue(trialID: Int, step: Int, value: Double) throws -> Bool {
        var request = Symstudy_ReportRequest()
        request.trialID = Int64(trialID)
        request.step = Int64(step)
        request.value = value
        let sent = request
        return try call("Report") { try await $0.report(sent, metadata: $1, options: $2).shouldPrune }
    }

    public func tellTrial(trialID: Int, state: TrialState?, values: [Double]?, userAttributes: [String: JSONValue],
                          systemAttributes: [String: JSONValue], skipIfFinished: Bool) throws -> FrozenTrial {
        var request = Symstudy_TellRequest()
        request.trialID = Int64(trialID)
        request.state = SymstudyWireFormat.state(state ?? .running)
        request.values = values ?? []
        request.userAttributes = OptunaWireFormat.attributeTexts(userAttributes)
        request.systemAttributes = OptunaWireFormat.attributeTexts(systemAttributes)
        let base = request
        let message = try call("Tell") { client, metadata, options, attempt in
            var request = base
            // A retry after the server went away may find its own earlier tell done.
            request.skipIfFinished = skipIfFinished || attempt > 0
            return try await client.tell(request, metadata: metadata, options: options)
        }
        return try SymstudyWireFormat.trial(message, rpc: "Tell")
    }

    // MARK: Heartbeats

    public var heartbeatInterval: Double { serverHeartbeatInterval.withLock { $0 } ?? 10 }
    public var gracePeriod: Double { 3 * heartbeatInterval }

    public func recordHeartbeat(trialID: Int) throws {
        var request = Symstudy_HeartbeatRequest()
        request.trialIds = [Int64(trialID)]
        let sent = request
        _ = try call("Heartbeat") { try await $0.heartbeat(sent, metadata: $1, options: $2) }
    }

    /// The server fails stale trials itself (and re-queues them when it was started with retry on).
    public func failStaleTrials(studyID: Int) throws -> [Int] { [] }
}
