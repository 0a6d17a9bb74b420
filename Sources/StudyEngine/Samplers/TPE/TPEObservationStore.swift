import Foundation

/// The observations of one parameter (name and distribution) across the finished trials of a
/// study, in Parzen space, laid out by trial number, with the trial numbers sorted by value.
final class TPEColumn {
    let name: String
    let distribution: ParameterDistribution
    let dimension: ParzenDimension
    /// Parzen-space value by trial number; NaN when the trial has no usable value.
    var values: [Double] = []
    /// Numbers of recorded (finished) trials with a value, ordered by (value, number).
    var sorted: [Int32] = []
    /// Numbers of recorded trials without a usable value.
    var missing: [Int32] = []
    /// How many entries of the store's `recordedOrder` this column has taken in.
    var consumed = 0
    let constants = KernelConstantCache()

    init(name: String, distribution: ParameterDistribution) {
        self.name = name
        self.distribution = distribution
        self.dimension = ParzenDimension(distribution)
    }

    /// The Parzen-space value of an external parameter value (as Optuna's `to_internal_repr` then log),
    /// or nil when it cannot be read in this distribution.
    func parzenValue(of value: ParameterValue) -> Double? {
        let internalValue: Double
        switch distribution {
        case .float:
            guard let double = value.doubleValue, value.stringValue == nil else { return nil }
            internalValue = double
        case .int:
            guard let int = value.intValue else { return nil }
            internalValue = Double(int)
        case .categorical(let d):
            guard let index = d.index(of: value) else { return nil }
            internalValue = Double(index)
        }
        if dimension.isLog && !(internalValue > 0) { return nil }
        let transformed = dimension.transform(internalValue)
        return transformed.isNaN ? nil : transformed
    }

    /// Takes in the trials recorded since the last call.
    func catchUp(with store: TPEObservationStore) {
        let pending = store.recordedOrder.count - consumed
        guard pending > 0 else { return }
        if values.count < store.capacity {
            values.append(contentsOf: repeatElement(.nan, count: store.capacity - values.count))
        }
        constants.reserve(store.capacity)
        let bulk = pending > 32
        for position in consumed..<store.recordedOrder.count {
            let number = Int(store.recordedOrder[position])
            guard let value = store.params[number][name].flatMap(parzenValue(of:)) else {
                missing.append(Int32(number))
                continue
            }
            values[number] = value
            if bulk {
                sorted.append(Int32(number))
            } else {
                sorted.insert(Int32(number), at: insertionIndex(value: value, number: number))
            }
        }
        if bulk {
            values.withUnsafeBufferPointer { values in
                sorted.sort { lhs, rhs in
                    let a = values[Int(lhs)], b = values[Int(rhs)]
                    return a < b || (a == b && lhs < rhs)
                }
            }
        }
        consumed = store.recordedOrder.count
    }

    private func insertionIndex(value: Double, number: Int) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            let other = Int(sorted[middle])
            let otherValue = values[other]
            if otherValue < value || (otherValue == value && other < number) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// What `TPESampler` remembers of one study: every finished (COMPLETE or PRUNED) trial it has seen,
/// recorded once since finished trials never change, and the per-parameter columns built from them.
/// Per call, only trials that are new or still running are read from storage.
final class TPEObservationStore {
    /// Size of the per-number arrays (at least the highest recorded trial number + 1).
    private(set) var capacity = 0
    /// 0: not recorded; otherwise the TrialState raw value + 1.
    var recordedState: [UInt8] = []
    /// Objective values of recorded COMPLETE trials, `objectiveCount` per trial number.
    var objectiveValues: [Double] = []
    /// Optuna's pruned-trial score (-last step, last intermediate value as a loss), by number.
    var prunedStep: [Int] = []
    var prunedLoss: [Double] = []
    var params: [[String: ParameterValue]] = []
    /// Trial numbers in the order they were recorded.
    var recordedOrder: [Int32] = []
    /// Single objective: COMPLETE trial numbers ordered by (loss, number), the loss being the value
    /// for minimisation and its negation for maximisation (Python's stable sort gives the same order).
    var completeByLoss: [Int32] = []
    var columns: [String: [TPEColumn]] = [:]
    let directions: [StudyDirection]

    // Per-call scratch, by trial number.
    var role: [UInt8] = []
    var kernelIndex: [Int32] = []

    init(directions: [StudyDirection]) { self.directions = directions }

    /// The role array, moved out (so it can be written through a buffer without copies) and reset
    /// to zeros; put it back with `role = ...` before anything else reads it.
    func takeRoles() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &role)
        taken.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        return taken
    }

    func reserve(_ count: Int) {
        guard capacity < count else { return }
        let newCapacity = max(count, capacity * 2, 64)
        let grow = newCapacity - capacity
        recordedState.append(contentsOf: repeatElement(0, count: grow))
        objectiveValues.append(contentsOf: repeatElement(.nan, count: grow * directions.count))
        prunedStep.append(contentsOf: repeatElement(0, count: grow))
        prunedLoss.append(contentsOf: repeatElement(0, count: grow))
        params.append(contentsOf: repeatElement([:], count: grow))
        role.append(contentsOf: repeatElement(0, count: grow))
        kernelIndex.append(contentsOf: repeatElement(-1, count: grow))
        capacity = newCapacity
    }

    /// The loss of a value: the value to minimise in objective `j`.
    @inline(__always)
    func loss(_ value: Double, objective j: Int) -> Double {
        directions[j] == .maximize ? -value : value
    }

    /// Records a COMPLETE or PRUNED trial.
    func record(_ trial: FrozenTrial) {
        let number = trial.number
        reserve(number + 1)
        recordedState[number] = UInt8(trial.state.rawValue + 1)
        params[number] = trial.params
        recordedOrder.append(Int32(number))
        if trial.state == .complete {
            let values = trial.values ?? []
            for j in 0..<directions.count {
                objectiveValues[number * directions.count + j] = j < values.count ? values[j] : .nan
            }
            if directions.count == 1 {
                let loss = self.loss(objectiveValues[number], objective: 0)
                var low = 0, high = completeByLoss.count
                while low < high {
                    let middle = (low + high) / 2
                    let other = Int(completeByLoss[middle])
                    let otherLoss = self.loss(objectiveValues[other], objective: 0)
                    if otherLoss < loss || (otherLoss == loss && other < number) {
                        low = middle + 1
                    } else {
                        high = middle
                    }
                }
                completeByLoss.insert(Int32(number), at: low)
            }
        } else {
            // Optuna's _get_pruned_trial_score: (-step, value as loss, NaN as +inf), or (1, 0) without reports.
            if let step = trial.lastStep, let value = trial.intermediateValues[step] {
                prunedStep[number] = -step
                prunedLoss[number] = value.isNaN ? .infinity : (directions.count == 1 ? loss(value, objective: 0) : value)
            } else {
                prunedStep[number] = 1
                prunedLoss[number] = 0
            }
        }
    }

    /// The column for `name` in `distribution`, brought up to date.
    func column(_ name: String, _ distribution: ParameterDistribution) -> TPEColumn {
        let column: TPEColumn
        if let existing = columns[name]?.first(where: { $0.distribution == distribution }) {
            column = existing
        } else {
            column = TPEColumn(name: name, distribution: distribution)
            columns[name, default: []].append(column)
        }
        column.catchUp(with: self)
        return column
    }
}
