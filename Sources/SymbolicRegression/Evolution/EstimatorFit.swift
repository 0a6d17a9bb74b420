import Foundation

/// One call of an estimator's `fit`: validates the parameters against the data, builds the fitness function
/// and runs (or continues) the engine.
final class EstimatorFit {
    let parameters: GPParameters
    let data: Dataset
    let target: [Double]
    let engine: GeneticEngine
    let fitness: FitnessFunction
    let exact: ExactEvaluator

    init(parameters: GPParameters, data: Dataset, target: [Double], sampleWeight: [Double]?, previous: GeneticEngine?,
         transform: (@Sendable (Double) -> Double)?) throws {
        try parameters.validate()
        if let names = parameters.featureNames, names.count != data.featureCount {
            throw DataError.featureNameCount(expected: data.featureCount, found: names.count)
        }
        if let sampleWeight {
            guard sampleWeight.count == data.rowCount else {
                throw DataError.columnLength(column: "sample_weight", expected: data.rowCount, found: sampleWeight.count)
            }
            if let row = sampleWeight.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                throw DataError.nonFinite(source: nil, row: row, column: "sample_weight", value: sampleWeight[row])
            }
        }
        for node in parameters.functionSet.templates where node.customIndex != nil && node.arity > 2 {
            throw FunctionSetError.invalidName(parameters.functionSet.name(of: node))
        }
        if let previous {
            guard previous.featureCount == data.featureCount else {
                throw GPParameterError.warmStart("the data has \(data.featureCount) features, the previous fit \(previous.featureCount)")
            }
            guard parameters.generations >= previous.generationsDone else {
                throw GPParameterError.warmStart("generations = \(parameters.generations) must be at least the \(previous.generationsDone) already run")
            }
        }
        self.parameters = parameters
        self.data = data
        self.target = target
        engine = previous ?? GeneticEngine(parameters: parameters, featureCount: data.featureCount)
        engine.updateParameters(parameters)
        fitness = FitnessFunction(data: data, target: target, functionSet: parameters.functionSet, metric: parameters.metric,
                                  linearScaling: parameters.linearScaling, transform: transform, sampleWeight: sampleWeight,
                                  threads: parameters.threads, blockSize: parameters.blockSize)
        exact = ExactEvaluator(functionSet: parameters.functionSet)
    }

    func run(callback: GenerationCallback?) {
        engine.run(fitness: fitness, exact: exact, data: data, target: target, callback: callback)
    }

    /// The best individual of the last generation by raw fitness (gplearn's choice of `_program`).
    func best() -> Individual {
        let population = engine.population
        return population[GeneticEngine.bestIndex(population.map(\.rawFitness), parameters.metric.greaterIsBetter)]
    }

    /// The best program after a final, longer constant fit on all rows (nil when it does not improve).
    func fitFinal(_ best: Individual, iterations: Int) -> Program? {
        let solver = LevenbergMarquardt(functionSet: parameters.functionSet)
        guard let result = solver.fit(best.program, columns: data.columns, target: target, linearScaling: parameters.linearScaling,
                                      iterations: iterations, initialScaling: best.scaling) else { return nil }
        var fitted = best
        fitted.program = result.program
        fitted.scaling = (result.offset, result.scale)
        let candidate = fitted.scaledProgram(linearScaling: parameters.linearScaling)
        let before = best.scaledProgram(linearScaling: parameters.linearScaling)
        func sse(_ program: Program) -> Double {
            let values = exact.forward(program, columns: data.columns, rows: data.rowCount).values[0]
            return zip(values, target).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        return sse(candidate) < sse(before) ? candidate : nil
    }
}
