import StudyEngine

/// Which trials a table page shows and in which order: `state` (comma-separated states), `q` (text that the
/// number, state, a `name=value` parameter or the expression must contain, case-insensitively), `sort`
/// (`number`, `state`, `value`, `value1`..., `duration`, `size`, `param:NAME`), `order` (`asc`, `desc`),
/// `offset` and `limit` (at most 500).
public struct TrialQuery: Sendable, Equatable {
    public enum SortKey: Sendable, Equatable {
        case number, state, duration, size
        case value(Int)
        case parameter(String)
    }

    public var states: Set<TrialState>?
    public var text: String?
    public var sort: SortKey
    public var descending: Bool
    public var offset: Int
    public var limit: Int

    public static let maximumLimit = 500

    public init(states: Set<TrialState>? = nil, text: String? = nil, sort: SortKey = .number, descending: Bool = false,
                offset: Int = 0, limit: Int = 50) {
        self.states = states
        self.text = text
        self.sort = sort
        self.descending = descending
        self.offset = offset
        self.limit = limit
    }

    /// Reads the query from URL parameters; throws `DashboardError.badOption` naming the parameter at fault.
    public init(parameters: [String: String]) throws {
        self.init()
        if let list = parameters["state"], !list.isEmpty {
            var states: Set<TrialState> = []
            for name in list.split(separator: ",") {
                guard let state = TrialState(optunaName: String(name)) else {
                    throw DashboardError.badOption(name: "state", reason: "'\(name)' is not one of RUNNING, COMPLETE, PRUNED, FAIL, WAITING")
                }
                states.insert(state)
            }
            self.states = states
        }
        if let text = parameters["q"], !text.isEmpty { self.text = text }
        if let key = parameters["sort"], !key.isEmpty {
            switch key {
            case "number": sort = .number
            case "state": sort = .state
            case "duration": sort = .duration
            case "size": sort = .size
            case "value": sort = .value(0)
            default:
                if key.hasPrefix("param:"), key.count > 6 {
                    sort = .parameter(String(key.dropFirst(6)))
                } else if key.hasPrefix("value"), let index = Int(key.dropFirst(5)), index >= 0 {
                    sort = .value(index)
                } else {
                    throw DashboardError.badOption(name: "sort", reason: "'\(key)' is not number, state, value, valueN, duration, size or param:NAME")
                }
            }
        }
        switch parameters["order"] {
        case nil, "", "asc": descending = false
        case "desc": descending = true
        case let other?: throw DashboardError.badOption(name: "order", reason: "'\(other)' is not asc or desc")
        }
        for (name, bound) in [("offset", Int.max), ("limit", Self.maximumLimit)] {
            guard let text = parameters[name], !text.isEmpty else { continue }
            guard let value = Int(text), value >= 0, value <= bound else {
                throw DashboardError.badOption(name: name, reason: "'\(text)' is not a whole number from 0 to \(bound)")
            }
            if name == "offset" { offset = value } else { limit = value }
        }
    }

    /// The name of the sort key, as the query gives it.
    var sortName: String {
        switch sort {
        case .number: return "number"
        case .state: return "state"
        case .duration: return "duration"
        case .size: return "size"
        case .value(let index): return index == 0 ? "value" : "value\(index)"
        case .parameter(let name): return "param:" + name
        }
    }

    /// The table page this query selects from `snapshot`.
    func page(of snapshot: StudySnapshot) -> TrialsPage {
        let needle = text?.lowercased()
        var indices = snapshot.trials.indices.filter { index in
            let trial = snapshot.trials[index]
            if let states, !states.contains(trial.state) { return false }
            guard let needle else { return true }
            return Self.searchText(snapshot, index).contains(needle)
        }
        // Trials without a sort value go last in either order; ties keep number order.
        let keys = indices.map { sortValue(snapshot, $0) }
        var order = Array(indices.indices)
        order.sort { a, b in
            switch (keys[a], keys[b]) {
            case (nil, nil): return indices[a] < indices[b]
            case (nil, _): return false
            case (_, nil): return true
            case let (ka?, kb?):
                if ka == kb { return indices[a] < indices[b] }
                return descending ? ka > kb : ka < kb
            }
        }
        indices = order.map { indices[$0] }
        let start = min(offset, indices.count)
        let end = min(start + limit, indices.count)
        return TrialsPage(total: snapshot.trials.count, matched: indices.count, offset: offset, limit: limit, sort: sortName,
                          order: descending ? "desc" : "asc",
                          rows: indices[start..<end].map { TrialRow(snapshot: snapshot, index: $0) })
    }

    private func sortValue(_ snapshot: StudySnapshot, _ index: Int) -> SortValue? {
        let trial = snapshot.trials[index]
        switch sort {
        case .number: return .number(Double(trial.number))
        case .state: return .text(trial.state.optunaName)
        case .duration: return trial.duration.map(SortValue.number)
        case .size: return snapshot.expressions[index]?.size.map { .number(Double($0)) }
        case .value(let objective):
            guard let values = trial.values, objective < values.count, !values[objective].isNaN else { return nil }
            return .number(values[objective])
        case .parameter(let name):
            guard let value = trial.params[name] else { return nil }
            if let number = value.doubleValue ?? value.intValue.map(Double.init), value.stringValue == nil { return .number(number) }
            return .text(value.description)
        }
    }

    private static func searchText(_ snapshot: StudySnapshot, _ index: Int) -> String {
        let trial = snapshot.trials[index]
        var text = "\(trial.number) \(trial.state.optunaName) "
        for (name, value) in trial.params { text += "\(name)=\(value.description) " }
        if let expression = snapshot.expressions[index]?.text { text += expression }
        return text.lowercased()
    }
}

/// A sort key: numbers before text, each in its natural order.
private enum SortValue: Comparable {
    case number(Double)
    case text(String)
}
