import Foundation
import StudyEngine

/// How a command prints its records: Optuna CLI's `--format` choices, plus CSV.
enum OutputFormat: String, CaseIterable, Sendable {
    case value, json, table, yaml, csv
}

/// One column of Optuna's records: an attribute and, for nested ones, a key (`params`/`x`) or an index
/// (`values`/0). Plain attributes have neither.
struct OutputColumn: Hashable, Comparable {
    enum Sub: Hashable, Comparable {
        case none
        case index(Int)
        case key(String)
    }

    var name: String
    var sub: Sub = .none

    static func < (a: OutputColumn, b: OutputColumn) -> Bool { (a.name, a.sub) < (b.name, b.sub) }

    /// The flattened header: `params_x`, `values_0`, or the attribute itself.
    var flatName: String {
        switch sub {
        case .none: return name
        case .index(let index): return "\(name)_\(index)"
        case .key(let key): return "\(name)_\(key)"
        }
    }
}

typealias OutputRecord = [OutputColumn: OutputValue]

/// Optuna CLI's output (`optuna/cli.py`: `_convert_to_dict`, `_dump_value`, `_dump_table`, `_format_output`),
/// so scripts written against Optuna's CLI read symstudy's the same way.
enum OptunaOutput {
    /// Formats a list of records (a JSON or YAML list).
    static func format(_ records: [OutputRecord], columns: [OutputColumn], as format: OutputFormat, flatten: Bool) -> String {
        let (rows, header) = convert(records, columns: columns, flatten: flatten)
        return render(rows: rows, header: header, format: format, single: false)
    }

    /// Formats one record (a JSON or YAML object).
    static func format(_ record: OutputRecord, columns: [OutputColumn], as format: OutputFormat, flatten: Bool) -> String {
        let (rows, header) = convert([record], columns: columns, flatten: flatten)
        return render(rows: rows, header: header, format: format, single: true)
    }

    private static func render(rows: [[(key: String, value: OutputValue)]], header: [String], format: OutputFormat, single: Bool) -> String {
        switch format {
        case .value: return dumpValue(rows, header: header).trimmingCharacters(in: .whitespacesAndNewlines)
        case .table: return dumpTable(rows, header: header).trimmingCharacters(in: .whitespacesAndNewlines)
        case .json:
            let values = rows.map { OutputValue.dict($0) }
            return (single ? values[0] : .list(values)).pythonJSON
        case .yaml:
            let values = rows.map { OutputValue.dict($0) }
            return YAMLText.dump(single ? values[0] : .list(values))
        case .csv: return dumpCSV(rows, header: header)
        }
    }

    /// Records as ordered dicts: flattened (`params_x` columns) or nested (`params: {x: ...}`).
    static func convert(_ records: [OutputRecord], columns: [OutputColumn], flatten: Bool) -> ([[(key: String, value: OutputValue)]], [String]) {
        var header: [String] = []
        var rows: [[(key: String, value: OutputValue)]] = []
        if flatten {
            func isList(_ column: OutputColumn) -> Bool {
                records.contains { $0[column]?.sequenceItems != nil }
            }
            for column in columns {
                if column.sub != .none || !isList(column) {
                    header.append(column.flatName)
                } else {
                    let length = records.map { $0[column]?.sequenceItems?.count ?? 0 }.max() ?? 0
                    header.append(contentsOf: (0..<length).map { "\(column.name)_\($0)" })
                }
            }
            for record in records {
                var row: [(key: String, value: OutputValue)] = []
                for column in columns {
                    guard let value = record[column] else { continue }
                    if column.sub == .none, isList(column), let items = value.sequenceItems {
                        for (index, item) in items.enumerated() { row.append(("\(column.name)_\(index)", item)) }
                    } else {
                        row.append((column.flatName, value))
                    }
                }
                rows.append(row)
            }
        } else {
            for column in columns where !header.contains(column.name) { header.append(column.name) }
            for record in records {
                var attributes: [String: OutputValue] = [:]
                for column in columns {
                    guard let value = record[column] else { continue }
                    switch column.sub {
                    case .none:
                        attributes[column.name] = value
                    case .index(let index):
                        var items: [OutputValue] = []
                        if case .list(let existing) = attributes[column.name] { items = existing }
                        while items.count <= index { items.append(.null) }
                        items[index] = value
                        attributes[column.name] = .list(items)
                    case .key(let key):
                        var members: [(key: String, value: OutputValue)] = []
                        if case .dict(let existing) = attributes[column.name] { members = existing }
                        members.append((key, value))
                        attributes[column.name] = .dict(members)
                    }
                }
                // Optuna starts every header column as {}: a record without it prints {}.
                rows.append(header.map { (key: $0, value: attributes[$0] ?? .dict([])) })
            }
        }
        return (rows, header)
    }

    private static func lookup(_ row: [(key: String, value: OutputValue)], _ name: String) -> OutputValue? {
        row.first { $0.key == name }?.value
    }

    private static func dumpValue(_ rows: [[(key: String, value: OutputValue)]], header: [String]) -> String {
        rows.map { row in
            header.map { name -> String in
                guard let value = lookup(row, name), value != .null else { return "" }
                return value.pythonStr
            }.joined(separator: " ")
        }.joined(separator: "\n")
    }

    private static func dumpTable(_ rows: [[(key: String, value: OutputValue)]], header: [String]) -> String {
        var separator = "+", headerLine = "|"
        var lines = Array(repeating: "|", count: rows.count)
        for name in header {
            let cells = rows.map { lookup($0, name) }
            let numeric = cells.allSatisfy { cell in cell == nil || cell == .null || cell!.isNumeric }
            let width = max(name.count, cells.map { ($0 ?? .null).pythonStr.count }.max() ?? 0)
            separator += String(repeating: "-", count: width + 2) + "+"
            headerLine += " " + pad(name, width, right: numeric) + " |"
            for (index, cell) in cells.enumerated() {
                let text = (cell == nil || cell == .null) ? String(repeating: " ", count: width) : pad(cell!.pythonStr, width, right: numeric)
                lines[index] += " " + text + " |"
            }
        }
        return ([separator, headerLine, separator] + lines + [separator]).joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int, right: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }

    /// RFC 4180 CSV of the flattened or nested records (nested values as JSON).
    private static func dumpCSV(_ rows: [[(key: String, value: OutputValue)]], header: [String]) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = [header.map(field).joined(separator: ",")]
        for row in rows {
            lines.append(header.map { name -> String in
                guard let value = lookup(row, name) else { return "" }
                switch value {
                case .null: return ""
                case .list, .tuple, .dict: return field(value.pythonJSON)
                case .string(let text): return field(text)
                default: return field(value.pythonStr)
                }
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }
}
