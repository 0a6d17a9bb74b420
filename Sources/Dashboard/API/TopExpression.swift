/// One of a study's best expressions: its trial, values and the whole expression (text, LaTeX, tree, outputs).
public struct TopExpression: Sendable, Codable {
    public var number: Int
    public var values: [Double]?
    public var size: Int?
    public var expression: ExpressionView

    init(snapshot: StudySnapshot, index: Int) {
        number = snapshot.trials[index].number
        values = snapshot.trials[index].values
        size = snapshot.expressions[index]?.size
        expression = snapshot.expressions[index] ?? ExpressionView()
    }
}
