import Foundation

/// Reads journal lines into operations, as Optuna's replay reads them: the fields Optuna requires must be
/// there with the right types; the optional ones (`state`, `value`, `values`, ... of a template trial) take
/// Optuna's defaults. Anything else gets a `Failure` saying which field is wrong.
struct JournalLineDecoder {
    /// Why a line is not a journal operation.
    struct Failure: Error {
        var reason: String
    }

    /// A decoded line: who wrote it (Optuna's `worker_id`) and what it does.
    struct Entry {
        var workerID: String?
        var operation: JournalOperation
    }

    /// Distributions already parsed, by their JSON text (every trial of a study repeats the same few).
    private var distributions: [String: ParameterDistribution] = [:]

    mutating func decode(_ line: UnsafeBufferPointer<UInt8>) throws(Failure) -> Entry {
        let json: JSONValue
        do {
            json = try JSONValue.parse(utf8: Array(line))
        } catch {
            throw Failure(reason: "not JSON (\(error.localizedDescription))")
        }
        guard let object = json.objectValue else { throw Failure(reason: "not a JSON object") }
        let fields = Fields(object: object)
        guard let code = object["op_code"]?.intValue else {
            throw Failure(reason: object["op_code"] == nil ? "no field \"op_code\"" : "\"op_code\" is not an integer")
        }
        let workerID = object["worker_id"]?.stringValue
        return Entry(workerID: workerID, operation: try operation(code: code, fields))
    }

    private mutating func operation(code: Int, _ fields: Fields) throws(Failure) -> JournalOperation {
        switch code {
        case 0:
            let directions = try fields.array("directions").map { value throws(Failure) -> StudyDirection in
                guard let raw = value.intValue, let direction = StudyDirection(rawValue: raw) else {
                    throw Failure(reason: "\"directions\" holds \(value.jsonText), not 0 (NOT_SET), 1 (MINIMIZE) or 2 (MAXIMIZE)")
                }
                return direction
            }
            return .createStudy(name: try fields.string("study_name"), directions: directions)
        case 1:
            return .deleteStudy(studyID: try fields.int("study_id"))
        case 2:
            let (key, value) = try fields.attribute("user_attr")
            return .setStudyUserAttribute(studyID: try fields.int("study_id"), key: key, value: value)
        case 3:
            let (key, value) = try fields.attribute("system_attr")
            return .setStudySystemAttribute(studyID: try fields.int("study_id"), key: key, value: value)
        case 4:
            return try createTrial(fields)
        case 5:
            return .setTrialParameter(trialID: try fields.int("trial_id"), name: try fields.string("param_name"),
                                      internalValue: try fields.number("param_value_internal"),
                                      distribution: try distribution(try fields.string("distribution"), field: "distribution"))
        case 6:
            let state = try fields.state("state")
            let key = state == .running ? "datetime_start" : "datetime_complete"
            return .setTrialState(trialID: try fields.int("trial_id"), state: state, values: try fields.numbers("values"),
                                  datetime: state == .running || state.isFinished ? try fields.date(key) : nil)
        case 7:
            return .setTrialIntermediateValue(trialID: try fields.int("trial_id"), step: try fields.int("step"),
                                              value: try fields.number("intermediate_value"))
        case 8:
            let (key, value) = try fields.attribute("user_attr")
            return .setTrialUserAttribute(trialID: try fields.int("trial_id"), key: key, value: value)
        case 9:
            let (key, value) = try fields.attribute("system_attr")
            return .setTrialSystemAttribute(trialID: try fields.int("trial_id"), key: key, value: value)
        case 10:
            return .discardTrials
        default:
            throw Failure(reason: "op_code \(code) is not an operation of Optuna's journal (0 to \(JournalOperation.highestCode))")
        }
    }

    /// Optuna's `_apply_create_trial`: a template is whatever of its fields the line has.
    private mutating func createTrial(_ fields: Fields) throws(Failure) -> JournalOperation {
        let studyID = try fields.int("study_id")
        guard fields.object["datetime_start"] != nil else { throw Failure(reason: "no field \"datetime_start\"") }
        let start = try fields.date("datetime_start")
        let templateKeys = ["state", "value", "values", "datetime_complete", "distributions", "params",
                            "user_attrs", "system_attrs", "intermediate_values"]
        guard templateKeys.contains(where: { fields.object[$0] != nil }) else {
            return .createTrial(studyID: studyID, datetimeStart: start, template: nil)
        }
        var distributions: [String: ParameterDistribution] = [:]
        for (name, text) in try fields.members("distributions") {
            guard let json = text.stringValue else { throw Failure(reason: "\"distributions\".\"\(name)\" is not a string of distribution JSON") }
            distributions[name] = try distribution(json, field: "distributions.\(name)")
        }
        var params: [String: Double] = [:]
        for (name, value) in try fields.members("params") {
            guard distributions[name] != nil else { throw Failure(reason: "parameter \"\(name)\" has no entry in \"distributions\"") }
            guard let number = value.doubleValue else { throw Failure(reason: "\"params\".\"\(name)\" is not a number") }
            params[name] = number
        }
        var intermediateValues: [Int: Double] = [:]
        for (step, value) in try fields.members("intermediate_values") {
            guard let number = Int(step) else { throw Failure(reason: "\"intermediate_values\" has the step \"\(step)\", not an integer") }
            guard let double = value.doubleValue else { throw Failure(reason: "\"intermediate_values\".\"\(step)\" is not a number") }
            intermediateValues[number] = double
        }
        let value = try fields.optionalNumber("value")
        let values = try fields.numbers("values")
        if value != nil, values != nil { throw Failure(reason: "both \"value\" and \"values\" are given") }
        let template = JournalOperation.TrialTemplate(
            state: fields.object["state"] == nil ? .running : try fields.state("state"),
            values: values ?? value.map { [$0] },
            datetimeComplete: try fields.date("datetime_complete"),
            distributions: distributions, params: params,
            userAttributes: try fields.members("user_attrs"), systemAttributes: try fields.members("system_attrs"),
            intermediateValues: intermediateValues)
        return .createTrial(studyID: studyID, datetimeStart: start, template: template)
    }

    private mutating func distribution(_ text: String, field: String) throws(Failure) -> ParameterDistribution {
        if let known = distributions[text] { return known }
        let parsed: ParameterDistribution
        do {
            parsed = try ParameterDistribution(optunaJSON: text)
        } catch {
            throw Failure(reason: "\"\(field)\" is not a distribution of Optuna (\(error.localizedDescription))")
        }
        if distributions.count >= 4096 { distributions.removeAll(keepingCapacity: true) }
        distributions[text] = parsed
        return parsed
    }

    /// Typed access to the fields of one line; each failure names the field.
    private struct Fields {
        let object: [String: JSONValue]

        func required(_ key: String) throws(Failure) -> JSONValue {
            guard let value = object[key] else { throw Failure(reason: "no field \"\(key)\"") }
            return value
        }

        func int(_ key: String) throws(Failure) -> Int {
            guard let value = try required(key).intValue else { throw Failure(reason: "\"\(key)\" is not an integer") }
            return value
        }

        func string(_ key: String) throws(Failure) -> String {
            guard let value = try required(key).stringValue else { throw Failure(reason: "\"\(key)\" is not a string") }
            return value
        }

        func number(_ key: String) throws(Failure) -> Double {
            guard let value = try required(key).doubleValue else { throw Failure(reason: "\"\(key)\" is not a number") }
            return value
        }

        func optionalNumber(_ key: String) throws(Failure) -> Double? {
            guard let value = object[key], value != .null else { return nil }
            guard let number = value.doubleValue else { throw Failure(reason: "\"\(key)\" is not a number") }
            return number
        }

        func array(_ key: String) throws(Failure) -> [JSONValue] {
            guard let value = try required(key).arrayValue else { throw Failure(reason: "\"\(key)\" is not a list") }
            return value
        }

        /// A list of numbers, or nil for null or a missing field.
        func numbers(_ key: String) throws(Failure) -> [Double]? {
            guard let value = object[key], value != .null else { return nil }
            guard let array = value.arrayValue else { throw Failure(reason: "\"\(key)\" is not a list of numbers") }
            return try array.map { element throws(Failure) -> Double in
                guard let number = element.doubleValue else { throw Failure(reason: "\"\(key)\" holds \(element.jsonText), not a number") }
                return number
            }
        }

        /// An object's members; a missing field is an empty object.
        func members(_ key: String) throws(Failure) -> [String: JSONValue] {
            guard let value = object[key] else { return [:] }
            guard let members = value.objectValue else { throw Failure(reason: "\"\(key)\" is not an object") }
            return members
        }

        /// The one key and value of an attribute field (`{"key": value}`), as Optuna asserts.
        func attribute(_ key: String) throws(Failure) -> (String, JSONValue) {
            guard let members = try required(key).objectValue, members.count == 1, let member = members.first else {
                throw Failure(reason: "\"\(key)\" is not an object with exactly one key")
            }
            return member
        }

        func state(_ key: String) throws(Failure) -> TrialState {
            let value = try required(key)
            guard let raw = value.intValue, let state = TrialState(rawValue: raw) else {
                throw Failure(reason: "\"\(key)\" is \(value.jsonText), not a trial state (0 RUNNING, 1 COMPLETE, 2 PRUNED, 3 FAIL, 4 WAITING)")
            }
            return state
        }

        /// A datetime; null or a missing field is none.
        func date(_ key: String) throws(Failure) -> Date? {
            guard let value = object[key], value != .null else { return nil }
            guard let text = value.stringValue, let date = JournalTimestamp.parse(text) else {
                throw Failure(reason: "\"\(key)\" is \(value.jsonText), not an ISO 8601 datetime")
            }
            return date
        }
    }
}
