import Foundation

/// The operators a run may use: built-ins by name and registered user operators.
///
/// `try FunctionSet(["add", "sub", "mul", "div"])` is gplearn's default. A user operator is checked when the
/// set is made: a valid, unique name, and finite results for zeros, negatives, tiny and huge arguments (in its
/// exact and its batch form).
public struct FunctionSet: Sendable {
    public let builtins: [BuiltinOperator]
    public let customOperators: [CustomOperator]
    /// Every operator as a node template, in order: built-ins first, then custom ones.
    public let templates: [Node]

    /// gplearn's default set: add, sub, mul, div.
    public static let gplearnDefault = try! FunctionSet(["add", "sub", "mul", "div"])

    /// A set from operator names (built-ins) and registered custom operators.
    public init(_ names: [String] = [], custom: [CustomOperator] = []) throws {
        var builtins: [BuiltinOperator] = []
        for name in names {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let op = BuiltinOperator(name: trimmed) else { throw FunctionSetError.unknownOperator(trimmed) }
            guard !builtins.contains(op) else { throw FunctionSetError.duplicate(trimmed) }
            builtins.append(op)
        }
        try self.init(builtins: builtins, custom: custom)
    }

    /// A set from built-in operators and registered custom operators.
    public init(builtins: [BuiltinOperator], custom: [CustomOperator] = []) throws {
        var seen = Set(builtins.map(\.name))
        for op in custom {
            try FunctionSet.check(op)
            guard seen.insert(op.name).inserted else { throw FunctionSetError.duplicate(op.name) }
        }
        guard !builtins.isEmpty || !custom.isEmpty else { throw FunctionSetError.empty }
        self.builtins = builtins
        self.customOperators = custom
        self.templates = builtins.map { Node.function($0) } + custom.enumerated().map { Node.custom($0.offset, arity: $0.element.arity) }
    }

    public var count: Int { templates.count }

    /// The templates of the operators of each arity (for point mutation), keyed by arity.
    public var byArity: [Int: [Node]] {
        Dictionary(grouping: templates, by: { Int($0.arity) })
    }

    /// The name of a function node.
    public func name(of node: Node) -> String {
        if let op = node.builtin { return op.name }
        if let index = node.customIndex, index < customOperators.count { return customOperators[index].name }
        return "op\(node.code)"
    }

    /// The node template of the operator called `name` (built-in or custom).
    public func template(named name: String) -> Node? {
        if let index = customOperators.firstIndex(where: { $0.name == name }) {
            return Node.custom(index, arity: customOperators[index].arity)
        }
        return BuiltinOperator(name: name).map { Node.function($0) }
    }

    static let probes: [Double] = [0, 1, -1, 0.5, -0.5, 2, -2, 1e-3, -1e-3, 1e-30, -1e-30, 1e30, -1e30, 3e38, -3e38, .pi, 100, -100]

    static func check(_ op: CustomOperator) throws {
        let name = op.name
        let valid = !name.isEmpty && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" }
            && !(name.first?.isNumber ?? true)
        guard valid else { throw FunctionSetError.invalidName(name) }
        guard BuiltinOperator(name: name) == nil else { throw FunctionSetError.shadowsBuiltin(name) }
        let bProbes = op.arity == 2 ? probes : [0]
        var a = [Float](repeating: 0, count: 1), b = [Float](repeating: 0, count: 1), out = [Float](repeating: 0, count: 1)
        for x in probes {
            for y in bProbes {
                let exact: Double
                switch op {
                case .unary(let u): exact = u(x)
                case .binary(let f): exact = f(x, y)
                }
                let arguments = op.arity == 2 ? [x, y] : [x]
                guard exact.isFinite else { throw FunctionSetError.notProtected(name: name, arguments: arguments, result: exact) }
                a[0] = Float(x); b[0] = Float(y)
                switch op {
                case .unary(let u): u.evaluate(a, into: &out, count: 1)
                case .binary(let f): f.evaluate(a, b, into: &out, count: 1)
                }
                guard out[0].isFinite else {
                    throw FunctionSetError.batchNotProtected(name: name, arguments: arguments, result: Double(out[0]))
                }
            }
        }
    }
}

/// Why a function set could not be made.
public enum FunctionSetError: LocalizedError, Equatable {
    case unknownOperator(String)
    case duplicate(String)
    case empty
    case invalidName(String)
    case shadowsBuiltin(String)
    case notProtected(name: String, arguments: [Double], result: Double)
    case batchNotProtected(name: String, arguments: [Double], result: Double)

    public var errorDescription: String? {
        switch self {
        case .unknownOperator(let name):
            return "unknown operator '\(name)' in the function set: valid are \(BuiltinOperator.allCases.map(\.name).joined(separator: ", "))"
        case .duplicate(let name):
            return "operator '\(name)' appears twice in the function set"
        case .empty:
            return "the function set is empty: give at least one operator, e.g. add,sub,mul,div"
        case .invalidName(let name):
            return "custom operator name '\(name)' is not valid: use letters, digits and '_', not starting with a digit"
        case .shadowsBuiltin(let name):
            return "custom operator '\(name)' has the name of a built-in operator: choose another name"
        case .notProtected(let name, let arguments, let result):
            return "custom operator '\(name)' returned \(result) for argument(s) \(arguments): operators must return finite values for every finite argument (protect it, as div, log and sqrt are)"
        case .batchNotProtected(let name, let arguments, let result):
            return "custom operator '\(name)': its batch evaluate(...) returned \(result) for argument(s) \(arguments): it must return finite values for every finite argument"
        }
    }
}
