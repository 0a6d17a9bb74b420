import Foundation

/// Branch-free single-precision sin, cos, tan, exp and log over batches of rows.
///
/// Glibc's `sinf`, `cosf`, `expf`, `logf` are scalar calls the compiler never vectorises; these are
/// Cody-Waite range reductions and minimax polynomials (Cephes' for tan, exp and log) written as plain scalar
/// code in a loop over the batch,
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

    // pi = pi1 + pi2 + pi3, pi1 with 8 significant bits so that k * pi1 is exact for |k| < 2^16.
    static let pi1: Float = 3.140625
    static let pi2: Float = 9.67502593994140625e-4
    static let pi3: Float = 1.509957990978376432e-7
    static let oneOverPi: Float = 0.318309886183790671
    /// 1.5 * 2^23: adding it to an integer-valued float below 2^22 in magnitude puts the integer in the low bits.
    static let parityMagic: Float = 12582912.0

    /// sin on [-pi/2, pi/2]: r + r^3 P(r^2), a near-minimax fit (error 2e-11 before rounding to Float).
    @inline(__always) static func sinPoly(_ r: Float) -> Float {
        let z = r * r
        var p = fma(-2.3846693074960113e-08, z, 2.7522618786877144e-06)
        p = fma(p, z, -0.00019840804037504886)
        p = fma(p, z, 0.008333330495653896)
        p = fma(p, z, -0.16666666606466382)
        return fma(p * z, r, r)
    }

    /// sin(x) = (-1)^k sin(x - k pi), k = round(x / pi): one reduction and one polynomial, no select.
    @inline(__always) static func sinElement(_ x: Float) -> Float {
        let k = fma(x, oneOverPi, 0.5).rounded(.down)
        let r = fma(-k, pi3, fma(-k, pi2, fma(-k, pi1, x)))
        let sign = ((k + parityMagic).bitPattern & 1) << 31
        return Float(bitPattern: sinPoly(r).bitPattern ^ sign)
    }

    /// cos(x) = sin(x + pi/2) = (-1)^k sin(x - (k - 1/2) pi), k = round(x / pi + 1/2).
    @inline(__always) static func cosElement(_ x: Float) -> Float {
        let k = fma(x, oneOverPi, 1).rounded(.down)
        let m = k - 0.5
        let r = fma(-m, pi3, fma(-m, pi2, fma(-m, pi1, x)))
        let sign = ((k + parityMagic).bitPattern & 1) << 31
        return Float(bitPattern: sinPoly(r).bitPattern ^ sign)
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

    /// log of a positive, normal, finite x (other arguments give a finite meaningless value): the protected
    /// log's kernel, which never passes it anything else.
    @inline(__always) static func logNormal(_ x: Float) -> Float {
        let bits = x.bitPattern
        var e = Float(Int32(bitPattern: (bits >> 23) & 0xff) &- 126)
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
        return fma(e, 0.693359375, m + y)
    }

    /// log over the whole range: denormals scaled up first, 0 gives -inf, negatives and NaN give NaN.
    @inline(__always) static func logElement(_ x: Float) -> Float {
        let denormal = x < Float.leastNormalMagnitude
        var value = logNormal(denormal ? x * 33554432.0 : x) - (denormal ? 25 * 0.693147180559945309 : 0)
        value = x == .infinity ? .infinity : value
        value = x == 0 ? -.infinity : value
        value = x < 0 ? .nan : value
        return x.isNaN ? x : value
    }

    // MARK: - Batches

    /// `element` over the batch with the range check fused into the same pass; a batch with an argument outside
    /// the exact reduction range is redone with the C library's `fallback`. `out` must not overlap `x` (the
    /// evaluator never writes a slot it reads).
    @inline(__always)
    static func reduced(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int,
                        _ element: (Float) -> Float, _ fallback: (Float) -> Float) {
        var largest: UInt32 = 0
        for i in 0..<n {
            let v = x[i]
            largest = Swift.max(largest, v.bitPattern & 0x7fff_ffff)
            out[i] = element(v)
        }
        if largest > reductionLimitBits {
            for i in 0..<n { out[i] = fallback(x[i]) }
        }
    }

    static func sin(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        reduced(x, out, n, { sinElement($0) }, { Foundation.sin($0) })
    }

    static func cos(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        reduced(x, out, n, { cosElement($0) }, { Foundation.cos($0) })
    }

    static func tan(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        reduced(x, out, n, { tanElement($0) }, { Foundation.tan($0) })
    }

    static func exp(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { out[i] = expElement(x[i]) }
    }

    static func log(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { out[i] = logElement(x[i]) }
    }
}
