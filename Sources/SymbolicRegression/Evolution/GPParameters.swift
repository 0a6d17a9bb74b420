import Foundation

/// How the initial programs grow (gplearn's `init_method`).
public enum InitMethod: String, Sendable, CaseIterable {
    /// Functions and terminals at random until the depth: smaller, asymmetric trees.
    case grow
    /// Functions until the depth, then terminals: bushy trees.
    case full
    /// Half grow, half full ("ramped half and half" with `initDepth`).
    case halfAndHalf = "half and half"

    public init(name: String) throws {
        switch name.lowercased().replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ") {
        case "grow": self = .grow
        case "full": self = .full
        case "half and half", "halfandhalf": self = .halfAndHalf
        default: throw GPParameterError.invalid(parameter: "init_method", value: name, valid: "grow, full, half and half")
        }
    }
}

/// The parsimony coefficient: fixed, or gplearn's "auto" (Poli and McPhee's covariant parsimony pressure,
/// recomputed each generation as cov(length, fitness) / var(length)).
public enum Parsimony: Sendable, Equatable {
    case fixed(Double)
    case auto

    public init(text: String) throws {
        if text.lowercased() == "auto" { self = .auto; return }
        guard let value = Double(text), value.isFinite else {
            throw GPParameterError.invalid(parameter: "parsimony_coefficient", value: text, valid: "a number or 'auto'")
        }
        self = .fixed(value)
    }
}

/// Levenberg-Marquardt fitting of the programs' constants (beyond gplearn): each generation the best
/// `share` of the population (that have constants) get `iterations` steps on at most `maxRows` rows, and the
/// fitted constants are kept (Lamarckian); the final program gets `finalIterations` on all rows.
public struct ConstantFitting: Sendable, Equatable {
    public var iterations: Int
    public var share: Double
    public var maxRows: Int
    public var finalIterations: Int

    public init(iterations: Int = 10, share: Double = 0.02, maxRows: Int = 500, finalIterations: Int = 100) {
        self.iterations = iterations
        self.share = share
        self.maxRows = maxRows
        self.finalIterations = finalIterations
    }
}

/// Every parameter of a run, with gplearn's names, defaults and meaning, plus the extensions of symstudy
/// (bloat limits, linear scaling, constant fitting, threads).
public struct GPParameters: Sendable {
    /// Programs per generation.
    public var populationSize = 1000
    /// Generations to evolve (the initial population is generation 0).
    public var generations = 20
    /// Programs drawn (with replacement) for each tournament.
    public var tournamentSize = 20
    /// Stop early once the best raw fitness reaches this value (<= for errors, >= for scores).
    public var stoppingCriteria = 0.0
    /// Range of random constants; nil for programs without constants.
    public var constRange: ClosedRange<Double>? = -1...1
    /// Range of the maximum depth of the initial programs (both ends included, as gplearn).
    public var initDepth: ClosedRange<Int> = 2...6
    public var initMethod = InitMethod.halfAndHalf
    public var functionSet = FunctionSet.gplearnDefault
    public var metric = Metric.meanAbsoluteError
    public var parsimonyCoefficient = Parsimony.fixed(0.001)
    public var pCrossover = 0.9
    public var pSubtreeMutation = 0.01
    public var pHoistMutation = 0.01
    public var pPointMutation = 0.01
    /// Probability that each node is replaced in a point mutation.
    public var pPointReplace = 0.05
    /// Share of the rows each program is fitted on; the rest give its out-of-bag fitness.
    public var maxSamples = 1.0
    /// Names of the features in text exports (default: the dataset's names).
    public var featureNames: [String]? = nil
    /// Keep the last population and continue it when `fit` is called again with more generations.
    public var warmStart = false
    /// Seed of the run; nil draws one from the system (and the run is then not reproducible).
    public var randomState: UInt64? = nil
    /// Print gplearn's progress table to standard error, one line per generation.
    public var verbose = false
    /// Worker threads for evaluation and variation (results do not depend on it).
    public var threads = 1

    /// Offspring deeper than this are replaced by their parent (bloat limit; nil: none, as gplearn).
    public var maxDepth: Int? = nil
    /// Offspring longer than this are replaced by their parent (bloat limit; nil: none, as gplearn).
    public var maxLength: Int? = nil
    /// Score each program after the best affine map a + b * output (least squares), as Operon does; the final
    /// program includes the map.
    public var linearScaling = false
    /// The best programs of each generation copied unchanged into the next (0, as gplearn).
    public var elitism = 0
    /// Fit constants with Levenberg-Marquardt (nil: off, as gplearn).
    public var constantFitting: ConstantFitting? = nil
    /// Rows per evaluation block of the fast evaluator.
    public var blockSize = 512
    /// Compute each subtree that several programs of a generation share once (results are bitwise the same
    /// either way; off only to measure what it saves).
    public var subtreeSharing = true

    public init() {}

    /// gplearn's cumulative method probabilities: crossover, subtree, hoist, point (reproduction is the rest).
    var methodThresholds: [Double] {
        var total = 0.0
        return [pCrossover, pSubtreeMutation, pHoistMutation, pPointMutation].map { total += $0; return total }
    }

    /// Checks every parameter; the error names the parameter and what is valid.
    public func validate() throws {
        func require(_ condition: Bool, _ parameter: String, _ value: Any, _ valid: String) throws {
            if !condition { throw GPParameterError.invalid(parameter: parameter, value: "\(value)", valid: valid) }
        }
        try require(populationSize >= 1, "population_size", populationSize, "at least 1")
        try require(generations >= 1, "generations", generations, "at least 1")
        try require(tournamentSize >= 1, "tournament_size", tournamentSize, "at least 1")
        try require(initDepth.lowerBound >= 0, "init_depth", initDepth, "a range of non-negative depths")
        for (name, p) in [("p_crossover", pCrossover), ("p_subtree_mutation", pSubtreeMutation),
                          ("p_hoist_mutation", pHoistMutation), ("p_point_mutation", pPointMutation),
                          ("p_point_replace", pPointReplace)] {
            try require(p >= 0 && p <= 1, name, p, "a probability in [0, 1]")
        }
        try require(methodThresholds[3] <= 1 + 1e-12, "p_crossover + p_subtree_mutation + p_hoist_mutation + p_point_mutation",
                    methodThresholds[3], "a total of 1.0 or less")
        try require(maxSamples > 0 && maxSamples <= 1, "max_samples", maxSamples, "a share in (0, 1]")
        if let range = constRange {
            try require(range.lowerBound.isFinite && range.upperBound.isFinite, "const_range", range, "finite bounds")
        }
        if case .fixed(let c) = parsimonyCoefficient { try require(c.isFinite, "parsimony_coefficient", c, "a finite number or auto") }
        try require(threads >= 1, "threads", threads, "at least 1")
        try require(elitism >= 0 && elitism < populationSize, "elitism", elitism, "0 up to population_size - 1")
        if let maxDepth { try require(maxDepth >= 1, "max_depth", maxDepth, "at least 1") }
        if let maxLength { try require(maxLength >= 3, "max_length", maxLength, "at least 3") }
        try require(blockSize >= 8 && blockSize % 8 == 0, "block_size", blockSize, "a multiple of 8")
        if let fitting = constantFitting {
            try require(fitting.iterations >= 0 && fitting.finalIterations >= 0, "constant_fitting iterations", fitting.iterations, "0 or more")
            try require(fitting.share >= 0 && fitting.share <= 1, "constant_fitting share", fitting.share, "a share in [0, 1]")
            try require(fitting.maxRows >= 1, "constant_fitting max_rows", fitting.maxRows, "at least 1")
        }
    }
}

/// A parameter out of its valid range.
public enum GPParameterError: LocalizedError, Equatable {
    case invalid(parameter: String, value: String, valid: String)
    case notFitted(String)
    case warmStart(String)

    public var errorDescription: String? {
        switch self {
        case .invalid(let parameter, let value, let valid): return "\(parameter) = \(value) is not valid: expected \(valid)"
        case .notFitted(let what): return "\(what) is not fitted yet: call fit first"
        case .warmStart(let reason): return "warm start: \(reason)"
        }
    }
}
