import Foundation
import StudyEngine

/// The objective over two parameters: a grid of cells coloured by the value interpolated between COMPLETE
/// trials (inverse-distance weighting with power 4, in the axes' normalised coordinates), with the trials as points.
enum ContourChart {
    static let cells = 36

    static func render(_ snapshot: StudySnapshot, options: ChartOptions) -> String {
        let objective = options.objective
        // By default the first two numeric parameters (a categorical axis interpolates poorly), then any.
        let names = snapshot.parameterNames.filter { !snapshot.isCategorical($0) } + snapshot.parameterNames.filter { snapshot.isCategorical($0) }
        let xName = options.x ?? names.first { $0 != options.y }
        let yName = options.y ?? names.first { $0 != xName }
        guard let xName, let yName, let xDistribution = snapshot.distributions[xName],
              let yDistribution = snapshot.distributions[yName] else {
            return ChartFrame.message(title: "Contour: \(snapshot.name)", "A contour needs two parameters.")
        }
        let title = "Contour: \(snapshot.name) (\(xName) x \(yName))"
        var points: [(index: Int, x: Double, y: Double, value: Double)] = []
        for index in snapshot.completeIndices(objective: objective) {
            let trial = snapshot.trials[index]
            guard let x = snapshot.axisValue(of: trial, parameter: xName),
                  let y = snapshot.axisValue(of: trial, parameter: yName) else { continue }
            points.append((index, x, y, snapshot.value(of: trial, objective: objective)!))
        }
        guard !points.isEmpty else { return ChartFrame.message(title: title, "No complete trial holds both parameters yet.") }
        let frame = ChartFrame(width: 640, height: 520, left: 80, right: 90, top: 40, bottom: 60)
        let x = AxisScale.parameter(xDistribution, values: points.map(\.x), start: frame.left, end: frame.right)
        let y = AxisScale.parameter(yDistribution, values: points.map(\.y), start: frame.bottom, end: frame.top)
        let low = points.map(\.value).min()!, high = points.map(\.value).max()!
        let minimize = snapshot.directions[objective] == .minimize
        func color(_ value: Double) -> String {
            let fraction = high > low ? (value - low) / (high - low) : 0.5
            return ColorScale.color(minimize ? fraction : 1 - fraction)
        }
        var svg = frame.begin(title: title)
        // Interpolate in pixel space scaled to [0, 1] per axis, so log and categorical axes weigh as they look.
        let width = frame.right - frame.left, height = frame.bottom - frame.top
        let px = points.map { (x.position($0.x) - frame.left) / width }
        let py = points.map { (y.position($0.y) - frame.top) / height }
        let cellWidth = width / Double(cells), cellHeight = height / Double(cells)
        svg.beginGroup(className: "cells")
        for row in 0..<cells {
            let cy = (Double(row) + 0.5) / Double(cells)
            for column in 0..<cells {
                let cx = (Double(column) + 0.5) / Double(cells)
                var weightSum = 0.0, valueSum = 0.0, exact: Double?
                for index in points.indices {
                    let dx = px[index] - cx, dy = py[index] - cy
                    let d2 = dx * dx + dy * dy
                    if d2 < 1e-12 { exact = points[index].value; break }
                    let weight = 1 / (d2 * d2)
                    weightSum += weight
                    valueSum += weight * points[index].value
                }
                let value = exact ?? valueSum / weightSum
                svg.rect(x: frame.left + Double(column) * cellWidth, y: frame.top + Double(row) * cellHeight,
                         width: cellWidth + 0.3, height: cellHeight + 0.3, fill: color(value))
            }
        }
        svg.endGroup()
        frame.drawAxes(&svg, x: x, y: y, xLabel: xName, yLabel: yName)
        svg.beginGroup(className: "trials")
        for point in points {
            let trial = snapshot.trials[point.index]
            if options.links { svg.beginLink(TrialLink.path(study: snapshot.id, number: trial.number)) }
            svg.circle(cx: x.position(point.x), cy: y.position(point.y), r: 2.5, fill: "#000000", stroke: "#ffffff", opacity: 0.8,
                       title: "trial \(trial.number): \(ValueFormat.exact(point.value))")
            if options.links { svg.endLink() }
        }
        svg.endGroup()
        frame.drawColorBar(&svg, x: frame.right + 30, low: low, high: high, label: snapshot.objectiveNames[objective], reversed: !minimize)
        return svg.document
    }
}
