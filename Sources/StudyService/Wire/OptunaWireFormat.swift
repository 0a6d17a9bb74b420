import Foundation
import StudyEngine
#if canImport(Glibc)
import Glibc
#endif

/// Values as Optuna's StorageService carries them: datetimes as naive local-time text with six fractional
/// digits, attributes as Python JSON text, distributions as Optuna's distribution JSON, parameters in
/// internal representation, directions numbered MINIMIZE 0 / MAXIMIZE 1.
enum OptunaWireFormat {
    // MARK: Datetimes

    /// `YYYY-MM-DD HH:MM:SS.ffffff` in this machine's local time (Python's `%Y-%m-%d %H:%M:%S.%f` of a naive
    /// `datetime.now()`, as Optuna's RDB storage keeps it); "" for none.
    static func datetimeText(_ date: Date?) -> String {
        guard let date else { return "" }
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = time_t((micros / 1_000_000).rounded(.down))
        let fraction = Int(micros - Double(seconds) * 1_000_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let fractionText = String(fraction)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2)) "
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + String(repeating: "0", count: 6 - fractionText.count) + fractionText
    }

    /// Reads `datetimeText`'s form (the fraction may have 0-6 digits; a `T` may separate date and time).
    static func date(fromText text: String, rpc: String, field: String) throws -> Date? {
        guard !text.isEmpty else { return nil }
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int32? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int32 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int32(byte - 48)
            }
            return value
        }
        guard bytes.count >= 19, bytes[4] == 45, bytes[7] == 45, bytes[10] == 32 || bytes[10] == 84,
              bytes[13] == 58, bytes[16] == 58,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else {
            throw ServiceError.malformed(rpc: rpc, field: field, reason: "'\(text)' is not a datetime YYYY-MM-DD HH:MM:SS.ffffff")
        }
        var micros = 0.0
        if bytes.count > 19 {
            guard bytes[19] == 46, bytes.count <= 26, let fraction = number(20..<bytes.count) else {
                throw ServiceError.malformed(rpc: rpc, field: field, reason: "'\(text)' is not a datetime YYYY-MM-DD HH:MM:SS.ffffff")
            }
            micros = Double(fraction) * pow(10, Double(6 - (bytes.count - 20)))
        }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        parts.tm_isdst = -1
        let seconds = mktime(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + micros / 1_000_000)
    }

    // MARK: Attributes and distributions

    static func attributeTexts(_ attributes: [String: JSONValue]) -> [String: String] {
        attributes.mapValues(\.jsonText)
    }

    static func attributes(fromTexts texts: [String: String], rpc: String, field: String) throws -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        result.reserveCapacity(texts.count)
        for (key, text) in texts { result[key] = try attribute(text, rpc: rpc, field: "\(field)[\(key)]") }
        return result
    }

    static func attribute(_ text: String, rpc: String, field: String) throws -> JSONValue {
        do { return try JSONValue.parse(text) } catch {
            throw ServiceError.malformed(rpc: rpc, field: field, reason: "not JSON: \((error as? any LocalizedError)?.errorDescription ?? "\(error)")")
        }
    }

    static func distribution(_ text: String, rpc: String, field: String) throws -> ParameterDistribution {
        do { return try ParameterDistribution(optunaJSON: text) } catch {
            throw ServiceError.malformed(rpc: rpc, field: field, reason: (error as? any LocalizedError)?.errorDescription ?? "\(error)")
        }
    }

    // MARK: Enums

    static func direction(_ direction: StudyDirection) -> Optuna_StudyDirection {
        direction == .maximize ? .maximize : .minimize
    }

    static func directions(_ values: [Optuna_StudyDirection], rpc: String) throws -> [StudyDirection] {
        try values.map { value in
            switch value {
            case .minimize: return .minimize
            case .maximize: return .maximize
            case .UNRECOGNIZED(let raw):
                throw ServiceError.malformed(rpc: rpc, field: "directions", reason: "\(raw) is not a StudyDirection (MINIMIZE 0, MAXIMIZE 1)")
            }
        }
    }

    static func state(_ state: TrialState) -> Optuna_TrialState {
        Optuna_TrialState(rawValue: state.rawValue) ?? .fail
    }

    static func state(_ value: Optuna_TrialState, rpc: String, field: String = "state") throws -> TrialState {
        guard let state = TrialState(rawValue: value.rawValue) else {
            throw ServiceError.malformed(rpc: rpc, field: field, reason: "\(value.rawValue) is not a TrialState (RUNNING 0 ... WAITING 4)")
        }
        return state
    }

    // MARK: Trials

    static func message(_ trial: FrozenTrial) -> Optuna_Trial {
        var message = Optuna_Trial()
        message.trialID = Int64(trial.id)
        message.number = Int64(trial.number)
        message.state = state(trial.state)
        message.values = trial.values ?? []
        message.datetimeStart = datetimeText(trial.datetimeStart)
        message.datetimeComplete = datetimeText(trial.datetimeComplete)
        for (name, distribution) in trial.distributions {
            guard let value = trial.params[name], let internalValue = try? distribution.internalValue(of: value, name: name) else { continue }
            message.params[name] = internalValue
            message.distributions[name] = distribution.optunaJSON
        }
        message.userAttributes = attributeTexts(trial.userAttributes)
        message.systemAttributes = attributeTexts(trial.systemAttributes)
        for (step, value) in trial.intermediateValues { message.intermediateValues[Int64(step)] = value }
        return message
    }

    static func trial(_ message: Optuna_Trial, rpc: String, field: String = "trial") throws -> FrozenTrial {
        var trial = FrozenTrial(id: Int(message.trialID), number: Int(message.number),
                                state: try state(message.state, rpc: rpc, field: "\(field).state"),
                                values: message.values.isEmpty ? nil : message.values,
                                datetimeStart: try date(fromText: message.datetimeStart, rpc: rpc, field: "\(field).datetime_start"),
                                datetimeComplete: try date(fromText: message.datetimeComplete, rpc: rpc, field: "\(field).datetime_complete"))
        for (name, text) in message.distributions {
            let distribution = try distribution(text, rpc: rpc, field: "\(field).distributions[\(name)]")
            guard let value = message.params[name] else {
                throw ServiceError.malformed(rpc: rpc, field: "\(field).params", reason: "parameter '\(name)' has a distribution but no value")
            }
            guard distribution.contains(internalValue: value) else {
                throw ServiceError.malformed(rpc: rpc, field: "\(field).params[\(name)]", reason: "\(value) is not in \(distribution.description)")
            }
            trial.distributions[name] = distribution
            trial.params[name] = distribution.externalValue(of: value)
        }
        if let orphan = message.params.keys.first(where: { message.distributions[$0] == nil }) {
            throw ServiceError.malformed(rpc: rpc, field: "\(field).distributions", reason: "parameter '\(orphan)' has a value but no distribution")
        }
        trial.userAttributes = try attributes(fromTexts: message.userAttributes, rpc: rpc, field: "\(field).user_attributes")
        trial.systemAttributes = try attributes(fromTexts: message.systemAttributes, rpc: rpc, field: "\(field).system_attributes")
        for (step, value) in message.intermediateValues { trial.intermediateValues[Int(step)] = value }
        return trial
    }
}
