import Foundation

/// Datetimes as Optuna's journal holds them: ISO 8601 in UTC with microseconds and an offset,
/// `2026-11-25T05:16:28.617196+00:00` (Python's `datetime.now(timezone.utc).isoformat(timespec="microseconds")`).
/// Reading accepts what Python's `datetime.fromisoformat` accepts for such values: `T` or a space between
/// date and time, seconds and fraction optional, an offset `Z`, `±HH`, `±HH:MM` or `±HHMM`, and no offset
/// (local time, as Python reads a naive datetime).
enum JournalTimestamp {
    /// `date` in UTC, rounded to the microsecond.
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (seconds, fraction) = floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        var out = ""
        out.reserveCapacity(32)
        func pad(_ value: Int64, _ width: Int) {
            let digits = String(value)
            if digits.count < width { out += String(repeating: "0", count: width - digits.count) }
            out += digits
        }
        pad(year, 4); out += "-"; pad(month, 2); out += "-"; pad(day, 2); out += "T"
        pad(secondOfDay / 3600, 2); out += ":"; pad(secondOfDay / 60 % 60, 2); out += ":"; pad(secondOfDay % 60, 2)
        out += "."; pad(fraction, 6); out += "+00:00"
        return out
    }

    /// `date` rounded to the microsecond, exactly as `parse(format(date))` gives it back.
    static func rounded(_ date: Date) -> Date {
        let (seconds, fraction) = floorDivide(Int64((date.timeIntervalSince1970 * 1_000_000).rounded()), 1_000_000)
        return instant(seconds: seconds, microseconds: fraction)
    }

    private static func instant(seconds: Int64, microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(microseconds) / 1_000_000)
    }

    /// The instant `text` names, or nil when it is not an ISO 8601 datetime of the accepted forms.
    static func parse(_ text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.digits(4), scanner.take("-"), let month = scanner.digits(2), scanner.take("-"),
              let day = scanner.digits(2), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var secondOfDay: Int64 = 0
        var micros: Int64 = 0
        var offset: Int64?
        if scanner.take("T") || scanner.take(" ") {
            guard let hour = scanner.digits(2), hour < 24 else { return nil }
            var minute: Int64 = 0, second: Int64 = 0
            if scanner.take(":") {
                guard let value = scanner.digits(2), value < 60 else { return nil }
                minute = value
                if scanner.take(":") {
                    guard let value = scanner.digits(2), value < 60 else { return nil }
                    second = value
                    if scanner.take(".") || scanner.take(",") {
                        guard let fraction = scanner.fraction() else { return nil }
                        micros = fraction
                    }
                }
            }
            secondOfDay = hour * 3600 + minute * 60 + second
            if scanner.take("Z") {
                offset = 0
            } else if let sign: Int64 = scanner.take("+") ? 1 : scanner.take("-") ? -1 : nil {
                guard let hours = scanner.digits(2) else { return nil }
                var minutes: Int64 = 0
                if scanner.take(":") {
                    guard let value = scanner.digits(2) else { return nil }
                    minutes = value
                } else if let value = scanner.digits(2) {
                    minutes = value
                }
                offset = sign * (hours * 3600 + minutes * 60)
            }
        }
        guard scanner.atEnd else { return nil }
        let local = days(fromCivil: year, month, day) * 86_400 + secondOfDay
        let utc: Int64
        if let offset {
            utc = local - offset
        } else {
            // Naive: local time here, as Python's `astimezone()` reads it.
            let guess = Date(timeIntervalSince1970: TimeInterval(local))
            let zone = TimeZone.current
            let first = Int64(zone.secondsFromGMT(for: guess))
            utc = local - Int64(zone.secondsFromGMT(for: guess.addingTimeInterval(TimeInterval(-first))))
        }
        return instant(seconds: utc, microseconds: micros)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        var quotient = value / divisor, remainder = value % divisor
        if remainder < 0 { quotient -= 1; remainder += divisor }
        return (quotient, remainder)
    }

    /// Year, month and day of the day `days` after 1970-01-01 (proleptic Gregorian calendar).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to the given date (the inverse of `civil(fromDays:)`).
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// Exactly `count` decimal digits.
        mutating func digits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + count] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }

        /// One or more fraction digits, as microseconds (digits past the sixth are dropped, as Python does).
        mutating func fraction() -> Int64? {
            var value: Int64 = 0, count = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                if count < 6 { value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 6) { value *= 10 }
            return value
        }
    }
}
