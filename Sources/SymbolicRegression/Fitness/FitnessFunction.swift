import Foundation

/// The fitness of programs on one dataset: compiles each program, runs the fast evaluator with the metric's
/// sums fused into the pass (or, for metrics that need every prediction, materialises the output and scores
/// it in Double), and returns the raw (and out-of-bag) fitness.
final class FitnessFunction: @unchecked Sendable {
    let data: FloatData
    let evaluator: ProgramEvaluator
    let metric: Metric
    let linearScaling: Bool
    /// Applied to outputs before the metric (the classifier's sigmoid).
    let transform: (@Sendable (Double) -> Double)?
    let fused: FusedFitness?
    let target: [Double]
    let sampleWeight: [Double]?
    private let scratches: [EvaluationScratch]
    private let weightBuffers: [UnsafeMutablePointer<Float>]
    private let totalWeights: UnsafeMutablePointer<Float>

    init(data: Dataset, target: [Double], functionSet: FunctionSet, metric: Metric, linearScaling: Bool,
         transform: (@Sendable (Double) -> Double)?, sampleWeight: [Double]?, threads: Int, blockSize: Int) {
        self.data = FloatData(data, target: target)
        self.evaluator = ProgramEvaluator(data: self.data, functionSet: functionSet)
        self.metric = metric
        self.linearScaling = linearScaling
        self.transform = transform
        self.fused = transform == nil ? metric.fused(linearScaling: linearScaling) : nil
        self.target = target
        self.sampleWeight = sampleWeight
        scratches = (0..<threads).map { _ in EvaluationScratch(blockSize: blockSize, rows: data.rowCount) }
        weightBuffers = (0..<threads).map { _ in
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, data.rowCount))
            buffer.initialize(repeating: 1, count: max(1, data.rowCount))
            return buffer
        }
        totalWeights = .allocate(capacity: max(1, data.rowCount))
        for row in 0..<data.rowCount { totalWeights[row] = Float(sampleWeight?[row] ?? 1) }
    }

    deinit {
        for buffer in weightBuffers { buffer.deallocate() }
        totalWeights.deallocate()
    }

    var rows: Int { data.rows }

    struct Score {
        var raw: Double
        var oob: Double?
        var scaling: (offset: Double, scale: Double)
    }

    /// Scores `program` on worker `worker`'s buffers; `inBag` marks the program's sampled rows (nil: all).
    /// `marks` name the subtrees it reads from the columns of `shared`.
    func score(_ program: Program, inBag: [Bool]?, worker: Int, marks: [SharedMark] = [], shared: SharedSubtrees? = nil) -> Score {
        let compiled = CompiledProgram(program, functionSet: evaluator.functionSet, marks: marks, featureCount: data.featureCount)
        let arena = shared?.arena
        let scratch = scratches[worker]
        var weights: RowWeights? = nil
        if inBag != nil || sampleWeight != nil {
            let buffer = weightBuffers[worker]
            for row in 0..<data.rows { buffer[row] = (inBag?[row] ?? true) ? totalWeights[row] : 0 }
            weights = RowWeights(inBag: UnsafePointer(buffer), total: UnsafePointer(totalWeights))
        }
        if let fused {
            let (total, bagged) = evaluator.run(compiled, fitness: fused, weights: weights, scratch: scratch, shared: arena)
            let inBagSums = bagged ?? total
            var scaling = (offset: 0.0, scale: 1.0)
            if linearScaling {
                let s = inBagSums.scaling
                scaling = (s.offset + data.targetMean, s.scale)
            }
            let raw = metric.value(inBagSums, linearScaling: linearScaling)
            let oob = inBag == nil ? nil : metric.value(total.subtracting(inBagSums), linearScaling: linearScaling)
            return Score(raw: raw, oob: oob, scaling: scaling)
        }
        _ = evaluator.run(compiled, fitness: .none, scratch: scratch, materialize: true, shared: arena)
        var prediction = (0..<data.rows).map { Double(scratch.column[$0]) }
        let base = sampleWeight ?? [Double](repeating: 1, count: data.rows)
        let inWeights = inBag.map { mask in base.indices.map { mask[$0] ? base[$0] : 0 } } ?? base
        var scaling = (offset: 0.0, scale: 1.0)
        if linearScaling {
            scaling = FitnessFunction.leastSquaresScaling(prediction, target, inWeights)
            prediction = prediction.map { scaling.offset + scaling.scale * $0 }
        }
        if let transform { prediction = prediction.map(transform) }
        let raw = metric.value(y: target, prediction: prediction, weight: inWeights)
        var oob: Double? = nil
        if let inBag {
            oob = metric.value(y: target, prediction: prediction, weight: base.indices.map { inBag[$0] ? 0 : base[$0] })
        }
        return Score(raw: raw, oob: oob, scaling: scaling)
    }

    /// Writes the output of `program` (a shared subtree, reading the earlier columns its `marks` name) on every
    /// row to `destination`.
    func computeColumn(_ program: Program, marks: [SharedMark], shared: SharedSubtrees,
                       into destination: UnsafeMutablePointer<Float>, worker: Int) {
        let compiled = CompiledProgram(program, functionSet: evaluator.functionSet, marks: marks, featureCount: data.featureCount)
        _ = evaluator.run(compiled, fitness: .none, scratch: scratches[worker], materialize: true, into: destination, shared: shared.arena)
    }

    /// Weighted least-squares offset and scale of `y ~ a + b p`.
    static func leastSquaresScaling(_ p: [Double], _ y: [Double], _ w: [Double]) -> (offset: Double, scale: Double) {
        var sw = 0.0, sp = 0.0, sy = 0.0
        for i in p.indices { sw += w[i]; sp += w[i] * p[i]; sy += w[i] * y[i] }
        guard sw > 0 else { return (0, 1) }
        let mp = sp / sw, my = sy / sw
        var spp = 0.0, spy = 0.0
        for i in p.indices { spp += w[i] * (p[i] - mp) * (p[i] - mp); spy += w[i] * (p[i] - mp) * (y[i] - my) }
        guard spp > 0 else { return (my, 0) }
        let b = spy / spp
        return (my - b * mp, b)
    }
}
