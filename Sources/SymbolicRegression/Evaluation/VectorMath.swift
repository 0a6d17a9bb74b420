import Foundation

/// Branch-free single-precision sin, cos, tan, exp and log over batches of rows.
///
/// Glibc's `sinf`, `cosf`, `expf`, `logf` are scalar calls the compiler never vectorises; these are
/// Cephes-style range reductions and minimax polynomials written as plain scalar code in a loop over the batch,
/// which the compiler turns into vector FMA and blend instructions. sin, cos and tan reduce exactly for
/// `|x| <= 8192`; a batch holding a larger (or non-finite) argument is computed with the C library instead.
/// Accuracy against the C library is checked by the tests over the whole input range.
enum VectorMath {
    static let fourOverPi: Float = 1.27323954473516
    static let dp1: Float = 0.78515625
    static let dp2: Float = 2.4187564849853515625e-4
    static let dp3: Float = 3.77489497744594108e-8
    /// Bit pattern of 8192: arguments whose magnitude bits exceed it leave the reduction's exact range.
    static let reductionLimitBits: UInt32 = 0x4600_0000
    static let magic: Float = 8388608.0  // 2^23: adding it to an integer-valued float exposes the integer in the low bits

    // MARK: - Elements (inlined into the batch loops)

    /// a * b + c: one fused instruction where the target has it (one rounding), else two.
    @inline(__always) static func fma(_ a: Float, _ b: Float, _ c: Float) -> Float {
        #if SYMSTUDY_FMA || arch(arm64)
        return c.addingProduct(a, b)
        #else
        return a * b + c
        #endif
    }

    @inline(__always) static func reduce(_ ax: Float) -> (r: Float, j: UInt32) {
        let y = fma(ax, fourOverPi * 0.5, 0.5).rounded(.down) * 2
        let j = (y + magic).bitPattern
        let r = fma(-y, dp3, fma(-y, dp2, fma(-y, dp1, ax)))
        return (r, j)
    }

    @inline(__always) static func sinPoly(_ r: Float, _ z: Float) -> Float {
        fma(fma(fma(-1.9515295891e-4, z, 8.3321608736e-3), z, -1.6666654611e-1) * z, r, r)
    }

    @inline(__always) static func cosPoly(_ z: Float) -> Float {
        fma(fma(fma(2.443315711809948e-5, z, -1.388731625493765e-3), z, 4.166664568298827e-2) * z, z, fma(-0.5, z, 1))
    }

    @inline(__always) static func sinElement(_ x: Float) -> Float {
        let sign = x.bitPattern & 0x8000_0000
        let (r, j) = reduce(Float(bitPattern: x.bitPattern & 0x7fff_ffff))
        let z = r * r
        let value = (j & 2) != 0 ? cosPoly(z) : sinPoly(r, z)
        return Float(bitPattern: value.bitPattern ^ (sign ^ ((j & 4) << 29)))
    }

    @inline(__always) static func cosElement(_ x: Float) -> Float {
        let (r, j) = reduce(Float(bitPattern: x.bitPattern & 0x7fff_ffff))
        let z = r * r
        let value = (j & 2) != 0 ? sinPoly(r, z) : cosPoly(z)
        let flip = ((j ^ (j << 1)) & 4) << 29
        return Float(bitPattern: value.bitPattern ^ flip)
    }

    @inline(__always) static func tanElement(_ x: Float) -> Float {
        let sign = x.bitPattern & 0x8000_0000
        let (r, j) = reduce(Float(bitPattern: x.bitPattern & 0x7fff_ffff))
        let z = r * r
        var q = fma(9.38540185543e-3, z, 3.11992232697e-3)
        q = fma(fma(fma(fma(q, z, 2.44301354525e-2), z, 5.34112807005e-2), z, 1.33387994085e-1), z, 3.33331568548e-1)
        let t = fma(q * z, r, r)
        let value = (j & 2) != 0 ? -1 / t : t
        return Float(bitPattern: value.bitPattern ^ sign)
    }

    @inline(__always) static func expElement(_ x: Float) -> Float {
        let xc = Swift.min(Swift.max(x, -87.33654), 88.72283)
        let n = fma(xc, 1.44269504088896341, 0.5).rounded(.down)
        let r = fma(-n, -2.12194440e-4, fma(-n, 0.693359375, xc))
        let z = r * r
        var q = fma(fma(1.9875691500e-4, r, 1.3981999507e-3), r, 8.3334519073e-3)
        q = fma(fma(fma(q, r, 4.1665795894e-2), r, 1.6666665459e-1), r, 5.0000001201e-1)
        let p = fma(q, z, r + 1)
        // 2^n as 2^(n -/+ 1) times 2 or 1/2 (n runs from -126 to 128, one step beyond the exponent range at each
        // end), the power built from the integer in the low bits of (n -/+ 1) + 1.5 * 2^23.
        let up = n > 0
        let nBits = ((up ? n - 1 : n + 1) + 12582912.0).bitPattern & 0x7f_ffff
        let scale = Float(bitPattern: (nBits &- 0x40_0000 &+ 127) << 23)
        var value = p * scale * (up ? 2 : 0.5)
        value = x < -87.33654 ? 0 : value
        value = x > 88.72283 ? .infinity : value
        return x.isNaN ? x : value
    }

    @inline(__always) static func logElement(_ x: Float) -> Float {
        let denormal = x < Float.leastNormalMagnitude
        let xs = denormal ? x * 33554432.0 : x
        let bits = xs.bitPattern
        var e = Float(Int32(bitPattern: (bits >> 23) & 0xff) &- 126) - (denormal ? 25 : 0)
        var m = Float(bitPattern: (bits & 0x007f_ffff) | 0x3f00_0000)
        let small = m < 0.707106781186547524
        e = small ? e - 1 : e
        m = small ? m + m - 1 : m - 1
        let z = m * m
        var q = fma(fma(7.0376836292e-2, m, -1.1514610310e-1), m, 1.1676998740e-1)
        q = fma(fma(fma(q, m, -1.2420140846e-1), m, 1.4249322787e-1), m, -1.6668057665e-1)
        q = fma(fma(fma(q, m, 2.0000714765e-1), m, -2.4999993993e-1), m, 3.3333331174e-1)
        var y = q * m * z
        y = fma(e, -2.12194440e-4, y)
        y = fma(-0.5, z, y)
        var value = fma(e, 0.693359375, m + y)
        value = x == .infinity ? .infinity : value
        value = x == 0 ? -.infinity : value
        value = x < 0 ? .nan : value
        return x.isNaN ? x : value
    }

    // MARK: - Batches

    /// `out` must not overlap `x` (the evaluator never writes a slot it reads).
    static func sin(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        var largest: UInt32 = 0
        for i in 0..<n {
            let v = x[i]
            largest = Swift.max(largest, v.bitPattern & 0x7fff_ffff)
            out[i] = sinElement(v)
        }
        if largest > reductionLimitBits {
            for i in 0..<n { out[i] = Foundation.sin(x[i]) }
        }
    }

    /// `out` must not overlap `x` (the evaluator never writes a slot it reads).
    static func cos(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        var largest: UInt32 = 0
        for i in 0..<n {
            let v = x[i]
            largest = Swift.max(largest, v.bitPattern & 0x7fff_ffff)
            out[i] = cosElement(v)
        }
        if largest > reductionLimitBits {
            for i in 0..<n { out[i] = Foundation.cos(x[i]) }
        }
    }

    /// `out` must not overlap `x` (the evaluator never writes a slot it reads).
    static func tan(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        var largest: UInt32 = 0
        for i in 0..<n {
            let v = x[i]
            largest = Swift.max(largest, v.bitPattern & 0x7fff_ffff)
            out[i] = tanElement(v)
        }
        if largest > reductionLimitBits {
            for i in 0..<n { out[i] = Foundation.tan(x[i]) }
        }
    }

    static func exp(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { out[i] = expElement(x[i]) }
    }

    static func log(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { out[i] = logElement(x[i]) }
    }
}
