import StudyEngine

/// A trial in short, as lists of studies and best trials show it.
public struct TrialSummary: Sendable, Codable {
    public var number: Int
    public var state: String
    public var values: [Double]?
    /// The expression's node count, when one is stored.
    public var size: Int?
    /// The expression's text, cut for lists.
    public var expression: String?

    init(snapshot: StudySnapshot, index: Int, textLimit: Int = 80) {
        let trial = snapshot.trials[index]
        number = trial.number
        state = trial.state.optunaName
        values = trial.values
        size = snapshot.expressions[index]?.size
        expression = snapshot.expressions[index]?.shortText(limit: textLimit)
    }
}
