import Foundation
import Testing
@testable import StudyEngine

@Suite struct ParameterImportanceTests {
    typealias TrialSpec = (params: [String: ParameterValue], values: [Double])

    static let unit = ParameterDistribution.float(try! FloatDistribution(low: 0, high: 1))
    static let choice = ParameterDistribution.categorical(try! CategoricalDistribution(choices: ["a", "b"]))

    /// A study whose trials are COMPLETE copies of `trials` (every parameter drawn from `distributions`).
    static func study(_ trials: [TrialSpec], distributions: [String: ParameterDistribution],
                      directions: [StudyDirection] = [.minimize], state: TrialState = .complete) throws -> Study {
        let storage = InMemoryStorage()
        let study = try Study.create(storage: storage, directions: directions)
        for trial in trials {
            let template = FrozenTrial(state: state, values: trial.values, params: trial.params,
                                       distributions: distributions.filter { trial.params[$0.key] != nil })
            _ = try storage.createTrial(studyID: study.id, template: template)
        }
        return study
    }

    /// 100 trials: the value is `x`; `c` alternates between its choices, so the best tenth holds as many of
    /// each choice as all trials do.
    static func alternatingStudy() throws -> Study {
        let trials: [TrialSpec] = (0..<100).map { i in
            let x = Double(i) / 99
            return (["x": .double(x), "c": i % 2 == 0 ? "a" : "b"], [x])
        }
        return try study(trials, distributions: ["x": unit, "c": choice])
    }

    static let evaluators: [any ImportanceEvaluator] = [
        PedAnovaImportanceEvaluator(), FanovaImportanceEvaluator(seed: 1), MeanDecreaseImpurityImportanceEvaluator(seed: 1),
    ]

    @Test func noTrialsIsAnError() throws {
        let empty = try Self.study([], distributions: [:])
        for evaluator in Self.evaluators {
            #expect(throws: ImportanceError.tooFewTrials(study: empty.name, usable: 0, needed: 2)) {
                _ = try ParameterImportance.compute(study: empty, evaluator: evaluator)
            }
        }
    }

    @Test func oneTrialIsAnError() throws {
        let one = try Self.study([(["x": 0.5], [1.0])], distributions: ["x": Self.unit])
        for evaluator in Self.evaluators {
            #expect(throws: ImportanceError.tooFewTrials(study: one.name, usable: 1, needed: 2)) {
                _ = try ParameterImportance.compute(study: one, evaluator: evaluator)
            }
        }
    }

    @Test func unfinishedTrialsDoNotCount() throws {
        let trials: [TrialSpec] = (0..<20).map { (["x": .double(Double($0) / 19)], [Double($0)]) }
        let pruned = try Self.study(trials, distributions: ["x": Self.unit], state: .pruned)
        #expect(throws: ImportanceError.self) { _ = try ParameterImportance.compute(study: pruned) }
    }

    @Test func multiObjectiveNeedsATarget() throws {
        let trials: [TrialSpec] = (0..<20).map { i in (["x": .double(Double(i) / 19)], [Double(i), Double(-i)]) }
        let study = try Self.study(trials, distributions: ["x": Self.unit], directions: [.minimize, .maximize])
        for evaluator in Self.evaluators {
            let error = #expect(throws: ImportanceError.self) {
                _ = try ParameterImportance.compute(study: study, evaluator: evaluator)
            }
            #expect(error == .multiObjectiveNeedsTarget(study: study.name, objectives: 2))
            #expect(error?.errorDescription?.contains("please specify the `target`") == true)
            let result = try ParameterImportance.compute(study: study, evaluator: evaluator, target: { $0.values![0] })
            #expect(result.map(\.name) == ["x"])
            #expect(result[0].importance == 1)
        }
    }

    @Test func parameterWithoutEffectScoresNearZero() throws {
        let study = try Self.alternatingStudy()
        let pedAnova = try PedAnovaImportanceEvaluator().evaluate(study: study, params: nil, target: nil)
        #expect(pedAnova["c"]! < 1e-12)
        #expect(pedAnova["x"]! > 0.01)
        for evaluator in Self.evaluators {
            let result = try ParameterImportance.compute(study: study, evaluator: evaluator)
            #expect(result.map(\.name) == ["x", "c"], "\(type(of: evaluator))")
            #expect(result[1].importance < 0.01, "\(type(of: evaluator)): \(result)")
            #expect(abs(result[0].importance + result[1].importance - 1) < 1e-12)
        }
    }

    @Test func maximizeLooksAtTheLargestValues() throws {
        // `x` decides the value; `flag` is "b" exactly on the ten largest values.
        let trials: [TrialSpec] = (0..<100).map { i in
            (["x": .double(Double(i) / 99), "flag": i >= 90 ? "b" : "a"], [Double(i)])
        }
        let distributions = ["x": Self.unit, "flag": Self.choice]
        let maximizing = try Self.study(trials, distributions: distributions, directions: [.maximize])
        let minimizing = try Self.study(trials, distributions: distributions, directions: [.minimize])
        let evaluator = PedAnovaImportanceEvaluator()
        let whenMaximizing = try evaluator.evaluate(study: maximizing, params: nil, target: nil)
        let whenMinimizing = try evaluator.evaluate(study: minimizing, params: nil, target: nil)
        #expect(whenMaximizing["flag"]! > 10 * whenMinimizing["flag"]!)
        // A target is always minimised: negating the values turns the minimising study into the maximising one.
        let negated = try evaluator.evaluate(study: minimizing, params: nil, target: { -$0.value! })
        #expect(negated == whenMaximizing)
    }

    @Test func allZeroImportancesNormaliseToEqualShares() throws {
        let single = ParameterDistribution.float(try FloatDistribution(low: 2, high: 2))
        let trials: [TrialSpec] = (0..<10).map { (["p": 2.0, "q": 2.0], [Double($0)]) }
        let study = try Self.study(trials, distributions: ["p": single, "q": single])
        for evaluator in [PedAnovaImportanceEvaluator(), FanovaImportanceEvaluator(seed: 0)] as [any ImportanceEvaluator] {
            let normalised = try ParameterImportance.compute(study: study, evaluator: evaluator)
            // Ties come in descending name order, as Optuna lists ties among name-sorted parameters.
            #expect(normalised.map(\.name) == ["q", "p"])
            #expect(normalised.map(\.importance) == [0.5, 0.5])
            let raw = try ParameterImportance.compute(study: study, evaluator: evaluator, normalize: false)
            #expect(raw.map(\.importance) == [0, 0])
        }
    }

    @Test func parameterSelection() throws {
        let study = try Self.alternatingStudy()
        #expect(try ParameterImportance.compute(study: study, params: []).isEmpty)
        let onlyX = try ParameterImportance.compute(study: study, params: ["x"], normalize: false)
        let all = try PedAnovaImportanceEvaluator().evaluate(study: study, params: nil, target: nil)
        #expect(onlyX.map(\.name) == ["x"])
        #expect(onlyX[0].importance == all["x"])
        #expect(throws: ImportanceError.unknownParameters(study: study.name, missing: ["nope"])) {
            _ = try ParameterImportance.compute(study: study, params: ["x", "nope"])
        }
        #expect(throws: ImportanceError.noTrialWithAllParameters(study: study.name, params: ["x", "nope"])) {
            _ = try ParameterImportance.compute(study: study, evaluator: FanovaImportanceEvaluator(seed: 0), params: ["x", "nope"])
        }
    }

    @Test func nonFiniteValuesAreLeftOut() throws {
        let base: [TrialSpec] = (0..<40).map { i in
            let c: ParameterValue = i % 3 == 0 ? "a" : "b"
            return (["x": .double(Double(i) / 39), "c": c], [Double((i * 7) % 40)])
        }
        let lowest: TrialSpec = (["x": .double(0.5), "c": "a"], [-Double.infinity])
        let highest: TrialSpec = (["x": .double(0.1), "c": "b"], [Double.infinity])
        let withInfinities = base + [lowest, highest]
        let distributions = ["x": Self.unit, "c": Self.choice]
        let clean = try Self.study(base, distributions: distributions)
        let dirty = try Self.study(withInfinities, distributions: distributions)
        for evaluator in Self.evaluators {
            let expected = try evaluator.evaluate(study: clean, params: nil, target: nil)
            #expect(try evaluator.evaluate(study: dirty, params: nil, target: nil) == expected)
        }
    }

    @Test func conditionalParametersArePedAnovaOnly() throws {
        // `m` exists only when `c` is "a"; the forests assess parameters present in every trial.
        let trials: [TrialSpec] = (0..<40).map { i in
            let x = Double(i) / 39
            return i % 2 == 0 ? (["x": .double(x), "c": "a", "m": .double(x)], [x]) : (["x": .double(x), "c": "b"], [x])
        }
        let study = try Self.study(trials, distributions: ["x": Self.unit, "c": Self.choice, "m": Self.unit])
        #expect(Set(try ParameterImportance.compute(study: study).map(\.name)) == ["x", "c", "m"])
        let forest = try ParameterImportance.compute(study: study, evaluator: FanovaImportanceEvaluator(seed: 0))
        #expect(Set(forest.map(\.name)) == ["x", "c"])
    }

    @Test func forestsAreSeeded() throws {
        let study = try Self.alternatingStudy()
        let first = try FanovaImportanceEvaluator(nTrees: 8, seed: 7).evaluate(study: study, params: nil, target: nil)
        let second = try FanovaImportanceEvaluator(nTrees: 8, seed: 7).evaluate(study: study, params: nil, target: nil)
        #expect(first == second)
    }

    @Test func constantTargetIsAnErrorForFanova() throws {
        let trials: [TrialSpec] = (0..<10).map { (["x": .double(Double($0) / 9)], [3.0]) }
        let study = try Self.study(trials, distributions: ["x": Self.unit])
        #expect(throws: ImportanceError.zeroVarianceInAllTrees(study: study.name)) {
            _ = try ParameterImportance.compute(study: study, evaluator: FanovaImportanceEvaluator(seed: 0))
        }
    }

    @Test func invalidQuantilesAreRejected() throws {
        let study = try Self.alternatingStudy()
        #expect(throws: ImportanceError.invalidQuantiles(targetQuantile: 0.5, regionQuantile: 0.5)) {
            _ = try ParameterImportance.compute(
                study: study, evaluator: PedAnovaImportanceEvaluator(targetQuantile: 0.5, regionQuantile: 0.5))
        }
    }
}
