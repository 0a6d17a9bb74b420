import Environments
import Foundation
import StudyEngine
import SymbolicRegression

/// DiffSES's distillation as a study objective: fit symbolic programs to a teacher's state-action pairs and
/// score their fidelity on held-out states and, when an environment is named, their returns.
///
/// ```yaml
/// objective:
///   kind: distill
///   dataset: data/pong-aim.json            # DiffSES JSON or recorder CSV, relative to the study file
///   record: {environment: Pong, teacher: pong-aim-edge, episodes: 40, max_rows: 20000, seed: 0}
///                                          # optional: record the dataset there first when it is missing
///   features: standard                     # or {objects: [{type: 0, name: player, slots: 1, fields: [y]}, ...],
///                                          #     fields: [x, y, dx, dy], relations: [{kind: dy, from: player, to: ball}]}
///                                          # (an object's own fields replace the common ones for its type)
///   decoding: {rounded: [1, 0, 2]}          # or {argmax: [0, 1, 2]}, {continuous: {low: [-2], high: [2]}}
///   split: {train: [0, 14999], test: [15000, 19999]}    # or {test_fraction: 0.25, seed: 0}
///   class_weight: balanced                 # or none: weigh rare actions up in the fitness
///   environment: Pong                      # optional: play the distilled policy
///   episodes: 10                           # seeded episode_seed, episode_seed + 1, ...
///   episode_seed: 1000
///   max_steps: 5000                        # per episode (default: the environment's limit)
/// ```
///
/// Every GP parameter comes from the trial (see `GPTrialParameters`); `metric` adds `fidelity`, the share of
/// training rows whose decoded output is the teacher's action (the default). After every generation the
/// best program's training fidelity is reported as the intermediate value, for pruning. Metrics:
/// `test_fidelity`, `train_fidelity`, their balanced forms (the mean over the teacher's actions of the share
/// of its rows matched: what counts when one action dominates), `size` (nodes over all programs), and with an environment
/// `mean_return` and, for games, `win_rate` (share of points won).
public struct DistillObjective: TrialObjective {
    public var featurizer: Featurizer
    public var decoding: ActionDecoding
    public var source: String
    /// Features as columns (`columns[feature][row]`) and the teacher's actions, per part.
    var trainColumns: [[Double]], testColumns: [[Double]]
    var trainActions: [[Double]], testActions: [[Double]]
    var classWeights: Bool
    public var environment: String?
    public var episodes: Int
    public var episodeSeed: UInt64
    public var maxSteps: Int
    /// Continuous actions count as matching within this distance.
    public var tolerance: Double

    public var metrics: [String] {
        ["test_fidelity", "train_fidelity", "test_balanced_fidelity", "train_balanced_fidelity", "size", "mean_return", "win_rate"]
    }
    public var defaultTargets: [StudyDefinition.Target] { [.init(metric: "test_fidelity", direction: .maximize)] }
    public var parameters: [String: String] { GPTrialParameters.descriptions.merging(["class_weight": "balanced or none",
                                                                              "constant_search": "score evaluations of the final constant search on fidelity (rounded decoding; 0: off)"]) { $1 } }

    /// The default GP parameters of a distillation: DiffSES's population and generations, comparisons in the
    /// function set, small constants.
    public static var defaultParameters: GPParameters {
        var p = GPParameters()
        p.populationSize = 1000
        p.generations = 20
        p.functionSet = try! FunctionSet(["add", "sub", "mul", "gt"])
        p.constRange = -5...5
        p.parsimonyCoefficient = .fixed(0.0005)
        return p
    }

    /// A distillation over prepared parts; throws when the decoding does not fit the actions.
    public init(dataset: DistillDataset, featurizer: Featurizer, decoding: ActionDecoding, split: DatasetSplit,
                classWeights: Bool = false, environment: String? = nil, episodes: Int = 10, episodeSeed: UInt64 = 1000,
                maxSteps: Int = .max, tolerance: Double = 0.1) throws {
        try decoding.validate()
        let (train, test) = try split.indices(count: dataset.count, source: dataset.source)
        let width = dataset.actions[0].count
        switch decoding {
        case .rounded(let actions), .argmax(let actions):
            guard let ids = dataset.discreteActions else {
                throw DatasetError.record(file: dataset.source, index: dataset.actions.firstIndex { $0.count != 1 || $0[0] != $0[0].rounded() } ?? 0,
                                          key: "teacher_action", problem: "not one integer action, but the decoding is discrete")
            }
            if let bad = ids.firstIndex(where: { !actions.contains($0) }) {
                throw DatasetError.record(file: dataset.source, index: bad, key: "teacher_action", problem: "action \(ids[bad]) is not in the decoding's action set \(actions)")
            }
        case .continuous(let low, _):
            guard width == low.count else {
                throw DatasetError.record(file: dataset.source, index: 0, key: "teacher_action", problem: "\(width) component(s), the decoding has \(low.count)")
            }
        }
        self.featurizer = featurizer
        self.decoding = decoding
        self.source = dataset.source
        trainColumns = featurizer.columns(train.map { dataset.states[$0] })
        testColumns = featurizer.columns(test.map { dataset.states[$0] })
        trainActions = train.map { dataset.actions[$0] }
        testActions = test.map { dataset.actions[$0] }
        self.classWeights = classWeights
        self.environment = environment
        self.episodes = episodes
        self.episodeSeed = episodeSeed
        self.maxSteps = maxSteps
        self.tolerance = tolerance
    }

    public var trainCount: Int { trainActions.count }
    public var testCount: Int { testActions.count }

    // MARK: Fitting

    /// The `fidelity` metric of a program whose rounded output, clamped to `0..<count`, should be the target
    /// (fused into the GP's evaluation pass; `ActionDecoding.roundedIndex` is the same rule).
    static func fidelityMetric(count: Int) -> Metric { .roundedAccuracy(classes: count) }

    /// Weights that give every action the same total weight (absent actions none).
    static func balancedWeights(_ labels: [Double]) -> [Double] {
        var counts: [Double: Double] = [:]
        for label in labels { counts[label, default: 0] += 1 }
        let share = Double(labels.count) / Double(counts.count)
        return labels.map { share / counts[$0]! }
    }

    public func run(_ context: ObjectiveContext) throws -> ObjectiveOutcome {
        var p = try GPTrialParameters.read(context, base: Self.defaultParameters)
        p.featureNames = featurizer.featureNames
        let classWeights = try context.string("class_weight", default: self.classWeights ? "balanced" : "none")
        guard ["balanced", "none"].contains(classWeights) else {
            throw ObjectiveError.parameter(name: "class_weight", value: classWeights, expected: "balanced or none")
        }
        var pruned = false
        let programs: [Program]
        switch decoding {
        case .rounded(let actions):
            try GPTrialParameters.setMetric(&p, context, fallback: "fidelity") { $0 == "fidelity" ? Self.fidelityMetric(count: actions.count) : nil }
            let target = trainActions.map { Double(actions.firstIndex(of: Int($0[0]))!) }
            let data = try Dataset(columns: trainColumns, target: target, featureNames: featurizer.featureNames)
            let regressor = SymbolicRegressor(parameters: p)
            try regressor.fit(data, sampleWeight: classWeights == "balanced" ? Self.balancedWeights(target) : nil) { report in
                let fidelity = (try? SymbolicPolicy(featurizer: featurizer, decoding: decoding, programs: [report.bestProgram]))
                    .map { self.fidelity($0, columns: trainColumns, actions: trainActions) } ?? 0
                if context.report(report.record.generation, fidelity) { pruned = true; return .stop }
                return .proceed
            }
            var program = regressor.program!
            let search = try context.int("constant_search", default: 0)
            if search > 0 && !pruned {
                program = refine(program, population: regressor.population, decoding: decoding, functionSet: p.functionSet, budget: search)
            }
            programs = [program]
        case .argmax(let actions):
            // One program per action, each fitted to the indicator of its action (one against the rest).
            try GPTrialParameters.setMetric(&p, context, fallback: "fidelity") { $0 == "fidelity" ? Self.fidelityMetric(count: 2) : nil }
            let data = try Dataset(columns: trainColumns, target: nil, featureNames: featurizer.featureNames)
            let targets = actions.map { action in trainActions.map { Int($0[0]) == action ? 1.0 : 0.0 } }
            var regressors: [SymbolicRegressor] = []
            for (index, target) in targets.enumerated() where !pruned {
                var q = p
                q.randomState = p.randomState.map { $0 &+ UInt64(index) }
                let regressor = SymbolicRegressor(parameters: q)
                try regressor.fit(try data.withTarget(target, name: "action\(actions[index])"),
                                  sampleWeight: classWeights == "balanced" ? Self.balancedWeights(target) : nil) { report in
                    let step = index * p.generations + report.record.generation
                    if context.report(step, p.metric.greaterIsBetter ? report.bestRawFitness : -report.bestRawFitness) { pruned = true; return .stop }
                    return .proceed
                }
                regressors.append(regressor)
            }
            programs = regressors.map { $0.program! }
        case .continuous:
            try GPTrialParameters.setMetric(&p, context, fallback: "mae")
            let data = try Dataset(columns: trainColumns, target: nil, featureNames: featurizer.featureNames)
            let targets = trainActions[0].indices.map { k in trainActions.map { $0[k] } }
            let regressor = MultiOutputRegressor(parameters: p)
            try regressor.fit(data, targets: targets) { output, report in
                let step = output * p.generations + report.record.generation
                if context.report(step, p.metric.greaterIsBetter ? report.bestRawFitness : -report.bestRawFitness) { pruned = true; return .stop }
                return .proceed
            }
            programs = regressor.programs
        }
        if pruned { throw TrialPruned("pruned by the study's pruner") }

        var policy = try SymbolicPolicy(featurizer: featurizer, decoding: decoding, programs: programs)
        let trainFidelity = fidelity(policy, columns: trainColumns, actions: trainActions)
        // A simplified policy replaces the fitted one only when it decides every training state the same way.
        let simplifier = Simplifier(functionSet: p.functionSet)
        if let simpler = try? SymbolicPolicy(featurizer: featurizer, decoding: decoding, programs: programs.map { simplifier.simplify($0) }),
           simpler.programs.reduce(0, { $0 + $1.length }) < programs.reduce(0, { $0 + $1.length }),
           sameActions(simpler, policy, columns: trainColumns) {
            policy = simpler
        }
        var metrics: [String: Double] = [
            "train_fidelity": trainFidelity,
            "test_fidelity": fidelity(policy, columns: testColumns, actions: testActions),
            "size": Double(policy.programs.reduce(0) { $0 + $1.length }),
        ]
        if let train = balancedFidelity(policy, columns: trainColumns, actions: trainActions),
           let test = balancedFidelity(policy, columns: testColumns, actions: testActions) {
            metrics["train_balanced_fidelity"] = train
            metrics["test_balanced_fidelity"] = test
        }
        if let environment {
            let evaluation = try PolicyEvaluation.run(policy, environment: environment, episodes: episodes, seed: episodeSeed,
                                                      maxSteps: maxSteps, threads: context.threads)
            metrics["mean_return"] = evaluation.meanReturn
            if let share = evaluation.pointShare { metrics["win_rate"] = share }
        }
        let names: [String]
        switch decoding {
        case .rounded: names = []
        case .argmax(let actions): names = actions.map { "action \($0)" }
        case .continuous(let low, _): names = low.indices.map { "action[\($0)]" }
        }
        let expression = ExpressionAttribute.expression(policy.programs, functionSet: SymbolicPolicy.allOperators,
                                                        featureNames: policy.featureNames, outputNames: names)
        let program = ExpressionAttribute.program(policy.programs, functionSet: SymbolicPolicy.allOperators, featureNames: policy.featureNames)
        let policyJSON = (try? JSONValue.parse(policy.jsonText)) ?? .null
        return ObjectiveOutcome(metrics: metrics, expression: expression, program: program, userAttributes: ["policy": policyJSON])
    }

    /// The best of the final program and the population's best distinct programs after a constant search
    /// on training fidelity (at most 4,000 rows during the search, all of them to choose).
    func refine(_ program: Program, population: [Individual], decoding: ActionDecoding, functionSet: FunctionSet, budget: Int) -> Program {
        var candidates = [program]
        for individual in population.sorted(by: { $0.rawFitness > $1.rawFitness }) where candidates.count < 8 {
            if !candidates.contains(individual.program) && !individual.program.constantPositions.isEmpty { candidates.append(individual.program) }
        }
        let rows = Swift.min(trainCount, 4000)
        func score(_ program: Program) -> Double {
            guard let policy = try? SymbolicPolicy(featurizer: featurizer, decoding: decoding, programs: [program]) else { return 0 }
            return fidelity(policy, columns: trainColumns, actions: trainActions)
        }
        // The search scores thousands of variants on the first rows with the GP's fast evaluator (the same
        // rounding rule, in Float); each search's result is judged on every training row in Double.
        var sampleScore: (Program) -> Double = { _ in 0 }
        if case .rounded(let actions) = decoding,
           let sample = try? Dataset(columns: trainColumns.map { Array($0.prefix(rows)) },
                                     target: trainActions.prefix(rows).map { Double(actions.firstIndex(of: Int($0[0])) ?? -1) }),
           let scorer = try? ProgramScorer(data: sample, functionSet: functionSet, metric: .roundedAccuracy(classes: actions.count)) {
            sampleScore = scorer.score
        }
        var best = program, bestScore = score(program)
        for candidate in candidates {
            let improved = ConstantSearch(budget: budget).improve(candidate, score: sampleScore).program
            let full = score(improved)
            if full > bestScore { best = improved; bestScore = full }
        }
        return best
    }

    // MARK: Scoring

    /// The share of rows where the policy gives the teacher's action.
    func fidelity(_ policy: SymbolicPolicy, columns: [[Double]], actions: [[Double]]) -> Double {
        guard !actions.isEmpty else { return .nan }
        if let chosen = policy.discreteActions(columns: columns, rows: actions.count) {
            var hits = 0
            for (row, action) in chosen.enumerated() where Double(action) == actions[row][0] { hits += 1 }
            return Double(hits) / Double(actions.count)
        }
        var hits = 0
        for row in actions.indices {
            guard case .continuous(let output) = policy.act(features: columns.map { $0[row] }) else { continue }
            if zip(output, actions[row]).allSatisfy({ Swift.abs($0 - $1) <= tolerance }) { hits += 1 }
        }
        return Double(hits) / Double(actions.count)
    }

    /// The mean over the teacher's actions of the share of its rows where the policy agrees (discrete
    /// decodings): a policy that always takes the most common action scores 1 / (number of actions).
    func balancedFidelity(_ policy: SymbolicPolicy, columns: [[Double]], actions: [[Double]]) -> Double? {
        guard let chosen = policy.discreteActions(columns: columns, rows: actions.count) else { return nil }
        var hits: [Int: Int] = [:], totals: [Int: Int] = [:]
        for (row, action) in chosen.enumerated() {
            let teacher = Int(actions[row][0])
            totals[teacher, default: 0] += 1
            if action == teacher { hits[teacher, default: 0] += 1 }
        }
        guard !totals.isEmpty else { return nil }
        return totals.reduce(0.0) { $0 + Double(hits[$1.key] ?? 0) / Double($1.value) } / Double(totals.count)
    }

    func sameActions(_ a: SymbolicPolicy, _ b: SymbolicPolicy, columns: [[Double]]) -> Bool {
        let rows = columns.first?.count ?? 0
        if let x = a.discreteActions(columns: columns, rows: rows), let y = b.discreteActions(columns: columns, rows: rows) { return x == y }
        return (0..<rows).allSatisfy { row in
            let features = columns.map { $0[row] }
            return a.act(features: features) == b.act(features: features)
        }
    }
}
