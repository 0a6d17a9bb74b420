import StudyEngine

/// Intermediate values (one line per trial, by step), coloured by state; a pruned trial's line ends in a cross.
enum IntermediateChart {
    static func render(_ snapshot: StudySnapshot, options: ChartOptions) -> String {
        render(snapshot, indices: Array(snapshot.trials.indices), title: "Intermediate values: \(snapshot.name)", options: options)
    }

    /// The curve of one trial (its page's chart).
    static func render(_ snapshot: StudySnapshot, trialIndex: Int, options: ChartOptions) -> String {
        render(snapshot, indices: [trialIndex], title: "Intermediate values: trial \(snapshot.trials[trialIndex].number)",
               options: options, markPoints: true)
    }

    private static func render(_ snapshot: StudySnapshot, indices: [Int], title: String, options: ChartOptions,
                               markPoints: Bool = false) -> String {
        var curves: [(index: Int, steps: [Int])] = []
        var allSteps: [Double] = [], allValues: [Double] = []
        for index in indices {
            let trial = snapshot.trials[index]
            guard !trial.intermediateValues.isEmpty else { continue }
            let steps = trial.intermediateValues.keys.sorted().filter { trial.intermediateValues[$0]!.isFinite }
            guard !steps.isEmpty else { continue }
            curves.append((index, steps))
            allSteps.append(Double(steps.first!))
            allSteps.append(Double(steps.last!))
            for step in steps { allValues.append(trial.intermediateValues[step]!) }
        }
        guard !curves.isEmpty else { return ChartFrame.message(title: title, "No intermediate values reported.") }
        let frame = ChartFrame(width: 760, height: 360)
        let x = AxisScale.fitting(allSteps, start: frame.left, end: frame.right, padding: 0.02)
        let y = AxisScale.fitting(allValues, start: frame.bottom, end: frame.top, log: options.logScale)
        var svg = frame.begin(title: title)
        frame.drawAxes(&svg, x: x, y: y, xLabel: "step", yLabel: "intermediate value")
        // Pruned trials are drawn last, on top, so the crosses stay visible.
        let order: [TrialState] = [.complete, .fail, .waiting, .running, .pruned]
        var counts: [TrialState: Int] = [:]
        svg.beginGroup(className: "curves")
        for state in order {
            for curve in curves where snapshot.trials[curve.index].state == state {
                let trial = snapshot.trials[curve.index]
                counts[state, default: 0] += 1
                let color = Self.color(of: state)
                let points = curve.steps.map { (x: x.position(Double($0)), y: y.position(trial.intermediateValues[$0]!)) }
                if options.links { svg.beginLink(TrialLink.path(study: snapshot.id, number: trial.number)) }
                svg.polyline(points, stroke: color, width: markPoints ? 2 : 1.2, opacity: markPoints ? 1 : 0.45,
                             title: "trial \(trial.number) (\(state.optunaName)), last step \(curve.steps.last!)",
                             className: "curve state-\(state.optunaName.lowercased())")
                if markPoints {
                    for (step, point) in zip(curve.steps, points) {
                        svg.circle(cx: point.x, cy: point.y, r: 2.5, fill: color,
                                   title: "step \(step): \(ValueFormat.exact(trial.intermediateValues[step]!))")
                    }
                }
                if state == .pruned, let last = points.last {
                    let d = "M\(SVGWriter.number(last.x - 4)),\(SVGWriter.number(last.y - 4))l8,8m0,-8l-8,8"
                    svg.path(d, stroke: ColorScale.pruned, width: 2)
                }
                if options.links { svg.endLink() }
            }
        }
        svg.endGroup()
        let legend = order.reversed().compactMap { state -> (color: String, label: String, line: Bool)? in
            guard let count = counts[state] else { return nil }
            return (Self.color(of: state), "\(state.optunaName.lowercased()) (\(count))", true)
        }
        frame.drawLegend(&svg, legend)
        return svg.document
    }

    static func color(of state: TrialState) -> String {
        switch state {
        case .complete: return ColorScale.complete
        case .pruned: return ColorScale.pruned
        case .running: return ColorScale.running
        case .fail: return ColorScale.failed
        case .waiting: return ColorScale.waiting
        }
    }
}
