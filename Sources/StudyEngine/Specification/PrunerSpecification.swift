import Foundation

/// A pruner named as Optuna names it: a class name and its keyword arguments with Optuna's names
/// (`MedianPruner` with `{"n_startup_trials": 5, "n_warmup_steps": 10}`; `PatientPruner` takes its wrapped
/// pruner as `{"wrapped_pruner": {"name": "MedianPruner", ...}, "patience": 3}`).
public struct PrunerSpecification: Sendable, Hashable {
    public var name: String
    public var options: [String: JSONValue]

    public static let known = ["HyperbandPruner", "MedianPruner", "NopPruner", "PatientPruner", "PercentilePruner",
                               "SuccessiveHalvingPruner", "ThresholdPruner", "WilcoxonPruner"]

    public init(name: String, options: [String: JSONValue] = [:]) {
        self.name = name
        self.options = options
    }

    /// Builds the pruner; throws `SpecificationError` naming an unknown class, option or a bad value.
    public func make() throws -> any Pruner {
        var options = SpecificationOptions(owner: name, values: options)
        switch name {
        case "NopPruner":
            try options.finish()
            return NopPruner()
        case "MedianPruner", "PercentilePruner":
            let percentile = name == "PercentilePruner" ? try options.double("percentile") : 50
            let startup = try options.int("n_startup_trials") ?? 5
            let warmup = try options.int("n_warmup_steps") ?? 0
            let interval = try options.int("interval_steps") ?? 1
            let minTrials = try options.int("n_min_trials") ?? 1
            try options.finish()
            guard let percentile else { throw SpecificationError.invalid(owner: name, reason: "percentile is required") }
            if name == "MedianPruner" {
                return try options.building { try MedianPruner(nStartupTrials: startup, nWarmupSteps: warmup, intervalSteps: interval, nMinTrials: minTrials) }
            }
            return try options.building {
                try PercentilePruner(percentile: percentile, nStartupTrials: startup, nWarmupSteps: warmup,
                                     intervalSteps: interval, nMinTrials: minTrials)
            }
        case "SuccessiveHalvingPruner":
            let minResource = try options.resource("min_resource") ?? .auto
            let factor = try options.int("reduction_factor") ?? 4
            let rate = try options.int("min_early_stopping_rate") ?? 0
            let bootstrap = try options.int("bootstrap_count") ?? 0
            try options.finish()
            return try options.building {
                try SuccessiveHalvingPruner(minResource: minResource, reductionFactor: factor, minEarlyStoppingRate: rate,
                                            bootstrapCount: bootstrap)
            }
        case "HyperbandPruner":
            let minResource = try options.int("min_resource") ?? 1
            let maxResource = try options.resource("max_resource") ?? .auto
            let factor = try options.int("reduction_factor") ?? 3
            let bootstrap = try options.int("bootstrap_count") ?? 0
            try options.finish()
            return try options.building {
                try HyperbandPruner(minResource: minResource, maxResource: maxResource, reductionFactor: factor,
                                    bootstrapCount: bootstrap)
            }
        case "ThresholdPruner":
            let lower = try options.double("lower")
            let upper = try options.double("upper")
            let warmup = try options.int("n_warmup_steps") ?? 0
            let interval = try options.int("interval_steps") ?? 1
            try options.finish()
            return try options.building { try ThresholdPruner(lower: lower, upper: upper, nWarmupSteps: warmup, intervalSteps: interval) }
        case "PatientPruner":
            let wrapped = try options.object("wrapped_pruner")
            let patience = try options.int("patience")
            let minDelta = try options.double("min_delta") ?? 0
            try options.finish()
            guard let patience else { throw SpecificationError.invalid(owner: name, reason: "patience is required") }
            let inner = try wrapped.map { try Self(nested: $0, owner: name).make() }
            return try options.building { try PatientPruner(wrapping: inner, patience: patience, minDelta: minDelta) }
        case "WilcoxonPruner":
            let threshold = try options.double("p_threshold") ?? 0.1
            let startup = try options.int("n_startup_steps") ?? 2
            try options.finish()
            return try options.building { try WilcoxonPruner(pThreshold: threshold, nStartupSteps: startup) }
        default:
            throw SpecificationError.unknownClass(kind: "pruner", name: name, known: Self.known)
        }
    }

    /// A nested pruner written as `{"name": "MedianPruner", ...options}`.
    private init(nested: [String: JSONValue], owner: String) throws {
        guard let name = nested["name"]?.stringValue else {
            throw SpecificationError.invalid(owner: owner, reason: "wrapped_pruner needs a \"name\" (one of \(Self.known.joined(separator: ", ")))")
        }
        var options = nested
        options["name"] = nil
        self.init(name: name, options: options)
    }
}
