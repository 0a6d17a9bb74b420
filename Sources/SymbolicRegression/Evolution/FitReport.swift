import Foundation

/// The outcome of one fit, as `symstudy fit` prints it and the benchmark records it.
public struct FitReport: Sendable, Codable {
    /// Infix text of the best program.
    public var program: String
    /// The exact JSON tree of the best program.
    public var programJSON: String
    /// SymPy-parsable text (plain mathematics: protected operators as their usual functions).
    public var sympy: String
    public var size: Int
    public var depth: Int
    /// Metrics on the training rows: r2, mse, rmse, mae.
    public var train: [String: Double]
    public var test: [String: Double]?
    public var wallSeconds: Double
    public var cpuSeconds: Double
    /// Program length x rows summed over every evaluated program (the GP's evaluations, and constant fitting's).
    public var nodeEvaluations: Double
    public var constantFittingNodeEvaluations: Double
    /// The part of the GP's node evaluations actually computed (shared subtrees count once per generation).
    public var computedNodeEvaluations: Double
    /// Node evaluations per wall second.
    public var nodeEvaluationsPerSecond: Double
    public var nodeEvaluationsPerCPUSecond: Double
    public var generations: Int
    public var stopReason: StopReason
    public var seed: UInt64
    public var threads: Int
    public var rows: Int
    public var runDetails: [GenerationRecord]

    enum CodingKeys: String, CodingKey {
        case program, programJSON = "program_json", sympy, size, depth, train, test
        case wallSeconds = "wall_seconds", cpuSeconds = "cpu_seconds", nodeEvaluations = "node_evaluations"
        case constantFittingNodeEvaluations = "constant_fitting_node_evaluations"
        case computedNodeEvaluations = "computed_node_evaluations"
        case nodeEvaluationsPerSecond = "node_evaluations_per_second"
        case nodeEvaluationsPerCPUSecond = "node_evaluations_per_cpu_second"
        case generations, stopReason = "stop_reason", seed, threads, rows, runDetails = "run_details"
    }

    /// Regression metrics of `prediction` against `y`.
    public static func metrics(y: [Double], prediction: [Double]) -> [String: Double] {
        var out: [String: Double] = [:]
        for (key, metric) in [("r2", Metric.r2), ("mse", .meanSquaredError), ("rmse", .rootMeanSquaredError), ("mae", .meanAbsoluteError)] {
            let value = metric.value(y: y, prediction: prediction)
            out[key] = value.isFinite ? value : nil
        }
        return out
    }

    /// One JSON object (sorted keys).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A short human-readable summary.
    public func table() -> String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "-" }
        var lines = ["program          \(program)",
                     "size             \(size) nodes, depth \(depth)",
                     "train            r2 \(f(train["r2"]))  mse \(f(train["mse"]))  mae \(f(train["mae"]))"]
        if let test { lines.append("test             r2 \(f(test["r2"]))  mse \(f(test["mse"]))  mae \(f(test["mae"]))") }
        lines.append("generations      \(generations) (\(stopReason.rawValue)), seed \(seed), \(threads) thread(s), \(rows) rows")
        lines.append(String(format: "time             %.3f s wall, %.3f s CPU", wallSeconds, cpuSeconds))
        lines.append(String(format: "node evaluations %.4g (%.4g /s wall, %.4g /CPU-s), %.1f %% computed (the rest shared subtrees)",
                            nodeEvaluations, nodeEvaluationsPerSecond, nodeEvaluationsPerCPUSecond,
                            100 * computedNodeEvaluations / Swift.max(nodeEvaluations, 1)))
        return lines.joined(separator: "\n")
    }
}
