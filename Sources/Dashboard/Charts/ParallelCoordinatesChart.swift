import StudyEngine

/// Parallel coordinates: a vertical axis for the objective and each parameter, a line per COMPLETE trial
/// through its values, coloured by objective value (the best trials darkest and drawn on top).
enum ParallelCoordinatesChart {
    static func render(_ snapshot: StudySnapshot, options: ChartOptions) -> String {
        let objective = options.objective
        let title = "Parallel coordinates: \(snapshot.name)"
        let parameters = (options.parameters ?? snapshot.parameterNames).filter { snapshot.distributions[$0] != nil }
        let indices = snapshot.completeIndices(objective: objective).filter { index in
            parameters.allSatisfy { snapshot.axisValue(of: snapshot.trials[index], parameter: $0) != nil }
        }
        guard !indices.isEmpty else { return ChartFrame.message(title: title, "No complete trial holds every parameter yet.") }
        let axisCount = parameters.count + 1
        let width = max(560, Double(axisCount) * 130 + 80)
        let frame = ChartFrame(width: width, height: 400, left: 60, right: 90, top: 70, bottom: 40)
        let values = indices.map { snapshot.value(of: snapshot.trials[$0], objective: objective)! }
        let spacing = axisCount > 1 ? (frame.right - frame.left) / Double(axisCount - 1) : 0
        var scales = [AxisScale.fitting(values, start: frame.bottom, end: frame.top, padding: 0.02, log: options.logScale)]
        for name in parameters {
            let seen = indices.map { snapshot.axisValue(of: snapshot.trials[$0], parameter: name)! }
            scales.append(AxisScale.parameter(snapshot.distributions[name]!, values: seen, start: frame.bottom, end: frame.top))
        }
        let names = [snapshot.objectiveNames[objective]] + parameters
        var svg = frame.begin(title: title)
        let low = values.min()!, high = values.max()!
        let minimize = snapshot.directions[objective] == .minimize
        // Worst first, so the best lines end up on top.
        let order = indices.indices.sorted { minimize ? values[$0] > values[$1] : values[$0] < values[$1] }
        svg.beginGroup(className: "lines")
        for position in order {
            let trial = snapshot.trials[indices[position]]
            var points: [(x: Double, y: Double)] = [(frame.left, scales[0].position(values[position]))]
            for (axis, name) in parameters.enumerated() {
                let value = snapshot.axisValue(of: trial, parameter: name)!
                points.append((frame.left + spacing * Double(axis + 1), scales[axis + 1].position(value)))
            }
            let fraction = high > low ? (values[position] - low) / (high - low) : 0.5
            if options.links { svg.beginLink(TrialLink.path(study: snapshot.id, number: trial.number)) }
            svg.polyline(points, stroke: ColorScale.color(minimize ? fraction : 1 - fraction), width: 1, opacity: 0.55,
                         title: "trial \(trial.number): \(ValueFormat.exact(values[position]))")
            if options.links { svg.endLink() }
        }
        svg.endGroup()
        svg.beginGroup(className: "axes")
        for (axis, scale) in scales.enumerated() {
            let ax = frame.left + spacing * Double(axis)
            svg.line(ax, frame.top, ax, frame.bottom, stroke: "#333333", width: 1.5)
            svg.text(ChartFrame.truncated(names[axis], 20), x: ax, y: frame.top - 22, anchor: "middle", bold: true,
                     className: "axis-label")
            let ticks = scale.ticks(count: 4)
            let shown = ticks.count > 12 ? stride(from: 0, to: ticks.count, by: ticks.count / 10 + 1).map { ticks[$0] } : ticks
            for tick in shown {
                let y = scale.position(tick.value)
                guard y >= frame.top - 0.5, y <= frame.bottom + 0.5 else { continue }
                svg.line(ax - 3, y, ax, y, stroke: "#333333")
                svg.text(ChartFrame.truncated(tick.label, 12), x: ax - 5, y: y + 4, anchor: "end", size: 10, fill: "#555555")
            }
        }
        svg.endGroup()
        frame.drawColorBar(&svg, x: frame.right + 34, low: low, high: high, label: "value", reversed: !minimize)
        return svg.document
    }
}
