/// Builds the text of one SVG document. Every string that reaches the output through it (labels, titles,
/// links) is escaped, so a study named `<script>` is drawn as those characters. Colours, class names and
/// numbers are the writer's own and are written as they are.
///
/// Styling uses presentation attributes only (no `<style>`, no `style=`), so a chart looks the same as a
/// file and inline in a page whose Content-Security-Policy forbids inline styles.
public struct SVGWriter: Sendable {
    /// The document's width and height in pixels.
    public let width: Double
    public let height: Double
    private var body = ""

    /// Starts a document of `width` x `height` pixels whose accessible title is `title`.
    public init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        body.reserveCapacity(16_384)
        body += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" "
        body += "viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">"
        body += "<title>"
        body += Self.escape(title)
        body += "</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    }

    /// The finished document.
    public var document: String { body + "</svg>\n" }

    // MARK: Elements

    /// A line segment.
    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                              width: Double = 1, dash: String? = nil, opacity: Double? = nil) {
        body += "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\""
        if let dash { body += " stroke-dasharray=\"\(dash)\"" }
        if let opacity { body += " stroke-opacity=\"\(Self.number(opacity, digits: 2))\"" }
        body += "/>"
    }

    /// A rectangle; `title` becomes its tooltip.
    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              stroke: String? = nil, title: String? = nil, className: String? = nil) {
        body += "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(max(0, width)))\" height=\"\(Self.number(max(0, height)))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\"" }
        if let className { body += " class=\"\(className)\"" }
        close("rect", title: title)
    }

    /// A circle; `title` becomes its tooltip.
    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil,
                                opacity: Double? = nil, title: String? = nil, className: String? = nil) {
        body += "<circle cx=\"\(Self.number(cx))\" cy=\"\(Self.number(cy))\" r=\"\(Self.number(r))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\"" }
        if let opacity { body += " fill-opacity=\"\(Self.number(opacity, digits: 2))\"" }
        if let className { body += " class=\"\(className)\"" }
        close("circle", title: title)
    }

    /// An open polyline through `points`.
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1,
                                  opacity: Double? = nil, title: String? = nil, className: String? = nil) {
        guard !points.isEmpty else { return }
        body += "<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\""
        if let opacity { body += " stroke-opacity=\"\(Self.number(opacity, digits: 2))\"" }
        if let className { body += " class=\"\(className)\"" }
        body += " points=\""
        for (index, point) in points.enumerated() {
            if index > 0 { body += " " }
            body += Self.number(point.x)
            body += ","
            body += Self.number(point.y)
        }
        body += "\""
        close("polyline", title: title)
    }

    /// A path with drawing commands `d` (built from numbers by the caller).
    public mutating func path(_ d: String, fill: String = "none", stroke: String? = nil, width: Double = 1) {
        body += "<path d=\"\(d)\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"" }
        body += "/>"
    }

    /// Text at (`x`, `y`); `anchor` is start, middle or end; `rotate` turns it about its anchor point.
    public mutating func text(_ string: String, x: Double, y: Double, anchor: String = "start", size: Double? = nil,
                              bold: Bool = false, fill: String = "#333333", rotate: Double? = nil, className: String? = nil) {
        body += "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if let size { body += " font-size=\"\(Self.number(size))\"" }
        if bold { body += " font-weight=\"bold\"" }
        if let rotate { body += " transform=\"rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))\"" }
        if let className { body += " class=\"\(className)\"" }
        body += ">"
        body += Self.escape(string)
        body += "</text>"
    }

    /// Opens a group (closed by `endGroup`), optionally moved by (`dx`, `dy`).
    public mutating func beginGroup(className: String? = nil, dx: Double = 0, dy: Double = 0) {
        body += "<g"
        if let className { body += " class=\"\(className)\"" }
        if dx != 0 || dy != 0 { body += " transform=\"translate(\(Self.number(dx)),\(Self.number(dy)))\"" }
        body += ">"
    }

    public mutating func endGroup() { body += "</g>" }

    /// Opens a link to `href` (a path on the dashboard; escaped), closed by `endLink`.
    public mutating func beginLink(_ href: String) {
        body += "<a href=\""
        body += Self.escape(href)
        body += "\">"
    }

    public mutating func endLink() { body += "</a>" }

    /// Ends an element's start tag, with a `<title>` child when `title` is given.
    private mutating func close(_ name: String, title: String?) {
        guard let title else {
            body += "/>"
            return
        }
        body += "><title>"
        body += Self.escape(title)
        body += "</title></\(name)>"
    }

    // MARK: Text and numbers

    /// `text` with `&`, `<`, `>`, `"` and `'` as entities, and the characters XML 1.0 cannot hold (most
    /// control characters) as U+FFFD, so the document stays well-formed whatever a user stored.
    public static func escape(_ text: String) -> String {
        var needsWork = false
        for byte in text.utf8 where byte < 0x20 || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A coordinate with at most `digits` decimals (1 by default: a tenth of a pixel), without trailing zeros;
    /// a non-finite number is written as 0 so a bad value can never break the document.
    public static func number(_ value: Double, digits: Int = 1) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let unit = Int(scale)
        let whole = scaled / unit
        var fraction = abs(scaled % unit)
        if fraction == 0 { return String(whole) }
        var decimals = digits
        while fraction % 10 == 0 { fraction /= 10; decimals -= 1 }
        let fractionText = String(fraction)
        let padded = String(repeating: "0", count: decimals - fractionText.count) + fractionText
        return (scaled < 0 && whole == 0 ? "-" : "") + String(whole) + "." + padded
    }
}
