/// The layout every x-y chart shares: a title above, a plot area inside margins, axes with ticks, grid lines
/// and labels, and a legend row; also the chart drawn when there is nothing to plot.
struct ChartFrame {
    let width: Double
    let height: Double
    let left: Double
    let right: Double
    let top: Double
    let bottom: Double

    init(width: Double, height: Double, left: Double = 70, right: Double = 24, top: Double = 40, bottom: Double = 48) {
        self.width = width
        self.height = height
        self.left = left
        self.right = width - right
        self.top = top
        self.bottom = height - bottom
    }

    /// Starts a document with `title` drawn at the top.
    func begin(title: String) -> SVGWriter {
        var svg = SVGWriter(width: width, height: height, title: title)
        svg.text(title, x: 12, y: 20, size: 14, bold: true, className: "chart-title")
        return svg
    }

    /// Draws both axes: ticks, grid lines across the plot area, tick labels and axis labels.
    func drawAxes(_ svg: inout SVGWriter, x: AxisScale, y: AxisScale, xLabel: String, yLabel: String) {
        svg.beginGroup(className: "axes")
        for tick in y.ticks() {
            let position = y.position(tick.value)
            guard position >= top - 0.5, position <= bottom + 0.5 else { continue }
            svg.line(left, position, right, position, stroke: "#e6e6e6")
            svg.text(Self.truncated(tick.label, 12), x: left - 6, y: position + 4, anchor: "end", fill: "#555555")
        }
        let xTicks = x.ticks(count: max(2, Int((right - left) / 90)))
        let rotate = xTicks.count > 8 || xTicks.contains { $0.label.count > 10 }
        for tick in xTicks {
            let position = x.position(tick.value)
            guard position >= left - 0.5, position <= right + 0.5 else { continue }
            svg.line(position, top, position, bottom, stroke: "#f0f0f0")
            svg.line(position, bottom, position, bottom + 4, stroke: "#555555")
            if rotate {
                svg.text(Self.truncated(tick.label, 14), x: position, y: bottom + 14, anchor: "end", fill: "#555555", rotate: -30)
            } else {
                svg.text(tick.label, x: position, y: bottom + 16, anchor: "middle", fill: "#555555")
            }
        }
        svg.line(left, bottom, right, bottom, stroke: "#555555")
        svg.line(left, top, left, bottom, stroke: "#555555")
        svg.text(xLabel, x: (left + right) / 2, y: height - 8, anchor: "middle", className: "axis-label")
        svg.text(yLabel, x: 14, y: (top + bottom) / 2, anchor: "middle", rotate: -90, className: "axis-label")
        svg.endGroup()
    }

    /// A legend row at the top right: a coloured mark and a label per entry.
    func drawLegend(_ svg: inout SVGWriter, _ entries: [(color: String, label: String, line: Bool)]) {
        var x = right
        svg.beginGroup(className: "legend")
        for entry in entries.reversed() {
            let textWidth = Double(entry.label.count) * 6.2
            x -= textWidth
            svg.text(entry.label, x: x, y: 24, fill: "#333333")
            x -= 16
            if entry.line {
                svg.line(x, 20, x + 12, 20, stroke: entry.color, width: 2)
            } else {
                svg.circle(cx: x + 6, cy: 20, r: 4, fill: entry.color)
            }
            x -= 14
        }
        svg.endGroup()
    }

    /// A vertical colour bar from `low` (bottom) to `high` (top) at the right edge of the plot area.
    func drawColorBar(_ svg: inout SVGWriter, x: Double, low: Double, high: Double, label: String, reversed: Bool) {
        let steps = 24
        let barTop = top, barHeight = bottom - top
        for step in 0..<steps {
            let fraction = Double(step) / Double(steps - 1)
            let y = barTop + barHeight * (1 - Double(step + 1) / Double(steps))
            svg.rect(x: x, y: y, width: 12, height: barHeight / Double(steps) + 0.5, fill: ColorScale.color(reversed ? 1 - fraction : fraction))
        }
        svg.text(ValueFormat.short(high), x: x + 16, y: barTop + 8, fill: "#555555")
        svg.text(ValueFormat.short(low), x: x + 16, y: barTop + barHeight, fill: "#555555")
        svg.text(label, x: x + 6, y: barTop - 6, anchor: "middle", fill: "#555555")
    }

    /// A chart holding only its title and `message` (no data yet, too few trials, ...).
    static func message(title: String, _ message: String, width: Double = 640, height: Double = 160) -> String {
        let frame = ChartFrame(width: width, height: height)
        var svg = frame.begin(title: title)
        svg.text(message, x: width / 2, y: height / 2 + 10, anchor: "middle", fill: "#777777", className: "chart-message")
        return svg.document
    }

    static func truncated(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
