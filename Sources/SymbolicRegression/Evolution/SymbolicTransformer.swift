import Foundation

/// gplearn's `SymbolicTransformer`: evolves programs correlated with the target and keeps, from the best
/// `hallOfFame` of the last generation, the `components` least correlated with one another, as new features.
public final class SymbolicTransformer {
    /// gplearn's transformer defaults: Pearson correlation, stop at a perfect one.
    public static var defaultParameters: GPParameters {
        var p = GPParameters()
        p.metric = .pearson
        p.stoppingCriteria = 1.0
        return p
    }

    public var parameters: GPParameters
    public var hallOfFame: Int
    public var componentCount: Int
    public private(set) var components: [Program] = []
    private var engine: GeneticEngine?

    public init(parameters: GPParameters = SymbolicTransformer.defaultParameters, hallOfFame: Int = 100, components: Int = 10) {
        self.parameters = parameters
        self.hallOfFame = hallOfFame
        self.componentCount = components
    }

    @discardableResult
    public func fit(_ data: Dataset, sampleWeight: [Double]? = nil, callback: GenerationCallback? = nil) throws -> SymbolicTransformer {
        guard let target = data.target else { throw DataError.missingTarget(source: nil, column: "target", available: data.featureNames) }
        switch parameters.metric {
        case .pearson, .spearman: break
        default: throw GPParameterError.invalid(parameter: "metric", value: parameters.metric.name, valid: "pearson or spearman")
        }
        guard hallOfFame >= 1, hallOfFame <= parameters.populationSize else {
            throw GPParameterError.invalid(parameter: "hall_of_fame", value: "\(hallOfFame)", valid: "1...population_size (\(parameters.populationSize))")
        }
        guard componentCount >= 1, componentCount <= hallOfFame else {
            throw GPParameterError.invalid(parameter: "n_components", value: "\(componentCount)", valid: "1...hall_of_fame (\(hallOfFame))")
        }
        let state = try EstimatorFit(parameters: parameters, data: data, target: target, sampleWeight: sampleWeight,
                                     previous: parameters.warmStart ? engine : nil, transform: nil)
        engine = state.engine
        state.run(callback: callback)
        let population = state.engine.population
        let order = population.indices.sorted { population[$0].rawFitness > population[$1].rawFitness }
        let fame = Array(order.prefix(hallOfFame))
        let exact = ExactEvaluator(functionSet: parameters.functionSet)
        var outputs = try fame.map { try exact.predict(population[$0].program, on: data) }
        if case .spearman = parameters.metric { outputs = outputs.map(Metric.ranks) }
        let ones = [Double](repeating: 1, count: data.rowCount)
        var correlation = outputs.indices.map { i in
            outputs.indices.map { j in i == j ? 0 : Metric.weightedPearson(outputs[i], outputs[j], ones) }
        }
        var kept = Array(fame.indices)
        // Drop the less fit of the most correlated pair until `componentCount` remain (fame is sorted by fitness).
        while kept.count > componentCount {
            var worst = (value: -1.0, index: 0)
            for a in kept.indices { for b in kept.indices where a != b && correlation[kept[a]][kept[b]] > worst.value {
                worst = (correlation[kept[a]][kept[b]], Swift.max(a, b))
            } }
            kept.remove(at: worst.index)
        }
        correlation.removeAll()
        components = kept.map { population[fame[$0]].program }
        return self
    }

    /// One new feature column per component.
    public func transform(_ data: Dataset) throws -> [[Double]] {
        guard !components.isEmpty else { throw GPParameterError.notFitted("SymbolicTransformer") }
        let exact = ExactEvaluator(functionSet: parameters.functionSet)
        return try components.map { try exact.predict($0, on: data) }
    }

    public var runDetails: [GenerationRecord] { engine?.runDetails ?? [] }
}
