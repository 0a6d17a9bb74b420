import Foundation
import StudyEngine

/// Trials and studies as Optuna CLI's records (`optuna/study/_dataframe.py`): columns `number`,
/// `value` or `values`, `datetime_start`, `datetime_complete`, `duration`, `params`, `user_attrs`, `state`.
enum TrialRecords {
    /// Records of `trials` and their columns in Optuna's order (nested columns sorted).
    static func records(_ trials: [FrozenTrial], directions: [StudyDirection]) -> ([OutputRecord], [OutputColumn]) {
        let multi = directions.count > 1
        var seen: [String: Set<OutputColumn>] = [:]
        var records: [OutputRecord] = []
        for trial in trials {
            var record: OutputRecord = [:]
            func put(_ column: OutputColumn, _ value: OutputValue) {
                record[column] = value
                seen[column.name, default: []].insert(column)
            }
            put(OutputColumn(name: "number"), .int(trial.number))
            if multi {
                let values = trial.values ?? Array(repeating: .nan, count: directions.count)
                for (index, value) in values.enumerated() {
                    put(OutputColumn(name: "values", sub: .index(index)), trial.values == nil ? .null : .double(value))
                }
            } else {
                put(OutputColumn(name: "value"), trial.value.map(OutputValue.double) ?? .null)
            }
            put(OutputColumn(name: "datetime_start"), trial.datetimeStart.map { .string(dateText($0)) } ?? .null)
            put(OutputColumn(name: "datetime_complete"), trial.datetimeComplete.map { .string(dateText($0)) } ?? .null)
            put(OutputColumn(name: "duration"), trial.duration.map { .string(durationText($0)) } ?? .null)
            for (name, value) in trial.params { put(OutputColumn(name: "params", sub: .key(name)), OutputValue(value)) }
            for (key, value) in trial.userAttributes { put(OutputColumn(name: "user_attrs", sub: .key(key)), OutputValue(value)) }
            put(OutputColumn(name: "state"), .string(trial.state.optunaName))
            records.append(record)
        }
        let order = ["number", multi ? "values" : "value", "datetime_start", "datetime_complete", "duration", "params", "user_attrs", "state"]
        let columns = order.flatMap { (seen[$0] ?? []).sorted() }
        return (records, columns)
    }

    /// Python's `strftime("%Y-%m-%d %H:%M:%S")` of a local time, as Optuna's CLI prints datetimes.
    static func dateText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// Python's `str(timedelta)`: `H:MM:SS` with `.ffffff` when there are microseconds, days before.
    static func durationText(_ seconds: TimeInterval) -> String {
        var micros = Int((seconds * 1e6).rounded())
        let negative = micros < 0
        if negative { micros = -micros }
        let days = micros / 86_400_000_000
        micros %= 86_400_000_000
        let totalSeconds = micros / 1_000_000, fraction = micros % 1_000_000
        var text = String(format: "%d:%02d:%02d", totalSeconds / 3600, totalSeconds / 60 % 60, totalSeconds % 60)
        if fraction != 0 { text += String(format: ".%06d", fraction) }
        let dayCount = negative ? -days - (micros > 0 ? 1 : 0) : days
        if dayCount != 0 { text = "\(dayCount) day\(abs(dayCount) == 1 ? "" : "s"), " + text }
        return text
    }
}
