/// A value bound to, or read from, a statement of a relational backend.
enum SQLValue: Sendable, Hashable {
    case null
    case int(Int)
    case double(Double)
    case text(String)

    var int: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int(value)
        case .text(let text): return Int(text)
        default: return nil
        }
    }

    var double: Double? {
        switch self {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: return nil
        }
    }

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    var isNull: Bool { self == .null }
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    init(integerLiteral value: Int) { self = .int(value) }
    init(stringLiteral value: String) { self = .text(value) }
}

/// The rows a query returned, row-major in one buffer.
struct SQLRows: Sendable {
    let columnCount: Int
    var values: [SQLValue] = []

    init(columnCount: Int) { self.columnCount = columnCount }

    var count: Int { columnCount == 0 ? 0 : values.count / columnCount }
    var isEmpty: Bool { values.isEmpty }

    subscript(row: Int, column: Int) -> SQLValue { values[row * columnCount + column] }
}
