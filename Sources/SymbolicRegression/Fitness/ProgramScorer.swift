import Foundation
import Synchronization

/// Scores single programs on one dataset with the GP's own evaluator (Float, a block of rows per node, the
/// metric fused into the pass): for searches outside the GP that score many variants of a program, such as a
/// pattern search over its constants. The score is the metric's raw value, as the GP's raw fitness; a program
/// that cannot run on the dataset (a feature it lacks) scores the metric's worst value.
///
/// One call at a time: concurrent calls take turns (make one scorer per thread to score in parallel).
public final class ProgramScorer: Sendable {
    private let fitness: FitnessFunction
    private let featureCount: Int
    private let turn = Mutex(())

    /// - Parameters:
    ///   - data: the rows and the target (the value or class index the metric compares the output with).
    ///   - sampleWeight: per-row weights (nil: all 1).
    public init(data: Dataset, functionSet: FunctionSet, metric: Metric, sampleWeight: [Double]? = nil) throws {
        guard let target = data.target else {
            throw DataError.missingTarget(source: nil, column: data.targetName ?? "target", available: data.featureNames)
        }
        if let sampleWeight, sampleWeight.count != data.rowCount {
            throw DataError.columnLength(column: "sample_weight", expected: data.rowCount, found: sampleWeight.count)
        }
        fitness = FitnessFunction(data: data, target: target, functionSet: functionSet, metric: metric, linearScaling: false,
                                  transform: nil, sampleWeight: sampleWeight, threads: 1, blockSize: 256)
        featureCount = data.featureCount
    }

    /// The metric of `program` on every row.
    public func score(_ program: Program) -> Double {
        guard program.isValid, program.maxFeatureIndex < featureCount else { return fitness.metric.worst }
        return turn.withLock { _ in fitness.score(program, inBag: nil, worker: 0).raw }
    }
}
