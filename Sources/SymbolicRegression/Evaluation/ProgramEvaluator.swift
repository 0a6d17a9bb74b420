/// Which sums the evaluator accumulates while it runs a program.
enum FusedFitness: Equatable {
    /// None: only the output (written to a column when asked).
    case none
    case absoluteError
    case squaredError
    /// Moments of prediction and target (Pearson, R2 and MSE after linear scaling).
    case moments
    /// Rows whose rounded prediction, clamped to `0...classes-1`, equals the target (`Metric.roundedAccuracy`).
    case roundedHits(classes: Int)
}

/// Row weights of a weighted evaluation: the in-bag weights (sample weight times the program's sample mask)
/// and the total weights (sample weights), so out-of-bag sums are total minus in-bag.
struct RowWeights {
    var inBag: UnsafePointer<Float>
    var total: UnsafePointer<Float>
}

/// The batch interpreter: runs a compiled program over blocks of rows, one operator at a time over the whole
/// block (a switch per node and block, never per row), into slots of a reused scratch buffer, and accumulates
/// the fitness sums of each block right after computing it, while it is still in cache.
struct ProgramEvaluator {
    let data: FloatData
    let functionSet: FunctionSet

    /// Runs `program`; returns the total sums and, for a weighted evaluation, the in-bag sums.
    /// With `materialize`, the output of every row is also written to `scratch.column` (or to `into`).
    /// Columns at and past the data's features are read from `shared`.
    func run(_ program: CompiledProgram, fitness: FusedFitness, weights: RowWeights? = nil,
             scratch: EvaluationScratch, materialize: Bool = false, into destination: UnsafeMutablePointer<Float>? = nil,
             shared: UnsafeMutablePointer<Float>? = nil) -> (total: FitnessSums, inBag: FitnessSums?) {
        scratch.reserve(slots: program.slotCount + 1)
        let block = scratch.blockSize
        let slotStride = scratch.slotStride
        let slots = scratch.slots
        let features = data.features
        let stride = data.stride
        let featureCount = data.featureCount
        let sharedColumns = shared ?? features
        let column = destination ?? scratch.column
        // A column of its own (a shared subtree's): the last operator writes it directly, not a slot then a copy.
        // It reads only other slots and columns, so the values are the same.
        var writesDestination = false
        if materialize, destination != nil, case .slot(let s) = program.output, program.instructions.last?.destination == s {
            writesDestination = true
        }
        let custom = functionSet.customOperators
        var total = FitnessSums(), inBag = FitnessSums()
        var shift: Float = 0
        let constantOutputSlot = slots + program.slotCount * slotStride
        var start = 0
        while start < data.rows {
            let n = Swift.min(block, data.rows - start)
            @inline(__always) func columnPointer(_ c: Int) -> UnsafeMutablePointer<Float> {
                c < featureCount ? features + c * stride + start : sharedColumns + (c - featureCount) * stride + start
            }
            @inline(__always) func pointer(_ reference: Int32) -> UnsafeMutablePointer<Float> {
                reference >= 0 ? slots + Int(reference) * slotStride : columnPointer(Int(-1 - reference))
            }
            for ins in program.instructions.dropLast(writesDestination ? 1 : 0) {
                FloatKernels.run(ins, pointer(ins.destination), pointer(ins.a), pointer(ins.b), pointer(ins.c), pointer(ins.d), n, custom)
            }
            if writesDestination, let ins = program.instructions.last {
                FloatKernels.run(ins, column + start, pointer(ins.a), pointer(ins.b), pointer(ins.c), pointer(ins.d), n, custom)
            }
            let output: UnsafeMutablePointer<Float>
            switch program.output {
            case .slot(let s): output = writesDestination ? column + start : slots + Int(s) * slotStride
            case .column(let c): output = columnPointer(Int(c))
            case .constant(let value):
                for i in 0..<n { constantOutputSlot[i] = value }
                output = constantOutputSlot
            }
            if start == 0 { shift = output[0] }
            if materialize && !writesDestination { (column + start).update(from: output, count: n) }
            if let weights {
                accumulateWeighted(output, start, n, shift, weights.total, fitness, &total)
                accumulateWeighted(output, start, n, shift, weights.inBag, fitness, &inBag)
            } else {
                accumulate(output, start, n, shift, fitness, &total)
            }
            start += n
        }
        total.shift = Double(shift)
        inBag.shift = Double(shift)
        if weights == nil {
            total.weight = Double(data.rows)
            total.y = data.centredSum
            total.yy = data.centredSquareSum
            return (total, nil)
        }
        return (total, inBag)
    }

    @inline(__always) private func load(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Unweighted sums of one block, in Float lanes, flushed to Double once per block. Each sum runs in
    /// four independent accumulators (32 rows per step): one accumulator waits on its own previous add, which
    /// made the sums cost as much as the program itself for short programs.
    private func accumulate(_ p: UnsafePointer<Float>, _ start: Int, _ n: Int, _ shift: Float,
                            _ fitness: FusedFitness, _ sums: inout FitnessSums) {
        let wideEnd = n & ~31
        let vectorEnd = n & ~7
        switch fitness {
        case .none: return
        case .absoluteError:
            let y = UnsafePointer(data.target + start)
            @inline(__always) func term(_ i: Int) -> SIMD8<Float> {
                let e = load(p, i) - load(y, i)
                return e.replacing(with: -e, where: e .< 0)
            }
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            var i = 0
            while i < wideEnd { a0 += term(i); a1 += term(i + 8); a2 += term(i + 16); a3 += term(i + 24); i += 32 }
            while i < vectorEnd { a0 += term(i); i += 8 }
            var tail: Float = 0
            while i < n { tail += (p[i] - y[i]).magnitude; i += 1 }
            sums.absoluteError += Double(((a0 + a1) + (a2 + a3)).sum()) + Double(tail)
        case .squaredError:
            let y = UnsafePointer(data.target + start)
            @inline(__always) func add(_ acc: inout SIMD8<Float>, _ i: Int) { let e = load(p, i) - load(y, i); acc.addProduct(e, e) }
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            var i = 0
            while i < wideEnd { add(&a0, i); add(&a1, i + 8); add(&a2, i + 16); add(&a3, i + 24); i += 32 }
            while i < vectorEnd { add(&a0, i); i += 8 }
            var tail: Float = 0
            while i < n { let e = p[i] - y[i]; tail += e * e; i += 1 }
            sums.squaredError += Double(((a0 + a1) + (a2 + a3)).sum()) + Double(tail)
        case .moments:
            let y = UnsafePointer(data.centredTarget + start)
            let s = SIMD8<Float>(repeating: shift)
            var sp0 = SIMD8<Float>(), spp0 = SIMD8<Float>(), spy0 = SIMD8<Float>()
            var sp1 = SIMD8<Float>(), spp1 = SIMD8<Float>(), spy1 = SIMD8<Float>()
            @inline(__always) func add(_ sp: inout SIMD8<Float>, _ spp: inout SIMD8<Float>, _ spy: inout SIMD8<Float>, _ i: Int) {
                let v = load(p, i) - s
                sp += v
                spp.addProduct(v, v)
                spy.addProduct(v, load(y, i))
            }
            var i = 0
            let pairEnd = n & ~15
            while i < pairEnd { add(&sp0, &spp0, &spy0, i); add(&sp1, &spp1, &spy1, i + 8); i += 16 }
            while i < vectorEnd { add(&sp0, &spp0, &spy0, i); i += 8 }
            var tp: Float = 0, tpp: Float = 0, tpy: Float = 0
            while i < n { let v = p[i] - shift; tp += v; tpp += v * v; tpy += v * y[i]; i += 1 }
            sums.p += Double((sp0 + sp1).sum()) + Double(tp)
            sums.pp += Double((spp0 + spp1).sum()) + Double(tpp)
            sums.py += Double((spy0 + spy1).sum()) + Double(tpy)
        case .roundedHits(let classes):
            let y = UnsafePointer(data.target + start)
            var acc = SIMD8<Float>()
            var i = 0
            while i < vectorEnd { acc += hitLanes(load(p, i), load(y, i), classes); i += 8 }
            var tail: Float = 0
            while i < n { tail += hit(p[i], y[i], classes); i += 1 }
            sums.hits += Double(acc.sum()) + Double(tail)
        }
    }

    /// 1 where `Metric.roundedClass` of the prediction equals the target, else 0 (NaN rounds to class 0).
    @inline(__always) private func hitLanes(_ p: SIMD8<Float>, _ y: SIMD8<Float>, _ classes: Int) -> SIMD8<Float> {
        let top = SIMD8<Float>(repeating: Float(classes - 1))
        var r = p.rounded(.toNearestOrAwayFromZero)
        r.replace(with: 0, where: .!(r .> 0))  // also NaN
        r.replace(with: top, where: r .> top)
        return SIMD8<Float>(repeating: 0).replacing(with: 1, where: r .== y)
    }

    @inline(__always) private func hit(_ p: Float, _ y: Float, _ classes: Int) -> Float {
        Float(Metric.roundedClass(Double(p), classes: classes)) == y ? 1 : 0
    }

    /// Weighted sums of one block (every sum, whatever the metric: the weighted path is the rare one).
    private func accumulateWeighted(_ p: UnsafePointer<Float>, _ start: Int, _ n: Int, _ shift: Float,
                                    _ weights: UnsafePointer<Float>, _ fitness: FusedFitness, _ sums: inout FitnessSums) {
        guard fitness != .none else { return }
        let w = weights + start
        let y = data.target + start
        let yc = data.centredTarget + start
        var sw: Float = 0, sa: Float = 0, se: Float = 0, sp: Float = 0, spp: Float = 0, spy: Float = 0, sy: Float = 0, syy: Float = 0
        var sh: Float = 0
        let classes: Int
        if case .roundedHits(let count) = fitness { classes = count } else { classes = 0 }
        for i in 0..<n {
            let weight = w[i]
            if classes > 0 { sh += weight * hit(p[i], y[i], classes) }
            let e = p[i] - y[i]
            let v = p[i] - shift
            sw += weight
            sa += weight * e.magnitude
            se += weight * e * e
            sp += weight * v
            spp += weight * v * v
            spy += weight * v * yc[i]
            sy += weight * yc[i]
            syy += weight * yc[i] * yc[i]
        }
        sums.weight += Double(sw); sums.absoluteError += Double(sa); sums.squaredError += Double(se)
        sums.p += Double(sp); sums.pp += Double(spp); sums.py += Double(spy); sums.y += Double(sy); sums.yy += Double(syy)
        sums.hits += Double(sh)
    }
}
