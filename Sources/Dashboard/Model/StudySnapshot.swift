import Foundation
import StudyEngine

/// One study as read from storage at one moment: its trials, their expressions and what the pages and
/// charts derive from them. Every chart and API answer is computed from a snapshot, never from storage
/// directly, so one page load reads storage once.
public struct StudySnapshot: Sendable {
    public let id: Int
    public let name: String
    public let directions: [StudyDirection]
    public let userAttributes: [String: JSONValue]
    /// One name per objective: Optuna's `study:metric_names` system attribute when set, else `value`
    /// (one objective) or `value 0`, `value 1`, ...
    public let objectiveNames: [String]
    /// Trials in number order.
    public let trials: [FrozenTrial]
    /// The expression of each trial (aligned with `trials`), nil where none is stored.
    public let expressions: [ExpressionView?]
    /// The distribution each parameter was last drawn from.
    public let distributions: [String: ParameterDistribution]
    /// Parameter names, sorted.
    public let parameterNames: [String]
    /// Trials per state.
    public let counts: [TrialState: Int]
    /// The latest start or completion time of any trial.
    public let lastActivity: Date?
    /// A fingerprint of the trials: it changes when a trial is added, changes state, reports an intermediate
    /// value or gets values or attributes. Pages poll it to know when to redraw.
    public let revision: String
    private let indexByNumber: [Int: Int]

    /// Reads the study `studyID` from `storage`.
    /// - Throws: the storage's error (`StorageError.studyNotFound` for an unknown id).
    public static func load(storage: any StudyStorage, studyID: Int) throws -> StudySnapshot {
        let name = try storage.studyName(id: studyID)
        let directions = try storage.studyDirections(id: studyID)
        let trials = try storage.trials(studyID: studyID, states: nil)
        return StudySnapshot(id: studyID, name: name, directions: directions,
                             userAttributes: try storage.studyUserAttributes(id: studyID),
                             systemAttributes: try storage.studySystemAttributes(id: studyID), trials: trials)
    }

    /// A snapshot of trials already read.
    public init(id: Int, name: String, directions: [StudyDirection], userAttributes: [String: JSONValue] = [:],
                systemAttributes: [String: JSONValue] = [:], trials: [FrozenTrial]) {
        self.id = id
        self.name = name
        self.directions = directions.isEmpty ? [.minimize] : directions
        self.userAttributes = userAttributes
        let stored = systemAttributes["study:metric_names"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if stored.count == self.directions.count {
            objectiveNames = stored
        } else {
            objectiveNames = self.directions.count == 1 ? ["value"] : self.directions.indices.map { "value \($0)" }
        }
        let sorted = trials.sorted { $0.number < $1.number }
        self.trials = sorted
        expressions = sorted.map { ExpressionView(attributes: $0.userAttributes) }
        var distributions: [String: ParameterDistribution] = [:]
        var counts: [TrialState: Int] = [:]
        var lastActivity: Date?
        var indexByNumber: [Int: Int] = [:]
        var hash = RevisionHash()
        hash.add(sorted.count)
        for (index, trial) in sorted.enumerated() {
            indexByNumber[trial.number] = index
            for (name, distribution) in trial.distributions { distributions[name] = distribution }
            counts[trial.state, default: 0] += 1
            for date in [trial.datetimeStart, trial.datetimeComplete].compactMap({ $0 }) where lastActivity.map({ date > $0 }) ?? true {
                lastActivity = date
            }
            hash.add(trial.number)
            hash.add(trial.state.rawValue)
            for value in trial.values ?? [] { hash.add(Int(truncatingIfNeeded: value.bitPattern)) }
            hash.add(trial.intermediateValues.count)
            if let step = trial.lastStep {
                hash.add(step)
                hash.add(Int(truncatingIfNeeded: trial.intermediateValues[step]!.bitPattern))
            }
            hash.add(trial.params.count)
            hash.add(trial.userAttributes.count)
            hash.add(Int(truncatingIfNeeded: (trial.datetimeComplete?.timeIntervalSince1970 ?? 0).bitPattern))
        }
        self.distributions = distributions
        parameterNames = distributions.keys.sorted()
        self.counts = counts
        self.lastActivity = lastActivity
        self.indexByNumber = indexByNumber
        revision = hash.text
    }

    /// The index in `trials` of the trial with this number.
    public func index(ofTrialNumber number: Int) -> Int? { indexByNumber[number] }

    /// Objective `objective` of a trial, when it has a finite one.
    public func value(of trial: FrozenTrial, objective: Int) -> Double? {
        guard let values = trial.values, objective < values.count, values[objective].isFinite else { return nil }
        return values[objective]
    }

    /// Indices of COMPLETE trials with a finite value of objective `objective`.
    public func completeIndices(objective: Int) -> [Int] {
        trials.indices.filter { trials[$0].state == .complete && value(of: trials[$0], objective: objective) != nil }
    }

    /// The index of the best COMPLETE trial for one objective (the lowest number among ties).
    public func bestIndex(objective: Int = 0) -> Int? {
        guard objective < directions.count else { return nil }
        var best: Int?
        for index in completeIndices(objective: objective) {
            let value = value(of: trials[index], objective: objective)!
            if let current = best, !directions[objective].isBetter(value, than: self.value(of: trials[current], objective: objective)!) { continue }
            best = index
        }
        return best
    }

    /// Indices of the COMPLETE trials on the Pareto front of all objectives (the best trial for one objective).
    public func paretoIndices() -> [Int] {
        if directions.count == 1 { return bestIndex().map { [$0] } ?? [] }
        let candidates = trials.indices.filter { index in
            trials[index].state == .complete && directions.indices.allSatisfy { value(of: trials[index], objective: $0) != nil }
        }
        let front = Set(ParetoFront.nonDominated(candidates.map { trials[$0] }, directions: directions).map(\.number))
        return candidates.filter { front.contains(trials[$0].number) }
    }

    /// COMPLETE trials with an expression, best first by objective `objective` (smaller size first among ties).
    public func rankedExpressionIndices(objective: Int = 0) -> [Int] {
        guard objective < directions.count else { return [] }
        let direction = directions[objective]
        return completeIndices(objective: objective).filter { expressions[$0] != nil }.sorted { a, b in
            let va = value(of: trials[a], objective: objective)!, vb = value(of: trials[b], objective: objective)!
            if va != vb { return direction.isBetter(va, than: vb) }
            let sa = expressions[a]?.size ?? Int.max, sb = expressions[b]?.size ?? Int.max
            return sa != sb ? sa < sb : trials[a].number < trials[b].number
        }
    }

    /// True when the parameter was last drawn from a categorical distribution.
    func isCategorical(_ name: String) -> Bool {
        if case .categorical? = distributions[name] { return true }
        return false
    }

    /// The parameter `name` of a trial as a number on its axis (a categorical's choice index).
    func axisValue(of trial: FrozenTrial, parameter name: String) -> Double? {
        guard let value = trial.params[name] else { return nil }
        if case .categorical(let categorical)? = distributions[name] {
            return categorical.index(of: value).map(Double.init)
        }
        return value.doubleValue ?? value.intValue.map(Double.init)
    }
}

/// FNV-1a over 64-bit words: a stable fingerprint (the same in every process, unlike `Hasher`).
private struct RevisionHash {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ value: Int) {
        var word = UInt64(bitPattern: Int64(value))
        for _ in 0..<8 {
            state ^= word & 0xFF
            state = state &* 0x0000_0100_0000_01B3
            word >>= 8
        }
    }

    var text: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
