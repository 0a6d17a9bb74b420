import Foundation
import Testing
@testable import SymbolicRegression

@Suite struct MetricTests {
    let y: [Double] = [1, 2, 3, 4]
    let p: [Double] = [1.5, 1.5, 3, 5]
    let w: [Double] = [1, 2, 1, 0]

    @Test func regressionMetricsEqualHandComputedValues() {
        // errors 0.5, -0.5, 0, 1
        #expect(Swift.abs(Metric.meanAbsoluteError.value(y: y, prediction: p) - 2.0 / 4) < 1e-12)
        #expect(Swift.abs(Metric.meanSquaredError.value(y: y, prediction: p) - 1.5 / 4) < 1e-12)
        #expect(Swift.abs(Metric.rootMeanSquaredError.value(y: y, prediction: p) - (1.5 / 4).squareRoot()) < 1e-12)
        // SST = 1.5^2 + 0.5^2 + 0.5^2 + 1.5^2 = 5
        #expect(Swift.abs(Metric.r2.value(y: y, prediction: p) - (1 - 1.5 / 5)) < 1e-12)
        // weighted MAE: (0.5 + 2*0.5 + 0) / 4
        #expect(Swift.abs(Metric.meanAbsoluteError.value(y: y, prediction: p, weight: w) - 1.5 / 4) < 1e-12)
    }

    @Test func correlationMetricsEqualHandComputedValues() {
        // pearson of y and p: means 2.5 and 2.75; cov sum = (-1.5)(-1.25)+(-0.5)(-1.25)+(0.5)(0.25)+(1.5)(2.25) = 6
        // var sums 5 and 1.5625+1.5625+0.0625+5.0625 = 8.25
        #expect(Swift.abs(Metric.pearson.value(y: y, prediction: p) - 6 / (5 * 8.25).squareRoot()) < 1e-12)
        #expect(Metric.pearson.value(y: y, prediction: [2, 2, 2, 2]) == 0)
        // ranks of p: 1.5, 1.5, 3, 4 against 1, 2, 3, 4: cov 4.5, var 5 and 4.5
        #expect(Swift.abs(Metric.spearman.value(y: y, prediction: p) - 4.5 / (5 * 4.5).squareRoot()) < 1e-12)
        #expect(Metric.ranks([3, 1, 3, 2]) == [3.5, 1, 3.5, 2])
    }

    @Test func classificationMetricsEqualHandComputedValues() {
        let labels: [Double] = [0, 1, 1, 0]
        let proba: [Double] = [0.2, 0.9, 0.4, 0]
        let expected = -(Foundation.log(0.8) + Foundation.log(0.9) + Foundation.log(0.4) + Foundation.log(1 - 1e-15)) / 4
        #expect(Swift.abs(Metric.logLoss.value(y: labels, prediction: proba) - expected) < 1e-12)
        #expect(Metric.accuracy.value(y: labels, prediction: proba) == 0.75)
    }

    /// Rounded accuracy, the distillation fidelity: halves away from zero, clamped to the classes; the same in
    /// Double (`Metric.value`), fused into the Float pass (`ProgramScorer`, 1000 rows so that whole SIMD lanes
    /// and a tail are both used) and weighted.
    @Test func roundedAccuracyEqualsHandComputedValuesOnEveryPath() throws {
        let x: [Double] = [-0.6, -0.4, 0.49, 0.5, 1.49, 1.5, 2.5, 7, -3]
        let classes: [Double] = [0, 0, 0, 1, 1, 2, 2, 1, 1]  // the rounded classes hit all but the last two
        let metric = Metric.roundedAccuracy(classes: 3)
        #expect(metric.greaterIsBetter)
        #expect(Swift.abs(metric.value(y: classes, prediction: x) - 7.0 / 9) < 1e-12)
        #expect(Metric.roundedClass(.nan, classes: 3) == 0)
        #expect(Metric.roundedClass(-.infinity, classes: 3) == 0)
        #expect(Metric.roundedClass(.infinity, classes: 3) == 2)
        #expect(Metric.roundedClass(-0.5, classes: 3) == 0)

        let repeats = 111  // 999 rows
        let column = Array([[Double]](repeating: x, count: repeats).joined())
        let target = Array([[Double]](repeating: classes, count: repeats).joined())
        let data = try Dataset(columns: [column], target: target)
        let identity = Program([.feature(0)])
        let scorer = try ProgramScorer(data: data, functionSet: SRTestSupport.all, metric: metric)
        #expect(Swift.abs(scorer.score(identity) - 7.0 / 9) < 1e-9)
        // Twice the weight on the rows that miss: 7 hits of 11 weight units per repeat.
        let weights = Array([[Double]](repeating: [1, 1, 1, 1, 1, 1, 1, 2, 2], count: repeats).joined())
        let weighted = try ProgramScorer(data: data, functionSet: SRTestSupport.all, metric: metric, sampleWeight: weights)
        #expect(Swift.abs(weighted.score(identity) - 7.0 / 11) < 1e-9)
        #expect(Swift.abs(metric.value(y: target, prediction: column, weight: weights) - 7.0 / 11) < 1e-12)
        // A program over a feature the data lacks scores the worst value instead of reading out of bounds.
        #expect(scorer.score(Program([.feature(3)])) == -.infinity)
        #expect(throws: DataError.self) { try ProgramScorer(data: try Dataset(columns: [column]), functionSet: SRTestSupport.all, metric: metric) }
    }

    @Test func customMetricAndNames() throws {
        let maxError = CustomMetric(name: "max error", greaterIsBetter: false) { y, p, _ in zip(y, p).map { Swift.abs($0 - $1) }.max()! }
        #expect(Metric.custom(maxError).value(y: y, prediction: p) == 1)
        #expect(try Metric(name: "mean absolute error").name == "mean absolute error")
        #expect(try Metric(name: "log loss").greaterIsBetter == false)
        #expect(throws: MetricError.unknown("nope")) { try Metric(name: "nope") }
    }

    /// The sums fused into the Float pass give the Double metrics.
    @Test func fusedFitnessEqualsExactMetric() throws {
        var rng = RandomSource(seed: 3)
        let rows = (0..<3000).map { _ in [rng.uniform(-2, 2), rng.uniform(-2, 2)] }
        let target = rows.map { $0[0] * $0[0] + 0.5 * $0[1] + 0.1 * sin(30 * $0[0]) }
        let data = try Dataset(rows: rows, target: target)
        let program = Program([.function(.add), .function(.mul), .feature(0), .feature(0), .feature(1)])
        let prediction = try ExactEvaluator(functionSet: .gplearnDefault).predict(program, on: data)
        for (metric, scaling) in [(Metric.meanAbsoluteError, false), (.meanSquaredError, false), (.rootMeanSquaredError, false),
                                  (.r2, false), (.pearson, false), (.r2, true), (.spearman, false)] {
            let evaluator = try PopulationEvaluator(data: data, functionSet: .gplearnDefault, metric: metric, linearScaling: scaling)
            let fast = evaluator.scores([program])[0]
            var expected = metric.value(y: target, prediction: prediction)
            if scaling { let r = Metric.pearson.value(y: target, prediction: prediction); expected = r * r }
            #expect(Swift.abs(fast - expected) <= 1e-5 * Swift.max(1, Swift.abs(expected)), "\(metric.name) scaled=\(scaling): \(fast) vs \(expected)")
        }
    }
}
