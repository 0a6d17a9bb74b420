import StudyEngine

/// The Pareto front: of two objectives for a multi-objective study; of the objective against expression size
/// (smaller is better) for a single-objective study whose trials store expressions. Front trials are drawn in
/// red and joined by a line; the other COMPLETE trials in grey.
enum ParetoChart {
    static func render(_ snapshot: StudySnapshot, options: ChartOptions) -> String {
        let title = "Pareto front: \(snapshot.name)"
        var points: [(index: Int, x: Double, y: Double)] = []
        let xLabel: String, yLabel: String
        let xDirection: StudyDirection, yDirection: StudyDirection
        if snapshot.directions.count >= 2 {
            let first = options.objective, second = options.secondObjective
            guard second < snapshot.directions.count, first != second else {
                return ChartFrame.message(title: title, "Choose two different objectives.")
            }
            for index in snapshot.trials.indices where snapshot.trials[index].state == .complete {
                guard let a = snapshot.value(of: snapshot.trials[index], objective: first),
                      let b = snapshot.value(of: snapshot.trials[index], objective: second) else { continue }
                points.append((index, a, b))
            }
            xLabel = snapshot.objectiveNames[first]; yLabel = snapshot.objectiveNames[second]
            xDirection = snapshot.directions[first]; yDirection = snapshot.directions[second]
        } else {
            for index in snapshot.completeIndices(objective: 0) {
                guard let size = snapshot.expressions[index]?.size else { continue }
                points.append((index, Double(size), snapshot.value(of: snapshot.trials[index], objective: 0)!))
            }
            xLabel = "expression size (nodes)"; yLabel = snapshot.objectiveNames[0]
            xDirection = .minimize; yDirection = snapshot.directions[0]
        }
        guard !points.isEmpty else {
            return ChartFrame.message(title: title, snapshot.directions.count >= 2 ? "No complete trial yet."
                                      : "No complete trial stores an expression size.")
        }
        let front = frontIndices(points.map { [$0.x, $0.y] }, directions: [xDirection, yDirection])
        let frame = ChartFrame(width: 640, height: 440)
        let x = AxisScale.fitting(points.map(\.x), start: frame.left, end: frame.right)
        let y = AxisScale.fitting(points.map(\.y), start: frame.bottom, end: frame.top, log: options.logScale)
        var svg = frame.begin(title: title)
        frame.drawAxes(&svg, x: x, y: y, xLabel: xLabel, yLabel: yLabel)
        let onFront = Set(front)
        svg.beginGroup(className: "trials")
        for (position, point) in points.enumerated() where !onFront.contains(position) {
            mark(&svg, snapshot, point, x: x, y: y, color: ColorScale.muted, radius: 3, options: options)
        }
        svg.endGroup()
        let ordered = front.sorted { points[$0].x < points[$1].x }
        svg.polyline(ordered.map { (x.position(points[$0].x), y.position(points[$0].y)) }, stroke: ColorScale.best,
                     width: 1.5, opacity: 0.7, className: "front-line")
        svg.beginGroup(className: "front")
        for position in ordered {
            mark(&svg, snapshot, points[position], x: x, y: y, color: ColorScale.best, radius: 4.5, options: options)
        }
        svg.endGroup()
        frame.drawLegend(&svg, [(ColorScale.best, "Pareto front (\(front.count))", false), (ColorScale.muted, "other trials", false)])
        return svg.document
    }

    private static func mark(_ svg: inout SVGWriter, _ snapshot: StudySnapshot, _ point: (index: Int, x: Double, y: Double),
                             x: AxisScale, y: AxisScale, color: String, radius: Double, options: ChartOptions) {
        let trial = snapshot.trials[point.index]
        if options.links { svg.beginLink(TrialLink.path(study: snapshot.id, number: trial.number)) }
        svg.circle(cx: x.position(point.x), cy: y.position(point.y), r: radius, fill: color, opacity: 0.85,
                   title: "trial \(trial.number): (\(ValueFormat.exact(point.x)), \(ValueFormat.exact(point.y)))")
        if options.links { svg.endLink() }
    }

    /// Positions of the non-dominated points (StudyEngine's rule, on plain value vectors).
    static func frontIndices(_ values: [[Double]], directions: [StudyDirection]) -> [Int] {
        let trials = values.enumerated().map { FrozenTrial(number: $0.offset, state: .complete, values: $0.element) }
        return ParetoFront.nonDominated(trials, directions: directions).map(\.number)
    }
}
