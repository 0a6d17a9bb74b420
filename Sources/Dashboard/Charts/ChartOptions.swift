/// What a chart shows beyond its kind; every field has a default, so `ChartOptions()` draws the usual chart.
public struct ChartOptions: Sendable, Hashable {
    /// The objective drawn (index into the study's directions).
    public var objective: Int
    /// The second objective of a Pareto chart of a multi-objective study.
    public var secondObjective: Int
    /// The parameters drawn by slice and parallel charts; nil for all.
    public var parameters: [String]?
    /// The parameters on the axes of a contour; nil picks the first two.
    public var x: String?
    public var y: String?
    /// How importances are computed.
    public var importance: ImportanceMethod
    /// Plot the objective on a log scale (when all values are positive).
    public var logScale: Bool
    /// Link marks to their trial pages (on in the dashboard, off in files).
    public var links: Bool

    public init(objective: Int = 0, secondObjective: Int = 1, parameters: [String]? = nil, x: String? = nil,
                y: String? = nil, importance: ImportanceMethod = .pedAnova, logScale: Bool = false, links: Bool = false) {
        self.objective = objective
        self.secondObjective = secondObjective
        self.parameters = parameters
        self.x = x
        self.y = y
        self.importance = importance
        self.logScale = logScale
        self.links = links
    }
}

extension ChartOptions {
    /// Reads options from URL query parameters: `objective`, `objective2`, `param` (comma-separated), `x`, `y`,
    /// `method` (`ped-anova`, `fanova`, `mdi`), `log` (`1` or `true`). Throws `DashboardError.badOption`.
    public init(parameters: [String: String], links: Bool) throws {
        self.init(links: links)
        func index(_ name: String) throws -> Int? {
            guard let text = parameters[name], !text.isEmpty else { return nil }
            guard let value = Int(text), value >= 0 else {
                throw DashboardError.badOption(name: name, reason: "'\(text)' is not an objective index (0, 1, ...)")
            }
            return value
        }
        objective = try index("objective") ?? 0
        secondObjective = try index("objective2") ?? (objective == 0 ? 1 : 0)
        if let list = parameters["param"], !list.isEmpty { self.parameters = list.split(separator: ",").map(String.init) }
        if let x = parameters["x"], !x.isEmpty { self.x = x }
        if let y = parameters["y"], !y.isEmpty { self.y = y }
        if let text = parameters["method"], !text.isEmpty {
            guard let method = ImportanceMethod(rawValue: text) else {
                throw DashboardError.badOption(name: "method", reason: "'\(text)' is not one of \(ImportanceMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            importance = method
        }
        if let text = parameters["log"] { logScale = ["1", "true", "yes"].contains(text.lowercased()) }
    }
}
