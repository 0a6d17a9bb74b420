import ArgumentParser
import Foundation
import SymbolicRegression

/// `symstudy fit TRAIN.csv`: one symbolic-regression fit, with every gplearn option as a flag.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit one symbolic regression on a CSV file and print the best program and its metrics.",
        discussion: """
            The CSV has a header row; the target is --target, or the last column. Options follow gplearn's \
            SymbolicRegressor (same names with dashes, same defaults), plus bloat limits, linear scaling and \
            Levenberg-Marquardt constant fitting.
            """
    )

    @Argument(help: "Training CSV file.") var train: String
    @Option(help: "Test CSV file (same columns).") var test: String?
    @Option(help: "Target column (default: the last column).") var target: String?
    @Option(help: "Programs per generation.") var populationSize = 1000
    @Option(help: "Generations.") var generations = 20
    @Option(help: "Tournament size.") var tournamentSize = 20
    @Option(help: "Stop once the best raw fitness reaches this value.") var stoppingCriteria = 0.0
    @Option(help: "Range of random constants as LOW,HIGH, or 'none'.") var constRange = "-1,1"
    @Option(help: "Depth range of the initial programs as LOW,HIGH.") var initDepth = "2,6"
    @Option(help: "grow, full or half-and-half.") var initMethod = "half-and-half"
    @Option(help: "Comma-separated operators.") var functionSet = "add,sub,mul,div"
    @Option(help: "mae, mse, rmse, r2, pearson, spearman.") var metric = "mae"
    @Option(help: "Parsimony coefficient, or 'auto'.") var parsimonyCoefficient = "0.001"
    @Option(help: "Crossover probability.") var pCrossover = 0.9
    @Option(help: "Subtree mutation probability.") var pSubtreeMutation = 0.01
    @Option(help: "Hoist mutation probability.") var pHoistMutation = 0.01
    @Option(help: "Point mutation probability.") var pPointMutation = 0.01
    @Option(help: "Probability of replacing each node in a point mutation.") var pPointReplace = 0.05
    @Option(help: "Share of rows each program is fitted on (the rest give the OOB fitness).") var maxSamples = 1.0
    @Option(help: "Comma-separated feature names for the printed program (default: the CSV header).") var featureNames: String?
    @Option(help: "Reject offspring deeper than this (bloat limit).") var maxDepth: Int?
    @Option(help: "Reject offspring longer than this (bloat limit).") var maxLength: Int?
    @Flag(help: "Score programs after the best affine map a + b * program (least squares).") var linearScaling = false
    @Option(help: "Best programs copied unchanged into the next generation.") var elitism = 0
    @Option(help: "Levenberg-Marquardt iterations per fitted program per generation (0: off).") var constantFitting = 0
    @Option(help: "Share of each generation whose constants are fitted.") var constantFittingShare = 0.02
    @Option(help: "Rows used by the per-generation constant fit.") var constantFittingRows = 500
    @Option(help: "Levenberg-Marquardt iterations on the final program.") var constantFittingFinal = 100
    @Option(help: "Seed (the same seed gives the same program).") var seed: UInt64 = 0
    @Option(help: "Worker threads.") var threads = 1
    @Option(help: "Output: table or json.") var format = "table"
    @Flag(help: "Print gplearn's progress table to standard error.") var verbose = false

    func validate() throws {
        guard ["table", "json"].contains(format) else { throw ValidationError("--format must be table or json, not '\(format)'") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, not \(threads)") }
    }

    static func pair<T: LosslessStringConvertible>(_ text: String, _ option: String) throws -> (T, T) {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let low = T(parts[0]), let high = T(parts[1]) else {
            throw ValidationError("--\(option) must be LOW,HIGH, not '\(text)'")
        }
        return (low, high)
    }

    func parameters() throws -> GPParameters {
        var p = GPParameters()
        p.populationSize = populationSize
        p.generations = generations
        p.tournamentSize = tournamentSize
        p.stoppingCriteria = stoppingCriteria
        if constRange.lowercased() == "none" { p.constRange = nil } else {
            let (low, high): (Double, Double) = try Self.pair(constRange, "const-range")
            guard low <= high else { throw ValidationError("--const-range must have LOW <= HIGH, not '\(constRange)'") }
            p.constRange = low...high
        }
        let (low, high): (Int, Int) = try Self.pair(initDepth, "init-depth")
        guard low <= high else { throw ValidationError("--init-depth must have LOW <= HIGH, not '\(initDepth)'") }
        p.initDepth = low...high
        p.initMethod = try InitMethod(name: initMethod)
        p.functionSet = try FunctionSet(functionSet.split(separator: ",").map(String.init))
        p.metric = try Metric(name: metric)
        p.parsimonyCoefficient = try Parsimony(text: parsimonyCoefficient)
        p.pCrossover = pCrossover
        p.pSubtreeMutation = pSubtreeMutation
        p.pHoistMutation = pHoistMutation
        p.pPointMutation = pPointMutation
        p.pPointReplace = pPointReplace
        p.maxSamples = maxSamples
        p.featureNames = featureNames.map { $0.split(separator: ",").map(String.init) }
        p.maxDepth = maxDepth
        p.maxLength = maxLength
        p.linearScaling = linearScaling
        p.elitism = elitism
        if constantFitting > 0 {
            p.constantFitting = ConstantFitting(iterations: constantFitting, share: constantFittingShare,
                                                maxRows: constantFittingRows, finalIterations: constantFittingFinal)
        }
        p.randomState = seed
        p.threads = threads
        p.verbose = verbose
        try p.validate()
        return p
    }

    func run() throws {
        let parameters = try parameters()
        let trainData = try CSVDataset.read(path: train, target: target)
        let testData = try test.map { try CSVDataset.read(path: $0, target: target ?? trainData.targetName) }
        let (report, _) = try OneShotFit.run(parameters: parameters, train: trainData, test: testData)
        print(format == "json" ? try report.json() : report.table())
    }
}
