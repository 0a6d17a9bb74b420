import Environments
import Foundation
import StudyEngine

/// A teacher's state-action pairs to distil: DiffSES JSON (`[{"state": [{"type", "x_velocity", "y_velocity",
/// "x_position", "y_position"}, ...], "teacher_action": a}, ...]`, `a` an integer or a list of numbers) or the
/// CSV that `DatasetRecorder` writes (`o<i>_type,o<i>_x,o<i>_y,o<i>_vx,o<i>_vy`... then `teacher_action`, empty
/// slots for absent objects). Every record is checked; a bad one is named by its index and key.
public struct DistillDataset: Sendable {
    /// Where the records came from (for errors and reports).
    public var source: String
    public var states: [[ObjectState]]
    /// The teacher's actions: one value per record (discrete ids, or one component for continuous actions).
    public var actions: [[Double]]

    public init(source: String, states: [[ObjectState]], actions: [[Double]]) {
        self.source = source
        self.states = states
        self.actions = actions
    }

    public var count: Int { states.count }

    /// True when every action is one integer.
    public var isDiscrete: Bool { actions.allSatisfy { $0.count == 1 && $0[0] == $0[0].rounded() } }

    /// The discrete action ids, in record order (nil when the actions are not discrete).
    public var discreteActions: [Int]? { isDiscrete ? actions.map { Int($0[0]) } : nil }

    /// Reads a `.json` or `.csv` file.
    public static func load(_ path: String) throws -> DistillDataset {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DatasetError.unreadable(file: path, reason: FileManager.default.fileExists(atPath: path) ? error.localizedDescription : "no such file")
        }
        if path.lowercased().hasSuffix(".csv") { return try parseCSV(String(decoding: data, as: UTF8.self), source: path) }
        return try parseJSON(data, source: path)
    }

    /// Parses DiffSES JSON.
    public static func parseJSON(_ data: Data, source: String) throws -> DistillDataset {
        let root: JSONValue
        do { root = try JSONValue.parse(String(decoding: data, as: UTF8.self)) } catch let error as JSONParseError {
            throw DatasetError.notJSON(file: source, offset: error.offset, reason: error.reason)
        }
        guard let records = root.arrayValue else {
            throw DatasetError.notJSON(file: source, offset: 0, reason: "the dataset must be a list of records, not \(describe(root))")
        }
        guard !records.isEmpty else { throw DatasetError.empty(file: source) }
        var states: [[ObjectState]] = [], actions: [[Double]] = []
        states.reserveCapacity(records.count)
        actions.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            func bad(_ key: String, _ problem: String) -> DatasetError { .record(file: source, index: index, key: key, problem: problem) }
            guard let fields = record.objectValue else { throw bad("", "a record must be an object with 'state' and 'teacher_action', not \(describe(record))") }
            guard let stateValue = fields["state"] else { throw bad("state", "missing") }
            guard let objects = stateValue.arrayValue else { throw bad("state", "must be a list of objects, not \(describe(stateValue))") }
            var state: [ObjectState] = []
            state.reserveCapacity(objects.count)
            for (position, object) in objects.enumerated() {
                let at = "state[\(position)]"
                guard let o = object.objectValue else { throw bad(at, "must be an object, not \(describe(object))") }
                func number(_ key: String) throws -> Double {
                    guard let value = o[key] else { throw bad("\(at).\(key)", "missing") }
                    guard let number = value.doubleValue else { throw bad("\(at).\(key)", "must be a number, not \(describe(value))") }
                    guard number.isFinite else { throw bad("\(at).\(key)", "\(number) is not finite") }
                    return number
                }
                guard let typeValue = o["type"] else { throw bad("\(at).type", "missing") }
                guard let type = typeValue.intValue else { throw bad("\(at).type", "must be an integer, not \(describe(typeValue))") }
                state.append(ObjectState(type: type, x: try number("x_position"), y: try number("y_position"),
                                         xVelocity: try number("x_velocity"), yVelocity: try number("y_velocity")))
            }
            guard let actionValue = fields["teacher_action"] else { throw bad("teacher_action", "missing") }
            let action: [Double]
            if let number = actionValue.doubleValue {
                action = [number]
            } else if let list = actionValue.arrayValue, !list.isEmpty, list.allSatisfy({ $0.doubleValue != nil }) {
                action = list.map { $0.doubleValue! }
            } else {
                throw bad("teacher_action", "must be a number or a list of numbers, not \(describe(actionValue))")
            }
            guard action.allSatisfy(\.isFinite) else { throw bad("teacher_action", "\(action) is not finite") }
            if index > 0, action.count != actions[0].count {
                throw bad("teacher_action", "has \(action.count) component(s), record 0 has \(actions[0].count)")
            }
            states.append(state)
            actions.append(action)
        }
        return DistillDataset(source: source, states: states, actions: actions)
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return "the boolean \(flag)"
        case .int, .double: return "the number \(value.jsonText)"
        case .string(let text): return "the text \"\(text.prefix(40))\""
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// Parses `DatasetRecorder`'s CSV.
    public static func parseCSV(_ text: String, source: String) throws -> DistillDataset {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let headerLine = lines.first, lines.count > 1 else { throw DatasetError.empty(file: source) }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard header.last == "teacher_action", (header.count - 1) % 5 == 0 else {
            throw DatasetError.csv(file: source, row: -1, column: header.last ?? "",
                                   problem: "the header must be o<i>_type,o<i>_x,o<i>_y,o<i>_vx,o<i>_vy for each object slot, then teacher_action (as `symstudy record --format csv` writes)")
        }
        let slots = (header.count - 1) / 5
        for slot in 0..<slots {
            for (offset, field) in ["type", "x", "y", "vx", "vy"].enumerated() where header[slot * 5 + offset] != "o\(slot)_\(field)" {
                throw DatasetError.csv(file: source, row: -1, column: header[slot * 5 + offset], problem: "expected the column o\(slot)_\(field) here")
            }
        }
        var states: [[ObjectState]] = [], actions: [[Double]] = []
        for (row, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == header.count else {
                throw DatasetError.csv(file: source, row: row, column: header[min(fields.count, header.count - 1)],
                                       problem: "the row has \(fields.count) fields, the header \(header.count)")
            }
            func number(_ column: Int) throws -> Double {
                guard let value = Double(fields[column]), value.isFinite else {
                    throw DatasetError.csv(file: source, row: row, column: header[column], problem: "'\(fields[column])' is not a finite number")
                }
                return value
            }
            var state: [ObjectState] = []
            for slot in 0..<slots {
                let base = slot * 5
                let group = fields[base..<base + 5]
                if group.allSatisfy(\.isEmpty) { continue }
                guard let type = Int(fields[base]) else {
                    throw DatasetError.csv(file: source, row: row, column: header[base], problem: "'\(fields[base])' is not an integer object type")
                }
                state.append(ObjectState(type: type, x: try number(base + 1), y: try number(base + 2),
                                         xVelocity: try number(base + 3), yVelocity: try number(base + 4)))
            }
            let actionColumn = header.count - 1
            let parts = fields[actionColumn].split(separator: ";")
            let action = parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, action.count == parts.count, action.allSatisfy(\.isFinite) else {
                throw DatasetError.csv(file: source, row: row, column: "teacher_action", problem: "'\(fields[actionColumn])' is not a number (or numbers separated by ';')")
            }
            states.append(state)
            actions.append(action)
        }
        return DistillDataset(source: source, states: states, actions: actions)
    }
}
