import StudyEngine

/// A trial's expression as the dashboard shows it, read from the trial's user attribute `expression`:
/// `{"text", "latex", "size", "tree", "outputs"}`, where `outputs` (one expression per action of a
/// multi-output policy) holds objects of the same shape with a `name`. Every member may be missing; members
/// of the wrong type are ignored, other members are kept in `extra`.
public struct ExpressionView: Sendable, Hashable, Codable {
    /// The user attribute the expression is read from.
    public static let attributeKey = "expression"

    public var name: String?
    public var text: String?
    public var latex: String?
    /// Node count: stored, else counted from the tree, else the sum over the outputs.
    public var size: Int?
    public var tree: ExpressionNode?
    public var outputs: [ExpressionView]

    public init(name: String? = nil, text: String? = nil, latex: String? = nil, size: Int? = nil,
                tree: ExpressionNode? = nil, outputs: [ExpressionView] = []) {
        self.name = name
        self.text = text
        self.latex = latex
        self.size = size
        self.tree = tree
        self.outputs = outputs
    }

    /// The expression stored in `attributes`, if any: an object as above, or a plain string taken as its text.
    public init?(attributes: [String: JSONValue]) {
        guard let value = attributes[Self.attributeKey] else { return nil }
        self.init(json: value, depth: 0)
    }

    init?(json: JSONValue, depth: Int) {
        if let text = json.stringValue {
            self.init(text: text)
            return
        }
        guard let object = json.objectValue else { return nil }
        let tree = object["tree"].flatMap { ExpressionNode(json: $0) }
        let outputs = depth < 2 ? (object["outputs"]?.arrayValue ?? []).compactMap { ExpressionView(json: $0, depth: depth + 1) } : []
        var size: Int?
        if let stored = object["size"]?.intValue, stored >= 0 {
            size = stored
        } else if let tree {
            size = tree.nodeCount
        } else if !outputs.isEmpty, outputs.allSatisfy({ $0.size != nil }) {
            size = outputs.reduce(0) { $0 + $1.size! }
        }
        var text = object["text"]?.stringValue
        if text == nil, !outputs.isEmpty {
            text = outputs.map { ($0.name.map { $0 + ": " } ?? "") + ($0.text ?? "?") }.joined(separator: "; ")
        }
        self.init(name: object["name"]?.stringValue, text: text, latex: object["latex"]?.stringValue, size: size,
                  tree: tree, outputs: outputs)
    }

    /// The text cut to `limit` characters with an ellipsis, for lists.
    public func shortText(limit: Int = 80) -> String? {
        guard let text else { return nil }
        return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
