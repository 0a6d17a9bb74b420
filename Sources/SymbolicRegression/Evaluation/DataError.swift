import Foundation

/// Bad data, named by file, row (1-based data row; the header is not counted) and column.
public enum DataError: LocalizedError, Equatable {
    case empty(source: String?)
    case raggedRow(source: String?, row: Int, expected: Int, found: Int)
    case nonFinite(source: String?, row: Int, column: String, value: Double)
    case notANumber(source: String?, row: Int, column: String, text: String)
    case missingTarget(source: String?, column: String, available: [String])
    case columnLength(column: String, expected: Int, found: Int)
    case featureNameCount(expected: Int, found: Int)
    case featureMismatch(source: String?, expected: [String], found: [String])
    case unreadable(source: String, reason: String)

    private static func place(_ source: String?) -> String { source.map { "\($0): " } ?? "" }

    public var errorDescription: String? {
        switch self {
        case .empty(let source):
            return "\(Self.place(source))the data set has no rows"
        case .raggedRow(let source, let row, let expected, let found):
            return "\(Self.place(source))row \(row + 1) has \(found) value(s), expected \(expected) like the header"
        case .nonFinite(let source, let row, let column, let value):
            return "\(Self.place(source))row \(row + 1), column '\(column)': \(value) is not a finite number (NaN and infinities are not allowed)"
        case .notANumber(let source, let row, let column, let text):
            return "\(Self.place(source))row \(row + 1), column '\(column)': '\(text)' is not a number"
        case .missingTarget(let source, let column, let available):
            return "\(Self.place(source))no target column '\(column)': the columns are \(available.joined(separator: ", "))"
        case .columnLength(let column, let expected, let found):
            return "column '\(column)' has \(found) value(s), expected \(expected)"
        case .featureNameCount(let expected, let found):
            return "\(found) feature name(s) given for \(expected) feature column(s)"
        case .featureMismatch(let source, let expected, let found):
            return "\(Self.place(source))the feature columns are \(found.joined(separator: ", ")), expected \(expected.joined(separator: ", ")) as in the training data"
        case .unreadable(let source, let reason):
            return "\(source): cannot read: \(reason)"
        }
    }
}
