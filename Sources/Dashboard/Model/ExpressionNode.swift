import StudyEngine

/// One node of an expression tree as objectives store it: a label (`add`, `x0`, `1.5`) and its children.
public struct ExpressionNode: Sendable, Hashable, Codable {
    public var label: String
    public var children: [ExpressionNode]

    public init(label: String, children: [ExpressionNode] = []) {
        self.label = label
        self.children = children
    }

    /// Trees nested deeper than this are cut there: a stored tree is data from outside and must not be able
    /// to exhaust the stack of the code that walks it.
    static let maximumDepth = 100

    /// Reads `{"label": ..., "children": [...]}`, tolerating what else the object holds. A label that is not a
    /// string is shown as its JSON text; children that are not trees are left out.
    init?(json: JSONValue, depth: Int = 0) {
        guard let object = json.objectValue else { return nil }
        switch object["label"] {
        case .string(let text)?: label = text
        case nil, .null?: label = "?"
        case let other?: label = other.jsonText
        }
        if depth < Self.maximumDepth, let list = object["children"]?.arrayValue {
            children = list.compactMap { ExpressionNode(json: $0, depth: depth + 1) }
        } else {
            children = []
        }
    }

    /// The number of nodes in the tree.
    public var nodeCount: Int { 1 + children.reduce(0) { $0 + $1.nodeCount } }

    /// The tree as JSON text, in the stored shape.
    var jsonValue: JSONValue {
        .object(["label": .string(label), "children": .array(children.map(\.jsonValue))])
    }
}
