/// Rows of input features (as columns) and, for fitting, a target; validated: finite values, equal lengths,
/// at least one row.
public struct Dataset: Sendable {
    public let featureNames: [String]
    /// Feature columns, `columns[feature][row]`.
    public let columns: [[Double]]
    /// The target column (nil for data only to predict on).
    public let target: [Double]?
    public let targetName: String?
    public let rowCount: Int

    public var featureCount: Int { columns.count }

    /// A dataset from feature columns; throws naming the column or row at fault.
    public init(columns: [[Double]], target: [Double]? = nil, featureNames: [String]? = nil, targetName: String? = nil) throws {
        guard let first = columns.first ?? target, !first.isEmpty else { throw DataError.empty(source: nil) }
        let rows = first.count
        let names = featureNames ?? (0..<columns.count).map { "x\($0)" }
        guard names.count == columns.count else {
            throw DataError.featureNameCount(expected: columns.count, found: names.count)
        }
        for (index, column) in columns.enumerated() {
            guard column.count == rows else {
                throw DataError.columnLength(column: names[index], expected: rows, found: column.count)
            }
            if let row = column.firstIndex(where: { !$0.isFinite }) {
                throw DataError.nonFinite(source: nil, row: row, column: names[index], value: column[row])
            }
        }
        if let target {
            let name = targetName ?? "target"
            guard target.count == rows else { throw DataError.columnLength(column: name, expected: rows, found: target.count) }
            if let row = target.firstIndex(where: { !$0.isFinite }) {
                throw DataError.nonFinite(source: nil, row: row, column: name, value: target[row])
            }
        }
        self.columns = columns
        self.target = target
        self.featureNames = names
        self.targetName = target == nil ? nil : (targetName ?? "target")
        self.rowCount = rows
    }

    /// A dataset from rows of features; every row must have as many values as the first.
    public init(rows: [[Double]], target: [Double]? = nil, featureNames: [String]? = nil, targetName: String? = nil) throws {
        guard let first = rows.first else { throw DataError.empty(source: nil) }
        for (index, row) in rows.enumerated() where row.count != first.count {
            throw DataError.raggedRow(source: nil, row: index, expected: first.count, found: row.count)
        }
        let columns = (0..<first.count).map { feature in rows.map { $0[feature] } }
        try self.init(columns: columns, target: target, featureNames: featureNames, targetName: targetName)
    }

    /// The features of one row.
    public func row(_ index: Int) -> [Double] { columns.map { $0[index] } }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        // Validated already: the values are the same ones.
        try! Dataset(columns: columns.map { column in indices.map { column[$0] } },
                     target: target.map { target in indices.map { target[$0] } },
                     featureNames: featureNames, targetName: targetName)
    }

    /// The same features with another target.
    public func withTarget(_ newTarget: [Double], name: String) throws -> Dataset {
        try Dataset(columns: columns, target: newTarget, featureNames: featureNames, targetName: name)
    }
}
