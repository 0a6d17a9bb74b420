/// One node of a program: a function (built-in or custom operator), an input feature, or a constant.
///
/// Programs are flat prefix arrays of nodes (`add x0 mul 2.0 x1` is `x0 + 2 * x1`), as gplearn stores them.
/// A node is 16 bytes; its arity is stored with it so that traversals need no lookup.
public struct Node: Hashable, Sendable {
    /// What a node is.
    public enum Kind: UInt8, Sendable, Hashable {
        case function, feature, constant
    }

    /// Codes at and above this one are custom operators (`code - customBase` indexes `FunctionSet.customOperators`).
    public static let customBase: UInt16 = 1024

    public var kind: Kind
    /// Number of children (0 for features and constants).
    public var arity: UInt8
    /// The operator's code (a `BuiltinOperator` raw value, or `customBase + index`), or the feature index.
    public var code: UInt16
    /// The constant's value (0 for other nodes).
    public var value: Double

    /// A built-in operator node.
    public static func function(_ op: BuiltinOperator) -> Node {
        Node(kind: .function, arity: UInt8(op.arity), code: op.rawValue, value: 0)
    }

    /// A custom operator node: `index` into the function set's custom operators.
    public static func custom(_ index: Int, arity: Int) -> Node {
        Node(kind: .function, arity: UInt8(arity), code: Node.customBase + UInt16(index), value: 0)
    }

    /// An input feature (column `index`).
    public static func feature(_ index: Int) -> Node {
        Node(kind: .feature, arity: 0, code: UInt16(index), value: 0)
    }

    /// A constant.
    public static func constant(_ value: Double) -> Node {
        Node(kind: .constant, arity: 0, code: 0, value: value)
    }

    /// The built-in operator of a function node, nil for custom operators and terminals.
    public var builtin: BuiltinOperator? {
        kind == .function && code < Node.customBase ? BuiltinOperator(rawValue: code) : nil
    }

    /// The custom-operator index of a custom function node.
    public var customIndex: Int? {
        kind == .function && code >= Node.customBase ? Int(code - Node.customBase) : nil
    }

    public var isFunction: Bool { kind == .function }
    public var isTerminal: Bool { kind != .function }
    /// The feature index of a feature node.
    public var featureIndex: Int { Int(code) }
}
