import Foundation

/// The batch kernels of the built-in operators in `Float`: one plain loop per operator and argument form,
/// written so that the compiler vectorises each (no calls, no branches but selects). Every result is finite
/// for finite arguments (`BuiltinOperator` documents the protection).
enum FloatKernels {
    static let bound = Float.greatestFiniteMagnitude
    static let threshold: Float = 0.001
    static let expLimit: Float = 80

    @inline(__always) static func sat(_ x: Float) -> Float { Swift.min(Swift.max(x, -bound), bound) }

    @inline(__always)
    static func unary(_ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ n: Int, _ f: (Float) -> Float) {
        for i in 0..<n { out[i] = f(a[i]) }
    }

    @inline(__always)
    static func binary(_ form: Instruction.Form, _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>,
                       _ b: UnsafePointer<Float>, _ k: Float, _ n: Int, _ f: (Float, Float) -> Float) {
        switch form {
        case .constantSecond: for i in 0..<n { out[i] = f(a[i], k) }
        case .constantFirst: for i in 0..<n { out[i] = f(k, a[i]) }
        default: for i in 0..<n { out[i] = f(a[i], b[i]) }
        }
    }

    @inline(__always) static func protectedLog(_ x: Float) -> Float {
        let m = x.magnitude
        return m > threshold ? VectorMath.logNormal(m) : 0
    }

    @inline(__always) static func protectedPow(_ x: Float, _ y: Float) -> Float {
        let m = x.magnitude
        let value = VectorMath.expElement(Swift.min(y * VectorMath.logNormal(m), expLimit))
        return m > threshold ? value : 0
    }

    /// Runs one instruction over `n` rows; `a`...`d` are the argument pointers (unused ones may be anything).
    static func run(_ ins: Instruction, _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>,
                    _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>, _ d: UnsafePointer<Float>, _ n: Int,
                    _ custom: [CustomOperator]) {
        if ins.form == .fill {
            for i in 0..<n { out[i] = ins.k }
            return
        }
        guard let op = BuiltinOperator(rawValue: ins.op) else {
            custom[Int(ins.op - Node.customBase)].evaluate(a, b, into: out, count: n)
            return
        }
        let k = ins.k, form = ins.form
        switch op {
        case .add: binary(form, out, a, b, k, n) { sat($0 + $1) }
        case .sub: binary(form, out, a, b, k, n) { sat($0 - $1) }
        case .mul: binary(form, out, a, b, k, n) { sat($0 * $1) }
        case .div: binary(form, out, a, b, k, n) { $1.magnitude > threshold ? sat($0 / $1) : 1 }
        case .max: binary(form, out, a, b, k, n) { Swift.max($0, $1) }
        case .min: binary(form, out, a, b, k, n) { Swift.min($0, $1) }
        case .pow: binary(form, out, a, b, k, n) { protectedPow($0, $1) }
        case .gt: binary(form, out, a, b, k, n) { $0 > $1 ? 1 : 0 }
        case .and: binary(form, out, a, b, k, n) { $0 > 0 && $1 > 0 ? 1 : 0 }
        case .or: binary(form, out, a, b, k, n) { $0 > 0 || $1 > 0 ? 1 : 0 }
        case .isLeftOf, .isTopOf: binary(form, out, a, b, k, n) { $1 - $0 > 0 ? 1 : 0 }
        case .isRightOf, .isBottomOf: binary(form, out, a, b, k, n) { $1 - $0 < 0 ? 1 : 0 }
        case .xDistance, .yDistance: binary(form, out, a, b, k, n) { sat($1 - $0) }
        case .sqrt: unary(out, a, n) { $0.magnitude.squareRoot() }
        case .log: unary(out, a, n) { protectedLog($0) }
        case .abs: unary(out, a, n) { $0.magnitude }
        case .neg: unary(out, a, n) { -$0 }
        case .inv: unary(out, a, n) { $0.magnitude > threshold ? 1 / $0 : 0 }
        case .square: unary(out, a, n) { sat($0 * $0) }
        case .exp: unary(out, a, n) { VectorMath.expElement(Swift.min($0, expLimit)) }
        case .sig: unary(out, a, n) { 1 / (1 + VectorMath.expElement(-Swift.min(Swift.max($0, -expLimit), expLimit))) }
        case .sin: VectorMath.sin(a, out, n)
        case .cos: VectorMath.cos(a, out, n)
        case .tan:
            VectorMath.tan(a, out, n)
            for i in 0..<n { out[i] = sat(out[i]) }
        case .ifThenElse: for i in 0..<n { out[i] = a[i] > 0 ? b[i] : c[i] }
        case .xyDistance:
            for i in 0..<n {
                let dx = c[i] - a[i], dy = d[i] - b[i]
                out[i] = sat((dx * dx + dy * dy).squareRoot())
            }
        case .withinRange:
            for i in 0..<n {
                let distance = b[i] - a[i]
                out[i] = c[i] < distance && distance < d[i] ? 1 : 0
            }
        }
    }
}
