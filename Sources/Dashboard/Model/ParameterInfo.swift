import StudyEngine

/// A parameter of a study as the pages and charts describe it: its name and the distribution its latest
/// trial drew it from.
public struct ParameterInfo: Sendable, Hashable, Codable {
    public var name: String
    /// `float`, `int` or `categorical`.
    public var kind: String
    public var low: Double?
    public var high: Double?
    public var log: Bool
    public var choices: [String]?

    init(name: String, distribution: ParameterDistribution) {
        self.name = name
        switch distribution {
        case .float(let d):
            kind = "float"; low = d.low; high = d.high; log = d.log; choices = nil
        case .int(let d):
            kind = "int"; low = Double(d.low); high = Double(d.high); log = d.log; choices = nil
        case .categorical(let d):
            kind = "categorical"; low = nil; high = nil; log = false; choices = d.choices.map(\.description)
        }
    }
}
