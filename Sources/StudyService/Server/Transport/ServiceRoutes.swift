import GRPCCore

// The routes of the two services for `UnaryGRPCServer`: one per method of their generated descriptors, each
// calling the service's handler.

extension OptunaStorageService {
    /// The 19 methods of `optuna.StorageService`.
    var routes: [UnaryRoute] {
        typealias Method = Optuna_StorageService.Method
        return [
            .protobuf(Method.CreateNewStudy.descriptor, Method.CreateNewStudy.Input.self) { try await self.createNewStudy(request: $0, context: $1) },
            .protobuf(Method.DeleteStudy.descriptor, Method.DeleteStudy.Input.self) { try await self.deleteStudy(request: $0, context: $1) },
            .protobuf(Method.SetStudyUserAttribute.descriptor, Method.SetStudyUserAttribute.Input.self) { try await self.setStudyUserAttribute(request: $0, context: $1) },
            .protobuf(Method.SetStudySystemAttribute.descriptor, Method.SetStudySystemAttribute.Input.self) { try await self.setStudySystemAttribute(request: $0, context: $1) },
            .protobuf(Method.GetStudyIdFromName.descriptor, Method.GetStudyIdFromName.Input.self) { try await self.getStudyIdFromName(request: $0, context: $1) },
            .protobuf(Method.GetStudyNameFromId.descriptor, Method.GetStudyNameFromId.Input.self) { try await self.getStudyNameFromId(request: $0, context: $1) },
            .protobuf(Method.GetStudyDirections.descriptor, Method.GetStudyDirections.Input.self) { try await self.getStudyDirections(request: $0, context: $1) },
            .protobuf(Method.GetStudyUserAttributes.descriptor, Method.GetStudyUserAttributes.Input.self) { try await self.getStudyUserAttributes(request: $0, context: $1) },
            .protobuf(Method.GetStudySystemAttributes.descriptor, Method.GetStudySystemAttributes.Input.self) { try await self.getStudySystemAttributes(request: $0, context: $1) },
            .protobuf(Method.GetAllStudies.descriptor, Method.GetAllStudies.Input.self) { try await self.getAllStudies(request: $0, context: $1) },
            .protobuf(Method.CreateNewTrial.descriptor, Method.CreateNewTrial.Input.self) { try await self.createNewTrial(request: $0, context: $1) },
            .protobuf(Method.SetTrialParameter.descriptor, Method.SetTrialParameter.Input.self) { try await self.setTrialParameter(request: $0, context: $1) },
            .protobuf(Method.GetTrialIdFromStudyIdTrialNumber.descriptor, Method.GetTrialIdFromStudyIdTrialNumber.Input.self) { try await self.getTrialIdFromStudyIdTrialNumber(request: $0, context: $1) },
            .protobuf(Method.SetTrialStateValues.descriptor, Method.SetTrialStateValues.Input.self) { try await self.setTrialStateValues(request: $0, context: $1) },
            .protobuf(Method.SetTrialIntermediateValue.descriptor, Method.SetTrialIntermediateValue.Input.self) { try await self.setTrialIntermediateValue(request: $0, context: $1) },
            .protobuf(Method.SetTrialUserAttribute.descriptor, Method.SetTrialUserAttribute.Input.self) { try await self.setTrialUserAttribute(request: $0, context: $1) },
            .protobuf(Method.SetTrialSystemAttribute.descriptor, Method.SetTrialSystemAttribute.Input.self) { try await self.setTrialSystemAttribute(request: $0, context: $1) },
            .protobuf(Method.GetTrial.descriptor, Method.GetTrial.Input.self) { try await self.getTrial(request: $0, context: $1) },
            .protobuf(Method.GetTrials.descriptor, Method.GetTrials.Input.self) { try await self.getTrials(request: $0, context: $1) },
        ]
    }
}

extension SymstudyStudyService {
    /// The methods of `symstudy.StudyService`.
    var routes: [UnaryRoute] {
        typealias Method = Symstudy_StudyService.Method
        return [
            .protobuf(Method.CreateStudy.descriptor, Method.CreateStudy.Input.self) { try await self.createStudy(request: $0, context: $1) },
            .protobuf(Method.GetStudy.descriptor, Method.GetStudy.Input.self) { try await self.getStudy(request: $0, context: $1) },
            .protobuf(Method.ListStudies.descriptor, Method.ListStudies.Input.self) { try await self.listStudies(request: $0, context: $1) },
            .protobuf(Method.Ask.descriptor, Method.Ask.Input.self) { try await self.ask(request: $0, context: $1) },
            .protobuf(Method.Suggest.descriptor, Method.Suggest.Input.self) { try await self.suggest(request: $0, context: $1) },
            .protobuf(Method.Report.descriptor, Method.Report.Input.self) { try await self.report(request: $0, context: $1) },
            .protobuf(Method.Tell.descriptor, Method.Tell.Input.self) { try await self.tell(request: $0, context: $1) },
            .protobuf(Method.Heartbeat.descriptor, Method.Heartbeat.Input.self) { try await self.heartbeat(request: $0, context: $1) },
            .protobuf(Method.GetTrial.descriptor, Method.GetTrial.Input.self) { try await self.getTrial(request: $0, context: $1) },
            .protobuf(Method.GetTrials.descriptor, Method.GetTrials.Input.self) { try await self.getTrials(request: $0, context: $1) },
            .protobuf(Method.BestTrials.descriptor, Method.BestTrials.Input.self) { try await self.bestTrials(request: $0, context: $1) },
        ]
    }
}
