import Foundation
import Synchronization

/// Runs every combination of a user-given grid once, in an order shuffled by a seed (Optuna's `GridSampler`).
///
/// The grid maps parameter names to candidate values; the grid points are all combinations of them
/// (parameters in name order, the last name varying fastest), shuffled once by the seed. Trial number `n`
/// takes point `n` of the shuffled order while `n` is below the grid's size; later trials (after failures
/// elsewhere, parallel workers, or a resumed study) take a random grid point that is neither finished nor
/// running. The point is recorded in the trial's system attributes `grid_id` and `search_space`, as Optuna
/// records it, so that Optuna reading the same storage sees the same grid.
///
/// An enqueued trial (with `fixed_params`) gets no grid point: every parameter must then be fixed, as in
/// Optuna. When every grid point has been visited, the sampler stops the study (`Study.stop()`), so
/// `optimize` without `nTrials` ends by itself after the last point.
///
/// Unlike Optuna, which warns and uses the value anyway, a grid value outside the suggested distribution
/// is an error naming the parameter.
public final class GridSampler: Sampler {
    /// The system attribute holding a trial's grid point (an index into the shuffled grid).
    public static let gridIDKey = "grid_id"
    /// The system attribute holding the grid the trial's point belongs to.
    public static let searchSpaceKey = "search_space"

    /// The grid: candidate values by parameter name.
    public let searchSpace: [String: [ParameterValue]]
    /// The number of grid points (the product of the candidate counts).
    public let gridSize: Int

    private let parameterNames: [String]
    /// Grid point `gridID` is the combination with flat index `shuffledOrder[gridID]`.
    private let shuffledOrder: [Int]
    private let searchSpaceJSON: JSONValue
    private let random: Mutex<RandomSource>

    /// The largest grid accepted: its shuffled order is held in memory.
    public static let maximumGridSize = 100_000_000

    /// A sampler over `searchSpace`, its order shuffled by `seed` (nil: seed 0, as Optuna's default).
    ///
    /// - Throws: `GridSamplerError.emptyValues` when a parameter has no candidate value,
    ///   `GridSamplerError.gridTooLarge` when there are more than `maximumGridSize` combinations.
    public init(searchSpace: [String: [ParameterValue]], seed: UInt64? = nil) throws(GridSamplerError) {
        let names = searchSpace.keys.sorted()
        var size = 1
        for name in names {
            let count = searchSpace[name]!.count
            guard count > 0 else { throw .emptyValues(name: name) }
            let (product, overflow) = size.multipliedReportingOverflow(by: count)
            guard !overflow, product <= Self.maximumGridSize else {
                throw .gridTooLarge(counts: names.map { "\($0): \(searchSpace[$0]!.count)" }.joined(separator: ", "))
            }
            size = product
        }
        self.searchSpace = searchSpace
        self.parameterNames = names
        self.gridSize = size
        let source = RandomSource(seed: seed ?? 0)
        self.shuffledOrder = source.shuffled(Array(0..<size))
        self.random = Mutex(source)
        var json: [String: JSONValue] = [:]
        for name in names { json[name] = .array(searchSpace[name]!.map(\.jsonValue)) }
        self.searchSpaceJSON = .object(json)
    }

    /// The parameter values of grid point `gridID` (0 ..< gridSize), by name.
    public func point(_ gridID: Int) -> [String: ParameterValue] {
        var flat = shuffledOrder[gridID]
        var values: [String: ParameterValue] = [:]
        for name in parameterNames.reversed() {
            let candidates = searchSpace[name]!
            values[name] = candidates[flat % candidates.count]
            flat /= candidates.count
        }
        return values
    }

    /// True when every grid point has a finished trial in `study`.
    public func isExhausted(study: Study) throws -> Bool {
        try unvisitedGridIDs(study: study).isEmpty
    }

    // MARK: Sampler

    public func beforeTrial(study: Study, trial: FrozenTrial) throws {
        // A retried trial keeps its point; an enqueued one has its values fixed.
        if trial.systemAttributes[Self.gridIDKey] != nil || trial.systemAttributes["fixed_params"] != nil { return }
        let gridID: Int
        if trial.number >= 0, trial.number < gridSize {
            gridID = trial.number
        } else {
            var targets = try unvisitedGridIDs(study: study)
            // Every point is done (parallel workers or a resumed study): re-run a random one; the study then stops.
            if targets.isEmpty { targets = Array(0..<gridSize) }
            gridID = random.withLock { targets[$0.integer(below: targets.count)] }
        }
        try study.storage.setTrialSystemAttribute(trialID: trial.id, key: Self.searchSpaceKey, value: searchSpaceJSON)
        try study.storage.setTrialSystemAttribute(trialID: trial.id, key: Self.gridIDKey, value: .int(gridID))
    }

    public func sampleIndependent(study: Study, trial: FrozenTrial, name: String, distribution: ParameterDistribution) throws -> Double {
        // The trial handed in may predate `beforeTrial`; storage has the grid point.
        var recorded = trial.systemAttributes[Self.gridIDKey]
        if recorded == nil { recorded = try study.storage.trial(id: trial.id).systemAttributes[Self.gridIDKey] }
        guard let gridID = recorded?.intValue else { throw GridSamplerError.enqueuedTrialMissingParameter(name: name) }
        guard searchSpace[name] != nil else {
            throw GridSamplerError.parameterNotInGrid(name: name, gridParameters: parameterNames)
        }
        guard gridID >= 0, gridID < gridSize else {
            throw GridSamplerError.gridIDOutOfRange(gridID: gridID, gridSize: gridSize)
        }
        let value = point(gridID)[name]!
        return try Self.internalValue(of: value, name: name, distribution: distribution)
    }

    public func afterTrial(study: Study, trial: FrozenTrial, state: TrialState, values: [Double]?) throws {
        // The trial is still RUNNING in storage here, so the last point counts as unvisited.
        let targets = try unvisitedGridIDs(study: study)
        if targets.isEmpty {
            study.stop()
        } else if targets.count == 1 {
            let gridID = try study.storage.trial(id: trial.id).systemAttributes[Self.gridIDKey]?.intValue
            if gridID == targets[0] { study.stop() }
        }
    }

    // MARK: Internals

    /// Grid points with neither a finished nor a running trial; when every point has started, those not
    /// finished. Reads storage directly, not a pruner's filtered view, as Optuna does.
    private func unvisitedGridIDs(study: Study) throws -> [Int] {
        var visited = [Bool](repeating: false, count: gridSize)
        var running = [Bool](repeating: false, count: gridSize)
        for trial in try study.storage.trials(studyID: study.id, states: nil) {
            guard let gridID = trial.systemAttributes[Self.gridIDKey]?.intValue, gridID >= 0, gridID < gridSize,
                  let space = trial.systemAttributes[Self.searchSpaceKey], Self.sameGrid(space, searchSpaceJSON)
            else { continue }
            if trial.state.isFinished {
                visited[gridID] = true
            } else if trial.state == .running {
                running[gridID] = true
            }
        }
        let unvisited = (0..<gridSize).filter { !visited[$0] && !running[$0] }
        if !unvisited.isEmpty { return unvisited }
        return (0..<gridSize).filter { !visited[$0] }
    }

    /// Grids compare value by value, numbers by numeric value (1 equals 1.0) and NaN equal to NaN.
    private static func sameGrid(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            return x.allSatisfy { key, value in y[key].map { sameGrid(value, $0) } ?? false }
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameGrid($0, $1) }
        case (.int, .double), (.double, .int), (.double, .double):
            let x = a.doubleValue!, y = b.doubleValue!
            return x == y || (x.isNaN && y.isNaN)
        default:
            return a == b
        }
    }

    /// `value` in the internal representation of `distribution`, or an error naming `name`.
    static func internalValue(of value: ParameterValue, name: String, distribution: ParameterDistribution) throws(GridSamplerError) -> Double {
        if case .categorical(let categorical) = distribution, categorical.index(of: value) == nil,
           let number = value.doubleValue, value.boolValue == nil {
            // Python compares 1 == 1.0: a numeric grid value matches a numeric choice of the other type.
            if let index = categorical.choices.firstIndex(where: { $0.boolValue == nil && $0.doubleValue == number }) {
                return Double(index)
            }
        }
        do {
            return try distribution.internalValue(of: value, name: name)
        } catch .valueOfWrongType {
            throw .valueOfWrongType(name: name, value: value.description, distribution: distribution.description)
        } catch {
            throw .valueOutOfDistribution(name: name, value: value.description, distribution: distribution.description)
        }
    }
}

/// Why a `GridSampler` could not be built or could not give a parameter its grid value.
public enum GridSamplerError: LocalizedError, Equatable, Sendable {
    case emptyValues(name: String)
    case gridTooLarge(counts: String)
    case parameterNotInGrid(name: String, gridParameters: [String])
    case enqueuedTrialMissingParameter(name: String)
    case gridIDOutOfRange(gridID: Int, gridSize: Int)
    case valueOfWrongType(name: String, value: String, distribution: String)
    case valueOutOfDistribution(name: String, value: String, distribution: String)

    public var errorDescription: String? {
        switch self {
        case .emptyValues(let name):
            return "GridSampler: parameter '\(name)' has an empty list of values; give it at least one value."
        case .gridTooLarge(let counts):
            return "GridSampler: the grid (\(counts)) has more than \(GridSampler.maximumGridSize) points."
        case .parameterNotInGrid(let name, let gridParameters):
            return "GridSampler: the parameter '\(name)' is not in the grid, whose parameters are \(gridParameters)."
        case .enqueuedTrialMissingParameter(let name):
            return "GridSampler: the enqueued trial does not fix parameter '\(name)'; all parameters must be specified when using GridSampler with enqueueTrial."
        case .gridIDOutOfRange(let gridID, let gridSize):
            return "GridSampler: the trial's grid_id \(gridID) is outside the grid of \(gridSize) points."
        case .valueOfWrongType(let name, let value, let distribution):
            return "GridSampler: the grid value \(value) of parameter '\(name)' has the wrong type for \(distribution)."
        case .valueOutOfDistribution(let name, let value, let distribution):
            return "GridSampler: the grid value \(value) of parameter '\(name)' is outside its distribution \(distribution)."
        }
    }
}
