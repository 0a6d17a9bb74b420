import Foundation

/// Times as the API writes them: ISO 8601 in UTC with milliseconds.
enum DateText {
    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
