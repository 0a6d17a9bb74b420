/// Scores many programs at once with the fast evaluator, spread over threads: the GP's own fitness path, open
/// to callers (objectives that score programs they made, benchmarks on given trees).
public final class PopulationEvaluator {
    let fitness: FitnessFunction
    public let threads: Int

    /// `data` must have a target; the metric (and linear scaling) give each program's raw fitness.
    public init(data: Dataset, functionSet: FunctionSet, metric: Metric, linearScaling: Bool = false,
                threads: Int = 1, blockSize: Int = 512) throws {
        guard let target = data.target else { throw DataError.missingTarget(source: nil, column: "target", available: data.featureNames) }
        self.threads = max(1, threads)
        fitness = FitnessFunction(data: data, target: target, functionSet: functionSet, metric: metric,
                                  linearScaling: linearScaling, transform: nil, sampleWeight: nil,
                                  threads: self.threads, blockSize: blockSize)
    }

    /// The raw fitness of each program, in order.
    public func scores(_ programs: [Program]) -> [Double] {
        var out = [Double](repeating: 0, count: programs.count)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer
            ParallelLoop.run(count: programs.count, threads: threads) { worker, index in
                results[index] = fitness.score(programs[index], inBag: nil, worker: worker).raw
            }
        }
        return out
    }
}
