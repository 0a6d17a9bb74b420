import Foundation
import StudyEngine
import SymbolicRegression

/// Plain symbolic regression from CSV as a study objective, for formula discovery.
///
/// ```yaml
/// objective:
///   kind: regress
///   train: ../../shared/data/sr/feynman-I.6.2a_train.csv   # relative to the study file
///   test: ../../shared/data/sr/feynman-I.6.2a_test.csv     # or split: {test_fraction: 0.25, seed: 0} /
///                                                          #    {train: [0, 799], test: [800, 999]}
///   target: f                                              # default: the last column
///   features: [theta, sigma]                               # default: every other column
/// ```
///
/// Every GP parameter comes from the trial (`GPTrialParameters`). After every generation the best program's
/// training value of the study's first metric (R2 or MSE) is reported, for pruning. Metrics: `test_r2`,
/// `test_mse`, `train_r2`, `train_mse`, `size`.
public struct RegressObjective: TrialObjective {
    public var train: Dataset
    public var test: Dataset
    /// Whether the intermediate values are R2 (else MSE), following the study's first metric.
    public var progressIsR2: Bool

    public var metrics: [String] { ["test_r2", "test_mse", "train_r2", "train_mse", "size"] }
    public var defaultTargets: [StudyDefinition.Target] { [.init(metric: "test_r2", direction: .maximize)] }
    public var parameters: [String: String] { GPTrialParameters.descriptions }

    public init(train: Dataset, test: Dataset, progressIsR2: Bool = true) {
        self.train = train
        self.test = test
        self.progressIsR2 = progressIsR2
    }

    static func read(_ section: YAMLValue, definition: StudyDefinition) throws -> RegressObjective {
        _ = try section.optional("kind")
        let trainNode = try section.required("train")
        let target = try section.optional("target")?.string()
        func load(_ node: YAMLValue) throws -> Dataset {
            let path = definition.resolve(try node.string()).path
            do { return try CSVDataset.read(path: path, target: target) } catch let error as DataError {
                throw node.error(error.localizedDescription)
            }
        }
        var train = try load(trainNode)
        var test: Dataset
        if let testNode = try section.optional("test") {
            test = try load(testNode)
        } else {
            let split = try DistillObjective.readSplit(try section.optional("split"), count: train.rowCount)
            let (trainRows, testRows) = try split.indices(count: train.rowCount, source: trainNode.keyPath)
            (train, test) = (train.subset(trainRows), train.subset(testRows))
        }
        if let featuresNode = try section.optional("features") {
            let names = try featuresNode.items().map { try $0.string() }
            func select(_ data: Dataset, _ part: String) throws -> Dataset {
                let indices = try names.map { name -> Int in
                    guard let index = data.featureNames.firstIndex(of: name) else {
                        throw featuresNode.error("the \(part) data has no column '\(name)'; its columns: \(data.featureNames.joined(separator: ", "))")
                    }
                    return index
                }
                return try Dataset(columns: indices.map { data.columns[$0] }, target: data.target, featureNames: names, targetName: data.targetName)
            }
            train = try select(train, "train")
            test = try select(test, "test")
        }
        guard train.featureNames == test.featureNames else {
            throw section.error("the test columns \(test.featureNames.joined(separator: ", ")) differ from the train columns \(train.featureNames.joined(separator: ", "))")
        }
        try section.finish()
        let first = definition.targets.first?.metric ?? "test_r2"
        return RegressObjective(train: train, test: test, progressIsR2: !first.hasSuffix("mse"))
    }

    public func run(_ context: ObjectiveContext) throws -> ObjectiveOutcome {
        var base = GPParameters()
        base.functionSet = try FunctionSet(GPTrialParameters.presets["physics"]!)
        var p = try GPTrialParameters.read(context, base: base)
        try GPTrialParameters.setMetric(&p, context, fallback: "mse")
        let evaluator = ExactEvaluator(functionSet: p.functionSet)
        let trainTarget = train.target!
        var pruned = false
        let regressor = SymbolicRegressor(parameters: p)
        try regressor.fit(train) { report in
            var program = report.bestProgram
            if p.linearScaling, let scaled = try? Self.scaled(program, on: train, evaluator: evaluator) { program = scaled }
            guard let prediction = try? evaluator.predict(program, on: train) else { return .proceed }
            let value = progressIsR2 ? Metric.r2.value(y: trainTarget, prediction: prediction) : Metric.meanSquaredError.value(y: trainTarget, prediction: prediction)
            if context.report(report.record.generation, value) { pruned = true; return .stop }
            return .proceed
        }
        if pruned { throw TrialPruned("pruned by the study's pruner") }
        var program = regressor.program!
        let simplified = Simplifier(functionSet: p.functionSet).simplify(program)
        if simplified.length < program.length { program = simplified }
        let trainPrediction = try evaluator.predict(program, on: train)
        let testPrediction = try evaluator.predict(program, on: test)
        let metrics: [String: Double] = [
            "train_r2": Metric.r2.value(y: trainTarget, prediction: trainPrediction),
            "train_mse": Metric.meanSquaredError.value(y: trainTarget, prediction: trainPrediction),
            "test_r2": Metric.r2.value(y: test.target!, prediction: testPrediction),
            "test_mse": Metric.meanSquaredError.value(y: test.target!, prediction: testPrediction),
            "size": Double(program.length),
        ]
        return ObjectiveOutcome(metrics: metrics,
                                expression: ExpressionAttribute.expression([program], functionSet: p.functionSet, featureNames: train.featureNames),
                                program: ExpressionAttribute.program([program], functionSet: p.functionSet, featureNames: train.featureNames))
    }

    /// `a + b * program` with the least-squares a and b on `data` (what linear scaling scores).
    static func scaled(_ program: Program, on data: Dataset, evaluator: ExactEvaluator) throws -> Program {
        let output = try evaluator.predict(program, on: data), y = data.target!
        let n = Double(y.count)
        let mx = output.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for i in y.indices { sxy += (output[i] - mx) * (y[i] - my); sxx += (output[i] - mx) * (output[i] - mx) }
        let b = sxx > 0 ? sxy / sxx : 0, a = my - b * mx
        return Program([.function(.add), .constant(a), .function(.mul), .constant(b)] + program.nodes)
    }
}
