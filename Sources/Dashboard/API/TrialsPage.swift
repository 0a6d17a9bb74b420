/// A page of a study's trials table (`GET /api/studies/{id}/trials`).
public struct TrialsPage: Sendable, Codable {
    /// Trials in the study.
    public var total: Int
    /// Trials that pass the filter.
    public var matched: Int
    public var offset: Int
    public var limit: Int
    public var sort: String
    public var order: String
    public var rows: [TrialRow]
}
