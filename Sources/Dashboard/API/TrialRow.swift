import StudyEngine

/// One row of a study's trials table.
public struct TrialRow: Sendable, Codable {
    public var number: Int
    public var state: String
    public var values: [Double]?
    /// Parameter values as text (a categorical's choice as it was given).
    public var params: [String: String]
    public var datetimeStart: String?
    public var datetimeComplete: String?
    /// Seconds from start to completion.
    public var duration: Double?
    /// The highest step with an intermediate value.
    public var lastStep: Int?
    public var size: Int?
    public var expression: String?

    init(snapshot: StudySnapshot, index: Int) {
        let trial = snapshot.trials[index]
        number = trial.number
        state = trial.state.optunaName
        values = trial.values
        params = trial.params.mapValues(\.description)
        datetimeStart = trial.datetimeStart.map(DateText.iso)
        datetimeComplete = trial.datetimeComplete.map(DateText.iso)
        duration = trial.duration
        lastStep = trial.lastStep
        size = snapshot.expressions[index]?.size
        expression = snapshot.expressions[index]?.shortText(limit: 120)
    }
}
