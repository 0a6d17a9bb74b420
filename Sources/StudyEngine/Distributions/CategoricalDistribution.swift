/// A categorical parameter over a list of choices (Optuna's `CategoricalDistribution`).
/// Its internal representation is the index of the choice.
public struct CategoricalDistribution: Sendable, Hashable {
    public let choices: [ParameterValue]

    /// Rejects an empty list and repeated choices.
    public init(choices: [ParameterValue], name: String? = nil) throws(DistributionError) {
        guard !choices.isEmpty else { throw .emptyChoices(name: name) }
        var seen = Set<ParameterValue>()
        for choice in choices where !seen.insert(choice).inserted {
            throw .duplicateChoices(name: name, choice: choice.description)
        }
        self.choices = choices
    }

    /// True when there is one choice only.
    public var isSingle: Bool { choices.count == 1 }

    /// True when `index` names a choice.
    public func contains(_ index: Double) -> Bool {
        index.rounded() == index && index >= 0 && index < Double(choices.count)
    }

    /// The index of `value` among the choices (doubles compare by value, so 1 and 1.0 differ by type only).
    public func index(of value: ParameterValue) -> Int? {
        if let index = choices.firstIndex(of: value) { return index }
        if case .double(let double) = value, double.isNaN {
            return choices.firstIndex { if case .double(let other) = $0 { return other.isNaN } else { return false } }
        }
        return nil
    }
}

extension CategoricalDistribution: CustomStringConvertible {
    public var description: String { "CategoricalDistribution(choices=\(choices.map(\.description)))" }
}
