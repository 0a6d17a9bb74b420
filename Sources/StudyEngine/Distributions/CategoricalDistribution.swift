/// A categorical parameter over a list of choices (Optuna's `CategoricalDistribution`).
/// Its internal representation is the index of the choice.
public struct CategoricalDistribution: Sendable, Hashable {
    public let choices: [ParameterValue]

    /// Rejects an empty list (Optuna's rule) and, unlike Optuna, repeated choices (NaN repeats NaN).
    public init(choices: [ParameterValue], name: String? = nil) throws(DistributionError) {
        try self.init(choices: choices, name: name, allowingRepeats: false)
    }

    /// With `allowingRepeats`, repeated choices are kept as Optuna keeps them (the first one is the one
    /// found by value): for distributions Optuna itself wrote.
    init(choices: [ParameterValue], name: String?, allowingRepeats: Bool) throws(DistributionError) {
        guard !choices.isEmpty else { throw .emptyChoices(name: name) }
        if !allowingRepeats {
            var seen = Set<ParameterValue>()
            for choice in choices where !seen.insert(choice).inserted {
                throw .duplicateChoices(name: name, choice: choice.pythonRepr)
            }
        }
        self.choices = choices
    }

    /// True when there is one choice only.
    public var isSingle: Bool { choices.count == 1 }

    /// True when `index` names a choice.
    public func contains(_ index: Double) -> Bool {
        index.rounded() == index && index >= 0 && index < Double(choices.count)
    }

    /// The index of `value` among the choices: the first equal choice of the same type (NaN equals NaN),
    /// else the first integer or double of equal value (as Python finds `1` among `(1.0, 2.0)`).
    /// Booleans and numbers never match each other.
    public func index(of value: ParameterValue) -> Int? {
        if let index = choices.firstIndex(of: value) { return index }
        return choices.firstIndex { $0.isNumericallyEqual(to: value) }
    }
}

extension CategoricalDistribution: CustomStringConvertible {
    /// As Optuna's `repr`: `CategoricalDistribution(choices=('adam', 'sgd'))`.
    public var description: String {
        let items = choices.map(\.pythonRepr)
        let tuple = items.count == 1 ? "(\(items[0]),)" : "(" + items.joined(separator: ", ") + ")"
        return "CategoricalDistribution(choices=\(tuple))"
    }
}
