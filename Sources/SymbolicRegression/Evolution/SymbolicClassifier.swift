import Foundation

/// Class weights of a classifier (gplearn's `class_weight`).
public enum ClassWeight: Sendable {
    /// n_samples / (2 * count(class)).
    case balanced
    /// A weight per class label.
    case weights([String: Double])
}

/// gplearn's `SymbolicClassifier` (binary): a program whose sigmoid is the probability of the second class.
public final class SymbolicClassifier {
    /// gplearn's classifier defaults: log loss on the sigmoid of the program.
    public static var defaultParameters: GPParameters {
        var p = GPParameters()
        p.metric = .logLoss
        return p
    }

    public var parameters: GPParameters
    public var classWeight: ClassWeight?
    public private(set) var classes: [String] = []
    public private(set) var program: Program?
    private var engine: GeneticEngine?

    public init(parameters: GPParameters = SymbolicClassifier.defaultParameters, classWeight: ClassWeight? = nil) {
        self.parameters = parameters
        self.classWeight = classWeight
    }

    static let sigmoid: @Sendable (Double) -> Double = { BuiltinOperator.sig.apply($0) }

    /// Fits on `data` with one label per row (two distinct labels; the sorted second is the positive class).
    @discardableResult
    public func fit(_ data: Dataset, labels: [String], sampleWeight: [Double]? = nil, callback: GenerationCallback? = nil) throws -> SymbolicClassifier {
        guard labels.count == data.rowCount else { throw DataError.columnLength(column: "labels", expected: data.rowCount, found: labels.count) }
        switch parameters.metric {
        case .logLoss, .accuracy, .custom: break
        default: throw GPParameterError.invalid(parameter: "metric", value: parameters.metric.name, valid: "log loss, accuracy or a custom metric")
        }
        let found = Array(Set(labels)).sorted()
        guard found.count == 2 else {
            throw DataError.columnLength(column: "labels (distinct classes; only binary classification is supported)", expected: 2, found: found.count)
        }
        classes = found
        let target = labels.map { $0 == found[1] ? 1.0 : 0.0 }
        var weights = sampleWeight
        if let classWeight {
            let counts = Dictionary(grouping: labels, by: { $0 }).mapValues(\.count)
            let factor: (String) -> Double
            switch classWeight {
            case .balanced: factor = { Double(labels.count) / (2 * Double(counts[$0]!)) }
            case .weights(let table): factor = { table[$0] ?? 1 }
            }
            weights = labels.enumerated().map { (sampleWeight?[$0.offset] ?? 1) * factor($0.element) }
        }
        let state = try EstimatorFit(parameters: parameters, data: data, target: target, sampleWeight: weights,
                                     previous: parameters.warmStart ? engine : nil, transform: Self.sigmoid)
        engine = state.engine
        state.run(callback: callback)
        program = state.best().scaledProgram(linearScaling: parameters.linearScaling)
        return self
    }

    /// The probability of `classes[1]` for every row.
    public func predictProbability(_ data: Dataset) throws -> [Double] {
        guard let program else { throw GPParameterError.notFitted("SymbolicClassifier") }
        return try ExactEvaluator(functionSet: parameters.functionSet).predict(program, on: data).map(Self.sigmoid)
    }

    /// The more probable class of every row.
    public func predict(_ data: Dataset) throws -> [String] {
        try predictProbability(data).map { $0 > 0.5 ? classes[1] : classes[0] }
    }

    public var runDetails: [GenerationRecord] { engine?.runDetails ?? [] }
    public var population: [Individual] { engine?.population ?? [] }
}
