import Foundation

/// Reads numeric CSV files (a header row, then one row per sample) into a `Dataset`.
public enum CSVDataset {
    /// Reads `path`; the target is the column named `target`, or the last column when nil (the layout of
    /// `../shared/data/sr`). With `requireTarget` false and no `target` named, every column is a feature.
    public static func read(path: String, target: String? = nil, requireTarget: Bool = true) throws -> Dataset {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DataError.unreadable(source: path, reason: error.localizedDescription)
        }
        return try parse(text, source: path, target: target, requireTarget: requireTarget)
    }

    /// Parses CSV text; `source` names it in errors.
    public static func parse(_ text: String, source: String = "<csv>", target: String? = nil, requireTarget: Bool = true) throws -> Dataset {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let headerLine = lines.first else { throw DataError.empty(source: source) }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        guard lines.count > 1 else { throw DataError.empty(source: source) }
        let targetIndex: Int?
        if let target {
            guard let index = header.firstIndex(of: target) else {
                throw DataError.missingTarget(source: source, column: target, available: header)
            }
            targetIndex = index
        } else {
            targetIndex = requireTarget ? header.count - 1 : nil
        }
        var columns = [[Double]](repeating: [], count: header.count)
        for index in columns.indices { columns[index].reserveCapacity(lines.count - 1) }
        for (offset, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count else {
                throw DataError.raggedRow(source: source, row: offset, expected: header.count, found: fields.count)
            }
            for (column, field) in fields.enumerated() {
                let trimmed = field.trimmingCharacters(in: .whitespaces)
                guard let value = Double(trimmed) else {
                    throw DataError.notANumber(source: source, row: offset, column: header[column], text: trimmed)
                }
                guard value.isFinite else {
                    throw DataError.nonFinite(source: source, row: offset, column: header[column], value: value)
                }
                columns[column].append(value)
            }
        }
        let featureIndices = header.indices.filter { $0 != targetIndex }
        return try Dataset(columns: featureIndices.map { columns[$0] },
                           target: targetIndex.map { columns[$0] },
                           featureNames: featureIndices.map { header[$0] },
                           targetName: targetIndex.map { header[$0] })
    }
}
