import StudyEngine

/// Everything about one trial (`GET /api/studies/{id}/trials/{number}`).
public struct TrialDetail: Sendable, Codable {
    public struct Parameter: Sendable, Codable {
        public var name: String
        /// The value as the objective saw it.
        public var value: JSONValue
        public var distribution: ParameterInfo?
    }

    public struct IntermediateValue: Sendable, Codable {
        public var step: Int
        public var value: Double
    }

    /// Text to copy: the expression in each form the storage holds, and the commands that export it.
    public struct Exports: Sendable, Codable {
        public var text: String?
        public var latex: String?
        public var json: String?
        public var commands: [String]
    }

    public var studyID: Int
    public var studyName: String
    public var directions: [String]
    public var objectiveNames: [String]
    public var number: Int
    public var id: Int
    public var state: String
    public var values: [Double]?
    public var datetimeStart: String?
    public var datetimeComplete: String?
    public var duration: Double?
    public var params: [Parameter]
    public var intermediateValues: [IntermediateValue]
    /// Every user attribute as stored, `expression` included.
    public var userAttributes: [String: JSONValue]
    public var expression: ExpressionView?
    public var exports: Exports?
    public var revision: String

    /// User attributes nested deeper than this are answered as their JSON text below that depth (JSON
    /// encoders refuse very deep documents).
    static let attributeDepth = 32

    init(snapshot: StudySnapshot, index: Int) {
        let trial = snapshot.trials[index]
        studyID = snapshot.id
        studyName = snapshot.name
        directions = snapshot.directions.map(\.optunaName)
        objectiveNames = snapshot.objectiveNames
        number = trial.number
        id = trial.id
        state = trial.state.optunaName
        values = trial.values
        datetimeStart = trial.datetimeStart.map(DateText.iso)
        datetimeComplete = trial.datetimeComplete.map(DateText.iso)
        duration = trial.duration
        params = trial.params.keys.sorted().map { name in
            Parameter(name: name, value: trial.params[name]!.jsonValue,
                      distribution: trial.distributions[name].map { ParameterInfo(name: name, distribution: $0) })
        }
        intermediateValues = trial.intermediateValues.keys.sorted().map { IntermediateValue(step: $0, value: trial.intermediateValues[$0]!) }
        userAttributes = trial.userAttributes.mapValues { $0.nestingCut(at: Self.attributeDepth) }
        expression = snapshot.expressions[index]
        revision = snapshot.revision
        if let expression {
            let quoted = "'" + snapshot.name.replacingOccurrences(of: "'", with: "'\\''") + "'"
            exports = Exports(
                text: expression.text, latex: expression.latex,
                json: trial.userAttributes[ExpressionView.attributeKey]?.jsonText,
                commands: ["python", "swift", "c", "latex", "sympy", "json"].map {
                    "symstudy export \(quoted) --trial \(trial.number) --format \($0)"
                })
        } else {
            exports = nil
        }
    }
}

extension JSONValue {
    /// The value with everything nested below `depth` levels replaced by its JSON text.
    func nestingCut(at depth: Int) -> JSONValue {
        switch self {
        case .array(let values):
            return depth <= 0 ? .string(jsonText) : .array(values.map { $0.nestingCut(at: depth - 1) })
        case .object(let members):
            return depth <= 0 ? .string(jsonText) : .object(members.mapValues { $0.nestingCut(at: depth - 1) })
        default:
            return self
        }
    }
}
