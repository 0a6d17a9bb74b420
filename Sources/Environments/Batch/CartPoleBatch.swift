/// Copies of `CartPole` stepped together (see `BatchEnvironment`).
public struct CartPoleBatch: BatchEnvironment {
    public typealias Single = CartPole
    typealias Lanes = SIMD4<Double>
    var columns: BatchColumns

    public init(copies: Int, seed: UInt64) {
        columns = BatchColumns(count: copies, components: 4, seed: seed)
        var values = [Double](); swap(&values, &columns.values)
        values.withUnsafeMutableBufferPointer { v in
            for i in 0..<columns.padded { Self.reset(v.baseAddress!, i, columns.padded, &columns.generators[i]) }
        }
        swap(&values, &columns.values)
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
        precondition(actions.count >= n && observations.count >= 4 * n && rewards.count >= n
                     && terminated.count >= n && truncated.count >= n, "CartPoleBatch.step: buffers smaller than the batch")
        var values = [Double](); swap(&values, &columns.values)
        defer { swap(&values, &columns.values) }
        values.withUnsafeMutableBufferPointer { buffer in
            let v = buffer.baseAddress!, a = actions.baseAddress!, o = observations.baseAddress!
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
                Block.store(Lanes(repeating: 1), rewards.baseAddress!, i, valid: valid)
                Block.store(term, terminated.baseAddress!, i, valid: valid)
                Block.store(trunc, truncated.baseAddress!, i, valid: valid)
                let done = term .| trunc
                if any(done) {
                    for lane in 0..<4 where done[lane] {
                        Self.reset(v, i + lane, p, &columns.generators[i + lane])
                        if lane < valid { for c in 0..<4 { o[c * n + i + lane] = float32(v[c * p + i + lane]) } }
                    }
                }
                i += 4
            }
        }
    }

    public func observations(into buffer: UnsafeMutableBufferPointer<Double>) {
        let n = columns.count, p = columns.padded
        for c in 0..<4 { for i in 0..<n { buffer[c * n + i] = float32(columns.values[c * p + i]) } }
    }

    public func state(of index: Int) -> [Double] { (0..<4).map { columns.values[$0 * columns.padded + index] } }

    public mutating func setState(_ values: [Double], of index: Int) throws {
        let checked = try CartPole().validatedState(values)
        for c in 0..<4 { columns.values[c * columns.padded + index] = checked[c] }
        columns.values[4 * columns.padded + index] = 0
    }
}
