import StudyEngine

/// Draws the charts of a study as SVG documents: what the dashboard serves and `symstudy plot` writes.
public enum ChartRenderer {
    /// The chart `kind` of `snapshot`.
    ///
    /// - Parameters:
    ///   - storage: read again only for importances (StudyEngine's evaluators read their study themselves).
    /// - Throws: `DashboardError.badOption` for an objective or parameter the study does not have.
    public static func render(_ kind: ChartKind, snapshot: StudySnapshot, options: ChartOptions,
                              storage: any StudyStorage) throws -> String {
        try validate(options, for: snapshot)
        switch kind {
        case .history: return HistoryChart.render(snapshot, options: options)
        case .intermediate: return IntermediateChart.render(snapshot, options: options)
        case .parallel: return ParallelCoordinatesChart.render(snapshot, options: options)
        case .slice: return SliceChart.render(snapshot, options: options)
        case .contour: return ContourChart.render(snapshot, options: options)
        case .edf: return EDFChart.render(snapshot, options: options)
        case .pareto: return ParetoChart.render(snapshot, options: options)
        case .importance:
            let result = Result { try ImportanceResult.compute(snapshot: snapshot, storage: storage, method: options.importance,
                                                               objective: options.objective) }
            return try importanceChart(snapshot: snapshot, options: options, result: result)
        }
    }

    /// The importance chart from importances computed already; a study too small to assess gets a chart
    /// that says why.
    static func importanceChart(snapshot: StudySnapshot, options: ChartOptions,
                                result: Result<ImportanceResult, any Error>) throws -> String {
        do {
            let importances = try result.get()
            return ImportanceChart.render(studyName: snapshot.name, importances: importances.entries,
                                          method: options.importance, objectiveName: snapshot.objectiveNames[options.objective])
        } catch let error as ImportanceError {
            return ChartFrame.message(title: "Parameter importances (\(options.importance.label)): \(snapshot.name)",
                                      ChartFrame.truncated(error.localizedDescription, 110), width: 760)
        }
    }

    /// The intermediate curve of the trial with `number`.
    public static func trialIntermediate(snapshot: StudySnapshot, number: Int, options: ChartOptions = ChartOptions()) throws -> String {
        guard let index = snapshot.index(ofTrialNumber: number) else { throw DashboardError.trialNotFound(study: snapshot.name, number: String(number)) }
        return IntermediateChart.render(snapshot, trialIndex: index, options: options)
    }

    /// The tree of a trial's expression (of output `output` for a multi-output expression).
    public static func expressionTree(snapshot: StudySnapshot, number: Int, output: Int?) throws -> String {
        guard let index = snapshot.index(ofTrialNumber: number) else { throw DashboardError.trialNotFound(study: snapshot.name, number: String(number)) }
        let title = "Trial \(number)"
        guard let expression = snapshot.expressions[index] else {
            return ChartFrame.message(title: title, "The trial stores no expression.", width: 360, height: 100)
        }
        var shown = expression
        if let output {
            guard output >= 0, output < expression.outputs.count else {
                throw DashboardError.badOption(name: "output", reason: "the expression has \(expression.outputs.count) outputs, numbered from 0")
            }
            shown = expression.outputs[output]
        }
        guard let tree = shown.tree else {
            return ChartFrame.message(title: title, "The expression stores no tree.", width: 360, height: 100)
        }
        return ExpressionTreeChart.render(tree, title: shown.name.map { "\(title): \($0)" } ?? title)
    }

    static func validate(_ options: ChartOptions, for snapshot: StudySnapshot) throws {
        let count = snapshot.directions.count
        guard options.objective >= 0, options.objective < count else {
            throw DashboardError.badOption(name: "objective", reason: "the study has \(count) objective(s), numbered from 0")
        }
        guard options.secondObjective >= 0, options.secondObjective < max(count, 2) else {
            throw DashboardError.badOption(name: "objective2", reason: "the study has \(count) objective(s), numbered from 0")
        }
        for (name, value) in [("x", options.x), ("y", options.y)] {
            if let value, snapshot.distributions[value] == nil {
                throw DashboardError.badOption(name: name, reason: "the study has no parameter '\(value)'")
            }
        }
        for value in options.parameters ?? [] where snapshot.distributions[value] == nil {
            throw DashboardError.badOption(name: "param", reason: "the study has no parameter '\(value)'")
        }
    }
}
