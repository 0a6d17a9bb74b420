import Foundation
import Synchronization

/// Tree-structured Parzen Estimator sampling, as Optuna 5.0.0's `TPESampler` does it.
///
/// Until `nStartupTrials` trials are COMPLETE or PRUNED, parameters are drawn uniformly, exactly as
/// `RandomSampler` with the same seed draws them. After that, the finished trials are split into the
/// `gamma(n)` best ("below") and the rest ("above"; RUNNING trials join it with the constant liar), a
/// Parzen estimator l(x) is fitted to the below and g(x) to the above observations, `nEICandidates`
/// points are drawn from l, and the one with the largest log l(x) - log g(x) is returned.
///
/// With `multivariate` (the default for one objective) the parameters of the intersection search
/// space are modelled jointly by a mixture of product kernels; parameters outside it are sampled one
/// at a time. With `group`, the search space is split into the subspaces that always occur together
/// (`GroupDecomposedSearchSpace`) and each is sampled jointly. Several objectives split the trials by
/// non-domination rank, breaking the last rank's tie by greedy hypervolume subset selection.
///
/// The sampler keeps, per study, the observations of finished trials in per-parameter arrays and
/// reads only new and running trials on each call.
public final class TPESampler: Sampler {
    public let nStartupTrials: Int
    public let nEICandidates: Int
    public let priorWeight: Double
    public let considerMagicClip: Bool
    public let considerEndpoints: Bool
    /// nil: multivariate for one objective, independent for several (as in Optuna 5).
    public let multivariate: Bool?
    public let group: Bool
    public let constantLiar: Bool
    private let gamma: (@Sendable (Int) -> Int)?
    /// Tests only: evaluate log g at every candidate instead of only where it can decide the choice.
    nonisolated(unsafe) var exhaustiveAcquisition = false
    private let weights: @Sendable (Int) -> [Double]
    /// The weights are `defaultWeights`, valid by construction.
    private let defaultWeighting: Bool

    /// The key prefix of the system attributes that share a running trial's relative parameters.
    public static let relativeParamsKey = "tpe:relative_params"
    /// The longest system attribute value Optuna's relational storage takes.
    static let systemAttributeMaxLength = 2045

    private struct StudyKey: Hashable {
        let storage: ObjectIdentifier
        let id: Int
    }

    private final class StudyContext {
        let store: TPEObservationStore
        let intersection = IntersectionSearchSpace(includePruned: true)
        let groups = GroupDecomposedSearchSpace(includePruned: true)
        var lastGroups: [[String: ParameterDistribution]] = []
        var workspace = ParzenEstimator.Workspace()
        var belowWorkspace = ParzenEstimator.Workspace()
        /// The estimators of the last call, refilled in place so their buffers are reused.
        var below = ParzenEstimator()
        /// The above estimators, by the columns of their subspace.
        var above: [[ObjectIdentifier]: IncrementalParzenEstimator] = [:]
        var candidates: [Double] = []
        var belowDensity: [Double] = []
        var aboveDensity: [Double] = []
        var scoreBounds: [Double] = []
        var priorTerms: [Double] = []
        var sequence: [Int] = []
        init(directions: [StudyDirection]) { store = TPEObservationStore(directions: directions) }
    }

    private struct State {
        /// Draws of the startup (random) part: the same sequence as `RandomSampler(seed:)`.
        let random: RandomSource
        /// Draws of the TPE part (Optuna also seeds it with the same seed).
        let tpeRandom: RandomSource
        var contexts: [StudyKey: StudyContext] = [:]
    }

    private let state: Mutex<State>

    /// - Parameters:
    ///   - seed: seeds both the random startup sampling and TPE's draws; nil takes entropy.
    ///   - nStartupTrials: trials sampled at random before TPE starts (COMPLETE + PRUNED ones count).
    ///   - nEICandidates: draws from l(x) among which the best acquisition value wins.
    ///   - gamma: how many of n finished trials form l(x); nil is `defaultGamma` for one objective and
    ///     `defaultGammaMultiObjective` for several. `hyperoptGamma` is hyperopt's.
    ///   - weights: the mixture weights of n observations in trial-number order; nil is `defaultWeights`.
    ///   - priorWeight: the weight of the prior kernel (must be >= 0).
    ///   - considerMagicClip: bound the bandwidths below by (high - low) / min(100, 1 + kernels).
    ///   - considerEndpoints: let the domain's ends set the bandwidth of the outermost kernels.
    ///   - multivariate: model the parameters jointly; nil: true for one objective, false for several.
    ///   - group: sample each group-decomposed subspace jointly (needs multivariate not false).
    ///   - constantLiar: count RUNNING trials among the bad ones, so parallel workers spread out.
    public init(seed: UInt64? = nil, nStartupTrials: Int = 10, nEICandidates: Int = 24,
                gamma: (@Sendable (Int) -> Int)? = nil, weights: (@Sendable (Int) -> [Double])? = nil,
                priorWeight: Double = 1.0, considerMagicClip: Bool = true, considerEndpoints: Bool = false,
                multivariate: Bool? = nil, group: Bool = false, constantLiar: Bool = true) {
        self.nStartupTrials = nStartupTrials
        self.nEICandidates = nEICandidates
        self.gamma = gamma
        self.weights = weights ?? TPESampler.defaultWeights
        self.defaultWeighting = weights == nil
        self.priorWeight = priorWeight
        self.considerMagicClip = considerMagicClip
        self.considerEndpoints = considerEndpoints
        self.multivariate = multivariate
        self.group = group
        self.constantLiar = constantLiar
        let seed = seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        state = Mutex(State(random: RandomSource(seed: seed), tpeRandom: RandomSource(seed: seed)))
    }

    // MARK: Optuna's gamma and weights

    /// Optuna's `default_gamma`: min(ceil(0.1 n), 25).
    @Sendable public static func defaultGamma(_ n: Int) -> Int { min(Int((0.1 * Double(n)).rounded(.up)), 25) }

    /// Optuna's `default_gamma_multiobjective`: ceil(0.1 n).
    @Sendable public static func defaultGammaMultiObjective(_ n: Int) -> Int { Int((0.1 * Double(n)).rounded(.up)) }

    /// hyperopt's gamma (Optuna's `hyperopt_default_gamma`): min(ceil(0.25 sqrt(n)), 25).
    @Sendable public static func hyperoptGamma(_ n: Int) -> Int {
        min(Int((0.25 * Double(n).squareRoot()).rounded(.up)), 25)
    }

    /// Optuna's `default_weights`: n ones for n < 25; otherwise a ramp `linspace(1/n, 1, n - 25)`
    /// followed by 25 ones, so that older trials weigh less.
    @Sendable public static func defaultWeights(_ n: Int) -> [Double] {
        if n <= 0 { return [] }
        if n < 25 { return [Double](repeating: 1, count: n) }
        let rampCount = n - 25
        var result = [Double]()
        result.reserveCapacity(n)
        let start = 1.0 / Double(n)
        if rampCount == 1 {
            result.append(start)
        } else if rampCount > 1 {
            let step = (1.0 - start) / Double(rampCount - 1)
            for i in 0..<(rampCount - 1) { result.append(Double(i) * step + start) }
            result.append(1.0)
        }
        result.append(contentsOf: repeatElement(1.0, count: 25))
        return result
    }

    /// The settings of hyperopt 0.1.2 (Optuna's `hyperopt_parameters`): 20 startup trials and hyperopt's gamma.
    public static func hyperopt(seed: UInt64? = nil) -> TPESampler {
        TPESampler(seed: seed, nStartupTrials: 20, nEICandidates: 24, gamma: hyperoptGamma, weights: defaultWeights)
    }

    // MARK: Sampler

    private func isMultivariate(_ study: Study) -> Bool {
        if let multivariate { return multivariate }
        if group { return true }
        return !study.isMultiObjective
    }

    private func validate() throws {
        if group && multivariate == false { throw TPESamplerError.groupNeedsMultivariate }
        if priorWeight < 0 { throw TPESamplerError.negativePriorWeight(priorWeight) }
    }

    private func context(for study: Study, in state: inout State) -> StudyContext {
        let key = StudyKey(storage: ObjectIdentifier(study.storage), id: study.id)
        if let context = state.contexts[key] { return context }
        let context = StudyContext(directions: study.directions)
        state.contexts[key] = context
        return context
    }

    public func inferRelativeSearchSpace(study: Study, trial: FrozenTrial) throws -> [String: ParameterDistribution] {
        try validate()
        guard isMultivariate(study) else { return [:] }
        return try state.withLock { state in
            let context = context(for: study, in: &state)
            var space: [String: ParameterDistribution] = [:]
            if group {
                context.lastGroups = try context.groups.calculate(study: study)
                for subspace in context.lastGroups {
                    for (name, distribution) in subspace where !distribution.isSingle { space[name] = distribution }
                }
                return space
            }
            for (name, distribution) in try context.intersection.calculate(study: study) where !distribution.isSingle {
                space[name] = distribution
            }
            return space
        }
    }

    public func sampleRelative(study: Study, trial: FrozenTrial, searchSpace: [String: ParameterDistribution]) throws -> [String: Double] {
        try validate()
        let multivariate = isMultivariate(study)
        let params: [String: Double] = try state.withLock { state in
            let context = context(for: study, in: &state)
            var subspaces: [[(String, ParameterDistribution)]] = []
            if group {
                for subspace in context.lastGroups {
                    let names = subspace.keys.sorted().filter { !subspace[$0]!.isSingle && searchSpace[$0] != nil }
                    subspaces.append(names.map { ($0, subspace[$0]!) })
                }
            } else {
                subspaces = [searchSpace.keys.sorted().map { ($0, searchSpace[$0]!) }]
            }
            var params: [String: Double] = [:]
            for subspace in subspaces where !subspace.isEmpty {
                guard let values = try sample(study: study, trial: trial, dimensions: subspace, context: context,
                                              state: &state, multivariate: multivariate)
                else { continue }
                for (index, (name, _)) in subspace.enumerated() { params[name] = values[index] }
            }
            return params
        }
        if !params.isEmpty && constantLiar {
            try shareRelativeParams(params, searchSpace: searchSpace, study: study, trial: trial)
        }
        return params
    }

    public func sampleIndependent(study: Study, trial: FrozenTrial, name: String, distribution: ParameterDistribution) throws -> Double {
        try validate()
        let multivariate = isMultivariate(study)
        return try state.withLock { state in
            let context = context(for: study, in: &state)
            if let values = try sample(study: study, trial: trial, dimensions: [(name, distribution)], context: context,
                                       state: &state, multivariate: multivariate) {
                return values[0]
            }
            return UniformSampling.sample(distribution, using: state.random)
        }
    }

    /// Restarts both random sequences from `seed`.
    public func reseed(_ seed: UInt64?) {
        state.withLock { state in
            let seed = seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
            state.random.reseed(seed)
            state.tpeRandom.reseed(seed)
        }
    }

    // MARK: Sharing relative parameters

    /// Writes the relative parameters (external values, as JSON) to the trial's system attributes in
    /// chunks that fit Optuna's relational storage, so that other workers see a running trial's
    /// parameters before it suggests them.
    private func shareRelativeParams(_ params: [String: Double], searchSpace: [String: ParameterDistribution],
                                     study: Study, trial: FrozenTrial) throws {
        // JSON by hand: names sorted as Optuna's search space is, numbers in Swift's shortest round-trip
        // form (valid JSON that Python reads back to the same double).
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(40 * params.count + 2)
        func appendString(_ text: String) {
            // Printable ASCII without quotes or backslashes is written as it is (JSONValue's escaping).
            if text.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
                bytes.append(UInt8(ascii: "\""))
                bytes.append(contentsOf: text.utf8)
                bytes.append(UInt8(ascii: "\""))
            } else {
                bytes.append(contentsOf: JSONValue.string(text).jsonText.utf8)
            }
        }
        for (name, value) in params.sorted(by: { $0.key < $1.key }) {
            guard let distribution = searchSpace[name] else { continue }
            if bytes.count > 1 { bytes.append(contentsOf: ", ".utf8) }
            appendString(name)
            bytes.append(contentsOf: ": ".utf8)
            switch distribution.externalValue(of: value) {
            case .double(let double): bytes.append(contentsOf: double.description.utf8)
            case .int(let int): bytes.append(contentsOf: int.description.utf8)
            case .bool(let bool): bytes.append(contentsOf: (bool ? "true" : "false").utf8)
            case .string(let string): appendString(string)
            case .null: bytes.append(contentsOf: "null".utf8)
            }
        }
        bytes.append(UInt8(ascii: "}"))
        let json = String(decoding: bytes, as: UTF8.self)
        // Chunks of at most `systemAttributeMaxLength` characters (Unicode scalars); a text of no more
        // UTF-8 bytes than that is one chunk without counting.
        if json.utf8.count <= Self.systemAttributeMaxLength {
            try study.storage.setTrialSystemAttribute(trialID: trial.id, key: "\(Self.relativeParamsKey):0", value: .string(json))
            return
        }
        let scalars = Array(json.unicodeScalars)
        var chunk = 0
        var start = 0
        while start < scalars.count {
            let end = min(start + Self.systemAttributeMaxLength, scalars.count)
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[start..<end])
            try study.storage.setTrialSystemAttribute(trialID: trial.id, key: "\(Self.relativeParamsKey):\(chunk)",
                                                      value: .string(String(text)))
            chunk += 1
            start = end
        }
    }

    /// A trial's parameters as Optuna's `_get_params` reads them: for a running trial in multivariate
    /// mode, the shared relative parameters overlaid with those already suggested.
    private func params(of trial: FrozenTrial, multivariate: Bool) -> [String: ParameterValue] {
        guard !trial.state.isFinished, multivariate else { return trial.params }
        var text = ""
        var chunk = 0
        while let part = trial.systemAttributes["\(Self.relativeParamsKey):\(chunk)"]?.stringValue, !part.isEmpty {
            text += part
            chunk += 1
        }
        guard chunk > 0, let object = (try? JSONValue.parse(text))?.objectValue else { return trial.params }
        var params = object.compactMapValues(ParameterValue.init(json:))
        params.merge(trial.params) { _, suggested in suggested }
        return params
    }

    // MARK: TPE

    /// TPE's choice for `dimensions` (in internal representation, in the given order), or nil while
    /// fewer than `nStartupTrials` trials are COMPLETE or PRUNED.
    private func sample(study: Study, trial: FrozenTrial, dimensions: [(String, ParameterDistribution)],
                        context: StudyContext, state: inout State, multivariate: Bool) throws -> [Double]? {
        let trials = try study.trials()
        let store = context.store
        if let last = trials.last { store.reserve(last.number + 1) }

        // Roles: 1 below, 2 above (finished), 3 above (running, constant liar).
        var finishedCount = 0
        var completeNumbers: [Int] = []
        var prunedNumbers: [Int] = []
        var runningIndices: [Int] = []
        let singleObjective = store.directions.count == 1
        var role = store.takeRoles()
        role.withUnsafeMutableBufferPointer { role in
        trials.withUnsafeBufferPointer { trials in
            for index in trials.indices {
                let number = trials[index].number
                switch trials[index].state {
                case .complete, .pruned:
                    if store.recordedState[number] == 0 { store.record(trials[index]) }
                    role[number] = 2
                    finishedCount += 1
                    if trials[index].state == .pruned {
                        prunedNumbers.append(number)
                    } else if !singleObjective {
                        completeNumbers.append(number)
                    }
                case .running where constantLiar && number != trial.number:
                    role[number] = 3
                    runningIndices.append(index)
                default:
                    break
                }
            }
        }}
        store.role = role
        role = []
        guard finishedCount >= nStartupTrials else { return nil }

        // Split into below and above (Optuna's _split_trials).
        let gammaFunction = gamma ?? (singleObjective ? TPESampler.defaultGamma : TPESampler.defaultGammaMultiObjective)
        var remaining = max(0, gammaFunction(finishedCount))
        if singleObjective {
            store.completeByLoss.withUnsafeBufferPointer { completeByLoss in
                store.role.withUnsafeMutableBufferPointer { role in
                    for number in completeByLoss {
                        if remaining == 0 { break }
                        if role[Int(number)] == 2 {
                            role[Int(number)] = 1
                            remaining -= 1
                        }
                    }
                }
            }
        } else {
            let below = MultiObjectiveSplit.below(numbers: completeNumbers, store: store, count: remaining)
            for number in below { store.role[number] = 1 }
            remaining = max(0, remaining - below.count)
        }
        if remaining > 0 && !prunedNumbers.isEmpty {
            prunedNumbers.sort { a, b in
                let stepA = store.prunedStep[a], stepB = store.prunedStep[b]
                if stepA != stepB { return stepA < stepB }
                let lossA = store.prunedLoss[a], lossB = store.prunedLoss[b]
                if lossA != lossB { return lossA < lossB }
                return a < b
            }
            for number in prunedNumbers.prefix(remaining) { store.role[number] = 1 }
        }

        // Observations: trials with every parameter of the space.
        let columns = dimensions.map { store.column($0.0, $0.1) }
        let dimensionCount = columns.count
        var runningValues: [Double] = []
        var runningRow = [Int: Int]()
        for index in runningIndices {
            let running = trials[index]
            let params = params(of: running, multivariate: multivariate)
            var row: [Double] = []
            row.reserveCapacity(dimensionCount)
            for column in columns {
                guard let value = params[column.name].flatMap(column.parzenValue(of:)) else { break }
                row.append(value)
            }
            if row.count == dimensionCount {
                runningRow[running.number] = runningRow.count
                runningValues.append(contentsOf: row)
            } else {
                store.role[running.number] = 0
            }
        }
        // Finished trials lacking a value of some dimension drop out.
        store.role.withUnsafeMutableBufferPointer { roles in
            for column in columns {
                for number in column.missing where roles[Int(number)] == 1 || roles[Int(number)] == 2 { roles[Int(number)] = 0 }
            }
        }
        // Kernels in trial number order; above, a running trial is -1 - its row.
        var belowNumbers: [Int32] = []
        var aboveNumbers: [Int32] = []
        var aboveTrialNumbers: [Int32] = []
        store.role.withUnsafeBufferPointer { roles in
        store.kernelIndex.withUnsafeMutableBufferPointer { kernelIndex in
        trials.withUnsafeBufferPointer { trials in
            for index in trials.indices {
                let number = trials[index].number
                switch roles[number] {
                case 1:
                    kernelIndex[number] = Int32(belowNumbers.count)
                    belowNumbers.append(Int32(number))
                case 2:
                    aboveNumbers.append(Int32(number))
                    aboveTrialNumbers.append(Int32(number))
                case 3:
                    aboveNumbers.append(Int32(-1 - runningRow[number]!))
                    aboveTrialNumbers.append(Int32(number))
                default: break
                }
            }
        }}}

        let belowWeights = singleObjective
            ? try checkedWeights(belowNumbers.count) : [Double](repeating: 1, count: belowNumbers.count)
        let aboveWeights = try checkedWeights(aboveNumbers.count)
        let parzenDimensions = columns.map(\.dimension)
        let settings = ParzenEstimatorSettings(priorWeight: priorWeight, considerMagicClip: considerMagicClip,
                                               considerEndpoints: considerEndpoints)
        belowWeights.withUnsafeBufferPointer {
            context.below.reset(dimensions: parzenDimensions, observationCount: belowNumbers.count,
                                observationWeights: $0, settings: settings)
        }
        var belowValues = [Double](repeating: 0, count: belowNumbers.count)
        var belowSorted = [Int32](repeating: 0, count: belowNumbers.count)
        for (d, column) in columns.enumerated() {
            column.values.withUnsafeBufferPointer { values in
                belowValues.withUnsafeMutableBufferPointer { belowValues in
                    for kernel in belowNumbers.indices { belowValues[kernel] = values[Int(belowNumbers[kernel])] }
                    // Kernels by (value, trial number), the order of column.sorted: sorted directly when they
                    // are few, else read off the column.
                    if belowNumbers.count * 16 <= column.sorted.count {
                        // Insertion sort (kernel indices follow trial numbers).
                        belowSorted.withUnsafeMutableBufferPointer { sorted in
                            for kernel in 0..<sorted.count {
                                let value = belowValues[kernel]
                                var position = kernel
                                while position > 0 && belowValues[Int(sorted[position - 1])] > value {
                                    sorted[position] = sorted[position - 1]
                                    position -= 1
                                }
                                sorted[position] = Int32(kernel)
                            }
                        }
                    } else {
                        var position = 0
                        store.role.withUnsafeBufferPointer { role in
                            store.kernelIndex.withUnsafeBufferPointer { kernelIndex in
                                for number in column.sorted where role[Int(number)] == 1 {
                                    belowSorted[position] = kernelIndex[Int(number)]
                                    position += 1
                                }
                            }
                        }
                    }
                }
            }
            belowValues.withUnsafeBufferPointer { values in
                belowSorted.withUnsafeBufferPointer { sorted in
                    belowNumbers.withUnsafeBufferPointer { numbers in
                        context.below.setObservations(dimension: d, values: values, sorted: sorted, cache: column.constants,
                                                      numbers: numbers)
                    }
                }
            }
        }
        // Above: kept between calls, one estimator per subspace.
        let key = columns.map(ObjectIdentifier.init)
        let above: IncrementalParzenEstimator
        if let existing = context.above[key] {
            above = existing
        } else {
            if context.above.count >= 64 { context.above.removeAll() }
            above = IncrementalParzenEstimator()
            context.above[key] = above
        }
        aboveNumbers.withUnsafeBufferPointer { members in
            aboveTrialNumbers.withUnsafeBufferPointer { trialNumbers in
                runningValues.withUnsafeBufferPointer { runningValues in
                    aboveWeights.withUnsafeBufferPointer { weights in
                        above.update(columns: key, dimensions: parzenDimensions, values: columns.map(\.values),
                                     settings: settings, members: members, trialNumbers: trialNumbers,
                                     runningValues: runningValues, weights: weights,
                                     arrangeBy: context.workspace.leadingDimension)
                    }
                }
            }
        }

        // Acquisition: log l(x) - log g(x) over draws from l.
        let count = max(1, nEICandidates)
        context.below.sample(count: count, using: state.tpeRandom, into: &context.candidates)
        if context.belowDensity.count < count {
            context.belowDensity = [Double](repeating: 0, count: count)
            context.aboveDensity = context.belowDensity
        }
        if context.priorTerms.count < count { context.priorTerms = [Double](repeating: 0, count: count) }
        let estimator = above.estimator
        context.candidates.withUnsafeBufferPointer { candidates in
            context.below.prepare(candidates: candidates, count: count, workspace: &context.belowWorkspace)
            estimator.prepare(candidates: candidates, count: count, workspace: &context.workspace)
        }
        context.belowDensity.withUnsafeMutableBufferPointer { belowDensity in
            context.aboveDensity.withUnsafeMutableBufferPointer { aboveDensity in
                context.priorTerms.withUnsafeMutableBufferPointer { priorTerms in
                    Self.densities(below: context.below, above: estimator, count: count, into: belowDensity, aboveDensity,
                                   priorTerms: priorTerms, belowWorkspace: &context.belowWorkspace,
                                   aboveWorkspace: &context.workspace, bounds: &context.scoreBounds,
                                   sequence: &context.sequence, exhaustive: exhaustiveAcquisition)
                }
            }
        }
        // The first maximum wins, as with NumPy's argmax (NaN scores are passed over). Scores within 1e-12
        // (relative) of the maximum count as tied: candidates with the same statistics (two categorical
        // choices seen equally often) tie exactly in Optuna, while the order of our sums may leave one an
        // ulp ahead.
        var bestScore = -Double.infinity
        for c in 0..<count {
            let score = context.belowDensity[c] - context.aboveDensity[c]
            if score > bestScore { bestScore = score }
        }
        var best = 0
        if bestScore.isFinite {
            let tied = bestScore - 1e-12 * max(1, abs(bestScore))
            best = (0..<count).first { context.belowDensity[$0] - context.aboveDensity[$0] >= tied } ?? 0
        } else {
            best = (0..<count).first { context.belowDensity[$0] - context.aboveDensity[$0] == bestScore } ?? 0
        }
        return Array(context.candidates[(best * dimensionCount)..<((best + 1) * dimensionCount)])
    }

    /// log l and log g at the prepared candidates, where they can decide the choice.
    ///
    /// log g is at least the prior kernel's term P, so a candidate's score log l - log g is at most
    /// log l - P; and when l does not prune, its kernel bounds bound log l too
    /// (`ParzenEstimator.densityUpperBounds`). The candidates are taken in decreasing order of the
    /// second bound until it
    /// falls below (the tie rule's threshold of) the best score found; for each, log l is computed, and
    /// log g if log l - P still reaches the threshold. Every candidate passed over gets log l = 0 and
    /// log g = +infinity (a score of -infinity): none of them could be the maximum or tie with it.
    /// The bounds need every exact discrete term to be finite, which holds unless a grid is so fine
    /// (over 1e12 steps) that an interval's mass can round to zero; such spaces are evaluated in full.
    private static func densities(below: ParzenEstimator, above: ParzenEstimator, count: Int,
                                  into belowDensity: UnsafeMutableBufferPointer<Double>,
                                  _ aboveDensity: UnsafeMutableBufferPointer<Double>,
                                  priorTerms: UnsafeMutableBufferPointer<Double>,
                                  belowWorkspace: inout ParzenEstimator.Workspace,
                                  aboveWorkspace: inout ParzenEstimator.Workspace,
                                  bounds: inout [Double], sequence: inout [Int], exhaustive: Bool) {
        func everywhere() {
            below.logDensity(preparedCount: count, into: belowDensity, workspace: &belowWorkspace)
            above.logDensity(preparedCount: count, into: aboveDensity, workspace: &aboveWorkspace)
        }
        let coarse = above.dimensions.allSatisfy { $0.kind != .discrete || ($0.high - $0.low) / $0.step <= 1e12 }
        guard above.prunes, count > 1, coarse, !exhaustive else { return everywhere() }
        let lazyBelow = !below.prunes
        if lazyBelow {
            below.densityUpperBounds(preparedCount: count, into: belowDensity, workspace: &belowWorkspace)
        } else {
            below.logDensity(preparedCount: count, into: belowDensity, workspace: &belowWorkspace)
        }
        above.priorTerms(preparedCount: count, into: priorTerms, workspace: &aboveWorkspace)
        bounds.removeAll(keepingCapacity: true)
        for c in 0..<count {
            guard belowDensity[c].isFinite && priorTerms[c].isFinite else { return everywhere() }
            bounds.append(belowDensity[c] - priorTerms[c])
        }
        sequence.removeAll(keepingCapacity: true)
        sequence.append(contentsOf: 0..<count)
        bounds.withUnsafeBufferPointer { bounds in
            sequence.sort { bounds[$0] > bounds[$1] || (bounds[$0] == bounds[$1] && $0 < $1) }
            for c in 0..<count {
                aboveDensity[c] = .infinity
                if lazyBelow { belowDensity[c] = 0 }
            }
            var best = -Double.infinity
            var last = -1
            sequence.withUnsafeBufferPointer { sequence in
                above.logDensity(preparedCount: count, into: aboveDensity, workspace: &aboveWorkspace, sequence: sequence) { c in
                    if last >= 0 {
                        let score = belowDensity[last] - aboveDensity[last]
                        if score > best { best = score }
                        last = -1
                    }
                    // The tie rule's threshold, lowered a little further so that rounding cannot matter.
                    let scale = max(1, abs(best))
                    let threshold = best.isFinite ? best - 1e-12 * scale - 1e-9 * scale : -.infinity
                    if bounds[c] < threshold { return .stop }
                    if lazyBelow {
                        let l = below.logDensity(preparedCandidate: c, workspace: &belowWorkspace)
                        belowDensity[c] = l
                        if l.isFinite && l - priorTerms[c] < threshold {
                            belowDensity[c] = 0
                            return .skip
                        }
                    }
                    last = c
                    return .evaluate
                }
            }
        }
    }

    /// The weights of n observations, checked as Optuna checks them.
    private func checkedWeights(_ n: Int) throws -> [Double] {
        if defaultWeighting { return TPESampler.defaultWeights(n) }
        let raw = weights(n)
        let result = Array(raw.prefix(n))
        guard result.count == n else {
            throw TPESamplerError.invalidWeights(count: n, weights: raw, reason: "must return at least n weights")
        }
        if result.contains(where: { $0 < 0 }) {
            throw TPESamplerError.invalidWeights(count: n, weights: result, reason: "is not allowed to return negative values")
        }
        if n > 0 && result.reduce(0, +) <= 0 {
            throw TPESamplerError.invalidWeights(count: n, weights: result, reason: "is not allowed to return all-zero values")
        }
        if result.contains(where: { !$0.isFinite }) {
            throw TPESamplerError.invalidWeights(count: n, weights: result, reason: "is not allowed to return infinite or NaN values")
        }
        return result
    }
}
