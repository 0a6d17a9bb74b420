/// Copies of `MountainCar` stepped together (see `BatchEnvironment`).
public struct MountainCarBatch: BatchEnvironment {
    public typealias Single = MountainCar
    typealias Lanes = SIMD4<Double>
    var columns: BatchColumns

    public init(copies: Int, seed: UInt64) {
        columns = BatchColumns(count: copies, components: 2, seed: seed, reset: Self.reset)
    }

    public var count: Int { columns.count }

    @inline(__always)
    static func reset(_ v: UnsafeMutablePointer<Double>, _ i: Int, _ p: Int, _ g: inout SeededGenerator) {
        v[i] = g.uniform(-0.6, -0.4)
        v[p + i] = 0
        v[2 * p + i] = 0
    }

    public mutating func step(actions: UnsafeBufferPointer<Int>, observations: UnsafeMutableBufferPointer<Double>,
                              rewards: UnsafeMutableBufferPointer<Double>, terminated: UnsafeMutableBufferPointer<Bool>,
                              truncated: UnsafeMutableBufferPointer<Bool>) {
        let n = columns.count, p = columns.padded
        Block.checkSizes("MountainCarBatch", n, 2, actions, observations, rewards, terminated, truncated)
        columns.withValues { v, generators in
            let a = actions.baseAddress!, o = observations.baseAddress!
            let force = Lanes(repeating: MountainCar.force), minusGravity = Lanes(repeating: -MountainCar.gravity)
            let maxSpeed = Lanes(repeating: MountainCar.maxSpeed), minSpeed = -maxSpeed
            let minPosition = Lanes(repeating: MountainCar.minPosition), maxPosition = Lanes(repeating: MountainCar.maxPosition)
            let goal = Lanes(repeating: MountainCar.goalPosition), limit = Lanes(repeating: 200)
            var i = 0
            while i < n {
                let valid = min(4, n - i)
                var position = Block.load(v, i, valid: 4), velocity = Block.load(v + p, i, valid: 4)
                let elapsed = Block.load(v + 2 * p, i, valid: 4) + 1
                let action = Block.load(a, i, valid: valid)
                let push = Lanes(repeating: 0).replacing(with: -1, where: action .== 0).replacing(with: 1, where: action .== 2)
                velocity += push * force + VectorTrig.sinCos(3 * position).cos * minusGravity
                velocity = velocity.clamped(lowerBound: minSpeed, upperBound: maxSpeed)
                position += velocity
                position = position.clamped(lowerBound: minPosition, upperBound: maxPosition)
                velocity.replace(with: 0, where: (position .== minPosition) .& (velocity .< 0))
                let term = (position .>= goal) .& (velocity .>= 0)
                let trunc = elapsed .>= limit
                Block.store(position, v, i, valid: 4); Block.store(velocity, v + p, i, valid: 4)
                Block.store(elapsed, v + 2 * p, i, valid: 4)
                Block.store(Block.float32(position), o, i, valid: valid); Block.store(Block.float32(velocity), o + n, i, valid: valid)
                Block.storeOutcome(Lanes(repeating: -1), term, trunc, rewards, terminated, truncated, i, valid: valid)
                BatchColumns.resetEnded(term .| trunc, v, i, valid: valid, padded: p, &generators, reset: Self.reset) { copy in
                    for c in 0..<2 { o[c * n + copy] = float32(v[c * p + copy]) }
                }
                i += 4
            }
        }
    }

    public func observations(into buffer: UnsafeMutableBufferPointer<Double>) {
        let n = columns.count, p = columns.padded
        for c in 0..<2 { for i in 0..<n { buffer[c * n + i] = float32(columns.values[c * p + i]) } }
    }

    public func state(of index: Int) -> [Double] { columns.state(of: index) }

    public mutating func setState(_ values: [Double], of index: Int) throws {
        columns.setState(try MountainCar().validatedState(values), of: index)
    }
}
