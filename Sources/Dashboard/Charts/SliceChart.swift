import StudyEngine

/// Slice plots: for each parameter a panel of the objective against the parameter's value, one point per
/// COMPLETE trial, coloured by trial number (later trials brighter).
enum SliceChart {
    static let panelWidth = 300.0, panelHeight = 240.0, columns = 3

    static func render(_ snapshot: StudySnapshot, options: ChartOptions) -> String {
        let objective = options.objective
        let title = "Slice: \(snapshot.name)"
        let parameters = (options.parameters ?? snapshot.parameterNames).filter { snapshot.distributions[$0] != nil }
        let indices = snapshot.completeIndices(objective: objective)
        guard !indices.isEmpty, !parameters.isEmpty else {
            return ChartFrame.message(title: title, parameters.isEmpty ? "The study has no parameters." : "No complete trial yet.")
        }
        let columns = min(Self.columns, parameters.count)
        let rows = (parameters.count + columns - 1) / columns
        var svg = SVGWriter(width: Double(columns) * panelWidth, height: Double(rows) * panelHeight + 30, title: title)
        svg.text(title, x: 12, y: 20, size: 14, bold: true, className: "chart-title")
        let values = indices.map { snapshot.value(of: snapshot.trials[$0], objective: objective)! }
        let maxNumber = Double(snapshot.trials.last?.number ?? 1)
        for (panel, name) in parameters.enumerated() {
            let frame = ChartFrame(width: panelWidth, height: panelHeight, left: 62, right: 12, top: 24, bottom: 58)
            svg.beginGroup(className: "panel", dx: Double(panel % columns) * panelWidth, dy: 30 + Double(panel / columns) * panelHeight)
            var points: [(index: Int, x: Double, y: Double)] = []
            for (position, index) in indices.enumerated() {
                guard let x = snapshot.axisValue(of: snapshot.trials[index], parameter: name) else { continue }
                points.append((index, x, values[position]))
            }
            let distribution = snapshot.distributions[name]!
            let x = AxisScale.parameter(distribution, values: points.map(\.x), start: frame.left, end: frame.right)
            let y = AxisScale.fitting(points.map(\.y), start: frame.bottom, end: frame.top, log: options.logScale)
            frame.drawAxes(&svg, x: x, y: y, xLabel: name, yLabel: snapshot.objectiveNames[objective])
            let isCategorical: Bool
            if case .categorical = distribution { isCategorical = true } else { isCategorical = false }
            let slot = isCategorical ? abs(x.position(1) - x.position(0)) : 0
            for point in points {
                let trial = snapshot.trials[point.index]
                var px = x.position(point.x)
                if isCategorical { px += Self.jitter(trial.number) * slot * 0.5 }
                if options.links { svg.beginLink(TrialLink.path(study: snapshot.id, number: trial.number)) }
                svg.circle(cx: px, cy: y.position(point.y), r: 2.8, fill: ColorScale.color(maxNumber > 0 ? Double(trial.number) / maxNumber : 0),
                           opacity: 0.75, title: "trial \(trial.number): \(name)=\(trial.params[name]!.description), value \(ValueFormat.exact(point.y))")
                if options.links { svg.endLink() }
            }
            svg.endGroup()
        }
        return svg.document
    }

    /// A fixed offset in [-0.5, 0.5) per trial number, so points of one choice spread out the same way every time.
    static func jitter(_ number: Int) -> Double {
        let mixed = UInt64(truncatingIfNeeded: number) &* 0x9E37_79B9_7F4A_7C15
        return Double(mixed >> 11) / Double(1 << 53) - 0.5
    }
}
