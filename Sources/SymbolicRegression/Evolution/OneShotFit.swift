import Foundation

/// One regression fit from data to report: the code path of `symstudy fit`, of the benchmark and of the
/// studies' regression objective.
public enum OneShotFit {
    /// Fits a `SymbolicRegressor` on `train` and reports the best program, its metrics on `train` and
    /// `test`, wall and CPU time and node evaluations per second.
    public static func run(parameters: GPParameters, train: Dataset, test: Dataset? = nil,
                           callback: GenerationCallback? = nil) throws -> (report: FitReport, regressor: SymbolicRegressor) {
        if let test, test.featureNames != train.featureNames {
            throw DataError.featureMismatch(source: "test", expected: train.featureNames, found: test.featureNames)
        }
        let regressor = SymbolicRegressor(parameters: parameters)
        let wall0 = ProcessClock.wall(), cpu0 = ProcessClock.cpu()
        try regressor.fit(train, callback: callback)
        let wall = ProcessClock.wall() - wall0, cpu = ProcessClock.cpu() - cpu0
        let program = regressor.program!
        let names = parameters.featureNames ?? train.featureNames
        let functionSet = parameters.functionSet
        let trainMetrics = FitReport.metrics(y: train.target!, prediction: try regressor.predict(train))
        var testMetrics: [String: Double]? = nil
        if let test, let y = test.target { testMetrics = FitReport.metrics(y: y, prediction: try regressor.predict(test)) }
        let evaluations = regressor.nodeEvaluations + regressor.constantFittingEvaluations
        let report = FitReport(
            program: InfixFormat.string(program, functionSet: functionSet, featureNames: names),
            programJSON: ProgramJSON.string(program, functionSet: functionSet, featureNames: names),
            sympy: SymPyFormat.string(program, functionSet: functionSet, featureNames: names, protected: false),
            size: program.length, depth: program.depth, train: trainMetrics, test: testMetrics,
            wallSeconds: wall, cpuSeconds: cpu, nodeEvaluations: evaluations,
            constantFittingNodeEvaluations: regressor.constantFittingEvaluations,
            computedNodeEvaluations: regressor.computedNodeEvaluations + regressor.constantFittingEvaluations,
            nodeEvaluationsPerSecond: evaluations / max(wall, 1e-9), nodeEvaluationsPerCPUSecond: evaluations / max(cpu, 1e-9),
            generations: regressor.runDetails.count, stopReason: regressor.stopReason ?? .generations,
            seed: regressor.seed ?? 0, threads: parameters.threads, rows: train.rowCount, runDetails: regressor.runDetails)
        return (report, regressor)
    }
}
