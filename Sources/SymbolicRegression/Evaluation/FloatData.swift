/// A dataset as the fast evaluator reads it: `Float` feature columns in one contiguous allocation, the target
/// and the target centred on its mean (for well-conditioned correlation sums).
final class FloatData: @unchecked Sendable {
    let rows: Int
    let featureCount: Int
    /// Distance between two feature columns, in floats.
    let stride: Int
    let features: UnsafeMutablePointer<Float>
    let target: UnsafeMutablePointer<Float>
    let centredTarget: UnsafeMutablePointer<Float>
    let targetMean: Double
    /// Sums of the centred target and its square, of the Float values the evaluator reads.
    let centredSum: Double
    let centredSquareSum: Double

    init(_ data: Dataset, target override: [Double]? = nil) {
        rows = data.rowCount
        featureCount = data.featureCount
        // Columns 64 bytes off any multiple of 4 KiB from each other (see EvaluationScratch.slotStride).
        let rounded = (rows + 15) / 16 * 16
        stride = rounded % 1024 == 0 ? rounded + 16 : rounded
        features = .allocate(capacity: max(1, featureCount) * stride)
        features.initialize(repeating: 0, count: max(1, featureCount) * stride)
        for (f, column) in data.columns.enumerated() {
            for (row, value) in column.enumerated() { features[f * stride + row] = Float(value) }
        }
        let y = override ?? data.target ?? [Double](repeating: 0, count: rows)
        target = .allocate(capacity: stride)
        target.initialize(repeating: 0, count: stride)
        centredTarget = .allocate(capacity: stride)
        centredTarget.initialize(repeating: 0, count: stride)
        let mean = y.reduce(0, +) / Double(max(1, rows))
        targetMean = mean
        var s = 0.0, ss = 0.0
        for row in 0..<rows {
            target[row] = Float(y[row])
            let centred = Float(y[row] - mean)
            centredTarget[row] = centred
            s += Double(centred)
            ss += Double(centred) * Double(centred)
        }
        centredSum = s
        centredSquareSum = ss
    }

    deinit {
        features.deallocate()
        target.deallocate()
        centredTarget.deallocate()
    }
}

/// Per-thread buffers of the evaluator, reused across programs: the slots of the interpreter and a whole
/// output column for metrics that need every prediction.
final class EvaluationScratch: @unchecked Sendable {
    let blockSize: Int
    /// Distance between two slots: the block plus 64 bytes, so that no two slots sit a multiple of 4 KiB
    /// apart (a store to one would then stall the loads from the other: 4K aliasing).
    let slotStride: Int
    private(set) var slotCapacity: Int
    private(set) var slots: UnsafeMutablePointer<Float>
    let column: UnsafeMutablePointer<Float>
    let columnLength: Int

    init(blockSize: Int, rows: Int) {
        self.blockSize = blockSize
        slotStride = blockSize + 16
        slotCapacity = 16
        slots = .allocate(capacity: slotCapacity * slotStride)
        slots.initialize(repeating: 0, count: slotCapacity * slotStride)
        columnLength = max(rows, 1)
        column = .allocate(capacity: columnLength)
        column.initialize(repeating: 0, count: columnLength)
    }

    /// Makes room for `count` slots (grows rarely: programs are short).
    func reserve(slots count: Int) {
        guard count > slotCapacity else { return }
        slots.deallocate()
        slotCapacity = count * 2
        slots = .allocate(capacity: slotCapacity * slotStride)
        slots.initialize(repeating: 0, count: slotCapacity * slotStride)
    }

    deinit {
        slots.deallocate()
        column.deallocate()
    }
}
