import Foundation
import Testing
@testable import StudyEngine

@Suite("Samplers and pruners named as in Optuna") struct SpecificationTests {
    @Test("TPESampler keyword arguments reach the sampler")
    func tpe() throws {
        let sampler = try #require(try SamplerSpecification(name: "TPESampler", optionsJSON: #"{"seed": 3, "n_startup_trials": 4, "n_ei_candidates": 7, "multivariate": true, "group": true, "constant_liar": false, "consider_endpoints": true, "prior_weight": 2.0}"#).make() as? TPESampler)
        #expect(sampler.nStartupTrials == 4 && sampler.nEICandidates == 7 && sampler.priorWeight == 2.0)
        #expect(sampler.multivariate == true && sampler.group && sampler.considerEndpoints)
    }

    @Test("the same seed gives the same suggestions through a specification")
    func seeded() throws {
        func firstValues() throws -> [Double] {
            let study = try Study.create(direction: .minimize, sampler: try SamplerSpecification(name: "RandomSampler", options: ["seed": 11]).make())
            return try (0..<5).map { _ in
                let trial = try study.ask()
                let x = try trial.suggestFloat("x", 0, 1)
                try study.tell(trial, value: x)
                return x
            }
        }
        #expect(try firstValues() == firstValues())
    }

    @Test("grid, NSGA-II with a named crossover, and every pruner")
    func others() throws {
        #expect(try SamplerSpecification(name: "GridSampler", options: ["search_space": ["x": [1, 2], "c": ["a", "b"]]]).make() is GridSampler)
        #expect(try SamplerSpecification(name: "NSGAIISampler", options: ["population_size": 10, "crossover": "SBXCrossover", "seed": 1]).make() is NSGAIISampler)
        let pruners: [(String, [String: JSONValue])] = [
            ("NopPruner", [:]), ("MedianPruner", ["n_warmup_steps": 3]), ("PercentilePruner", ["percentile": 25]),
            ("SuccessiveHalvingPruner", ["min_resource": "auto", "reduction_factor": 3]),
            ("HyperbandPruner", ["max_resource": 81]), ("ThresholdPruner", ["upper": 1.0]),
            ("PatientPruner", ["wrapped_pruner": ["name": "MedianPruner", "n_startup_trials": 2], "patience": 2]),
            ("WilcoxonPruner", ["p_threshold": 0.05]),
        ]
        for (name, options) in pruners { _ = try PrunerSpecification(name: name, options: options).make() }
        let median = try #require(try PrunerSpecification(name: "MedianPruner", options: ["n_startup_trials": 7]).make() as? MedianPruner)
        #expect(median.nStartupTrials == 7)
    }

    @Test("unknown classes, unknown options and wrong types are errors that name them")
    func errors() {
        let cases: [(() throws -> Void, String)] = [
            ({ _ = try SamplerSpecification(name: "CmaEsSampler").make() }, "unknown sampler 'CmaEsSampler'; known: GridSampler"),
            ({ _ = try SamplerSpecification(name: "TPESampler", options: ["n_startup": 3]).make() }, "TPESampler has no option 'n_startup'"),
            ({ _ = try SamplerSpecification(name: "TPESampler", options: ["seed": "x"]).make() }, "option 'seed' must be a non-negative integer, not \"x\""),
            ({ _ = try SamplerSpecification(name: "TPESampler", optionsJSON: "[1]").make() }, "must be a JSON object"),
            ({ _ = try PrunerSpecification(name: "MedianPruner", options: ["n_warmup_steps": -1]).make() }, "MedianPruner:"),
            ({ _ = try PrunerSpecification(name: "PercentilePruner").make() }, "percentile is required"),
            ({ _ = try PrunerSpecification(name: "PatientPruner", options: ["patience": 1, "wrapped_pruner": ["name": "Nope"]]).make() }, "unknown pruner 'Nope'"),
        ]
        for (make, fragment) in cases {
            do {
                try make()
                Issue.record("accepted; expected an error with \(fragment)")
            } catch {
                let message = (error as? any LocalizedError)?.errorDescription ?? "\(error)"
                #expect(message.contains(fragment), "\(message)")
            }
        }
    }
}
