import Foundation
import GRPCCore
import StudyEngine

/// How errors cross the wire. The server answers with the status code Optuna's client maps to the matching
/// Python exception (NOT_FOUND -> KeyError, ALREADY_EXISTS -> DuplicatedStudyError, FAILED_PRECONDITION ->
/// UpdateFinishedTrialError, INVALID_ARGUMENT -> ValueError) and the error's own message; symstudy's clients
/// also get the error itself back, from a JSON description in the `symstudy-error` trailing metadata, so a
/// remote storage throws exactly what a local one throws.
enum ServiceErrorCoding {
    static let metadataKey = "symstudy-error"

    // MARK: Server side

    static func rpcError(for error: any Error) -> RPCError {
        if let rpc = error as? RPCError { return rpc }
        let code: RPCError.Code
        var description: [String: JSONValue]?
        switch error {
        case let error as StorageError:
            description = encode(error)
            switch error {
            case .studyNotFound, .trialNotFound: code = .notFound
            case .duplicatedStudy: code = .alreadyExists
            case .trialFinished: code = .failedPrecondition
            case .invalidDirections, .invalidValue, .invalidURL: code = .invalidArgument
            case .backend, .invalidJournal, .notAnOptunaDatabase, .incompatibleSchema: code = .internalError
            case .connectionFailed: code = .unavailable
            }
        case let error as DistributionError:
            description = encode(error)
            code = .invalidArgument
        case let error as StudyError:
            description = encode(error)
            switch error {
            case .cannotTell: code = .failedPrecondition
            case .noCompleteTrial: code = .notFound
            default: code = .invalidArgument
            }
        case let error as ServiceError:
            switch error {
            case .unauthenticated: code = .unauthenticated
            case .malformed, .invalidConfiguration: code = .invalidArgument
            case .unreachable: code = .unavailable
            case .server: code = .unknown
            }
        case is JSONParseError, is SpecificationError:
            code = .invalidArgument
        default:
            code = .internalError
        }
        let message = (error as? any LocalizedError)?.errorDescription ?? String(describing: error)
        var metadata = Metadata()
        if let description { metadata.addString(JSONValue.object(description).jsonText, forKey: metadataKey) }
        return RPCError(code: code, message: message, metadata: metadata)
    }

    private static func encode(_ error: StorageError) -> [String: JSONValue] {
        var object: [String: JSONValue] = ["type": "StorageError"]
        switch error {
        case .studyNotFound(let what): object["case"] = "studyNotFound"; object["text"] = .string(what)
        case .duplicatedStudy(let name): object["case"] = "duplicatedStudy"; object["text"] = .string(name)
        case .trialNotFound(let what): object["case"] = "trialNotFound"; object["text"] = .string(what)
        case .trialFinished(let number, let state):
            object["case"] = "trialFinished"; object["number"] = .int(number); object["state"] = .int(state.rawValue)
        case .invalidDirections(let why): object["case"] = "invalidDirections"; object["text"] = .string(why)
        case .invalidValue(let why): object["case"] = "invalidValue"; object["text"] = .string(why)
        case .backend(let why): object["case"] = "backend"; object["text"] = .string(why)
        case .invalidURL(let url, let why):
            object["case"] = "invalidURL"; object["text"] = .string(why); object["url"] = .string(url)
        case .invalidJournal(let path, let line, let reason):
            object["case"] = "invalidJournal"; object["text"] = .string(reason); object["url"] = .string(path); object["number"] = .int(line)
        case .notAnOptunaDatabase(let location, let reason):
            object["case"] = "notAnOptunaDatabase"; object["text"] = .string(reason); object["url"] = .string(location)
        case .incompatibleSchema(let location, let found, let expected):
            object["case"] = "incompatibleSchema"; object["url"] = .string(location)
            object["found"] = .string(found); object["expected"] = .string(expected)
        case .connectionFailed(let server, let reason):
            object["case"] = "connectionFailed"; object["text"] = .string(reason); object["url"] = .string(server)
        }
        return object
    }

    private static func encode(_ error: StudyError) -> [String: JSONValue] {
        var object: [String: JSONValue] = ["type": "StudyError"]
        switch error {
        case .cannotTell(let number, let state):
            object["case"] = "cannotTell"; object["number"] = .int(number); object["state"] = .int(state.rawValue)
        case .wrongNumberOfValues(let given, let objectives):
            object["case"] = "wrongNumberOfValues"; object["number"] = .int(given); object["state"] = .int(objectives)
        case .notAFiniteNumber(let value): object["case"] = "notAFiniteNumber"; object["text"] = .string(value)
        case .multiObjectiveUnsupported(let what): object["case"] = "multiObjectiveUnsupported"; object["text"] = .string(what)
        case .singleObjectiveOnly(let what): object["case"] = "singleObjectiveOnly"; object["text"] = .string(what)
        case .invalidArgument(let why): object["case"] = "invalidArgument"; object["text"] = .string(why)
        case .noCompleteTrial(let study): object["case"] = "noCompleteTrial"; object["text"] = .string(study)
        }
        return object
    }

    /// A distribution error as its case name and its associated values in order (strings, integers, nulls).
    private static func encode(_ error: DistributionError) -> [String: JSONValue] {
        guard let child = Mirror(reflecting: error).children.first, let name = child.label else {
            return ["type": "DistributionError", "case": "unknownDistributionJSON", "args": [.string(error.errorDescription ?? "")]]
        }
        func json(_ value: Any) -> JSONValue {
            if let int = value as? Int { return .int(int) }
            if let string = value as? String { return .string(string) }
            if let optional = value as? String? { return optional.map(JSONValue.string) ?? .null }
            return .string(String(describing: value))
        }
        let fields = Mirror(reflecting: child.value).children
        let args = fields.isEmpty ? [json(child.value)] : fields.map { json($0.value) }
        return ["type": "DistributionError", "case": .string(name), "args": .array(args)]
    }

    private static func decodeDistributionError(_ name: String, _ args: [JSONValue]) -> DistributionError? {
        func s(_ index: Int) -> String { index < args.count ? args[index].stringValue ?? "" : "" }
        func o(_ index: Int) -> String? { index < args.count ? args[index].stringValue : nil }
        func i(_ index: Int) -> Int { index < args.count ? args[index].intValue ?? 0 : 0 }
        switch name {
        case "lowGreaterThanHigh": return .lowGreaterThanHigh(name: o(0), low: s(1), high: s(2))
        case "logNeedsPositiveLow": return .logNeedsPositiveLow(name: o(0), low: s(1), high: s(2))
        case "logIntNeedsLowAtLeastOne": return .logIntNeedsLowAtLeastOne(name: o(0), low: i(1), high: i(2))
        case "logWithStep": return .logWithStep(name: o(0))
        case "intLogWithStep": return .intLogWithStep(name: o(0), step: i(1))
        case "nonPositiveStep": return .nonPositiveStep(name: o(0), step: s(1))
        case "stepDoesNotFit": return .stepDoesNotFit(name: o(0), low: s(1), high: s(2), step: s(3), suggestedHigh: s(4))
        case "nonFiniteBound": return .nonFiniteBound(name: o(0), low: s(1), high: s(2), step: o(3))
        case "emptyChoices": return .emptyChoices(name: o(0))
        case "duplicateChoices": return .duplicateChoices(name: o(0), choice: s(1))
        case "valueOutOfDomain": return .valueOutOfDomain(name: o(0), value: s(1), distribution: s(2))
        case "valueOfWrongType": return .valueOfWrongType(name: o(0), value: s(1), distribution: s(2))
        case "fixedValueOutOfDomain": return .fixedValueOutOfDomain(name: s(0), value: s(1), distribution: s(2))
        case "incompatible": return .incompatible(name: s(0), existing: s(1), requested: s(2))
        case "incompatibleWithStudy": return .incompatibleWithStudy(name: s(0), existing: s(1), requested: s(2), reason: s(3))
        case "unknownDistributionJSON": return .unknownDistributionJSON(s(0))
        default: return nil
        }
    }

    // MARK: Client side

    /// The error a client storage throws for a failed call: the original error when the server described it,
    /// else a StorageError for the codes Optuna's servers use, else `ServiceError.server`.
    static func error(from rpc: RPCError) -> any Error {
        let described = rpc.metadata[stringValues: metadataKey].first(where: { _ in true })
        if let described, let object = try? JSONValue.parse(described).objectValue, let decoded = decode(object) {
            return decoded
        }
        switch rpc.code {
        case .notFound: return StorageError.studyNotFound(rpc.message)
        case .alreadyExists: return StorageError.duplicatedStudy(rpc.message)
        case .unauthenticated: return ServiceError.unauthenticated(rpc.message)
        case .invalidArgument: return StorageError.invalidValue(rpc.message)
        case .failedPrecondition:
            // Optuna's servicer: "Trial#N has already finished and can not be updated." (the state is not said).
            let digits = rpc.message.drop { !$0.isNumber }.prefix { $0.isNumber }
            return StorageError.trialFinished(number: Int(digits) ?? -1, state: .complete)
        default: return ServiceError.server(code: "\(rpc.code)", message: rpc.message)
        }
    }

    private static func decode(_ object: [String: JSONValue]) -> (any Error)? {
        let text = object["text"]?.stringValue ?? ""
        let number = object["number"]?.intValue ?? -1
        let state = TrialState(rawValue: object["state"]?.intValue ?? -1) ?? .fail
        switch (object["type"]?.stringValue, object["case"]?.stringValue) {
        case ("StorageError", "studyNotFound"): return StorageError.studyNotFound(text)
        case ("StorageError", "duplicatedStudy"): return StorageError.duplicatedStudy(text)
        case ("StorageError", "trialNotFound"): return StorageError.trialNotFound(text)
        case ("StorageError", "trialFinished"): return StorageError.trialFinished(number: number, state: state)
        case ("StorageError", "invalidDirections"): return StorageError.invalidDirections(text)
        case ("StorageError", "invalidValue"): return StorageError.invalidValue(text)
        case ("StorageError", "backend"): return StorageError.backend(text)
        case ("StorageError", "invalidURL"): return StorageError.invalidURL(url: object["url"]?.stringValue ?? "", reason: text)
        case ("StorageError", "notAnOptunaDatabase"):
            return StorageError.notAnOptunaDatabase(location: object["url"]?.stringValue ?? "", reason: text)
        case ("StorageError", "incompatibleSchema"):
            return StorageError.incompatibleSchema(
                location: object["url"]?.stringValue ?? "", found: object["found"]?.stringValue ?? "",
                expected: object["expected"]?.stringValue ?? "")
        case ("StorageError", "connectionFailed"):
            return StorageError.connectionFailed(server: object["url"]?.stringValue ?? "", reason: text)
        case ("StorageError", "invalidJournal"):
            return StorageError.invalidJournal(path: object["url"]?.stringValue ?? "", line: number, reason: text)
        case ("DistributionError", let name?): return decodeDistributionError(name, object["args"]?.arrayValue ?? [])
        case ("StudyError", "cannotTell"): return StudyError.cannotTell(number: number, state: state)
        case ("StudyError", "wrongNumberOfValues"):
            return StudyError.wrongNumberOfValues(given: number, objectives: object["state"]?.intValue ?? 0)
        case ("StudyError", "notAFiniteNumber"): return StudyError.notAFiniteNumber(value: text)
        case ("StudyError", "multiObjectiveUnsupported"): return StudyError.multiObjectiveUnsupported(text)
        case ("StudyError", "singleObjectiveOnly"): return StudyError.singleObjectiveOnly(text)
        case ("StudyError", "invalidArgument"): return StudyError.invalidArgument(text)
        case ("StudyError", "noCompleteTrial"): return StudyError.noCompleteTrial(study: text)
        default: return nil
        }
    }
}
