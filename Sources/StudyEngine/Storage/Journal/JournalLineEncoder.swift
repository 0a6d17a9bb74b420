import Foundation

/// Writes journal lines as Optuna's `JournalStorage` writes them: `json.dumps(log, separators=(",", ":"))`,
/// fields in Optuna's order, floats as Python's `repr` (`NaN`, `Infinity` bare), non-ASCII escaped, distributions
/// as Optuna's distribution JSON inside a string, and a final newline.
struct JournalLineEncoder: Sendable {
    /// The `worker_id` field, written once.
    private let workerField: String
    /// Distribution JSON texts already made, as JSON string literals (trials of a study reuse a handful of
    /// distributions).
    private var distributionLiterals: [ParameterDistribution: String] = [:]

    init(workerID: String) {
        var field = ",\"worker_id\":"
        JSONValue.writeString(workerID, to: &field)
        workerField = field
    }

    /// The line for `operation`, newline included, as UTF-8 bytes.
    mutating func line(for operation: JournalOperation) -> [UInt8] {
        var out = "{\"op_code\":\(operation.code)"
        out.reserveCapacity(256)
        out += workerField
        switch operation {
        case .createStudy(let name, let directions):
            out += ",\"study_name\":"
            JSONValue.writeString(name, to: &out)
            out += ",\"directions\":[" + directions.map { String($0.rawValue) }.joined(separator: ",") + "]"
        case .deleteStudy(let studyID):
            out += ",\"study_id\":\(studyID)"
        case .setStudyUserAttribute(let studyID, let key, let value):
            out += ",\"study_id\":\(studyID),\"user_attr\":"
            Self.writeAttribute(key, value, to: &out)
        case .setStudySystemAttribute(let studyID, let key, let value):
            out += ",\"study_id\":\(studyID),\"system_attr\":"
            Self.writeAttribute(key, value, to: &out)
        case .createTrial(let studyID, let datetimeStart, let template):
            out += ",\"study_id\":\(studyID),\"datetime_start\":"
            Self.writeDate(datetimeStart, to: &out)
            if let template { writeTemplate(template, to: &out) }
        case .setTrialParameter(let trialID, let name, let internalValue, let distribution):
            out += ",\"trial_id\":\(trialID),\"param_name\":"
            JSONValue.writeString(name, to: &out)
            out += ",\"param_value_internal\":"
            Self.writeInternal(internalValue, of: distribution, to: &out)
            out += ",\"distribution\":" + distributionLiteral(distribution)
        case .setTrialState(let trialID, let state, let values, let datetime):
            out += ",\"trial_id\":\(trialID),\"state\":\(state.rawValue),\"values\":"
            Self.writeValues(values, to: &out)
            if state == .running {
                out += ",\"datetime_start\":"
                Self.writeDate(datetime, to: &out)
            } else if state.isFinished {
                out += ",\"datetime_complete\":"
                Self.writeDate(datetime, to: &out)
            }
        case .setTrialIntermediateValue(let trialID, let step, let value):
            out += ",\"trial_id\":\(trialID),\"step\":\(step),\"intermediate_value\":" + pythonJSONFloat(value)
        case .setTrialUserAttribute(let trialID, let key, let value):
            out += ",\"trial_id\":\(trialID),\"user_attr\":"
            Self.writeAttribute(key, value, to: &out)
        case .setTrialSystemAttribute(let trialID, let key, let value):
            out += ",\"trial_id\":\(trialID),\"system_attr\":"
            Self.writeAttribute(key, value, to: &out)
        case .discardTrials:
            break
        }
        out += "}\n"
        return Array(out.utf8)
    }

    /// Optuna's template fields: a multi-objective trial's values go in `values`, a single one's in `value`.
    private mutating func writeTemplate(_ template: JournalOperation.TrialTemplate, to out: inout String) {
        out += ",\"state\":\(template.state.rawValue),\"value\":"
        if let values = template.values, values.count > 1 {
            out += "null,\"values\":"
            Self.writeValues(values, to: &out)
        } else {
            out += template.values?.first.map(pythonJSONFloat) ?? "null"
            out += ",\"values\":null"
        }
        if let complete = template.datetimeComplete {
            out += ",\"datetime_complete\":"
            Self.writeDate(complete, to: &out)
        }
        out += ",\"distributions\":{"
        for (index, name) in template.distributions.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            JSONValue.writeString(name, to: &out)
            out += ":" + distributionLiteral(template.distributions[name]!)
        }
        out += "},\"params\":{"
        for (index, name) in template.params.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            JSONValue.writeString(name, to: &out)
            out += ":"
            Self.writeInternal(template.params[name]!, of: template.distributions[name], to: &out)
        }
        out += "},\"user_attrs\":"
        JSONValue.object(template.userAttributes).write(to: &out, compact: true)
        out += ",\"system_attrs\":"
        JSONValue.object(template.systemAttributes).write(to: &out, compact: true)
        out += ",\"intermediate_values\":{"
        for (index, step) in template.intermediateValues.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            out += "\"\(step)\":" + pythonJSONFloat(template.intermediateValues[step]!)
        }
        out += "}"
    }

    /// Optuna's distribution JSON as a JSON string (the journal nests it as text).
    private mutating func distributionLiteral(_ distribution: ParameterDistribution) -> String {
        if let literal = distributionLiterals[distribution] { return literal }
        var literal = ""
        JSONValue.writeString(distribution.optunaJSON, to: &literal)
        if distributionLiterals.count >= 4096 { distributionLiterals.removeAll(keepingCapacity: true) }
        distributionLiterals[distribution] = literal
        return literal
    }

    /// A categorical's choice index as an integer (Optuna's `to_internal_repr` gives an `int`), other values as floats.
    private static func writeInternal(_ value: Double, of distribution: ParameterDistribution?, to out: inout String) {
        if case .categorical? = distribution, let index = Int(exactly: value) {
            out += String(index)
        } else {
            out += pythonJSONFloat(value)
        }
    }

    private static func writeAttribute(_ key: String, _ value: JSONValue, to out: inout String) {
        out += "{"
        JSONValue.writeString(key, to: &out)
        out += ":"
        value.write(to: &out, compact: true)
        out += "}"
    }

    private static func writeValues(_ values: [Double]?, to out: inout String) {
        guard let values else { out += "null"; return }
        out += "[" + values.map(pythonJSONFloat).joined(separator: ",") + "]"
    }

    private static func writeDate(_ date: Date?, to out: inout String) {
        guard let date else { out += "null"; return }
        out += "\"" + JournalTimestamp.format(date) + "\""
    }
}
