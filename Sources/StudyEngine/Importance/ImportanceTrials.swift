/// Which trials and parameters an importance evaluator sees (Optuna's `optuna/importance/_base.py`).
enum ImportanceTrials {
    /// The number a trial is scored by: `target(trial)`, or the objective value of a single-objective trial.
    static func targetValue(of trial: FrozenTrial, target: (@Sendable (FrozenTrial) -> Double)?) -> Double {
        if let target { return target(trial) }
        return trial.value ?? .nan
    }

    /// The distributions of parameters present, with the same distribution, in every COMPLETE trial
    /// (Optuna's `intersection_search_space`), sorted by name.
    static func intersectionSearchSpace(_ completed: [FrozenTrial]) -> [(name: String, distribution: ParameterDistribution)] {
        var space: [String: ParameterDistribution]?
        for trial in completed.reversed() {
            guard let current = space else {
                space = trial.distributions
                continue
            }
            space = current.filter { trial.distributions[$0.key] == $0.value }
        }
        return (space ?? [:]).keys.sorted().map { (name: $0, distribution: space![$0]!) }
    }

    /// The search space the forest evaluators assess (Optuna's `_get_distributions`): the intersection search
    /// space when `params` is nil; otherwise the named parameters, which must share one distribution over the
    /// COMPLETE trials holding them all. Sorted by name.
    static func forestSearchSpace(
        study: Study, completed: [FrozenTrial], params: [String]?
    ) throws -> [(name: String, distribution: ParameterDistribution)] {
        guard let params else { return intersectionSearchSpace(completed) }
        var space: [String: ParameterDistribution]?
        for trial in completed where params.allSatisfy({ trial.distributions[$0] != nil }) {
            guard let current = space else {
                space = trial.distributions.filter { params.contains($0.key) }
                continue
            }
            for name in current.keys.sorted() where trial.distributions[name] != current[name] {
                throw ImportanceError.dynamicSearchSpace(params: params, parameter: name)
            }
        }
        guard let space else { throw ImportanceError.noTrialWithAllParameters(study: study.name, params: params) }
        return space.keys.sorted().map { (name: $0, distribution: space[$0]!) }
    }

    /// COMPLETE trials holding every parameter in `names` and a finite target (Optuna's `_get_filtered_trials`).
    static func trialsHolding(
        _ names: [String], in completed: [FrozenTrial], target: (@Sendable (FrozenTrial) -> Double)?
    ) -> [FrozenTrial] {
        completed.filter { trial in
            names.allSatisfy { trial.params[$0] != nil } && targetValue(of: trial, target: target).isFinite
        }
    }
}

/// Parameters laid out as forest features (Optuna's `_SearchSpaceTransform` with `transform_log=False`,
/// `transform_step=False`): a float or int is one column holding its value, bounded by [low, high]; a
/// categorical is one-hot, a column per choice bounded by [0, 1].
struct ForestEncoding {
    /// Lower and upper bound of each encoded column.
    var lowerBounds: [Double] = []
    var upperBounds: [Double] = []
    /// For each parameter, its encoded columns.
    var columnsOfParameter: [[Int]] = []
    /// For each encoded column, its parameter.
    var parameterOfColumn: [Int] = []
    let space: [(name: String, distribution: ParameterDistribution)]

    init(space: [(name: String, distribution: ParameterDistribution)]) {
        self.space = space
        for (index, entry) in space.enumerated() {
            var columns: [Int] = []
            switch entry.distribution {
            case .categorical(let d):
                for _ in d.choices {
                    columns.append(lowerBounds.count)
                    lowerBounds.append(0)
                    upperBounds.append(1)
                }
            case .float(let d):
                columns.append(lowerBounds.count)
                lowerBounds.append(d.low)
                upperBounds.append(d.high)
            case .int(let d):
                columns.append(lowerBounds.count)
                lowerBounds.append(Double(d.low))
                upperBounds.append(Double(d.high))
            }
            parameterOfColumn.append(contentsOf: repeatElement(index, count: columns.count))
            columnsOfParameter.append(columns)
        }
    }

    var columnCount: Int { lowerBounds.count }

    /// The trials as a column-major feature matrix: `matrix[column * trials.count + row]`.
    func featureMatrix(_ trials: [FrozenTrial]) -> [Double] {
        var matrix = [Double](repeating: 0, count: columnCount * trials.count)
        for (row, trial) in trials.enumerated() {
            for (index, entry) in space.enumerated() {
                let value = trial.params[entry.name]!
                let firstColumn = columnsOfParameter[index][0]
                switch entry.distribution {
                case .categorical(let d):
                    let choice = d.index(of: value) ?? 0
                    matrix[(firstColumn + choice) * trials.count + row] = 1
                default:
                    matrix[firstColumn * trials.count + row] = value.doubleValue ?? .nan
                }
            }
        }
        return matrix
    }
}
