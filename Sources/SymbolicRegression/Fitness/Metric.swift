import Foundation

/// A user metric: `function(y, prediction, weight)` over all rows, with its direction.
public struct CustomMetric: Sendable {
    public let name: String
    public let greaterIsBetter: Bool
    public let function: @Sendable (_ y: [Double], _ prediction: [Double], _ weight: [Double]) -> Double

    public init(name: String, greaterIsBetter: Bool,
                _ function: @escaping @Sendable (_ y: [Double], _ prediction: [Double], _ weight: [Double]) -> Double) {
        self.name = name
        self.greaterIsBetter = greaterIsBetter
        self.function = function
    }
}

/// The raw fitness of a program: gplearn's metrics (weighted, with gplearn's definitions) plus R2 and accuracy.
public enum Metric: Sendable {
    case meanAbsoluteError
    case meanSquaredError
    case rootMeanSquaredError
    /// Coefficient of determination, 1 - SSE/SST.
    case r2
    /// |Pearson correlation| (gplearn: a constant prediction scores 0).
    case pearson
    /// |Spearman rank correlation|.
    case spearman
    /// Log loss of probabilities (the classifier applies its transformer, the sigmoid, first).
    case logLoss
    /// Share of rows whose prediction, rounded (or thresholded at 0.5 for probabilities), equals the target.
    case accuracy
    /// Share of rows whose prediction, rounded to the nearest integer (halves away from zero) and clamped to
    /// `0...classes-1` (NaN: 0), equals the target: the fidelity of a program whose output indexes an action.
    /// Fused into the evaluation pass.
    case roundedAccuracy(classes: Int)
    case custom(CustomMetric)

    /// Parses gplearn's names ("mean absolute error", "mse", "rmse", "pearson", "spearman", "log loss") and
    /// short ones ("mae", "r2", "accuracy").
    public init(name: String) throws {
        switch name.lowercased().replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ") {
        case "mean absolute error", "mae": self = .meanAbsoluteError
        case "mse", "mean squared error", "mean square error": self = .meanSquaredError
        case "rmse", "root mean squared error": self = .rootMeanSquaredError
        case "r2": self = .r2
        case "pearson": self = .pearson
        case "spearman": self = .spearman
        case "log loss", "logloss": self = .logLoss
        case "accuracy": self = .accuracy
        default: throw MetricError.unknown(name)
        }
    }

    public var name: String {
        switch self {
        case .meanAbsoluteError: return "mean absolute error"
        case .meanSquaredError: return "mse"
        case .rootMeanSquaredError: return "rmse"
        case .r2: return "r2"
        case .pearson: return "pearson"
        case .spearman: return "spearman"
        case .logLoss: return "log loss"
        case .accuracy: return "accuracy"
        case .roundedAccuracy: return "rounded accuracy"
        case .custom(let m): return m.name
        }
    }

    public var greaterIsBetter: Bool {
        switch self {
        case .r2, .pearson, .spearman, .accuracy, .roundedAccuracy: return true
        case .custom(let m): return m.greaterIsBetter
        default: return false
        }
    }

    /// +1 when greater is better, -1 otherwise (gplearn's `sign`).
    public var sign: Double { greaterIsBetter ? 1 : -1 }

    /// The worst possible value, given to programs whose fitness is not a number.
    public var worst: Double { greaterIsBetter ? -Double.infinity : Double.infinity }

    /// The sums the fast evaluator must accumulate for this metric, or nil when it needs every prediction.
    func fused(linearScaling: Bool) -> FusedFitness? {
        switch self {
        case .meanAbsoluteError: return linearScaling ? nil : .absoluteError
        case .meanSquaredError, .rootMeanSquaredError, .r2: return linearScaling ? .moments : .squaredError
        case .pearson: return .moments
        case .roundedAccuracy(let classes): return linearScaling ? nil : .roundedHits(classes: classes)
        default: return nil
        }
    }

    /// The metric from fused sums.
    func value(_ sums: FitnessSums, linearScaling: Bool) -> Double {
        let value: Double
        switch self {
        case .meanAbsoluteError: value = sums.meanAbsoluteError
        case .meanSquaredError: value = linearScaling ? sums.scaledMeanSquaredError : sums.meanSquaredError
        case .rootMeanSquaredError: value = (linearScaling ? sums.scaledMeanSquaredError : sums.meanSquaredError).squareRoot()
        case .r2: value = linearScaling ? sums.scaledR2 : sums.r2
        case .pearson: value = Swift.abs(sums.correlation)
        case .roundedAccuracy: value = sums.weight > 0 ? sums.hits / sums.weight : 0
        default: value = .nan
        }
        return value.isFinite ? value : worst
    }

    /// The metric of `prediction` against `y` with weights `weight` (all ones when nil), in Double.
    public func value(y: [Double], prediction: [Double], weight: [Double]? = nil) -> Double {
        let w = weight ?? [Double](repeating: 1, count: y.count)
        let total = w.reduce(0, +)
        guard total > 0 else { return .nan }
        func average(_ f: (Int) -> Double) -> Double {
            var s = 0.0
            for i in y.indices where w[i] != 0 { s += w[i] * f(i) }
            return s / total
        }
        let value: Double
        switch self {
        case .meanAbsoluteError: value = average { Swift.abs(prediction[$0] - y[$0]) }
        case .meanSquaredError: value = average { let e = prediction[$0] - y[$0]; return e * e }
        case .rootMeanSquaredError: value = average { let e = prediction[$0] - y[$0]; return e * e }.squareRoot()
        case .r2:
            let mean = average { y[$0] }
            let sse = average { let e = prediction[$0] - y[$0]; return e * e }
            let sst = average { let e = y[$0] - mean; return e * e }
            value = sst > 0 ? 1 - sse / sst : (sse == 0 ? 1 : 0)
        case .pearson: value = Metric.weightedPearson(y, prediction, w)
        case .spearman: value = Metric.weightedPearson(Metric.ranks(y), Metric.ranks(prediction), w)
        case .logLoss:
            let eps = 1e-15
            value = average { i in
                let p = Swift.min(Swift.max(prediction[i], eps), 1 - eps)
                let q = Swift.min(Swift.max(1 - prediction[i], eps), 1 - eps)
                return -(y[i] * Foundation.log(p) + (1 - y[i]) * Foundation.log(q))
            }
        case .accuracy: value = average { (prediction[$0] > 0.5 ? 1.0 : 0.0) == (y[$0] > 0.5 ? 1.0 : 0.0) ? 1 : 0 }
        case .roundedAccuracy(let classes):
            value = average { Double(Metric.roundedClass(prediction[$0], classes: classes)) == y[$0] ? 1 : 0 }
        case .custom(let m): value = m.function(y, prediction, w)
        }
        return value.isFinite ? value : worst
    }

    /// The class a prediction names under `roundedAccuracy`: rounded (halves away from zero), clamped to
    /// `0...classes-1`, NaN as 0.
    @inline(__always) public static func roundedClass(_ prediction: Double, classes: Int) -> Int {
        guard !prediction.isNaN else { return 0 }
        let index = prediction.rounded(.toNearestOrAwayFromZero)
        return index <= 0 ? 0 : index >= Double(classes - 1) ? classes - 1 : Int(index)
    }

    /// gplearn's weighted Pearson correlation, absolute, 0 when undefined.
    static func weightedPearson(_ y: [Double], _ p: [Double], _ w: [Double]) -> Double {
        let total = w.reduce(0, +)
        var my = 0.0, mp = 0.0
        for i in y.indices { my += w[i] * y[i]; mp += w[i] * p[i] }
        my /= total; mp /= total
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in y.indices {
            let dy = y[i] - my, dp = p[i] - mp
            sxy += w[i] * dp * dy; sxx += w[i] * dp * dp; syy += w[i] * dy * dy
        }
        let corr = (sxy / total) / ((sxx * syy) / (total * total)).squareRoot()
        return corr.isFinite ? Swift.abs(corr) : 0
    }

    /// Ranks 1...n with ties given their average rank (scipy's `rankdata`).
    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }
}

public enum MetricError: LocalizedError, Equatable {
    case unknown(String)

    public var errorDescription: String? {
        switch self {
        case .unknown(let name):
            return "unknown metric '\(name)': valid are mean absolute error (mae), mse, rmse, r2, pearson, spearman, log loss, accuracy"
        }
    }
}
