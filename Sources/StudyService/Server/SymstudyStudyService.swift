import Foundation
import GRPCCore
import StudyEngine

/// symstudy's face of the server: a coarse study API in which the server runs the sampler and the pruner.
/// A trial costs a worker Ask + Tell, plus one Report per intermediate value and a Heartbeat now and then.
struct SymstudyStudyService: Symstudy_StudyService.SimpleServiceProtocol, StorageBackedService {
    let storage: any StudyStorage
    let studies: ServedStudies
    let supervisor: TrialSupervisor
    /// Seconds between heartbeats the server asks of workers.
    let heartbeatInterval: Double

    private static func studyID(_ reference: Symstudy_StudyRef, in storage: any StudyStorage, rpc: String) throws -> Int {
        switch reference.study {
        case .studyID(let id)?: return Int(id)
        case .studyName(let name)?: return try storage.studyID(named: name)
        case nil: throw ServiceError.malformed(rpc: rpc, field: "study", reason: "name the study by study_id or study_name")
        }
    }

    private static func summary(of studyID: Int, in storage: any StudyStorage) throws -> StudySummary {
        StudySummary(id: studyID, name: try storage.studyName(id: studyID), directions: try storage.studyDirections(id: studyID),
                     userAttributes: try storage.studyUserAttributes(id: studyID),
                     systemAttributes: try storage.studySystemAttributes(id: studyID),
                     trialCount: try storage.trialCount(studyID: studyID, states: nil))
    }

    // MARK: Studies

    func createStudy(request: Symstudy_CreateStudyRequest, context: ServerContext) async throws -> Symstudy_Study {
        let rpc = "CreateStudy"
        let directions = try decoding { try SymstudyWireFormat.directions(request.directions, rpc: rpc) }
        let sampler = try decoding { try SymstudyWireFormat.options(of: request.sampler, rpc: rpc, field: "sampler") }
        let pruner = try decoding { try SymstudyWireFormat.options(of: request.pruner, rpc: rpc, field: "pruner") }
        // Build them once here, so that a bad name or option is refused before anything is stored.
        _ = try decoding { try sampler.map { try SamplerSpecification(name: $0.name, options: $0.options).make() } }
        _ = try decoding { try pruner.map { try PrunerSpecification(name: $0.name, options: $0.options).make() } }
        let storage = storage
        let name = request.studyName.isEmpty ? nil : request.studyName
        let wanted = directions.isEmpty ? [StudyDirection.minimize] : directions
        let summary = try perform {
            let id: Int
            do {
                id = try storage.createStudy(name: name, directions: wanted)
            } catch StorageError.duplicatedStudy(let existing) where request.loadIfExists {
                let id = try storage.studyID(named: existing)
                let found = try storage.studyDirections(id: id)
                guard found == wanted else {
                    throw StorageError.invalidDirections("study '\(existing)' exists with directions \(found), not \(wanted)")
                }
                return try Self.summary(of: id, in: storage)
            }
            if let sampler {
                try storage.setStudySystemAttribute(studyID: id, key: SymstudyWireFormat.samplerAttribute,
                                                    value: SymstudyWireFormat.attributeValue(name: sampler.name, options: sampler.options))
            }
            if let pruner {
                try storage.setStudySystemAttribute(studyID: id, key: SymstudyWireFormat.prunerAttribute,
                                                    value: SymstudyWireFormat.attributeValue(name: pruner.name, options: pruner.options))
            }
            return try Self.summary(of: id, in: storage)
        }
        return SymstudyWireFormat.message(summary)
    }

    func getStudy(request: Symstudy_StudyRef, context: ServerContext) async throws -> Symstudy_Study {
        let storage = storage
        return SymstudyWireFormat.message(try perform {
            try Self.summary(of: try Self.studyID(request, in: storage, rpc: "GetStudy"), in: storage)
        })
    }

    func listStudies(request: Symstudy_ListStudiesRequest, context: ServerContext) async throws -> Symstudy_ListStudiesReply {
        let storage = storage
        var reply = Symstudy_ListStudiesReply()
        reply.studies = try perform { try storage.allStudies() }.map(SymstudyWireFormat.message)
        return reply
    }

    // MARK: Trials

    func ask(request: Symstudy_AskRequest, context: ServerContext) async throws -> Symstudy_AskReply {
        let rpc = "Ask"
        let space = try decoding { try SymstudyWireFormat.searchSpace(request.searchSpace, rpc: rpc) }
        let sampler = try decoding { try SymstudyWireFormat.options(of: request.sampler, rpc: rpc, field: "sampler") }
            .map { SamplerSpecification(name: $0.name, options: $0.options) }
        let pruner = try decoding { try SymstudyWireFormat.options(of: request.pruner, rpc: rpc, field: "pruner") }
            .map { PrunerSpecification(name: $0.name, options: $0.options) }
        let storage = storage, studies = studies
        let limit = request.maxTrials > 0 ? Int(request.maxTrials) : Int.max
        let (studyID, asked) = try perform {
            let studyID = try Self.studyID(request.study, in: storage, rpc: rpc)
            let served = try studies.context(studyID: studyID, sampler: sampler, pruner: pruner)
            let trial = try grouped(storage) {
                try served.askLock.withLock { _ in try served.study.ask(ifFewerThan: limit, fixedDistributions: space) }
            }
            if let trial { studies.register(trial, in: served) }
            return (studyID, trial?.snapshot)
        }
        guard let frozen = asked else {
            var reply = Symstudy_AskReply()
            reply.budgetExhausted = true
            return reply
        }
        if request.heartbeat { supervisor.beat(trialID: frozen.id, studyID: studyID) }
        let message = SymstudyWireFormat.message(frozen, studyID: studyID)
        var reply = Symstudy_AskReply()
        reply.trialID = message.trialID
        reply.number = message.number
        reply.params = message.params
        reply.paramsInternal = message.paramsInternal
        reply.distributions = message.distributions
        reply.heartbeatInterval = heartbeatInterval
        return reply
    }

    func suggest(request: Symstudy_SuggestRequest, context: ServerContext) async throws -> Symstudy_SuggestReply {
        let distribution = try decoding { try OptunaWireFormat.distribution(request.distribution, rpc: "Suggest", field: "distribution") }
        let studies = studies, trialID = Int(request.trialID)
        let value = try perform {
            let (_, trial) = try studies.trial(id: trialID)
            return try trial.suggest(request.name, distribution)
        }
        if supervisor.isSupervised(trialID) { supervisor.beat(trialID: trialID, studyID: nil) }
        var reply = Symstudy_SuggestReply()
        reply.value = value.jsonValue.jsonText
        reply.valueInternal = (try? distribution.internalValue(of: value, name: request.name)) ?? .nan
        return reply
    }

    func report(request: Symstudy_ReportRequest, context: ServerContext) async throws -> Symstudy_ReportReply {
        let studies = studies, trialID = Int(request.trialID)
        guard request.step >= 0 else {
            throw ServiceErrorCoding.rpcError(for: ServiceError.malformed(rpc: "Report", field: "step", reason: "\(request.step) is negative"))
        }
        let prune = try perform {
            let (_, trial) = try studies.trial(id: trialID)
            try trial.report(request.value, step: Int(request.step))
            return try trial.shouldPrune()
        }
        if supervisor.isSupervised(trialID) { supervisor.beat(trialID: trialID, studyID: nil) }
        var reply = Symstudy_ReportReply()
        reply.shouldPrune = prune
        return reply
    }

    func tell(request: Symstudy_TellRequest, context: ServerContext) async throws -> Symstudy_Trial {
        let rpc = "Tell"
        let userAttributes = try decoding { try OptunaWireFormat.attributes(fromTexts: request.userAttributes, rpc: rpc, field: "user_attributes") }
        let systemAttributes = try decoding { try OptunaWireFormat.attributes(fromTexts: request.systemAttributes, rpc: rpc, field: "system_attributes") }
        let state = try decoding { try SymstudyWireFormat.state(request.state, rpc: rpc) }
        guard state != .waiting else {
            throw ServiceErrorCoding.rpcError(for: ServiceError.malformed(rpc: rpc, field: "state", reason: "tell COMPLETE, PRUNED or FAIL (or RUNNING to judge by the values)"))
        }
        let storage = storage, studies = studies, trialID = Int(request.trialID)
        let values = request.values.isEmpty ? nil : request.values
        let frozen = try perform {
            let (told, wasRunning) = try grouped(storage) { () -> (FrozenTrial, Bool) in
                let current = try storage.trial(id: trialID)
                if current.state.isFinished {
                    if request.skipIfFinished { return (current, false) }
                    throw StudyError.cannotTell(number: current.number, state: current.state)
                }
                let (served, trial) = try studies.trial(id: trialID)
                for key in userAttributes.keys.sorted() { try trial.setUserAttribute(key, userAttributes[key]!) }
                for key in systemAttributes.keys.sorted() { try trial.setSystemAttribute(key, systemAttributes[key]!) }
                return (try served.study.tell(trial, values: values, state: state == .running ? nil : state,
                                              skipIfFinished: request.skipIfFinished), true)
            }
            if wasRunning { studies.forget(trialID: trialID) }
            return told
        }
        supervisor.release(trialID: trialID)
        return SymstudyWireFormat.message(frozen, studyID: nil)
    }

    func heartbeat(request: Symstudy_HeartbeatRequest, context: ServerContext) async throws -> Symstudy_HeartbeatReply {
        let storage = storage
        let ids = request.trialIds.map(Int.init)
        let finished = try perform { try ids.filter { try storage.trial(id: $0).state.isFinished } }
        for id in ids where !finished.contains(id) { supervisor.beat(trialID: id, studyID: nil) }
        var reply = Symstudy_HeartbeatReply()
        reply.finishedTrialIds = finished.map(Int64.init)
        return reply
    }

    func getTrial(request: Symstudy_GetTrialRequest, context: ServerContext) async throws -> Symstudy_Trial {
        let storage = storage
        return SymstudyWireFormat.message(try perform { try storage.trial(id: Int(request.trialID)) }, studyID: nil)
    }

    func getTrials(request: Symstudy_GetTrialsRequest, context: ServerContext) async throws -> Symstudy_GetTrialsReply {
        let rpc = "GetTrials"
        let states = try decoding { try request.states.map { try SymstudyWireFormat.state($0, rpc: rpc, field: "states") } }
        let storage = storage
        let filter = states.isEmpty ? nil : Set(states)
        var reply = Symstudy_GetTrialsReply()
        if request.countOnly {
            reply.count = Int64(try perform {
                try storage.trialCount(studyID: try Self.studyID(request.study, in: storage, rpc: rpc), states: filter)
            })
            return reply
        }
        let (studyID, trials) = try perform {
            let id = try Self.studyID(request.study, in: storage, rpc: rpc)
            return (id, try storage.trials(studyID: id, states: filter))
        }
        reply.trials = trials.map { SymstudyWireFormat.message($0, studyID: studyID) }
        reply.count = Int64(trials.count)
        return reply
    }

    func bestTrials(request: Symstudy_StudyRef, context: ServerContext) async throws -> Symstudy_GetTrialsReply {
        let storage = storage
        let (studyID, best) = try perform {
            let id = try Self.studyID(request, in: storage, rpc: "BestTrials")
            let directions = try storage.studyDirections(id: id)
            let complete = try storage.trials(studyID: id, states: [.complete])
            if directions.count == 1 {
                let direction = directions[0]
                var best: FrozenTrial?
                for trial in complete {
                    guard let value = trial.value, !value.isNaN else { continue }
                    if let current = best?.value, !direction.isBetter(value, than: current) { continue }
                    best = trial
                }
                return (id, best.map { [$0] } ?? [])
            }
            return (id, ParetoFront.nonDominated(complete, directions: directions))
        }
        var reply = Symstudy_GetTrialsReply()
        reply.trials = best.map { SymstudyWireFormat.message($0, studyID: studyID) }
        reply.count = Int64(best.count)
        return reply
    }
}
