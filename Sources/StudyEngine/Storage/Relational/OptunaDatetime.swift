import Foundation

/// Datetimes as Optuna's relational storage keeps them: naive wall-clock time in the writer's local time
/// zone (`datetime.now()`), written by SQLAlchemy as `YYYY-MM-DD HH:MM:SS.ffffff` (SQLite text; PostgreSQL
/// `timestamp without time zone`, which reads back as the same text with trailing zeros of the fraction,
/// or the whole fraction, left out).
enum OptunaDatetime {
    /// `date` as local wall-clock text with microseconds.
    static func text(_ date: Date, timeZone: TimeZone = .current) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) + Int64(offset) * 1_000_000
        return wallText(microseconds: micros)
    }

    /// The moment local wall-clock `text` names, or nil when it is not a datetime of that form.
    static func date(_ text: String, timeZone: TimeZone = .current) -> Date? {
        guard let wall = wallMicroseconds(text) else { return nil }
        // The offset of the wall time itself: try the offset at the moment, then correct once (DST edges).
        let guess = Date(timeIntervalSince1970: Double(wall) / 1_000_000)
        var offset = Int64(timeZone.secondsFromGMT(for: guess))
        let first = Date(timeIntervalSince1970: Double(wall - offset * 1_000_000) / 1_000_000)
        offset = Int64(timeZone.secondsFromGMT(for: first))
        return Date(timeIntervalSince1970: Double(wall - offset * 1_000_000) / 1_000_000)
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff` of microseconds since 1970-01-01 00:00 (of whatever clock).
    static func wallText(microseconds: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var days = microseconds / perDay
        var rest = microseconds % perDay
        if rest < 0 { rest += perDay; days -= 1 }
        let (year, month, day) = civil(fromDays: days)
        let second = rest / 1_000_000, micro = rest % 1_000_000
        var out = ""
        out.reserveCapacity(26)
        func append(_ value: Int64, width: Int) {
            let digits = String(value)
            if digits.count < width { out += String(repeating: "0", count: width - digits.count) }
            out += digits
        }
        append(year, width: 4); out += "-"
        append(month, width: 2); out += "-"
        append(day, width: 2); out += " "
        append(second / 3600, width: 2); out += ":"
        append(second / 60 % 60, width: 2); out += ":"
        append(second % 60, width: 2); out += "."
        append(micro, width: 6)
        return out
    }

    /// Microseconds since 1970-01-01 00:00 of `YYYY-MM-DD[ HH:MM[:SS[.f...]]]` (a `T` may separate the
    /// date from the time; digits of the fraction past the sixth are dropped).
    static func wallMicroseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += width
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var micros = days(fromYear: year, month: month, day: day) * 86_400_000_000
        guard index < bytes.count else { return micros }
        guard expect(32) || expect(84), let hour = number(2), expect(58), let minute = number(2),
              hour < 24, minute < 60 else { return nil }
        var second: Int64 = 0
        var fraction: Int64 = 0
        if expect(58) {
            guard let value = number(2), value < 61 else { return nil }
            second = value
            if expect(46) {
                var digits = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    if digits < 6 { fraction = fraction * 10 + Int64(bytes[index] - 48) }
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<max(digits, 6) { fraction *= 10 }
            }
        }
        guard index == bytes.count else { return nil }
        micros += ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction
        return micros
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
