import Foundation
import StudyEngine

/// One row of the studies page (`GET /api/studies`).
public struct StudyListItem: Sendable, Codable {
    public var id: Int
    public var name: String
    public var directions: [String]
    public var objectiveNames: [String]
    public var trialCount: Int
    /// Trials per state, by Optuna's state names (`COMPLETE`, `PRUNED`, ...); states without trials are left out.
    public var counts: [String: Int]
    /// The best COMPLETE trial (one objective), or nil.
    public var best: TrialSummary?
    /// The number of trials on the Pareto front (several objectives).
    public var paretoSize: Int?
    /// ISO 8601 time of the latest trial start or completion.
    public var lastActivity: String?
    public var userAttributes: [String: JSONValue]

    init(snapshot: StudySnapshot) {
        id = snapshot.id
        name = snapshot.name
        directions = snapshot.directions.map(\.optunaName)
        objectiveNames = snapshot.objectiveNames
        trialCount = snapshot.trials.count
        counts = Dictionary(uniqueKeysWithValues: snapshot.counts.map { ($0.key.optunaName, $0.value) })
        if snapshot.directions.count == 1 {
            best = snapshot.bestIndex().map { TrialSummary(snapshot: snapshot, index: $0, textLimit: 60) }
            paretoSize = nil
        } else {
            best = nil
            paretoSize = snapshot.paretoIndices().count
        }
        lastActivity = snapshot.lastActivity.map(DateText.iso)
        userAttributes = snapshot.userAttributes
    }
}
