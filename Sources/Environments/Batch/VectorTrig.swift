/// Sine and cosine of four Doubles at once, for the batch steppers: Cody-Waite reduction by π/2 (three parts,
/// fused multiply-adds) and Taylor polynomials of degree 17 and 18 on [−π/4, π/4], whose truncation error is
/// below 1e-19. Measured against glibc over the ranges the environments visit, the results differ by at most
/// one or two units in the last place (the tests bound them at 4e-16 absolute for |x| ≤ 100).
/// Valid for |x| < 2^50; the steppers only meet far smaller angles.
enum VectorTrig {
    typealias Lanes = SIMD4<Double>

    static let twoOverPi = 0.6366197723675814
    static let pio2High = 1.5707963267948966, pio2Mid = 6.123233995736766e-17, pio2Low = -1.4973849048591698e-33
    /// 1.5·2^52: adding it rounds to an integer and leaves that integer in the low mantissa bits.
    static let shifter = 0x1.8p52

    @inline(__always)
    static func sinCos(_ x: Lanes) -> (sin: Lanes, cos: Lanes) {
        let shifted = Lanes(repeating: shifter).addingProduct(x, Lanes(repeating: twoOverPi))
        let k = shifted - shifter
        let quadrant = unsafeBitCast(shifted, to: SIMD4<Int64>.self)
        var r = x.addingProduct(-k, Lanes(repeating: pio2High))
        r = r.addingProduct(-k, Lanes(repeating: pio2Mid))
        r = r.addingProduct(-k, Lanes(repeating: pio2Low))
        let z = r * r
        var sp = Lanes(repeating: 2.8114572543455206e-15)
        sp = Lanes(repeating: -7.647163731819816e-13).addingProduct(sp, z)
        sp = Lanes(repeating: 1.6059043836821613e-10).addingProduct(sp, z)
        sp = Lanes(repeating: -2.505210838544172e-08).addingProduct(sp, z)
        sp = Lanes(repeating: 2.7557319223985893e-06).addingProduct(sp, z)
        sp = Lanes(repeating: -0.0001984126984126984).addingProduct(sp, z)
        sp = Lanes(repeating: 0.008333333333333333).addingProduct(sp, z)
        sp = Lanes(repeating: -0.16666666666666666).addingProduct(sp, z)
        let s = r.addingProduct(r * z, sp)
        var cp = Lanes(repeating: -1.5619206968586225e-16)
        cp = Lanes(repeating: 4.779477332387385e-14).addingProduct(cp, z)
        cp = Lanes(repeating: -1.1470745597729725e-11).addingProduct(cp, z)
        cp = Lanes(repeating: 2.08767569878681e-09).addingProduct(cp, z)
        cp = Lanes(repeating: -2.755731922398589e-07).addingProduct(cp, z)
        cp = Lanes(repeating: 2.48015873015873e-05).addingProduct(cp, z)
        cp = Lanes(repeating: -0.001388888888888889).addingProduct(cp, z)
        cp = Lanes(repeating: 0.041666666666666664).addingProduct(cp, z)
        // cos r = 1 − z/2 + z²·P(z), summed so that the large terms meet last.
        let half = z * 0.5
        let w = 1 - half
        let c = w + (((1 - w) - half) + (z * z) * cp)
        let swap = (quadrant & 1) .== 1
        var sine = s.replacing(with: c, where: swap)
        var cosine = c.replacing(with: s, where: swap)
        sine.replace(with: -sine, where: (quadrant & 2) .== 2)
        cosine.replace(with: -cosine, where: ((quadrant &+ 1) & 2) .== 2)
        return (sine, cosine)
    }
}
