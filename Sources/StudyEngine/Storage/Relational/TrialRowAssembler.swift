import Foundation
import Synchronization

/// Builds `FrozenTrial`s from the rows of `OptunaSQL.loadTrials`, reading Optuna's encodings: states and
/// value types by name, +-inf (and NaN for intermediate values) as NULL with a type, distributions as
/// `distribution_json` (parsed once per distinct text), attributes as JSON text, naive local datetimes.
final class TrialRowAssembler: Sendable {
    private let distributions = Mutex<[String: ParameterDistribution]>([:])
    let location: String

    init(location: String) { self.location = location }

    /// The distribution a `distribution_json` text describes.
    func distribution(_ json: String) throws -> ParameterDistribution {
        if let known = distributions.withLock({ $0[json] }) { return known }
        let parsed = try ParameterDistribution(optunaJSON: json)
        distributions.withLock { $0[json] = parsed }
        return parsed
    }

    private struct Partial {
        var studyID = -1
        var trial = FrozenTrial()
        var values: [Int: Double] = [:]
    }

    /// The trials in `rows`, each with the id of its study, in trial id order.
    func trials(from rows: SQLRows) throws -> [(studyID: Int, trial: FrozenTrial)] {
        var partials: [Int: Partial] = [:]
        for row in 0..<rows.count {
            guard let id = rows[row, 0].int, let kind = rows[row, 1].int.flatMap(TrialRowKind.init(rawValue:)) else {
                throw corrupt("a row of the trial tables has no trial_id")
            }
            var partial = partials[id] ?? Partial()
            try add(row: row, of: rows, kind: kind, trialID: id, to: &partial)
            partials[id] = partial
        }
        return try partials.keys.sorted().compactMap { id in
            var partial = partials[id]!
            // Rows of child tables whose trial row was not selected can not occur (they are joined).
            guard partial.studyID >= 0 else { return nil }
            if !partial.values.isEmpty {
                let count = partial.values.keys.max()! + 1
                guard count <= 64 else { throw corrupt("trial_values of trial_id \(id) has objective \(count - 1)") }
                partial.trial.values = (0..<count).map { partial.values[$0] ?? .nan }
            }
            return (partial.studyID, partial.trial)
        }
    }

    private func add(row: Int, of rows: SQLRows, kind: TrialRowKind, trialID id: Int, to partial: inout Partial) throws {
        let i = rows[row, 2], j = rows[row, 3], f = rows[row, 4], a = rows[row, 5], b = rows[row, 6], c = rows[row, 7]
        switch kind {
        case .trial:
            guard let number = i.int else { throw corrupt("trials row \(id) has no number") }
            guard let stateName = a.text, let state = TrialState(optunaName: stateName) else {
                throw corrupt("trials row \(id) has state \(a.text.map { "'\($0)'" } ?? "NULL")")
            }
            partial.studyID = j.int ?? -1
            partial.trial.id = id
            partial.trial.number = number
            partial.trial.state = state
            partial.trial.datetimeStart = try datetime(b, "datetime_start", id)
            partial.trial.datetimeComplete = try datetime(c, "datetime_complete", id)
        case .param:
            guard let name = a.text, let json = b.text, let internalValue = f.double else {
                throw corrupt("trial_params of trial_id \(id) has a row without name, value or distribution_json")
            }
            let distribution: ParameterDistribution
            do {
                distribution = try self.distribution(json)
            } catch {
                throw corrupt("trial_params of trial_id \(id), param '\(name)': distribution_json \(json) is not a distribution (\(error.localizedDescription))")
            }
            partial.trial.distributions[name] = distribution
            partial.trial.params[name] = distribution.externalValue(of: internalValue)
        case .value:
            guard let objective = i.int, objective >= 0 else { throw corrupt("trial_values of trial_id \(id) has no objective") }
            partial.values[objective] = try storedValue(f, type: a, allowingNaN: false, "trial_values", id)
        case .intermediateValue:
            guard let step = i.int else { throw corrupt("trial_intermediate_values of trial_id \(id) has no step") }
            partial.trial.intermediateValues[step] = try storedValue(f, type: a, allowingNaN: true, "trial_intermediate_values", id)
        case .userAttribute, .systemAttribute:
            let table = kind == .userAttribute ? "trial_user_attributes" : "trial_system_attributes"
            guard let key = a.text else { throw corrupt("\(table) of trial_id \(id) has a row without key") }
            let value = try attribute(b, table: table, key: key, owner: "trial_id \(id)")
            if kind == .userAttribute { partial.trial.userAttributes[key] = value } else { partial.trial.systemAttributes[key] = value }
        }
    }

    /// An attribute's `value_json`.
    func attribute(_ cell: SQLValue, table: String, key: String, owner: String) throws -> JSONValue {
        guard let text = cell.text else { return .null }
        do {
            return try JSONValue.parse(text)
        } catch {
            throw corrupt("\(table) of \(owner), key '\(key)': value_json is not JSON (\(error.localizedDescription))")
        }
    }

    private func storedValue(_ value: SQLValue, type: SQLValue, allowingNaN: Bool, _ table: String, _ id: Int) throws -> Double {
        switch type.text {
        case "FINITE": if let double = value.double { return double }
        case "INF_POS": return .infinity
        case "INF_NEG": return -.infinity
        case "NAN" where allowingNaN: return .nan
        default: break
        }
        throw corrupt("\(table) of trial_id \(id) holds value \(value) of type \(type.text ?? "NULL")")
    }

    private func datetime(_ cell: SQLValue, _ column: String, _ id: Int) throws -> Date? {
        guard let text = cell.text else { return nil }
        guard let date = OptunaDatetime.date(text) else { throw corrupt("trials row \(id) has \(column) '\(text)'") }
        return date
    }

    func corrupt(_ what: String) -> StorageError { .backend("\(location): \(what)") }

    /// Optuna's name for the value's kind in `trial_values.value_type` and
    /// `trial_intermediate_values.intermediate_value_type`, with the value stored beside it.
    static func storedRepresentation(of value: Double) -> (value: SQLValue, type: String) {
        if value.isNaN { return (.null, "NAN") }
        if value == .infinity { return (.null, "INF_POS") }
        if value == -.infinity { return (.null, "INF_NEG") }
        return (.double(value), "FINITE")
    }
}
