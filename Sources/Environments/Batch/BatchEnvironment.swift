/// N copies of one environment stepped by one call, held as structure-of-arrays so the step is a SIMD loop.
///
/// Each copy resets itself in the same call when its episode ends (terminated or truncated, as gymnax does):
/// the step's reward and flags belong to the transition, the observation written is already the new
/// episode's first. Copy `i` draws its initial states from its own generator (`SeededGenerator(seed:stream:)`),
/// so results do not depend on how copies are split over threads. The dynamics are those of the single
/// environment, with sine and cosine from `VectorTrig` (within 1e-15 of libm); they stay within 1e-9 of
/// Gymnasium's reference trajectories.
public protocol BatchEnvironment: Sendable {
    /// The single environment whose copies this batch steps.
    associatedtype Single: Environment

    /// Makes `copies` copies, each reset from its own stream of `seed`.
    init(copies: Int, seed: UInt64)

    /// The number of copies.
    var count: Int { get }

    /// Steps every copy with its action. Buffers hold `count` entries, `observations` holds
    /// `count * Single.observationCount` values in component-major order (component `j` of copy `i` at
    /// `j * count + i`), the layout a column-wise policy evaluator reads.
    mutating func step(actions: UnsafeBufferPointer<Single.Action>,
                       observations: UnsafeMutableBufferPointer<Double>,
                       rewards: UnsafeMutableBufferPointer<Double>,
                       terminated: UnsafeMutableBufferPointer<Bool>,
                       truncated: UnsafeMutableBufferPointer<Bool>)

    /// Writes every copy's current observation in the layout of `step`.
    func observations(into buffer: UnsafeMutableBufferPointer<Double>)

    /// The internal state of copy `index`.
    func state(of index: Int) -> [Double]
    /// Sets the internal state of copy `index` and restarts its step count.
    /// - Throws: `EnvironmentError.invalidState`.
    mutating func setState(_ values: [Double], of index: Int) throws
}

/// The columns of a batch: one contiguous column of Doubles per state component, padded to a multiple of the
/// SIMD width, plus each copy's step count (as Doubles, to compare in SIMD) and generator.
struct BatchColumns: Sendable {
    static let width = 4
    typealias Lanes = SIMD4<Double>

    let count: Int
    let padded: Int
    var values: [Double]
    var generators: [SeededGenerator]

    let components: Int

    /// A copy's reset: writes its initial state into the columns (`values`, copy, padded count, generator).
    typealias Reset = (UnsafeMutablePointer<Double>, Int, Int, inout SeededGenerator) -> Void

    /// `components` state columns plus one column of elapsed steps (the last), every copy reset by `reset`.
    init(count: Int, components: Int, seed: UInt64, reset: Reset) {
        precondition(count > 0, "a batch needs at least one copy")
        self.count = count
        self.components = components
        padded = (count + Self.width - 1) / Self.width * Self.width
        values = [Double](repeating: 0, count: padded * (components + 1))
        generators = (0..<padded).map { SeededGenerator(seed: seed, stream: $0) }
        let p = padded
        withValues { v, generators in
            for i in 0..<p { reset(v, i, p, &generators[i]) }
        }
    }

    /// Runs `body` with the columns' storage and the generators (the storage is moved out for the call, so the
    /// two can be used together without a copy).
    mutating func withValues<R>(_ body: (UnsafeMutablePointer<Double>, inout [SeededGenerator]) -> R) -> R {
        var storage = [Double]()
        swap(&storage, &values)
        defer { swap(&storage, &values) }
        return storage.withUnsafeMutableBufferPointer { body($0.baseAddress!, &generators) }
    }

    /// Resets the copies of the block at `i` whose episode ended, and rewrites the observations of those that
    /// belong to the caller's buffer (`valid` lanes) with `observe`.
    @inline(__always)
    static func resetEnded(_ done: SIMDMask<SIMD4<Int64>>, _ v: UnsafeMutablePointer<Double>, _ i: Int, valid: Int, padded p: Int,
                           _ generators: inout [SeededGenerator], reset: Reset, observe: (Int) -> Void) {
        guard any(done) else { return }
        for lane in 0..<4 where done[lane] {
            reset(v, i + lane, p, &generators[i + lane])
            if lane < valid { observe(i + lane) }
        }
    }

    /// Copy `index`'s state.
    func state(of index: Int) -> [Double] { (0..<components).map { values[$0 * padded + index] } }

    /// Sets copy `index`'s state (already validated) and restarts its step count.
    mutating func setState(_ checked: [Double], of index: Int) {
        for c in 0..<components { values[c * padded + index] = checked[c] }
        values[components * padded + index] = 0
    }
}

/// Loads and stores of one SIMD block whose last lanes may lie past the end of a caller's buffer.
enum Block {
    typealias Lanes = SIMD4<Double>

    @inline(__always)
    static func load(_ base: UnsafePointer<Double>, _ i: Int, valid: Int) -> Lanes {
        if valid == 4 { return UnsafeRawPointer(base + i).loadUnaligned(as: Lanes.self) }
        var v = Lanes(repeating: 0)
        for lane in 0..<valid { v[lane] = base[i + lane] }
        return v
    }

    @inline(__always)
    static func load(_ base: UnsafePointer<Int>, _ i: Int, valid: Int) -> SIMD4<Int64> {
        if valid == 4 { return UnsafeRawPointer(base + i).loadUnaligned(as: SIMD4<Int64>.self) }
        var v = SIMD4<Int64>(repeating: 0)
        for lane in 0..<valid { v[lane] = Int64(base[i + lane]) }
        return v
    }

    @inline(__always)
    static func store(_ v: Lanes, _ base: UnsafeMutablePointer<Double>, _ i: Int, valid: Int) {
        if valid == 4 { UnsafeMutableRawPointer(base + i).storeBytes(of: v, as: Lanes.self); return }
        for lane in 0..<valid { base[i + lane] = v[lane] }
    }

    @inline(__always)
    static func store(_ mask: SIMDMask<SIMD4<Int64>>, _ base: UnsafeMutablePointer<Bool>, _ i: Int, valid: Int) {
        for lane in 0..<valid { base[i + lane] = mask[lane] }
    }

    /// Stores one block's rewards and end flags.
    @inline(__always)
    static func storeOutcome(_ reward: Lanes, _ terminated: SIMDMask<SIMD4<Int64>>, _ truncated: SIMDMask<SIMD4<Int64>>,
                             _ rewards: UnsafeMutableBufferPointer<Double>, _ terminatedOut: UnsafeMutableBufferPointer<Bool>,
                             _ truncatedOut: UnsafeMutableBufferPointer<Bool>, _ i: Int, valid: Int) {
        store(reward, rewards.baseAddress!, i, valid: valid)
        store(terminated, terminatedOut.baseAddress!, i, valid: valid)
        store(truncated, truncatedOut.baseAddress!, i, valid: valid)
    }

    /// Checks the sizes of a step's buffers.
    @inline(__always)
    static func checkSizes<A>(_ name: String, _ n: Int, _ observationCount: Int, _ actions: UnsafeBufferPointer<A>,
                              _ observations: UnsafeMutableBufferPointer<Double>, _ rewards: UnsafeMutableBufferPointer<Double>,
                              _ terminated: UnsafeMutableBufferPointer<Bool>, _ truncated: UnsafeMutableBufferPointer<Bool>) {
        precondition(actions.count >= n && observations.count >= observationCount * n && rewards.count >= n
                     && terminated.count >= n && truncated.count >= n, "\(name).step: buffers smaller than the batch")
    }

    /// Float32 rounding of four lanes, as Gymnasium's observations.
    @inline(__always)
    static func float32(_ v: Lanes) -> Lanes { Lanes(SIMD4<Float>(v)) }
}
