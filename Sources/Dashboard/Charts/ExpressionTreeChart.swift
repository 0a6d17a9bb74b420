/// An expression tree drawn top-down: operators in blue, variables in green, constants in amber. Leaves are
/// laid out left to right in order, each parent centred over its children.
enum ExpressionTreeChart {
    /// Trees larger than this are not drawn (the page still shows their text).
    static let maximumNodes = 1_500

    private struct PlacedNode {
        var label: String
        var x: Double
        var depth: Int
        var parent: Int?
        var isLeaf: Bool
    }

    static func render(_ tree: ExpressionNode, title: String) -> String {
        let count = tree.nodeCount
        guard count <= maximumNodes else {
            return ChartFrame.message(title: title, "The tree has \(count) nodes; trees above \(maximumNodes) are not drawn.")
        }
        var placed: [PlacedNode] = []
        placed.reserveCapacity(count)
        var nextLeafX = 0.0
        _ = place(tree, depth: 0, parent: nil, into: &placed, nextLeafX: &nextLeafX)
        let levelHeight = 54.0, margin = 24.0, top = 40.0
        let maxDepth = placed.map(\.depth).max() ?? 0
        let width = max(240, nextLeafX + 2 * margin)
        let height = top + Double(maxDepth) * levelHeight + 40
        var svg = SVGWriter(width: width, height: height, title: title)
        svg.text(title, x: 12, y: 20, size: 13, bold: true, className: "chart-title")
        func y(_ depth: Int) -> Double { top + 14 + Double(depth) * levelHeight }
        svg.beginGroup(className: "edges")
        for node in placed {
            guard let parent = node.parent else { continue }
            svg.line(margin + placed[parent].x, y(placed[parent].depth), margin + node.x, y(node.depth), stroke: "#888888")
        }
        svg.endGroup()
        svg.beginGroup(className: "nodes")
        for node in placed {
            let shown = ChartFrame.truncated(node.label, 14)
            let boxWidth = labelWidth(shown)
            let fill = !node.isLeaf ? "#dbe9f6" : (Double(node.label) != nil ? "#fde8c8" : "#d9f0d3")
            let stroke = !node.isLeaf ? "#1f77b4" : (Double(node.label) != nil ? "#d08a1e" : "#2ca02c")
            svg.rect(x: margin + node.x - boxWidth / 2, y: y(node.depth) - 11, width: boxWidth, height: 22, fill: fill,
                     stroke: stroke, title: node.label, className: "tree-node")
            svg.text(shown, x: margin + node.x, y: y(node.depth) + 4, anchor: "middle", size: 12, fill: "#111111")
        }
        svg.endGroup()
        return svg.document
    }

    private static func labelWidth(_ label: String) -> Double { max(28, Double(label.count) * 7.2 + 12) }

    /// Places `node` and its subtree; returns the node's index in `placed`.
    private static func place(_ node: ExpressionNode, depth: Int, parent: Int?, into placed: inout [PlacedNode],
                              nextLeafX: inout Double) -> Int {
        let index = placed.count
        placed.append(PlacedNode(label: node.label, x: 0, depth: depth, parent: parent, isLeaf: node.children.isEmpty))
        if node.children.isEmpty {
            let width = labelWidth(ChartFrame.truncated(node.label, 14)) + 10
            placed[index].x = nextLeafX + width / 2
            nextLeafX += width
        } else {
            var first = 0.0, last = 0.0
            for (position, child) in node.children.enumerated() {
                let childIndex = place(child, depth: depth + 1, parent: index, into: &placed, nextLeafX: &nextLeafX)
                if position == 0 { first = placed[childIndex].x }
                last = placed[childIndex].x
            }
            placed[index].x = (first + last) / 2
        }
        return index
    }
}
