import Foundation
import Testing
@testable import StudyEngine

/// Replays the calls recorded from Optuna 5.0.0 by `Tests/Fixtures/pruners/make_pruner_fixtures.py` and
/// checks that every pruning decision, every stored rung value and every Hyperband bracket is Optuna's.
@Suite("Pruner decisions recorded from Optuna")
struct PrunerFixtureTests {
    struct Mismatch: CustomStringConvertible {
        var event: Int
        var trial: Int
        var step: Int?
        var expected: Bool
        var got: Bool
        var description: String {
            "event \(event): trial \(trial) step \(step.map(String.init) ?? "-") Optuna \(expected), ours \(got)"
        }
    }

    struct Outcome {
        var decisions = 0
        var prunes = 0
        var mismatches: [Mismatch] = []
    }

    static let fixture: JSONValue = {
        let text = String(decoding: try! Fixtures.data("pruners/pruner_decisions.json"), as: UTF8.self)
        return try! JSONValue.parse(text)
    }()

    static var scenarios: [[String: JSONValue]] {
        fixture.objectValue!["scenarios"]!.arrayValue!.map { $0.objectValue! }
    }

    static func makePruner(_ config: [String: JSONValue]) throws -> any Pruner {
        func int(_ key: String) -> Int { config[key]!.intValue! }
        func double(_ key: String) -> Double? { config[key]?.doubleValue }
        func resource(_ key: String) -> PruningResource {
            config[key]!.stringValue == "auto" ? .auto : .steps(config[key]!.intValue!)
        }
        switch config["type"]!.stringValue! {
        case "nop": return NopPruner()
        case "median":
            return try MedianPruner(nStartupTrials: int("n_startup_trials"), nWarmupSteps: int("n_warmup_steps"),
                                    intervalSteps: int("interval_steps"), nMinTrials: int("n_min_trials"))
        case "percentile":
            return try PercentilePruner(percentile: double("percentile")!, nStartupTrials: int("n_startup_trials"),
                                        nWarmupSteps: int("n_warmup_steps"), intervalSteps: int("interval_steps"),
                                        nMinTrials: int("n_min_trials"))
        case "successive_halving":
            return try SuccessiveHalvingPruner(minResource: resource("min_resource"),
                                               reductionFactor: int("reduction_factor"),
                                               minEarlyStoppingRate: int("min_early_stopping_rate"),
                                               bootstrapCount: int("bootstrap_count"))
        case "hyperband":
            return try HyperbandPruner(minResource: int("min_resource"), maxResource: resource("max_resource"),
                                       reductionFactor: int("reduction_factor"), bootstrapCount: int("bootstrap_count"))
        case "threshold":
            return try ThresholdPruner(lower: double("lower"), upper: double("upper"),
                                       nWarmupSteps: int("n_warmup_steps"), intervalSteps: int("interval_steps"))
        case "patient":
            let wrapped = try config["wrapped"]!.objectValue.map(makePruner)
            return try PatientPruner(wrapping: wrapped, patience: int("patience"), minDelta: double("min_delta")!)
        case "wilcoxon":
            return try WilcoxonPruner(pThreshold: double("p_threshold")!, nStartupSteps: int("n_startup_steps"))
        case let other:
            throw StudyError.invalidArgument("unknown pruner \(other) in the fixture")
        }
    }

    /// Replays one scenario's events on a fresh in-memory study and compares each decision.
    static func replay(_ scenario: [String: JSONValue]) throws -> (Outcome, Study, any Pruner) {
        let pruner = try makePruner(scenario["pruner"]!.objectValue!)
        let direction = StudyDirection(optunaName: scenario["direction"]!.stringValue!)!
        let study = try Study.create(name: scenario["study_name"]!.stringValue!, storage: InMemoryStorage(),
                                     direction: direction, sampler: RandomSampler(seed: 0), pruner: pruner)
        var running: [Int: Trial] = [:]
        var outcome = Outcome()
        for (index, event) in scenario["events"]!.arrayValue!.enumerated() {
            let fields = event.arrayValue!
            let number = fields[1].intValue!
            switch fields[0].stringValue! {
            case "ask":
                let trial = try study.ask()
                #expect(trial.number == number)
                running[number] = trial
            case "report", "prune":
                let trial = running[number]!
                var step: Int?
                if fields[0].stringValue == "report" {
                    step = fields[2].intValue!
                    try trial.report(fields[3].doubleValue ?? .nan, step: step!)
                }
                let expected = fields.last!.boolValue!
                let got = try trial.shouldPrune()
                outcome.decisions += 1
                if expected { outcome.prunes += 1 }
                if got != expected {
                    outcome.mismatches.append(Mismatch(event: index, trial: number, step: step, expected: expected, got: got))
                }
            case "tell":
                let trial = running.removeValue(forKey: number)!
                switch fields[2].stringValue! {
                case "COMPLETE": try study.tell(trial, value: fields[3].doubleValue!)
                case "PRUNED": try study.tell(trial, state: .pruned)
                default: try study.tell(trial, state: .fail)
                }
            case "leave":
                running[number] = nil
            case let other:
                Issue.record("unknown event \(other)")
            }
        }
        return (outcome, study, pruner)
    }

    @Test("every decision, rung value and bracket equals Optuna's", arguments: scenarios.map { $0["name"]!.stringValue! })
    func scenario(named name: String) throws {
        let scenario = Self.scenarios.first { $0["name"]!.stringValue == name }!
        let (outcome, study, pruner) = try Self.replay(scenario)
        #expect(outcome.decisions == scenario["decisions"]!.intValue!)
        #expect(outcome.mismatches.isEmpty, "\(name): \(outcome.mismatches.count) of \(outcome.decisions) decisions differ, first: \(outcome.mismatches.prefix(5))")

        let trials = try study.trials()
        let expectedTrials = scenario["final_trials"]!.arrayValue!.map { $0.objectValue! }
        #expect(trials.count == expectedTrials.count)
        for (trial, expected) in zip(trials, expectedTrials) {
            #expect(trial.state.optunaName == expected["state"]!.stringValue!, "trial \(trial.number)")
            #expect(trial.value == expected["value"]!.doubleValue, "trial \(trial.number) value")
            let rungs = trial.systemAttributes.filter { $0.key.hasPrefix("completed_rung_") }.mapValues(\.doubleValue)
            let expectedRungs = expected["completed_rungs"]!.objectValue!.mapValues(\.doubleValue)
            #expect(rungs == expectedRungs, "trial \(trial.number) rungs")
        }

        if let hyperband = pruner as? HyperbandPruner {
            #expect(hyperband.bracketCount == scenario["n_brackets"]!.intValue!)
            let brackets = trials.map { hyperband.bracketID(studyName: study.name, trialNumber: $0.number) }
            #expect(brackets == scenario["brackets"]!.arrayValue!.map { $0.intValue! })
            for (number, members) in scenario["sampler_view"]!.objectValue! {
                let view = hyperband.bracketView(of: study, for: trials[Int(number)!])
                #expect(try view.trials().map(\.number) == members.arrayValue!.map { $0.intValue! }, "view of trial \(number)")
            }
        }
    }

    @Test("totals over all scenarios")
    func totals() throws {
        var decisions = 0, prunes = 0, mismatches = 0
        var byPruner: [String: (Int, Int)] = [:]
        for scenario in Self.scenarios {
            let (outcome, _, _) = try Self.replay(scenario)
            decisions += outcome.decisions
            prunes += outcome.prunes
            mismatches += outcome.mismatches.count
            let type = scenario["pruner"]!.objectValue!["type"]!.stringValue!
            byPruner[type, default: (0, 0)].0 += outcome.decisions
            byPruner[type, default: (0, 0)].1 += outcome.prunes
        }
        for type in byPruner.keys.sorted() {
            print("pruner fixtures: \(type): \(byPruner[type]!.0) decisions, \(byPruner[type]!.1) prunes")
        }
        print("pruner fixtures: \(decisions) decisions compared with Optuna's, \(prunes) of them prunes, \(mismatches) mismatches")
        #expect(mismatches == 0)
        #expect(decisions > 5000)
        #expect(prunes > 500)
    }

    @Test("CRC-32 equals Python's binascii.crc32")
    func crc32() {
        for (text, value) in Self.fixture.objectValue!["crc32"]!.objectValue! {
            #expect(CRC32.checksum(text) == UInt32(value.intValue!), "\(text)")
        }
        #expect(CRC32.checksum("123456789") == 0xCBF4_3926)
    }

    @Test("argument errors carry Optuna's messages")
    func validationMessages() {
        for case_ in Self.fixture.objectValue!["validation"]!.arrayValue! {
            let config = case_.objectValue!["pruner"]!.objectValue!
            let message = case_.objectValue!["message"]!.stringValue!
            do {
                _ = try Self.makePruner(config)
                Issue.record("accepted \(JSONValue.object(config).jsonText); Optuna says: \(message)")
            } catch {
                #expect(error.localizedDescription == message)
            }
        }
    }

    @Test("Wilcoxon signed-rank p-values equal scipy's (exact, permutation and normal branches)")
    func wilcoxonPValues() {
        for case_ in Self.fixture.objectValue!["wilcoxon_pvalues"]!.arrayValue! {
            let fields = case_.objectValue!
            let d = fields["d"]!.arrayValue!.map { $0.doubleValue! }
            let alternative: WilcoxonSignedRankTest.Alternative = fields["alternative"]!.stringValue == "less" ? .less : .greater
            let expected = fields["p"]!.doubleValue!
            let p = WilcoxonSignedRankTest.pValue(d, alternative: alternative)
            #expect(abs(p - expected) <= 1e-12 * max(1, abs(expected)), "n=\(d.count) \(alternative): \(p) vs scipy \(expected)")
        }
    }
}
