/// A user operator of one argument. Conform a type and register it with `FunctionSet(custom: [.unary(MyOp())])`.
///
/// The type system fixes the arity and the return type (a `Double`, never an array or an optional), so the
/// mistakes gplearn users meet (`make_function` with a function that returns the wrong thing) cannot compile.
/// Registration probes the operator on zeros, negatives, tiny and huge values and rejects it, naming the
/// argument, if it returns NaN or infinity there: protect it (as `div`, `log` and `sqrt` are) first.
public protocol UnaryOperator: Sendable {
    /// The name used in text and JSON: letters, digits and `_`, not a built-in's name.
    var name: String { get }
    /// The exact value.
    func callAsFunction(_ x: Double) -> Double
    /// The derivative, for constant fitting (default: a central difference).
    func derivative(_ x: Double) -> Double
    /// The value over a batch of `Float` rows (default: the exact value row by row; override with a
    /// vectorised loop for speed).
    func evaluate(_ x: UnsafePointer<Float>, into result: UnsafeMutablePointer<Float>, count: Int)
}

/// A user operator of two arguments; see `UnaryOperator`.
public protocol BinaryOperator: Sendable {
    var name: String { get }
    func callAsFunction(_ a: Double, _ b: Double) -> Double
    /// Partial derivatives with respect to `a` and `b` (default: central differences).
    func partials(_ a: Double, _ b: Double) -> (Double, Double)
    func evaluate(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into result: UnsafeMutablePointer<Float>, count: Int)
}

extension UnaryOperator {
    @inlinable public func derivative(_ x: Double) -> Double {
        let h = Swift.max(1e-6, Swift.abs(x) * 1e-6)
        return (self(x + h) - self(x - h)) / (2 * h)
    }

    @inlinable public func evaluate(_ x: UnsafePointer<Float>, into result: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { result[i] = Float(self(Double(x[i]))) }
    }
}

extension BinaryOperator {
    @inlinable public func partials(_ a: Double, _ b: Double) -> (Double, Double) {
        let ha = Swift.max(1e-6, Swift.abs(a) * 1e-6), hb = Swift.max(1e-6, Swift.abs(b) * 1e-6)
        return ((self(a + ha, b) - self(a - ha, b)) / (2 * ha), (self(a, b + hb) - self(a, b - hb)) / (2 * hb))
    }

    @inlinable public func evaluate(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into result: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { result[i] = Float(self(Double(a[i]), Double(b[i]))) }
    }
}

/// A registered user operator, as the function set holds it.
public enum CustomOperator: Sendable {
    case unary(any UnaryOperator)
    case binary(any BinaryOperator)

    public var name: String {
        switch self {
        case .unary(let op): return op.name
        case .binary(let op): return op.name
        }
    }

    public var arity: Int {
        switch self {
        case .unary: return 1
        case .binary: return 2
        }
    }

    /// The exact value, saturated to the Float range like every built-in.
    func apply(_ a: Double, _ b: Double) -> Double {
        let value: Double
        switch self {
        case .unary(let op): value = op(a)
        case .binary(let op): value = op(a, b)
        }
        return value.isFinite ? BuiltinOperator.saturate(value) : 0
    }

    func partials(_ a: Double, _ b: Double) -> (Double, Double) {
        let raw: (Double, Double)
        switch self {
        case .unary(let op): raw = (op.derivative(a), 0)
        case .binary(let op): raw = op.partials(a, b)
        }
        return (raw.0.isFinite ? raw.0 : 0, raw.1.isFinite ? raw.1 : 0)
    }

    /// The batch value; whatever the user's kernel returns is made finite (NaN to 0, saturated) so that
    /// nothing non-finite leaves the operator even if the kernel disagrees with the exact value.
    func evaluate(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into result: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .unary(let op): op.evaluate(a, into: result, count: count)
        case .binary(let op): op.evaluate(a, b, into: result, count: count)
        }
        let bound = Float.greatestFiniteMagnitude
        for i in 0..<count {
            let value = result[i]
            result[i] = value.isNaN ? 0 : Swift.min(Swift.max(value, -bound), bound)
        }
    }
}
