import Foundation

/// The built-in primitive set: gplearn's functions, the extra arithmetic DiffSES uses, comparisons and logic
/// (1 for true, 0 for false) and DiffSES's object relations over positions.
///
/// Every operator is protected: for finite arguments it returns a finite value, never NaN or infinity.
/// Division, log and inverse follow gplearn (a denominator or argument with magnitude at most 0.001 gives 1,
/// 0 and 0), sqrt and log take the magnitude, exp saturates its argument at 80, pow is `|a|^b` (0 when
/// `|a| <= 0.001`, at most exp(80)), and any result beyond the largest `Float` saturates there.
public enum BuiltinOperator: UInt16, CaseIterable, Sendable, Hashable {
    case add, sub, mul, div, sqrt, log, abs, neg, inv, max, min, sin, cos, tan, sig, exp, pow, square
    case gt, ifThenElse, and, or
    case isLeftOf, isRightOf, isTopOf, isBottomOf, xDistance, yDistance, xyDistance, withinRange

    /// The saturation bound of every result: the largest finite `Float`, so the fast Float evaluator and the
    /// exact Double evaluator agree.
    public static let saturation = Double(Float.greatestFiniteMagnitude)
    /// Arguments (or denominators) at or below this magnitude are protected (gplearn's 0.001).
    public static let protectionThreshold = 0.001
    /// exp's argument saturates here (exp(80) is finite in Float).
    public static let expLimit = 80.0
    /// exp(80): the largest value of exp and pow.
    public static let expOfLimit = Foundation.exp(80.0)

    /// The name used in text, JSON and `FunctionSet` lists (gplearn's names where gplearn has the function).
    public var name: String {
        switch self {
        case .add: return "add"
        case .sub: return "sub"
        case .mul: return "mul"
        case .div: return "div"
        case .sqrt: return "sqrt"
        case .log: return "log"
        case .abs: return "abs"
        case .neg: return "neg"
        case .inv: return "inv"
        case .max: return "max"
        case .min: return "min"
        case .sin: return "sin"
        case .cos: return "cos"
        case .tan: return "tan"
        case .sig: return "sig"
        case .exp: return "exp"
        case .pow: return "pow"
        case .square: return "square"
        case .gt: return "gt"
        case .ifThenElse: return "if_then_else"
        case .and: return "and"
        case .or: return "or"
        case .isLeftOf: return "is_left_of"
        case .isRightOf: return "is_right_of"
        case .isTopOf: return "is_top_of"
        case .isBottomOf: return "is_bottom_of"
        case .xDistance: return "x_distance"
        case .yDistance: return "y_distance"
        case .xyDistance: return "xy_distance"
        case .withinRange: return "within_range"
        }
    }

    /// The operator called `name`, if it is built in.
    public init?(name: String) {
        guard let found = BuiltinOperator.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    public var arity: Int {
        switch self {
        case .sqrt, .log, .abs, .neg, .inv, .sin, .cos, .tan, .sig, .exp, .square: return 1
        case .ifThenElse: return 3
        case .xyDistance, .withinRange: return 4
        default: return 2
        }
    }

    /// True for operators whose arguments can be swapped.
    public var isCommutative: Bool {
        switch self {
        case .add, .mul, .max, .min, .and, .or: return true
        default: return false
        }
    }

    @inline(__always) static func saturate(_ x: Double) -> Double {
        Swift.min(Swift.max(x, -saturation), saturation)
    }

    /// The exact (Double) value of the operator: the reference semantics every evaluator and export follows.
    /// `a` is the first argument, `b`, `c`, `d` the next ones (ignored beyond the arity).
    @inline(__always)
    public func apply(_ a: Double, _ b: Double = 0, _ c: Double = 0, _ d: Double = 0) -> Double {
        let t = BuiltinOperator.protectionThreshold
        switch self {
        case .add: return Self.saturate(a + b)
        case .sub: return Self.saturate(a - b)
        case .mul: return Self.saturate(a * b)
        case .div: return Swift.abs(b) > t ? Self.saturate(a / b) : 1
        case .sqrt: return Swift.abs(a).squareRoot()
        case .log: return Swift.abs(a) > t ? Foundation.log(Swift.abs(a)) : 0
        case .abs: return Swift.abs(a)
        case .neg: return -a
        case .inv: return Swift.abs(a) > t ? 1 / a : 0
        case .max: return Swift.max(a, b)
        case .min: return Swift.min(a, b)
        case .sin: return Foundation.sin(a)
        case .cos: return Foundation.cos(a)
        case .tan: return Self.saturate(Foundation.tan(a))
        case .sig: return 1 / (1 + Foundation.exp(-Swift.min(Swift.max(a, -BuiltinOperator.expLimit), BuiltinOperator.expLimit)))
        case .exp: return Foundation.exp(Swift.min(a, BuiltinOperator.expLimit))
        case .pow:
            guard Swift.abs(a) > t else { return 0 }
            return Swift.min(Foundation.pow(Swift.abs(a), b), BuiltinOperator.expOfLimit)
        case .square: return Self.saturate(a * a)
        case .gt: return a > b ? 1 : 0
        case .ifThenElse: return a > 0 ? b : c
        case .and: return a > 0 && b > 0 ? 1 : 0
        case .or: return a > 0 || b > 0 ? 1 : 0
        case .isLeftOf, .isTopOf: return b - a > 0 ? 1 : 0
        case .isRightOf, .isBottomOf: return b - a < 0 ? 1 : 0
        case .xDistance, .yDistance: return Self.saturate(b - a)
        case .xyDistance:
            let dx = c - a, dy = d - b
            return Self.saturate((dx * dx + dy * dy).squareRoot())
        case .withinRange:
            let distance = b - a
            return c < distance && distance < d ? 1 : 0
        }
    }

    /// Partial derivatives of `apply` with respect to each argument (the first `arity` entries are meaningful),
    /// for reverse-mode differentiation. Protected branches and saturated results have derivative 0; steps
    /// (comparisons, logic, relations) have derivative 0 everywhere.
    public func partials(_ a: Double, _ b: Double = 0, _ c: Double = 0, _ d: Double = 0) -> (Double, Double, Double, Double) {
        let t = BuiltinOperator.protectionThreshold
        let s = BuiltinOperator.saturation
        func finite(_ x: Double) -> Double { x.isFinite ? Self.saturate(x) : 0 }
        switch self {
        case .add: return Swift.abs(a + b) < s ? (1, 1, 0, 0) : (0, 0, 0, 0)
        case .sub: return Swift.abs(a - b) < s ? (1, -1, 0, 0) : (0, 0, 0, 0)
        case .mul: return Swift.abs(a * b) < s ? (b, a, 0, 0) : (0, 0, 0, 0)
        case .div:
            guard Swift.abs(b) > t, Swift.abs(a / b) < s else { return (0, 0, 0, 0) }
            return (finite(1 / b), finite(-a / (b * b)), 0, 0)
        case .sqrt:
            guard a != 0 else { return (0, 0, 0, 0) }
            return (finite((a > 0 ? 0.5 : -0.5) / Swift.abs(a).squareRoot()), 0, 0, 0)
        case .log: return (Swift.abs(a) > t ? 1 / a : 0, 0, 0, 0)
        case .abs: return (a > 0 ? 1 : (a < 0 ? -1 : 0), 0, 0, 0)
        case .neg: return (-1, 0, 0, 0)
        case .inv: return (Swift.abs(a) > t ? -1 / (a * a) : 0, 0, 0, 0)
        case .max: return a >= b ? (1, 0, 0, 0) : (0, 1, 0, 0)
        case .min: return a <= b ? (1, 0, 0, 0) : (0, 1, 0, 0)
        case .sin: return (Foundation.cos(a), 0, 0, 0)
        case .cos: return (-Foundation.sin(a), 0, 0, 0)
        case .tan:
            let value = Foundation.tan(a)
            return (finite(1 + value * value), 0, 0, 0)
        case .sig:
            guard Swift.abs(a) < BuiltinOperator.expLimit else { return (0, 0, 0, 0) }
            let value = 1 / (1 + Foundation.exp(-a))
            return (value * (1 - value), 0, 0, 0)
        case .exp: return (a < BuiltinOperator.expLimit ? Foundation.exp(a) : 0, 0, 0, 0)
        case .pow:
            guard Swift.abs(a) > t else { return (0, 0, 0, 0) }
            let logA = Foundation.log(Swift.abs(a))
            guard b * logA < BuiltinOperator.expLimit else { return (0, 0, 0, 0) }
            let value = Foundation.exp(b * logA)
            return (finite(b * value / a), finite(value * logA), 0, 0)
        case .square: return Swift.abs(a * a) < s ? (2 * a, 0, 0, 0) : (0, 0, 0, 0)
        case .gt, .and, .or, .isLeftOf, .isRightOf, .isTopOf, .isBottomOf, .withinRange: return (0, 0, 0, 0)
        case .ifThenElse: return a > 0 ? (0, 1, 0, 0) : (0, 0, 1, 0)
        case .xDistance, .yDistance: return (-1, 1, 0, 0)
        case .xyDistance:
            let dx = c - a, dy = d - b
            let r = (dx * dx + dy * dy).squareRoot()
            guard r > 0 else { return (0, 0, 0, 0) }
            return (finite(-dx / r), finite(-dy / r), finite(dx / r), finite(dy / r))
        }
    }
}
