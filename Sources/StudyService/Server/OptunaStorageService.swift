import Foundation
import GRPCCore
import StudyEngine

/// Optuna's face of the server: `optuna.StorageService` (the 19 RPCs of Optuna 5's GrpcStorageProxy) over
/// any `StudyStorage`, with the server-side rules Optuna's client relies on (unique study names, dense trial
/// numbers, increasing trial ids, one winner when workers race for an enqueued trial, finished trials frozen)
/// and the status codes it maps to Python exceptions. Every trial started here is tied to the connection that
/// started it, since Optuna's client sends nothing while its objective runs.
struct OptunaStorageService: Optuna_StorageService.SimpleServiceProtocol, StorageBackedService {
    let storage: any StudyStorage
    let studies: ServedStudies
    let supervisor: TrialSupervisor

    // MARK: Studies

    func createNewStudy(request: Optuna_CreateNewStudyRequest, context: ServerContext) async throws -> Optuna_CreateNewStudyReply {
        let directions = try decoding { try OptunaWireFormat.directions(request.directions, rpc: "CreateNewStudy") }
        let name = request.studyName.isEmpty ? nil : request.studyName
        let storage = storage
        var reply = Optuna_CreateNewStudyReply()
        reply.studyID = Int64(try perform { try storage.createStudy(name: name, directions: directions) })
        return reply
    }

    func deleteStudy(request: Optuna_DeleteStudyRequest, context: ServerContext) async throws -> Optuna_DeleteStudyReply {
        let storage = storage, id = Int(request.studyID)
        try perform { try storage.deleteStudy(id: id) }
        studies.forget(studyID: id)
        return Optuna_DeleteStudyReply()
    }

    func setStudyUserAttribute(request: Optuna_SetStudyUserAttributeRequest, context: ServerContext) async throws -> Optuna_SetStudyUserAttributeReply {
        let value = try decoding { try OptunaWireFormat.attribute(request.value, rpc: "SetStudyUserAttribute", field: "value") }
        let storage = storage
        try perform { try storage.setStudyUserAttribute(studyID: Int(request.studyID), key: request.key, value: value) }
        return Optuna_SetStudyUserAttributeReply()
    }

    func setStudySystemAttribute(request: Optuna_SetStudySystemAttributeRequest, context: ServerContext) async throws -> Optuna_SetStudySystemAttributeReply {
        let value = try decoding { try OptunaWireFormat.attribute(request.value, rpc: "SetStudySystemAttribute", field: "value") }
        let storage = storage
        try perform { try storage.setStudySystemAttribute(studyID: Int(request.studyID), key: request.key, value: value) }
        return Optuna_SetStudySystemAttributeReply()
    }

    func getStudyIdFromName(request: Optuna_GetStudyIdFromNameRequest, context: ServerContext) async throws -> Optuna_GetStudyIdFromNameReply {
        let storage = storage
        var reply = Optuna_GetStudyIdFromNameReply()
        reply.studyID = Int64(try perform { try storage.studyID(named: request.studyName) })
        return reply
    }

    func getStudyNameFromId(request: Optuna_GetStudyNameFromIdRequest, context: ServerContext) async throws -> Optuna_GetStudyNameFromIdReply {
        let storage = storage
        var reply = Optuna_GetStudyNameFromIdReply()
        reply.studyName = try perform { try storage.studyName(id: Int(request.studyID)) }
        return reply
    }

    func getStudyDirections(request: Optuna_GetStudyDirectionsRequest, context: ServerContext) async throws -> Optuna_GetStudyDirectionsReply {
        let storage = storage
        var reply = Optuna_GetStudyDirectionsReply()
        reply.directions = try perform { try storage.studyDirections(id: Int(request.studyID)) }.map(OptunaWireFormat.direction)
        return reply
    }

    func getStudyUserAttributes(request: Optuna_GetStudyUserAttributesRequest, context: ServerContext) async throws -> Optuna_GetStudyUserAttributesReply {
        let storage = storage
        var reply = Optuna_GetStudyUserAttributesReply()
        reply.userAttributes = OptunaWireFormat.attributeTexts(try perform { try storage.studyUserAttributes(id: Int(request.studyID)) })
        return reply
    }

    func getStudySystemAttributes(request: Optuna_GetStudySystemAttributesRequest, context: ServerContext) async throws -> Optuna_GetStudySystemAttributesReply {
        let storage = storage
        var reply = Optuna_GetStudySystemAttributesReply()
        reply.systemAttributes = OptunaWireFormat.attributeTexts(try perform { try storage.studySystemAttributes(id: Int(request.studyID)) })
        return reply
    }

    func getAllStudies(request: Optuna_GetAllStudiesRequest, context: ServerContext) async throws -> Optuna_GetAllStudiesReply {
        let storage = storage
        var reply = Optuna_GetAllStudiesReply()
        reply.studies = try perform { try storage.allStudies() }.map { summary in
            var study = Optuna_Study()
            study.studyID = Int64(summary.id)
            study.studyName = summary.name
            study.directions = summary.directions.map(OptunaWireFormat.direction)
            study.userAttributes = OptunaWireFormat.attributeTexts(summary.userAttributes)
            study.systemAttributes = OptunaWireFormat.attributeTexts(summary.systemAttributes)
            return study
        }
        return reply
    }

    // MARK: Trials

    func createNewTrial(request: Optuna_CreateNewTrialRequest, context: ServerContext) async throws -> Optuna_CreateNewTrialReply {
        let template: FrozenTrial? = try decoding {
            request.templateTrialIsNone ? nil : try OptunaWireFormat.trial(request.templateTrial, rpc: "CreateNewTrial", field: "template_trial")
        }
        let storage = storage, studyID = Int(request.studyID)
        let created = try perform { try storage.createTrial(studyID: studyID, template: template) }
        if (template?.state ?? .running) == .running {
            supervisor.tie(trialID: created.id, studyID: studyID, peer: context.remotePeer)
        }
        var reply = Optuna_CreateNewTrialReply()
        reply.trialID = Int64(created.id)
        return reply
    }

    func setTrialParameter(request: Optuna_SetTrialParameterRequest, context: ServerContext) async throws -> Optuna_SetTrialParameterReply {
        let distribution = try decoding {
            try OptunaWireFormat.distribution(request.distribution, rpc: "SetTrialParameter", field: "distribution")
        }
        let storage = storage, trialID = Int(request.trialID)
        supervisor.touch(trialID: trialID, peer: context.remotePeer)
        try perform {
            try storage.setTrialParameter(trialID: trialID, name: request.paramName, internalValue: request.paramValueInternal,
                                          distribution: distribution)
        }
        return Optuna_SetTrialParameterReply()
    }

    func getTrialIdFromStudyIdTrialNumber(request: Optuna_GetTrialIdFromStudyIdTrialNumberRequest, context: ServerContext) async throws -> Optuna_GetTrialIdFromStudyIdTrialNumberReply {
        let storage = storage
        var reply = Optuna_GetTrialIdFromStudyIdTrialNumberReply()
        reply.trialID = Int64(try perform { try storage.trialID(studyID: Int(request.studyID), number: Int(request.trialNumber)) })
        return reply
    }

    func setTrialStateValues(request: Optuna_SetTrialStateValuesRequest, context: ServerContext) async throws -> Optuna_SetTrialStateValuesReply {
        let state = try decoding { try OptunaWireFormat.state(request.state, rpc: "SetTrialStateValues") }
        let storage = storage, trialID = Int(request.trialID)
        let values = request.values.isEmpty ? nil : request.values
        let updated = try perform { try storage.setTrialState(trialID: trialID, state: state, values: values) }
        if updated, state == .running {
            supervisor.tie(trialID: trialID, studyID: nil, peer: context.remotePeer)
        } else if state.isFinished {
            supervisor.release(trialID: trialID)
            studies.forget(trialID: trialID)
        }
        var reply = Optuna_SetTrialStateValuesReply()
        reply.trialUpdated = updated
        return reply
    }

    func setTrialIntermediateValue(request: Optuna_SetTrialIntermediateValueRequest, context: ServerContext) async throws -> Optuna_SetTrialIntermediateValueReply {
        let storage = storage, trialID = Int(request.trialID)
        supervisor.touch(trialID: trialID, peer: context.remotePeer)
        try perform { try storage.setTrialIntermediateValue(trialID: trialID, step: Int(request.step), value: request.intermediateValue) }
        return Optuna_SetTrialIntermediateValueReply()
    }

    func setTrialUserAttribute(request: Optuna_SetTrialUserAttributeRequest, context: ServerContext) async throws -> Optuna_SetTrialUserAttributeReply {
        let value = try decoding { try OptunaWireFormat.attribute(request.value, rpc: "SetTrialUserAttribute", field: "value") }
        let storage = storage, trialID = Int(request.trialID)
        supervisor.touch(trialID: trialID, peer: context.remotePeer)
        try perform { try storage.setTrialUserAttribute(trialID: trialID, key: request.key, value: value) }
        return Optuna_SetTrialUserAttributeReply()
    }

    func setTrialSystemAttribute(request: Optuna_SetTrialSystemAttributeRequest, context: ServerContext) async throws -> Optuna_SetTrialSystemAttributeReply {
        let value = try decoding { try OptunaWireFormat.attribute(request.value, rpc: "SetTrialSystemAttribute", field: "value") }
        let storage = storage, trialID = Int(request.trialID)
        supervisor.touch(trialID: trialID, peer: context.remotePeer)
        try perform { try storage.setTrialSystemAttribute(trialID: trialID, key: request.key, value: value) }
        return Optuna_SetTrialSystemAttributeReply()
    }

    func getTrial(request: Optuna_GetTrialRequest, context: ServerContext) async throws -> Optuna_GetTrialReply {
        let storage = storage, trialID = Int(request.trialID)
        supervisor.touch(trialID: trialID, peer: context.remotePeer)
        var reply = Optuna_GetTrialReply()
        reply.trial = OptunaWireFormat.message(try perform { try storage.trial(id: trialID) })
        return reply
    }

    func getTrials(request: Optuna_GetTrialsRequest, context: ServerContext) async throws -> Optuna_GetTrialsReply {
        let storage = storage, studyID = Int(request.studyID)
        let included = Set(request.includedTrialIds.map(Int.init))
        let greaterThan = Int(request.trialIDGreaterThan)
        var reply = Optuna_GetTrialsReply()
        reply.trials = try perform {
            try storage.trials(studyID: studyID, states: nil)
                .filter { $0.id > greaterThan || included.contains($0.id) }
                .map(OptunaWireFormat.message)
        }
        return reply
    }
}
