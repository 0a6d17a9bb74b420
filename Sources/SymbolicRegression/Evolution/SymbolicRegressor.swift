import Foundation

/// gplearn's `SymbolicRegressor`: evolves one program that predicts the target.
///
/// ```swift
/// var parameters = GPParameters()
/// parameters.functionSet = try FunctionSet(["add", "sub", "mul", "div", "sin"])
/// parameters.randomState = 0
/// let regressor = SymbolicRegressor(parameters: parameters)
/// try regressor.fit(train)
/// let predictions = try regressor.predict(test)
/// ```
public final class SymbolicRegressor {
    public var parameters: GPParameters
    private var engine: GeneticEngine?
    public private(set) var program: Program?
    /// The best program before linear scaling (equal to `program` when it is off).
    public private(set) var rawProgram: Program?
    public private(set) var featureNames: [String] = []

    public init(parameters: GPParameters = GPParameters()) {
        self.parameters = parameters
    }

    /// Evolves programs on `data` (which must have a target); with `warmStart` and a previous fit, continues
    /// that population up to `parameters.generations`. `callback` runs after every generation and may stop it.
    @discardableResult
    public func fit(_ data: Dataset, sampleWeight: [Double]? = nil, callback: GenerationCallback? = nil) throws -> SymbolicRegressor {
        guard let target = data.target else { throw DataError.missingTarget(source: nil, column: "target", available: data.featureNames) }
        let state = try EstimatorFit(parameters: parameters, data: data, target: target, sampleWeight: sampleWeight,
                                     previous: parameters.warmStart ? engine : nil, transform: nil)
        engine = state.engine
        state.run(callback: callback)
        featureNames = parameters.featureNames ?? data.featureNames
        let best = state.best()
        rawProgram = best.program
        var final = best.scaledProgram(linearScaling: parameters.linearScaling)
        if let fitting = parameters.constantFitting, fitting.finalIterations > 0 {
            final = state.fitFinal(best, iterations: fitting.finalIterations) ?? final
        }
        program = final
        return self
    }

    /// Predictions for every row of `data` (exact, in Double).
    public func predict(_ data: Dataset) throws -> [Double] {
        guard let program else { throw GPParameterError.notFitted("SymbolicRegressor") }
        return try ExactEvaluator(functionSet: parameters.functionSet).predict(program, on: data)
    }

    public var runDetails: [GenerationRecord] { engine?.runDetails ?? [] }
    /// The last generation, by index.
    public var population: [Individual] { engine?.population ?? [] }
    /// Non-dominated programs in (error, size) over the whole run.
    public var paretoFront: ParetoFront { engine?.pareto ?? ParetoFront() }
    /// Node evaluations of the fast evaluator (program length x rows, summed) in the last fit.
    public var nodeEvaluations: Double { engine?.nodeEvaluations ?? 0 }
    /// The part of `nodeEvaluations` the evaluator computed: a subtree several programs of a generation
    /// share is computed once.
    public var computedNodeEvaluations: Double { engine?.computedNodeEvaluations ?? 0 }
    /// Node evaluations spent by constant fitting (residual and Jacobian passes).
    public var constantFittingEvaluations: Double { engine?.constantFittingEvaluations ?? 0 }
    public var stopReason: StopReason? { engine?.stopReason }
    /// The seed the run used (drawn from the system when `randomState` is nil).
    public var seed: UInt64? { engine?.seed }
}

extension Individual {
    /// The program with its linear scaling folded in as `offset + scale * program`.
    func scaledProgram(linearScaling: Bool) -> Program {
        guard linearScaling else { return program }
        return Program([.function(.add), .constant(scaling.offset), .function(.mul), .constant(scaling.scale)] + program.nodes)
    }
}
