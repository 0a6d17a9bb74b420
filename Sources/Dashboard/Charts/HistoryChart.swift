import StudyEngine

/// The optimisation history: each COMPLETE trial's value by trial number, and the best value so far.
enum HistoryChart {
    static func render(_ snapshot: StudySnapshot, options: ChartOptions) -> String {
        let objective = options.objective
        let name = snapshot.objectiveNames[objective]
        let title = "Optimisation history: \(snapshot.name)"
        let indices = snapshot.completeIndices(objective: objective)
        guard !indices.isEmpty else { return ChartFrame.message(title: title, "No complete trial yet.") }
        let frame = ChartFrame(width: 760, height: 360)
        let values = indices.map { snapshot.value(of: snapshot.trials[$0], objective: objective)! }
        let numbers = snapshot.trials.map { Double($0.number) }
        let x = AxisScale.fitting(numbers, start: frame.left, end: frame.right, padding: 0.02)
        let y = AxisScale.fitting(values, start: frame.bottom, end: frame.top, log: options.logScale)
        var svg = frame.begin(title: title)
        frame.drawAxes(&svg, x: x, y: y, xLabel: "trial", yLabel: name)
        svg.beginGroup(className: "trials")
        for (index, value) in zip(indices, values) {
            let trial = snapshot.trials[index]
            if options.links { svg.beginLink(TrialLink.path(study: snapshot.id, number: trial.number)) }
            svg.circle(cx: x.position(Double(trial.number)), cy: y.position(value), r: 3, fill: ColorScale.complete,
                       opacity: 0.7, title: "trial \(trial.number): \(ValueFormat.exact(value))")
            if options.links { svg.endLink() }
        }
        svg.endGroup()
        let direction = snapshot.directions[objective]
        var best = values[0]
        var points: [(x: Double, y: Double)] = []
        for (index, value) in zip(indices, values) {
            let px = x.position(Double(snapshot.trials[index].number))
            if direction.isBetter(value, than: best) {
                points.append((px, y.position(best)))
                best = value
            }
            points.append((px, y.position(best)))
        }
        points.append((frame.right, y.position(best)))
        svg.polyline(points, stroke: ColorScale.best, width: 2, title: "best so far: \(ValueFormat.exact(best))", className: "best-line")
        frame.drawLegend(&svg, [(ColorScale.complete, name, false), (ColorScale.best, "best so far", true)])
        return svg.document
    }
}
