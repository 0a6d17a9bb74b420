import Foundation
import StudyEngine

/// One parameter of a benchmark function's search space, in suggestion order.
struct BenchmarkParameter: Sendable {
    enum Kind: Sendable {
        case float(low: Double, high: Double, log: Bool)
        case int(low: Int, high: Int, log: Bool)
        case categorical([String])
    }

    let name: String
    let kind: Kind

    /// Suggests this parameter on `trial`.
    func suggest(on trial: Trial) throws -> ParameterValue {
        switch kind {
        case .float(let low, let high, let log): return .double(try trial.suggestFloat(name, low, high, log: log))
        case .int(let low, let high, let log): return .int(try trial.suggestInt(name, low, high, log: log))
        case .categorical(let choices): return .string(try trial.suggestCategorical(name, choices))
        }
    }
}

/// The benchmark objectives of `../shared/bench/optuna/functions.py`, reproduced exactly (same domains,
/// same formulas, same optima), each to be minimised.
struct BenchmarkFunction: Sendable {
    let name: String
    let parameters: [BenchmarkParameter]
    let optimum: Double
    let evaluate: @Sendable ([String: ParameterValue]) -> Double

    static let all: [BenchmarkFunction] = [branin, hartmann6, rosenbrock5, styblinskiTang8, ackley10, mixed]

    static func named(_ name: String) -> BenchmarkFunction? { all.first { $0.name == name } }

    private static func floats(_ count: Int, _ low: Double, _ high: Double) -> [BenchmarkParameter] {
        (0..<count).map { BenchmarkParameter(name: "x\($0)", kind: .float(low: low, high: high, log: false)) }
    }

    private static func vector(_ p: [String: ParameterValue], _ count: Int) -> [Double] {
        (0..<count).map { p["x\($0)"]!.doubleValue! }
    }

    static let branin = BenchmarkFunction(
        name: "branin",
        parameters: [
            BenchmarkParameter(name: "x0", kind: .float(low: -5, high: 10, log: false)),
            BenchmarkParameter(name: "x1", kind: .float(low: 0, high: 15, log: false)),
        ],
        optimum: 5.0 / (4.0 * Double.pi)
    ) { p in
        let x0 = p["x0"]!.doubleValue!, x1 = p["x1"]!.doubleValue!
        let b = 5.1 / (4.0 * Double.pi * Double.pi), c = 5.0 / Double.pi, t = 1.0 / (8.0 * Double.pi)
        let term = x1 - b * x0 * x0 + c * x0 - 6.0
        return term * term + 10.0 * (1.0 - t) * cos(x0) + 10.0
    }

    private static let h6Alpha = [1.0, 1.2, 3.0, 3.2]
    private static let h6A: [[Double]] = [
        [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
        [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
        [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
        [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
    ]
    private static let h6P: [[Double]] = [
        [1312e-4, 1696e-4, 5569e-4, 124e-4, 8283e-4, 5886e-4],
        [2329e-4, 4135e-4, 8307e-4, 3736e-4, 1004e-4, 9991e-4],
        [2348e-4, 1451e-4, 3522e-4, 2883e-4, 3047e-4, 6650e-4],
        [4047e-4, 8828e-4, 8732e-4, 5743e-4, 1091e-4, 381e-4],
    ]

    static let hartmann6 = BenchmarkFunction(name: "hartmann6", parameters: floats(6, 0, 1), optimum: -3.322368011415515) { p in
        let x = vector(p, 6)
        var total = 0.0
        for i in 0..<4 {
            var inner = 0.0
            for j in 0..<6 { inner += h6A[i][j] * (x[j] - h6P[i][j]) * (x[j] - h6P[i][j]) }
            total += h6Alpha[i] * exp(-inner)
        }
        return -total
    }

    static let rosenbrock5 = BenchmarkFunction(name: "rosenbrock5", parameters: floats(5, -5, 10), optimum: 0) { p in
        let x = vector(p, 5)
        var total = 0.0
        for i in 0..<4 {
            let a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i]
            total += 100.0 * a * a + b * b
        }
        return total
    }

    private static let styblinskiTangArgmin: Double = {
        var z = -2.9
        for _ in 0..<100 { z -= (4 * z * z * z - 32 * z + 5) / (12 * z * z - 32) }
        return z
    }()

    private static func styblinskiTang1(_ z: Double) -> Double { 0.5 * (z * z * z * z - 16.0 * z * z + 5.0 * z) }

    static let styblinskiTang8 = BenchmarkFunction(
        name: "styblinski_tang8", parameters: floats(8, -5, 5), optimum: 8 * styblinskiTang1(styblinskiTangArgmin)
    ) { p in
        vector(p, 8).reduce(0) { $0 + styblinskiTang1($1) }
    }

    static let ackley10 = BenchmarkFunction(name: "ackley10", parameters: floats(10, -32.768, 32.768), optimum: 0) { p in
        let x = vector(p, 10)
        let d = Double(x.count)
        let s1 = x.reduce(0) { $0 + $1 * $1 } / d
        let s2 = x.reduce(0) { $0 + cos(2.0 * Double.pi * $1) } / d
        return -20.0 * exp(-0.2 * s1.squareRoot()) - exp(s2) + 20.0 + M_E
    }

    private static let mixedOffset: [String: Double] = ["relu": 0, "tanh": 0.5, "sigmoid": 1.0, "linear": 2.0]

    static let mixed = BenchmarkFunction(
        name: "mixed",
        parameters: [
            BenchmarkParameter(name: "x", kind: .float(low: -5, high: 5, log: false)),
            BenchmarkParameter(name: "y", kind: .float(low: 0, high: 10, log: false)),
            BenchmarkParameter(name: "lr", kind: .float(low: 1e-5, high: 1e-1, log: true)),
            BenchmarkParameter(name: "n", kind: .int(low: 1, high: 20, log: false)),
            BenchmarkParameter(name: "k", kind: .int(low: -10, high: 10, log: false)),
            BenchmarkParameter(name: "act", kind: .categorical(["relu", "tanh", "sigmoid", "linear"])),
        ],
        optimum: 0
    ) { p in
        let u = log10(p["lr"]!.doubleValue!) + 3.0
        let dx = p["x"]!.doubleValue! - 1.0
        let y = p["y"]!.doubleValue!, n = Double(p["n"]!.intValue!), k = Double(p["k"]!.intValue!)
        return dx * dx + 0.2 * dx * u + u * u + 0.5 * (y - 3.0) * (y - 3.0) + 0.1 * (n - 7) * (n - 7)
            + 0.5 * abs(k - 3) + mixedOffset[p["act"]!.stringValue!]!
    }

    /// The 11-parameter space of Optuna's overhead harness (`bench_overhead.py`).
    static let overheadSpace: [BenchmarkParameter] =
        (0..<6).map { BenchmarkParameter(name: "f\($0)", kind: .float(low: -5, high: 5, log: false)) }
        + [6, 7].map { BenchmarkParameter(name: "f\($0)", kind: .float(low: 1e-4, high: 1, log: true)) }
        + [
            BenchmarkParameter(name: "i0", kind: .int(low: 0, high: 100, log: false)),
            BenchmarkParameter(name: "i1", kind: .int(low: 1, high: 1024, log: true)),
            BenchmarkParameter(name: "c0", kind: .categorical(["a", "b", "c", "d"])),
        ]

    /// The overhead harness's trivial objective.
    static func overheadObjective(_ p: [String: ParameterValue]) -> Double {
        var total = 0.0
        for j in 0..<6 { let v = p["f\(j)"]!.doubleValue!; total += v * v }
        total += p["f6"]!.doubleValue! + p["f7"]!.doubleValue!
        total += 0.01 * Double(p["i0"]!.intValue!) + 0.001 * Double(p["i1"]!.intValue!)
        return total + Double(["a", "b", "c", "d"].firstIndex(of: p["c0"]!.stringValue!)!)
    }
}
