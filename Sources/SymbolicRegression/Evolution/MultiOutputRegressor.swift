/// Several outputs, one program each (the action logits of a discrete policy, or each dimension of a
/// continuous one): an independent `SymbolicRegressor` per output, seeded from the base seed.
public final class MultiOutputRegressor {
    public var parameters: GPParameters
    public private(set) var regressors: [SymbolicRegressor] = []

    public init(parameters: GPParameters = GPParameters()) {
        self.parameters = parameters
    }

    /// Fits `targets[k]` (one value per row of `data`) for every output k.
    @discardableResult
    public func fit(_ data: Dataset, targets: [[Double]], callback: ((Int, GenerationReport) -> GenerationDecision)? = nil) throws -> MultiOutputRegressor {
        guard !targets.isEmpty else { throw DataError.missingTarget(source: nil, column: "targets", available: data.featureNames) }
        regressors = []
        for (output, target) in targets.enumerated() {
            var p = parameters
            p.randomState = parameters.randomState.map { $0 &+ UInt64(output) }
            let regressor = SymbolicRegressor(parameters: p)
            try regressor.fit(try data.withTarget(target, name: "output\(output)"), callback: callback.map { f in { f(output, $0) } })
            regressors.append(regressor)
        }
        return self
    }

    public var programs: [Program] { regressors.compactMap(\.program) }

    /// Predictions per output: `predict(data)[k][row]`.
    public func predict(_ data: Dataset) throws -> [[Double]] {
        try regressors.map { try $0.predict(data) }
    }
}
