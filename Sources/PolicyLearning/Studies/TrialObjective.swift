import Foundation
import StudyEngine

/// What one trial of a study runs: a GP fit, a distillation, a fine-tuning, an external command. The study
/// runner suggests the parameters, calls `run` once per seed, and stores what it returns.
public protocol TrialObjective: Sendable {
    /// The metrics `run` reports, for checking the study file's `objectives` (a study may use any of them).
    var metrics: [String] { get }
    /// The values a trial reports when the study file names no `objectives`.
    var defaultTargets: [StudyDefinition.Target] { get }
    /// The parameters the search space may fix or search, with a word on each (for errors and `--help`).
    var parameters: [String: String] { get }
    /// Runs the objective once; throws `TrialPruned` when `context.report` said to stop.
    func run(_ context: ObjectiveContext) throws -> ObjectiveOutcome
}

/// What a trial gives its objective.
public struct ObjectiveContext: Sendable {
    /// Every parameter of the search space, fixed ones included, by name.
    public var parameters: [String: ParameterValue]
    /// The seed of this run (from the study's seed, the trial number and the seed index).
    public var seed: UInt64
    public var trialNumber: Int
    /// Which of the trial's `seeds_per_trial` runs this is (0-based).
    public var seedIndex: Int
    /// Threads the run may use.
    public var threads: Int
    /// Reports an intermediate value (e.g. the best fitness of a generation) at a step; returns true when
    /// the pruner says to stop the trial.
    public var report: @Sendable (_ step: Int, _ value: Double) -> Bool

    public init(parameters: [String: ParameterValue], seed: UInt64, trialNumber: Int, seedIndex: Int = 0, threads: Int = 1,
                report: @escaping @Sendable (Int, Double) -> Bool = { _, _ in false }) {
        self.parameters = parameters
        self.seed = seed
        self.trialNumber = trialNumber
        self.seedIndex = seedIndex
        self.threads = threads
        self.report = report
    }

    /// A parameter read by type, with an error naming it.
    public func int(_ name: String, default fallback: Int) throws -> Int {
        guard let value = parameters[name] else { return fallback }
        guard let int = value.intValue else { throw ObjectiveError.parameter(name: name, value: value.pythonRepr, expected: "an integer") }
        return int
    }

    public func double(_ name: String, default fallback: Double) throws -> Double {
        guard let value = parameters[name] else { return fallback }
        guard case .bool = value else {
            guard let double = value.doubleValue else { throw ObjectiveError.parameter(name: name, value: value.pythonRepr, expected: "a number") }
            return double
        }
        throw ObjectiveError.parameter(name: name, value: value.pythonRepr, expected: "a number")
    }

    public func string(_ name: String, default fallback: String) throws -> String {
        guard let value = parameters[name] else { return fallback }
        switch value {
        case .string(let text): return text
        case .int(let int): return String(int)
        case .double(let double): return String(double)
        case .bool(let flag): return String(flag)
        }
    }

    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let value = parameters[name] else { return fallback }
        guard let flag = value.boolValue else { throw ObjectiveError.parameter(name: name, value: value.pythonRepr, expected: "true or false") }
        return flag
    }
}

/// What one run of an objective found.
public struct ObjectiveOutcome: Sendable {
    /// Values by metric name (`test_fidelity`, `size`, `mean_return`, ...).
    public var metrics: [String: Double]
    /// The run's best expression, as the dashboard and `export` read it (user attribute `expression`).
    public var expression: JSONValue?
    /// The exact program(s), for `export` and `replay` (user attribute `program`).
    public var program: JSONValue?
    /// Anything else to keep on the trial.
    public var userAttributes: [String: JSONValue]

    public init(metrics: [String: Double], expression: JSONValue? = nil, program: JSONValue? = nil,
                userAttributes: [String: JSONValue] = [:]) {
        self.metrics = metrics
        self.expression = expression
        self.program = program
        self.userAttributes = userAttributes
    }
}

/// An objective that cannot run as configured.
public enum ObjectiveError: LocalizedError, Equatable, Sendable {
    case parameter(name: String, value: String, expected: String)
    case failed(String)

    public var errorDescription: String? {
        switch self {
        case .parameter(let name, let value, let expected): return "parameter \(name) = \(value): expected \(expected)"
        case .failed(let why): return why
        }
    }
}
