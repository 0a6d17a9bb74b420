/// The empirical distribution function of the objective over COMPLETE trials: the fraction of trials whose
/// value is at most x.
enum EDFChart {
    static func render(_ snapshot: StudySnapshot, options: ChartOptions) -> String {
        let objective = options.objective
        let name = snapshot.objectiveNames[objective]
        let title = "Empirical distribution: \(snapshot.name)"
        let values = snapshot.completeIndices(objective: objective).map { snapshot.value(of: snapshot.trials[$0], objective: objective)! }.sorted()
        guard !values.isEmpty else { return ChartFrame.message(title: title, "No complete trial yet.") }
        let frame = ChartFrame(width: 760, height: 340)
        let x = AxisScale.fitting(values, start: frame.left, end: frame.right, padding: 0.02, log: options.logScale)
        let y = AxisScale(kind: .linear, low: 0, high: 1, start: frame.bottom, end: frame.top)
        var svg = frame.begin(title: title)
        frame.drawAxes(&svg, x: x, y: y, xLabel: name, yLabel: "cumulative probability")
        var points: [(x: Double, y: Double)] = [(frame.left, y.position(0))]
        let count = Double(values.count)
        var index = 0
        while index < values.count {
            var next = index
            while next + 1 < values.count, values[next + 1] == values[index] { next += 1 }
            let px = x.position(values[index])
            points.append((px, y.position(Double(index) / count)))
            points.append((px, y.position(Double(next + 1) / count)))
            index = next + 1
        }
        points.append((frame.right, y.position(1)))
        svg.polyline(points, stroke: ColorScale.complete, width: 2, title: "\(values.count) complete trials", className: "edf-line")
        return svg.document
    }
}
