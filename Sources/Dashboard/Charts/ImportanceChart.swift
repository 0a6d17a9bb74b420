/// Parameter importances as horizontal bars, most important first.
enum ImportanceChart {
    static func render(studyName: String, importances: [(name: String, importance: Double)], method: ImportanceMethod,
                       objectiveName: String) -> String {
        let title = "Parameter importances (\(method.label)): \(studyName)"
        guard !importances.isEmpty else { return ChartFrame.message(title: title, "No parameter to assess.") }
        let rowHeight = 26.0
        let labelWidth = min(220, max(90, Double(importances.map(\.name.count).max()!) * 6.6 + 16))
        let height = 64 + rowHeight * Double(importances.count)
        let frame = ChartFrame(width: 640, height: height, left: labelWidth, right: 70, top: 40, bottom: 24)
        var svg = frame.begin(title: title)
        let largest = max(importances.map(\.importance).max()!, 1e-12)
        for (row, entry) in importances.enumerated() {
            let y = frame.top + Double(row) * rowHeight
            let length = (frame.right - frame.left) * max(0, entry.importance) / largest
            svg.text(ChartFrame.truncated(entry.name, 32), x: frame.left - 8, y: y + rowHeight * 0.62, anchor: "end")
            svg.rect(x: frame.left, y: y + 4, width: length, height: rowHeight - 8, fill: ColorScale.complete,
                     title: "\(entry.name): \(ValueFormat.exact(entry.importance))", className: "bar")
            svg.text(ValueFormat.short(entry.importance), x: frame.left + length + 6, y: y + rowHeight * 0.62, fill: "#555555")
        }
        svg.line(frame.left, frame.top, frame.left, frame.top + rowHeight * Double(importances.count), stroke: "#555555")
        svg.text("importance for \(objectiveName)", x: (frame.left + frame.right) / 2, y: height - 8, anchor: "middle",
                 className: "axis-label")
        return svg.document
    }
}
