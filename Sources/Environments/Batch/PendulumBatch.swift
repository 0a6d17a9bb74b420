import Foundation

/// Copies of `Pendulum` stepped together (see `BatchEnvironment`). The floor modulo of the cost is computed
/// with a fused multiply-add instead of `fmod`, which gives the same value.
public struct PendulumBatch: BatchEnvironment {
    public typealias Single = Pendulum
    typealias Lanes = SIMD4<Double>
    var columns: BatchColumns
    /// Gravity of every copy.
    public var gravity = 10.0

    public init(copies: Int, seed: UInt64) {
        columns = BatchColumns(count: copies, components: 2, seed: seed, reset: Self.reset)
    }

    public var count: Int { columns.count }

    @inline(__always)
    static func reset(_ v: UnsafeMutablePointer<Double>, _ i: Int, _ p: Int, _ g: inout SeededGenerator) {
        v[i] = g.uniform(-Double.pi, Double.pi)
        v[p + i] = g.uniform(-1, 1)
        v[2 * p + i] = 0
    }

    public mutating func step(actions: UnsafeBufferPointer<Double>, observations: UnsafeMutableBufferPointer<Double>,
                              rewards: UnsafeMutableBufferPointer<Double>, terminated: UnsafeMutableBufferPointer<Bool>,
                              truncated: UnsafeMutableBufferPointer<Bool>) {
        let n = columns.count, p = columns.padded
        Block.checkSizes("PendulumBatch", n, 3, actions, observations, rewards, terminated, truncated)
        let g = gravity
        columns.withValues { v, generators in
            let a = actions.baseAddress!, o = observations.baseAddress!
            let maxTorque = Lanes(repeating: Pendulum.maxTorque), maxSpeed = Lanes(repeating: Pendulum.maxSpeed)
            let pi = Lanes(repeating: Double.pi), period = Lanes(repeating: 2 * Double.pi)
            let gravityTerm = Lanes(repeating: 3 * g / (2 * Pendulum.length))
            let torqueTerm = Lanes(repeating: 3.0 / (Pendulum.mass * (Pendulum.length * Pendulum.length)))
            let dt = Lanes(repeating: Pendulum.dt), limit = Lanes(repeating: 200)
            var i = 0
            while i < n {
                let valid = min(4, n - i)
                let theta = Block.load(v, i, valid: 4), thetaDot = Block.load(v + p, i, valid: 4)
                let elapsed = Block.load(v + 2 * p, i, valid: 4) + 1
                let u = Block.load(a, i, valid: valid).clamped(lowerBound: -maxTorque, upperBound: maxTorque)
                // ((θ + π) mod 2π) − π with a floor modulo: y − q·2π is exact once q is right.
                let y = theta + pi
                var r = y.addingProduct(-(y / period).rounded(.down), period)
                r.replace(with: r + period, where: r .< 0)
                r.replace(with: r - period, where: r .>= period)
                let norm = r - pi
                let cost = norm * norm + 0.1 * (thetaDot * thetaDot) + 0.001 * (u * u)
                let sine = VectorTrig.sinCos(theta).sin
                let newThetaDot = (thetaDot + (gravityTerm * sine + torqueTerm * u) * dt)
                    .clamped(lowerBound: -maxSpeed, upperBound: maxSpeed)
                let newTheta = theta + newThetaDot * dt
                let trunc = elapsed .>= limit
                Block.store(newTheta, v, i, valid: 4); Block.store(newThetaDot, v + p, i, valid: 4)
                Block.store(elapsed, v + 2 * p, i, valid: 4)
                let (s, c) = VectorTrig.sinCos(newTheta)
                Block.store(Block.float32(c), o, i, valid: valid); Block.store(Block.float32(s), o + n, i, valid: valid)
                Block.store(Block.float32(newThetaDot), o + 2 * n, i, valid: valid)
                Block.storeOutcome(-cost, SIMDMask(repeating: false), trunc, rewards, terminated, truncated, i, valid: valid)
                BatchColumns.resetEnded(trunc, v, i, valid: valid, padded: p, &generators, reset: Self.reset) { copy in
                    Self.writeObservation(v, o, copy, n, p)
                }
                i += 4
            }
        }
    }

    static func writeObservation(_ v: UnsafePointer<Double>, _ o: UnsafeMutablePointer<Double>, _ i: Int, _ n: Int, _ p: Int) {
        let theta = v[i]
        o[i] = float32(cos(theta)); o[n + i] = float32(sin(theta)); o[2 * n + i] = float32(v[p + i])
    }

    public func observations(into buffer: UnsafeMutableBufferPointer<Double>) {
        columns.values.withUnsafeBufferPointer { v in
            for i in 0..<columns.count { Self.writeObservation(v.baseAddress!, buffer.baseAddress!, i, columns.count, columns.padded) }
        }
    }

    public func state(of index: Int) -> [Double] { columns.state(of: index) }

    public mutating func setState(_ values: [Double], of index: Int) throws {
        columns.setState(try Pendulum().validatedState(values), of: index)
    }
}
