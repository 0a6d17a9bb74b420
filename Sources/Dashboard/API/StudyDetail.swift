import StudyEngine

/// A study's page header and what its charts and tables offer (`GET /api/studies/{id}`).
public struct StudyDetail: Sendable, Codable {
    public var id: Int
    public var name: String
    public var directions: [String]
    public var objectiveNames: [String]
    public var trialCount: Int
    public var counts: [String: Int]
    public var lastActivity: String?
    /// Changes whenever the trials change; pages poll it to know when to redraw.
    public var revision: String
    public var userAttributes: [String: JSONValue]
    public var parameters: [ParameterInfo]
    /// The best trial (one objective) or the Pareto front (several).
    public var best: [TrialSummary]
    /// The best COMPLETE trials that store an expression, best first.
    public var topExpressions: [TopExpression]
    public var hasIntermediateValues: Bool
    public var hasExpressions: Bool
    /// The chart kinds of `GET /api/studies/{id}/charts/{kind}.svg`.
    public var charts: [String]
    public var importanceMethods: [String]

    init(snapshot: StudySnapshot, top: Int) {
        let item = StudyListItem(snapshot: snapshot)
        id = item.id
        name = item.name
        directions = item.directions
        objectiveNames = item.objectiveNames
        trialCount = item.trialCount
        counts = item.counts
        lastActivity = item.lastActivity
        revision = snapshot.revision
        userAttributes = snapshot.userAttributes
        parameters = snapshot.parameterNames.map { ParameterInfo(name: $0, distribution: snapshot.distributions[$0]!) }
        best = snapshot.paretoIndices().prefix(50).map { TrialSummary(snapshot: snapshot, index: $0) }
        topExpressions = snapshot.rankedExpressionIndices().prefix(top).map { TopExpression(snapshot: snapshot, index: $0) }
        hasIntermediateValues = snapshot.trials.contains { !$0.intermediateValues.isEmpty }
        hasExpressions = snapshot.expressions.contains { $0 != nil }
        charts = ChartKind.allCases.map(\.rawValue)
        importanceMethods = ImportanceMethod.allCases.map(\.rawValue)
    }
}
