import Foundation

/// Copies of `Acrobot` stepped together (see `BatchEnvironment`).
public struct AcrobotBatch: BatchEnvironment {
    public typealias Single = Acrobot
    typealias Lanes = SIMD4<Double>
    var columns: BatchColumns

    public init(copies: Int, seed: UInt64) {
        columns = BatchColumns(count: copies, components: 4, seed: seed, reset: Self.reset)
    }

    public var count: Int { columns.count }

    @inline(__always)
    static func reset(_ v: UnsafeMutablePointer<Double>, _ i: Int, _ p: Int, _ g: inout SeededGenerator) {
        for c in 0..<4 { v[c * p + i] = float32(g.uniform(-0.1, 0.1)) }
        v[4 * p + i] = 0
    }

    /// `Acrobot.derivatives` on four lanes, in the same order of operations.
    @inline(__always)
    static func derivatives(_ t1: Lanes, _ t2: Lanes, _ d1t: Lanes, _ d2t: Lanes, _ a: Lanes)
        -> (Lanes, Lanes, Lanes, Lanes) {
        let lc1 = 0.5, lc2 = 0.5, g = 9.8, halfPi = Lanes(repeating: Double.pi / 2.0)
        let (sin2, cos2) = VectorTrig.sinCos(t2)
        let d1 = (lc1 * lc1) + ((1.0 * 1.0 + lc2 * lc2) + (2 * 1.0 * lc2) * cos2) + 1.0 + 1.0
        let d2 = ((lc2 * lc2) + (1.0 * lc2) * cos2) + 1.0
        let phi2 = (1.0 * lc2 * g) * VectorTrig.sinCos(t1 + t2 - halfPi).cos
        let phi1 = (-1.0 * 1.0 * lc2) * (d2t * d2t) * sin2 - (2 * 1.0 * 1.0 * lc2) * d2t * d1t * sin2
            + ((1.0 * lc1 + 1.0 * 1.0) * g) * VectorTrig.sinCos(t1 - halfPi).cos + phi2
        let dd2 = (a + d2 / d1 * phi1 - (1.0 * 1.0 * lc2) * (d1t * d1t) * sin2 - phi2)
            / ((1.0 * (lc2 * lc2) + 1.0) - (d2 * d2) / d1)
        let dd1 = -(d2 * dd2 + phi1) / d1
        return (d1t, d2t, dd1, dd2)
    }

    public mutating func step(actions: UnsafeBufferPointer<Int>, observations: UnsafeMutableBufferPointer<Double>,
                              rewards: UnsafeMutableBufferPointer<Double>, terminated: UnsafeMutableBufferPointer<Bool>,
                              truncated: UnsafeMutableBufferPointer<Bool>) {
        let n = columns.count, p = columns.padded
        Block.checkSizes("AcrobotBatch", n, 6, actions, observations, rewards, terminated, truncated)
        columns.withValues { v, generators in
            let ac = actions.baseAddress!, o = observations.baseAddress!
            let dt = Acrobot.dt, h = Lanes(repeating: dt / 2.0), full = Lanes(repeating: dt), w = Lanes(repeating: dt / 6.0)
            let pi = Lanes(repeating: Double.pi), diff = Lanes(repeating: Double.pi - -Double.pi)
            let max1 = Lanes(repeating: Acrobot.maxVelocity1), max2 = Lanes(repeating: Acrobot.maxVelocity2)
            let limit = Lanes(repeating: 500)
            var i = 0
            while i < n {
                let valid = min(4, n - i)
                let y0 = Block.load(v, i, valid: 4), y1 = Block.load(v + p, i, valid: 4)
                let y2 = Block.load(v + 2 * p, i, valid: 4), y3 = Block.load(v + 3 * p, i, valid: 4)
                let elapsed = Block.load(v + 4 * p, i, valid: 4) + 1
                let action = Block.load(ac, i, valid: valid)
                let a = Lanes(repeating: 0).replacing(with: -1, where: action .== 0).replacing(with: 1, where: action .== 2)
                let k1 = Self.derivatives(y0, y1, y2, y3, a)
                let k2 = Self.derivatives(y0 + h * k1.0, y1 + h * k1.1, y2 + h * k1.2, y3 + h * k1.3, a)
                let k3 = Self.derivatives(y0 + h * k2.0, y1 + h * k2.1, y2 + h * k2.2, y3 + h * k2.3, a)
                let k4 = Self.derivatives(y0 + full * k3.0, y1 + full * k3.1, y2 + full * k3.2, y3 + full * k3.3, a)
                var n0 = y0 + w * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0)
                var n1 = y1 + w * (k1.1 + 2 * k2.1 + 2 * k3.1 + k4.1)
                let n2 = (y2 + w * (k1.2 + 2 * k2.2 + 2 * k3.2 + k4.2)).clamped(lowerBound: -max1, upperBound: max1)
                let n3 = (y3 + w * (k1.3 + 2 * k2.3 + 2 * k3.3 + k4.3)).clamped(lowerBound: -max2, upperBound: max2)
                while any(n0 .> pi) { n0.replace(with: n0 - diff, where: n0 .> pi) }
                while any(n0 .< -pi) { n0.replace(with: n0 + diff, where: n0 .< -pi) }
                while any(n1 .> pi) { n1.replace(with: n1 - diff, where: n1 .> pi) }
                while any(n1 .< -pi) { n1.replace(with: n1 + diff, where: n1 .< -pi) }
                let (s1, c1) = VectorTrig.sinCos(n0), (s2, c2) = VectorTrig.sinCos(n1)
                let term = (-c1 - VectorTrig.sinCos(n1 + n0).cos) .> 1.0
                let trunc = elapsed .>= limit
                Block.store(n0, v, i, valid: 4); Block.store(n1, v + p, i, valid: 4)
                Block.store(n2, v + 2 * p, i, valid: 4); Block.store(n3, v + 3 * p, i, valid: 4)
                Block.store(elapsed, v + 4 * p, i, valid: 4)
                Block.store(Block.float32(c1), o, i, valid: valid); Block.store(Block.float32(s1), o + n, i, valid: valid)
                Block.store(Block.float32(c2), o + 2 * n, i, valid: valid); Block.store(Block.float32(s2), o + 3 * n, i, valid: valid)
                Block.store(Block.float32(n2), o + 4 * n, i, valid: valid); Block.store(Block.float32(n3), o + 5 * n, i, valid: valid)
                Block.storeOutcome(Lanes(repeating: -1).replacing(with: 0, where: term), term, trunc, rewards, terminated, truncated, i, valid: valid)
                BatchColumns.resetEnded(term .| trunc, v, i, valid: valid, padded: p, &generators, reset: Self.reset) { copy in
                    Self.writeObservation(v, o, copy, n, p)
                }
                i += 4
            }
        }
    }

    static func writeObservation(_ v: UnsafePointer<Double>, _ o: UnsafeMutablePointer<Double>, _ i: Int, _ n: Int, _ p: Int) {
        let t1 = v[i], t2 = v[p + i]
        o[i] = float32(cos(t1)); o[n + i] = float32(sin(t1)); o[2 * n + i] = float32(cos(t2)); o[3 * n + i] = float32(sin(t2))
        o[4 * n + i] = float32(v[2 * p + i]); o[5 * n + i] = float32(v[3 * p + i])
    }

    public func observations(into buffer: UnsafeMutableBufferPointer<Double>) {
        columns.values.withUnsafeBufferPointer { v in
            for i in 0..<columns.count { Self.writeObservation(v.baseAddress!, buffer.baseAddress!, i, columns.count, columns.padded) }
        }
    }

    public func state(of index: Int) -> [Double] { columns.state(of: index) }

    public mutating func setState(_ values: [Double], of index: Int) throws {
        columns.setState(try Acrobot().validatedState(values), of: index)
    }
}
