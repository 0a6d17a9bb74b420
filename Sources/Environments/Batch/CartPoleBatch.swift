/// Copies of `CartPole` stepped together (see `BatchEnvironment`).
public struct CartPoleBatch: BatchEnvironment {
    public typealias Single = CartPole
    typealias Lanes = SIMD4<Double>
    var columns: BatchColumns

    public init(copies: Int, seed: UInt64) {
        columns = BatchColumns(count: copies, components: 4, seed: seed, reset: Self.reset)
    }

    public var count: Int { columns.count }

    @inline(__always)
    static func reset(_ v: UnsafeMutablePointer<Double>, _ i: Int, _ p: Int, _ g: inout SeededGenerator) {
        for c in 0..<4 { v[c * p + i] = g.uniform(-0.05, 0.05) }
        v[4 * p + i] = 0
    }

    public mutating func step(actions: UnsafeBufferPointer<Int>, observations: UnsafeMutableBufferPointer<Double>,
                              rewards: UnsafeMutableBufferPointer<Double>, terminated: UnsafeMutableBufferPointer<Bool>,
                              truncated: UnsafeMutableBufferPointer<Bool>) {
        let n = columns.count, p = columns.padded
        Block.checkSizes("CartPoleBatch", n, 4, actions, observations, rewards, terminated, truncated)
        columns.withValues { v, generators in
            let a = actions.baseAddress!, o = observations.baseAddress!
            let g = Lanes(repeating: CartPole.gravity), mp = Lanes(repeating: CartPole.massPole)
            let m = Lanes(repeating: CartPole.totalMass), pml = Lanes(repeating: CartPole.poleMassLength)
            let l = Lanes(repeating: CartPole.length), tau = Lanes(repeating: CartPole.tau)
            let fourThirds = Lanes(repeating: 4.0 / 3.0)
            let xLimit = Lanes(repeating: CartPole.xThreshold), thetaLimit = Lanes(repeating: CartPole.thetaThreshold)
            let limit = Lanes(repeating: Double(500))
            var i = 0
            while i < n {
                let valid = min(4, n - i)
                let x = Block.load(v, i, valid: 4), xDot = Block.load(v + p, i, valid: 4)
                let theta = Block.load(v + 2 * p, i, valid: 4), thetaDot = Block.load(v + 3 * p, i, valid: 4)
                let elapsed = Block.load(v + 4 * p, i, valid: 4) + 1
                let force = Lanes(repeating: -CartPole.forceMagnitude)
                    .replacing(with: CartPole.forceMagnitude, where: Block.load(a, i, valid: valid) .== 1)
                let (sintheta, costheta) = VectorTrig.sinCos(theta)
                let temp = (force + pml * (thetaDot * thetaDot) * sintheta) / m
                let thetaAcc = (g * sintheta - costheta * temp) / (l * (fourThirds - mp * (costheta * costheta) / m))
                let xAcc = temp - pml * thetaAcc * costheta / m
                let nx = x + tau * xDot, nxDot = xDot + tau * xAcc
                let nTheta = theta + tau * thetaDot, nThetaDot = thetaDot + tau * thetaAcc
                let term = (nx .< -xLimit) .| (nx .> xLimit) .| (nTheta .< -thetaLimit) .| (nTheta .> thetaLimit)
                let trunc = elapsed .>= limit
                Block.store(nx, v, i, valid: 4); Block.store(nxDot, v + p, i, valid: 4)
                Block.store(nTheta, v + 2 * p, i, valid: 4); Block.store(nThetaDot, v + 3 * p, i, valid: 4)
                Block.store(elapsed, v + 4 * p, i, valid: 4)
                Block.store(Block.float32(nx), o, i, valid: valid); Block.store(Block.float32(nxDot), o + n, i, valid: valid)
                Block.store(Block.float32(nTheta), o + 2 * n, i, valid: valid)
                Block.store(Block.float32(nThetaDot), o + 3 * n, i, valid: valid)
                Block.storeOutcome(Lanes(repeating: 1), term, trunc, rewards, terminated, truncated, i, valid: valid)
                BatchColumns.resetEnded(term .| trunc, v, i, valid: valid, padded: p, &generators, reset: Self.reset) { copy in
                    for c in 0..<4 { o[c * n + copy] = float32(v[c * p + copy]) }
                }
                i += 4
            }
        }
    }

    public func observations(into buffer: UnsafeMutableBufferPointer<Double>) {
        let n = columns.count, p = columns.padded
        for c in 0..<4 { for i in 0..<n { buffer[c * n + i] = float32(columns.values[c * p + i]) } }
    }

    public func state(of index: Int) -> [Double] { columns.state(of: index) }

    public mutating func setState(_ values: [Double], of index: Int) throws {
        columns.setState(try CartPole().validatedState(values), of: index)
    }
}
