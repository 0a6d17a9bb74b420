import Foundation
import StudyEngine
import SymbolicRegression

/// Reads a trial's GP parameters (gplearn's names) from its parameters: every one can be fixed or searched in
/// a study's `search_space`; the ones not named keep the objective's defaults.
///
/// `function_set` is a comma-separated list of operators (`add,sub,mul,gt`) or a preset name (`arithmetic`,
/// `comparison`, `distill`, `physics`); `const_range` is `LOW,HIGH` or `none` (also `const_low`/`const_high`);
/// `init_depth` is `LOW,HIGH` (also `init_depth_min`/`init_depth_max`).
public enum GPTrialParameters {
    /// Every parameter read, with a word on each (for a study's `search_space` checks).
    public static let descriptions: [String: String] = [
        "population_size": "programs per generation",
        "generations": "generations to evolve",
        "tournament_size": "programs per tournament (alias: tournament)",
        "tournament": "programs per tournament",
        "parsimony_coefficient": "length penalty on the fitness, or 'auto' (alias: parsimony)",
        "parsimony": "length penalty on the fitness, or 'auto'",
        "p_crossover": "crossover probability",
        "p_subtree_mutation": "subtree mutation probability",
        "p_hoist_mutation": "hoist mutation probability",
        "p_point_mutation": "point mutation probability",
        "p_point_replace": "per-node replacement probability of a point mutation",
        "function_set": "operators, comma-separated, or a preset: arithmetic, comparison, distill, physics",
        "init_depth": "depth range of the initial programs, LOW,HIGH",
        "init_depth_min": "smallest initial depth",
        "init_depth_max": "largest initial depth",
        "init_depth_extra": "largest initial depth minus the smallest (instead of init_depth_max)",
        "scale_probabilities": "scale the four operator probabilities down to a total of 0.999 when they exceed it (as the DiffSES gplearn_optuna.py does)",
        "init_method": "grow, full or half and half",
        "const_range": "range of random constants, LOW,HIGH, a number C for -C,C, or none",
        "const_low": "lowest random constant",
        "const_high": "highest random constant",
        "metric": "fitness metric (mae, mse, rmse, r2, pearson, spearman; distill also fidelity)",
        "max_samples": "share of rows each program is fitted on",
        "max_depth": "bloat limit on depth (0: none)",
        "max_length": "bloat limit on length (0: none)",
        "linear_scaling": "score programs after the best affine map",
        "elitism": "best programs copied unchanged",
        "stopping_criteria": "stop once the best raw fitness reaches this",
        "constant_fitting": "Levenberg-Marquardt iterations per generation (0: off)",
    ]

    /// Operator presets for `function_set`.
    public static let presets: [String: [String]] = [
        "arithmetic": ["add", "sub", "mul", "div"],
        "comparison": ["add", "sub", "mul", "gt"],
        "distill": ["add", "sub", "mul", "div", "gt", "neg", "max", "min"],
        "physics": ["add", "sub", "mul", "div", "sqrt", "square", "sin", "cos", "exp", "log"],
    ]

    /// The GP parameters of a run: `base` with the trial's values, the run's seed and threads.
    public static func read(_ context: ObjectiveContext, base: GPParameters) throws -> GPParameters {
        var p = base
        func number(_ names: [String], _ current: Double) throws -> Double {
            for name in names where context.parameters[name] != nil { return try context.double(name, default: current) }
            return current
        }
        func integer(_ names: [String], _ current: Int) throws -> Int {
            for name in names where context.parameters[name] != nil { return try context.int(name, default: current) }
            return current
        }
        p.populationSize = try integer(["population_size"], p.populationSize)
        p.generations = try integer(["generations"], p.generations)
        p.tournamentSize = try integer(["tournament_size", "tournament"], p.tournamentSize)
        for name in ["parsimony_coefficient", "parsimony"] where context.parameters[name] != nil {
            do { p.parsimonyCoefficient = try Parsimony(text: try context.string(name, default: "0.001")) } catch {
                throw ObjectiveError.parameter(name: name, value: try context.string(name, default: ""), expected: "a number or 'auto'")
            }
        }
        p.pCrossover = try number(["p_crossover"], p.pCrossover)
        p.pSubtreeMutation = try number(["p_subtree_mutation"], p.pSubtreeMutation)
        p.pHoistMutation = try number(["p_hoist_mutation"], p.pHoistMutation)
        p.pPointMutation = try number(["p_point_mutation"], p.pPointMutation)
        p.pPointReplace = try number(["p_point_replace"], p.pPointReplace)
        let total = p.pCrossover + p.pSubtreeMutation + p.pHoistMutation + p.pPointMutation
        if try context.bool("scale_probabilities", default: false), total > 0.999 {
            let scale = 0.999 / total
            p.pCrossover *= scale; p.pSubtreeMutation *= scale; p.pHoistMutation *= scale; p.pPointMutation *= scale
        }
        if context.parameters["function_set"] != nil {
            let text = try context.string("function_set", default: "")
            let names = presets[text] ?? text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            do { p.functionSet = try FunctionSet(names) } catch {
                throw ObjectiveError.parameter(name: "function_set", value: text, expected: "operators such as add,sub,mul,gt or a preset (\(presets.keys.sorted().joined(separator: ", "))): \(error.localizedDescription)")
            }
        }
        if context.parameters["init_depth"] != nil {
            let text = try context.string("init_depth", default: "")
            let parts = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, parts[0] <= parts[1] else { throw ObjectiveError.parameter(name: "init_depth", value: text, expected: "LOW,HIGH with LOW <= HIGH") }
            p.initDepth = parts[0]...parts[1]
        }
        let depthLow = try integer(["init_depth_min"], p.initDepth.lowerBound)
        var depthHigh = try integer(["init_depth_max"], p.initDepth.upperBound)
        if context.parameters["init_depth_extra"] != nil { depthHigh = depthLow + (try context.int("init_depth_extra", default: 0)) }
        guard depthLow <= depthHigh else { throw ObjectiveError.parameter(name: "init_depth_min", value: "\(depthLow)", expected: "at most init_depth_max (\(depthHigh))") }
        p.initDepth = depthLow...depthHigh
        if context.parameters["init_method"] != nil {
            let text = try context.string("init_method", default: "")
            do { p.initMethod = try InitMethod(name: text) } catch { throw ObjectiveError.parameter(name: "init_method", value: text, expected: "grow, full or half and half") }
        }
        if let value = context.parameters["const_range"], value.stringValue == nil, let c = value.doubleValue, c >= 0 {
            p.constRange = -c...c
        } else if context.parameters["const_range"] != nil {
            let text = try context.string("const_range", default: "")
            if text.lowercased() == "none" { p.constRange = nil } else {
                let parts = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 2, parts[0] <= parts[1] else { throw ObjectiveError.parameter(name: "const_range", value: text, expected: "LOW,HIGH with LOW <= HIGH, or none") }
                p.constRange = parts[0]...parts[1]
            }
        }
        if context.parameters["const_low"] != nil || context.parameters["const_high"] != nil {
            let current = p.constRange ?? -1...1
            let low = try number(["const_low"], current.lowerBound), high = try number(["const_high"], current.upperBound)
            guard low <= high else { throw ObjectiveError.parameter(name: "const_low", value: "\(low)", expected: "at most const_high (\(high))") }
            p.constRange = low...high
        }
        p.maxSamples = try number(["max_samples"], p.maxSamples)
        if context.parameters["max_depth"] != nil { let d = try context.int("max_depth", default: 0); p.maxDepth = d > 0 ? d : nil }
        if context.parameters["max_length"] != nil { let l = try context.int("max_length", default: 0); p.maxLength = l > 0 ? l : nil }
        p.linearScaling = try context.bool("linear_scaling", default: p.linearScaling)
        p.elitism = try integer(["elitism"], p.elitism)
        p.stoppingCriteria = try number(["stopping_criteria"], p.stoppingCriteria)
        let fitting = try integer(["constant_fitting"], p.constantFitting?.iterations ?? 0)
        p.constantFitting = fitting > 0 ? ConstantFitting(iterations: fitting) : nil
        p.randomState = context.seed
        p.threads = max(1, context.threads)
        do { try p.validate() } catch let error as GPParameterError {
            throw ObjectiveError.failed("GP parameters of trial \(context.trialNumber): \(error.localizedDescription)")
        }
        return p
    }

    /// Sets the metric named by the trial's `metric` parameter (`fallback` when absent; `extra` resolves names
    /// the objective adds, such as `fidelity`). A metric where greater is better stops early only at a
    /// `stopping_criteria` the trial names (gplearn's default 0 would stop such a run after one generation).
    public static func setMetric(_ p: inout GPParameters, _ context: ObjectiveContext, fallback: String, extra: (String) -> Metric? = { _ in nil }) throws {
        p.metric = try metric(context, fallback: fallback, extra: extra)
        if p.metric.greaterIsBetter && context.parameters["stopping_criteria"] == nil { p.stoppingCriteria = .infinity }
    }

    /// The metric named by the trial's `metric` parameter.
    public static func metric(_ context: ObjectiveContext, fallback: String, extra: (String) -> Metric? = { _ in nil }) throws -> Metric {
        let name = try context.string("metric", default: fallback)
        if let metric = extra(name) { return metric }
        do { return try Metric(name: name) } catch {
            throw ObjectiveError.parameter(name: "metric", value: name, expected: "mae, mse, rmse, r2, pearson, spearman, accuracy\(extra("fidelity") == nil ? "" : " or fidelity")")
        }
    }
}
