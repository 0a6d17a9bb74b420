import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses an SVG document as XML and counts its elements by name: a chart that is not well-formed XML fails.
final class SVGCheck: NSObject, XMLParserDelegate {
    private(set) var counts: [String: Int] = [:]
    private(set) var texts: [String] = []
    private var inText = false
    private var current = ""

    /// Nil when `document` is not well-formed XML or its root is not `svg`.
    static func parse(_ document: String) -> SVGCheck? {
        let check = SVGCheck()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = check
        guard parser.parse(), check.root == "svg" else { return nil }
        return check
    }

    private var root: String?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = elementName }
        counts[elementName, default: 0] += 1
        if elementName == "text" || elementName == "title" { inText = true; current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if elementName == "text" || elementName == "title" {
            texts.append(current)
            inText = false
        }
    }

    func count(_ name: String) -> Int { counts[name] ?? 0 }
}
