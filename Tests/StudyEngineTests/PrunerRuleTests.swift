import Foundation
import Testing
@testable import StudyEngine

/// Hand-made cases of each pruner's rules, and pruning inside `optimize`.
@Suite("Pruner rules")
struct PrunerRuleTests {
    /// A study holding finished trials made from templates.
    static func study(_ direction: StudyDirection = .minimize, pruner: any Pruner = NopPruner(),
                      complete curves: [[Int: Double]] = [], name: String = "rules") throws -> Study {
        let study = try Study.create(name: name, storage: InMemoryStorage(), direction: direction,
                                     sampler: RandomSampler(seed: 1), pruner: pruner)
        for curve in curves { try add(study, state: .complete, curve) }
        return study
    }

    @discardableResult
    static func add(_ study: Study, state: TrialState, _ curve: [Int: Double],
                    systemAttributes: [String: JSONValue] = [:]) throws -> FrozenTrial {
        let value = curve.keys.max().map { curve[$0]! }
        let template = FrozenTrial(state: state, values: state == .complete ? [value ?? 0] : nil,
                                   systemAttributes: systemAttributes, intermediateValues: curve)
        let created = try study.storage.createTrial(studyID: study.id, template: template)
        return try study.storage.trial(id: created.id)
    }

    static func running(_ study: Study, _ curve: [Int: Double]) throws -> FrozenTrial {
        try add(study, state: .running, curve)
    }

    // MARK: Median and percentile

    @Test("median: never prunes before nStartupTrials trials are COMPLETE")
    func medianStartup() throws {
        let pruner = try MedianPruner(nStartupTrials: 5)
        let study = try Self.study(pruner: pruner, complete: Array(repeating: [0: 1.0], count: 4))
        try Self.add(study, state: .pruned, [0: 1.0])  // PRUNED trials do not count
        let bad = try Self.running(study, [0: 10.0])
        #expect(try !pruner.prune(study: study, trial: bad))
        try Self.add(study, state: .complete, [0: 1.0])
        #expect(try pruner.prune(study: study, trial: bad))
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [0: 1.0])))
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [:])))
    }

    @Test("median: no COMPLETE trial means no pruning, even with nStartupTrials 0")
    func medianNoCompleteTrial() throws {
        let pruner = try MedianPruner(nStartupTrials: 0)
        let study = try Self.study(pruner: pruner)
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [0: .nan])))
    }

    @Test("median: warm-up steps and interval steps, with a check postponed by a missing step")
    func medianWarmupAndInterval() throws {
        let pruner = try MedianPruner(nStartupTrials: 1, nWarmupSteps: 2, intervalSteps: 3)
        let reference = Dictionary(uniqueKeysWithValues: (0..<12).map { ($0, 0.0) })
        let study = try Self.study(pruner: pruner, complete: [reference])
        func decision(_ steps: [Int]) throws -> Bool {
            try pruner.prune(study: study, trial: Self.running(study, Dictionary(uniqueKeysWithValues: steps.map { ($0, 5.0) })))
        }
        #expect(try !decision([0]))
        #expect(try !decision([0, 1]))  // warm-up
        #expect(try decision([0, 1, 2]))  // first check at step 2
        #expect(try !decision([0, 1, 2, 3]))  // steps 3, 4 are inside the interval
        #expect(try !decision([0, 1, 2, 3, 4]))
        #expect(try decision([0, 1, 2, 3, 4, 5]))  // next check at step 5
        #expect(try decision([0, 1, 2, 3, 4, 6]))  // step 5 missing: checked at 6 instead
        #expect(try !decision([0, 1, 2, 3, 4, 6, 7]))
    }

    @Test("median: an all-NaN trial is pruned; NaN values of COMPLETE trials are ignored")
    func medianNaN() throws {
        let pruner = try MedianPruner(nStartupTrials: 1)
        let study = try Self.study(pruner: pruner, complete: [[0: 1.0], [0: .nan], [0: 3.0]])
        #expect(try pruner.prune(study: study, trial: try Self.running(study, [0: .nan])))
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [0: 2.0])))  // median of 1, 3
        #expect(try pruner.prune(study: study, trial: try Self.running(study, [0: 2.01])))
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [0: .nan, 2: 0.5])))  // no COMPLETE value at step 2
    }

    @Test("median: the trial's best value over all steps is compared, at the latest step")
    func medianBestOverSteps() throws {
        let pruner = try MedianPruner(nStartupTrials: 1)
        let study = try Self.study(pruner: pruner, complete: [[0: 1.0, 1: 1.0], [0: 2.0, 1: 2.0]])
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [0: 0.5, 1: 9.0])))
        #expect(try pruner.prune(study: study, trial: try Self.running(study, [0: 1.6, 1: 9.0])))
        let maximizing = try Self.study(.maximize, pruner: pruner, complete: [[0: 1.0, 1: 1.0], [0: 2.0, 1: 2.0]], name: "max")
        #expect(try !pruner.prune(study: maximizing, trial: try Self.running(maximizing, [0: 9.0, 1: 0.0])))
        #expect(try pruner.prune(study: maximizing, trial: try Self.running(maximizing, [0: 1.4, 1: 0.0])))
    }

    @Test("median: fewer than nMinTrials COMPLETE values at the step means no pruning")
    func medianMinTrials() throws {
        let pruner = try MedianPruner(nStartupTrials: 1, nMinTrials: 3)
        let study = try Self.study(pruner: pruner, complete: [[0: 1.0, 1: 1.0], [0: 1.0, 1: 1.0], [0: 1.0]])
        #expect(try pruner.prune(study: study, trial: try Self.running(study, [0: 5.0])))
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [0: 5.0, 1: 5.0])))
    }

    @Test("percentile: linear interpolation as numpy, mirrored when maximising")
    func percentileThresholds() throws {
        let values: [[Int: Double]] = [1, 2, 3, 4, 5].map { [0: $0] }
        let pruner = try PercentilePruner(percentile: 25, nStartupTrials: 0)
        let study = try Self.study(pruner: pruner, complete: values)
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [0: 2.0])))
        #expect(try pruner.prune(study: study, trial: try Self.running(study, [0: 2.1])))
        let maximizing = try Self.study(.maximize, pruner: pruner, complete: values, name: "max")
        #expect(try !pruner.prune(study: maximizing, trial: try Self.running(maximizing, [0: 4.0])))
        #expect(try pruner.prune(study: maximizing, trial: try Self.running(maximizing, [0: 3.9])))

        var sample = [3.0, .nan, 1, 4, 2]
        #expect(IntermediateValues.nanPercentile(&sample, percent: 50) == 2.5)
        var single = [7.0]
        #expect(IntermediateValues.nanPercentile(&single, percent: 90) == 7)
        var none = [Double.nan]
        #expect(IntermediateValues.nanPercentile(&none, percent: 50).isNaN)
        var ten = (0..<10).map(Double.init)
        #expect(IntermediateValues.nanPercentile(&ten, percent: 33) == 2.97)
    }

    // MARK: Successive halving and Hyperband

    @Test("successive halving: rungs, stored values, NaN and promotion among the best 1/rf")
    func successiveHalvingRungs() throws {
        let pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
        let study = try Self.study(pruner: pruner)
        // Four trials already completed rung 0 (step 1) with 1, 2, 3, 4.
        for value in [1.0, 2, 3, 4] {
            try Self.add(study, state: .complete, [1: value], systemAttributes: ["completed_rung_0": .double(value)])
        }
        let early = try Self.running(study, [0: 0.0])
        #expect(try !pruner.prune(study: study, trial: early))  // step 0 is before the first rung
        #expect(try study.storage.trial(id: early.id).systemAttributes.isEmpty)

        // Five competitors: the best 5 / 2 = 2 go on (values <= 2).
        let good = try Self.running(study, [0: 9.0, 1: 2.0])
        #expect(try !pruner.prune(study: study, trial: good))
        #expect(try study.storage.trial(id: good.id).systemAttributes["completed_rung_0"] == .double(2.0))
        let bad = try Self.running(study, [0: 0.0, 1: 2.5])
        #expect(try pruner.prune(study: study, trial: bad))  // the latest value counts, not the best one
        #expect(try study.storage.trial(id: bad.id).systemAttributes["completed_rung_0"] == .double(2.5))
        let nan = try Self.running(study, [1: .nan])
        #expect(try pruner.prune(study: study, trial: nan))
        #expect(try study.storage.trial(id: nan.id).systemAttributes.isEmpty)
        #expect(SuccessiveHalvingPruner.currentRung(of: try study.storage.trial(id: good.id)) == 1)
    }

    @Test("successive halving: one call promotes through several rungs; bootstrap count prunes early rungs")
    func successiveHalvingMultipleRungsAndBootstrap() throws {
        let pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
        let study = try Self.study(pruner: pruner)
        let trial = try Self.running(study, [5: 1.0])  // steps 1, 2, 4 passed at once
        #expect(try !pruner.prune(study: study, trial: trial))
        #expect(SuccessiveHalvingPruner.currentRung(of: try study.storage.trial(id: trial.id)) == 3)

        let bootstrapped = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2, bootstrapCount: 1)
        let other = try Self.study(pruner: bootstrapped, name: "bootstrap")
        #expect(try bootstrapped.prune(study: other, trial: try Self.running(other, [1: 0.0])))  // alone at rung 0
        #expect(try !bootstrapped.prune(study: other, trial: try Self.running(other, [1: 0.0])))
    }

    @Test("successive halving: auto min resource waits for a COMPLETE trial and takes 1% of its steps")
    func successiveHalvingAutoMinResource() throws {
        let pruner = try SuccessiveHalvingPruner(reductionFactor: 2)
        let study = try Self.study(pruner: pruner)
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [1: 100.0])))
        try Self.add(study, state: .complete, [250: 0.0])  // min resource 2
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [1: 100.0])))
        let trial = try Self.running(study, [2: 1.0])
        #expect(try !pruner.prune(study: study, trial: trial))
        #expect(try study.storage.trial(id: trial.id).systemAttributes["completed_rung_0"] == .double(1.0))
        #expect(SuccessiveHalvingPruner.estimateMinResource([FrozenTrial(state: .complete, intermediateValues: [50: 1])]) == 1)
    }

    @Test("Hyperband: brackets from the max resource, nothing pruned before it is known, views per bracket")
    func hyperbandBrackets() throws {
        let auto = try HyperbandPruner()
        let study = try Self.study(pruner: auto, name: "hb")
        let trial = try Self.running(study, [5: 100.0])
        #expect(try !auto.prune(study: study, trial: trial))
        #expect(auto.bracketCount == nil)
        #expect(auto.bracketID(studyName: "hb", trialNumber: 7) == 0)
        try Self.add(study, state: .complete, [26: 0.0])  // max resource 27: log3(27) = 3 -> 4 brackets
        _ = try auto.prune(study: study, trial: trial)
        #expect(auto.bracketCount == 4)

        // log(243) / log(3) is 4.999... in floating point, so Optuna makes 5 brackets, not 6.
        let fixed = try HyperbandPruner(maxResource: 243)
        _ = try fixed.prune(study: study, trial: trial)
        #expect(fixed.bracketCount == 5)

        let view = auto.bracketView(of: study, for: trial)
        let bracket = auto.bracketID(studyName: "hb", trialNumber: trial.number)
        let members = try view.trials()
        #expect(members.allSatisfy { auto.bracketID(studyName: "hb", trialNumber: $0.number) == bracket })
        #expect(members.contains { $0.number == trial.number })
        #expect(try NopPruner().samplerView(of: study, for: trial).trials().count == study.trials().count)
        // Optuna 5's samplers read every trial under Hyperband (Study._get_trials is not filtered).
        #expect(try auto.samplerView(of: study, for: trial).trials().count == study.trials().count)
    }

    // MARK: Threshold, patient, Wilcoxon

    @Test("threshold: latest value outside [lower, upper] or NaN, after warm-up")
    func threshold() throws {
        let pruner = try ThresholdPruner(lower: 0, upper: 1, nWarmupSteps: 1)
        let study = try Self.study(pruner: pruner)
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [0: 5.0])))
        #expect(try pruner.prune(study: study, trial: try Self.running(study, [0: 0.5, 1: 5.0])))
        #expect(try pruner.prune(study: study, trial: try Self.running(study, [0: 0.5, 1: -0.1])))
        #expect(try pruner.prune(study: study, trial: try Self.running(study, [0: 0.5, 1: .nan])))
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [0: 5.0, 1: 1.0])))
        let upperOnly = try ThresholdPruner(upper: 1)
        #expect(upperOnly.lower == -.infinity)
        #expect(try !upperOnly.prune(study: study, trial: try Self.running(study, [0: -1e300])))
    }

    @Test("patient: prunes after patience steps without improvement by more than minDelta")
    func patient() throws {
        let pruner = try PatientPruner(wrapping: nil, patience: 2, minDelta: 0.1)
        let study = try Self.study(pruner: pruner)
        func decision(_ values: [Double]) throws -> Bool {
            try pruner.prune(study: study, trial: Self.running(study, Dictionary(uniqueKeysWithValues: values.enumerated().map { ($0, $1) })))
        }
        #expect(try !decision([1.0, 1.5, 1.5]))  // too few steps
        #expect(try decision([1.0, 1.5, 1.5, 1.5]))
        #expect(try !decision([1.0, 1.5, 1.5, 0.95]))  // improved within the last patience + 1 steps
        #expect(try !decision([1.0, 1.05, 1.5, 1.5]))  // within min delta
        #expect(try !decision([.nan, 1.5, 1.5, 1.5]))  // NaN before: comparison is false

        let wrapped = try PatientPruner(wrapping: try MedianPruner(nStartupTrials: 1), patience: 0)
        let withReference = try Self.study(pruner: wrapped, complete: [[0: 0.0, 1: 0.0]], name: "wrapped")
        #expect(try wrapped.prune(study: withReference, trial: try Self.running(withReference, [0: 1.0, 1: 2.0])))
        #expect(try !wrapped.prune(study: withReference, trial: try Self.running(withReference, [0: -1.0, 1: 2.0])))
    }

    @Test("wilcoxon: needs a best trial and shared steps; prunes a clearly worse trial")
    func wilcoxon() throws {
        let pruner = try WilcoxonPruner(pThreshold: 0.1)
        let study = try Self.study(pruner: pruner)
        let worse = Dictionary(uniqueKeysWithValues: (0..<10).map { ($0, Double($0) + 1.0 + Double($0 % 3) * 0.01) })
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, worse)))  // no best trial yet
        try Self.add(study, state: .complete, Dictionary(uniqueKeysWithValues: (0..<10).map { ($0, Double($0)) }))
        #expect(try pruner.prune(study: study, trial: try Self.running(study, worse)))
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [0: 5.0])))  // one shared step
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [0: 5.0, 1: .infinity, 2: 5.0])))
        #expect(try !pruner.prune(study: study, trial: try Self.running(study, [20: 5.0, 21: 5.0])))  // none shared
    }

    // MARK: Multi-objective studies and arguments

    @Test("multi-objective studies: pruners that need the direction throw as Optuna's do")
    func multiObjective() throws {
        let storage = InMemoryStorage()
        let study = try Study.create(name: "mo", storage: storage, directions: [.minimize, .maximize],
                                     sampler: RandomSampler(seed: 1), pruner: NopPruner())
        for _ in 0..<5 {
            _ = try storage.createTrial(studyID: study.id, template: FrozenTrial(state: .complete, values: [1, 1], intermediateValues: [0: 1]))
        }
        let trial = try Self.running(study, [0: 1.0, 1: 2.0, 2: 3.0])
        #expect(throws: PrunerError.self) { try MedianPruner().prune(study: study, trial: trial) }
        #expect(throws: PrunerError.self) { try SuccessiveHalvingPruner(minResource: 1).prune(study: study, trial: trial) }
        #expect(throws: PrunerError.self) { try PatientPruner(wrapping: nil, patience: 0).prune(study: study, trial: trial) }
        #expect(throws: PrunerError.self) { try WilcoxonPruner().prune(study: study, trial: trial) }
        #expect(try !ThresholdPruner(upper: 10).prune(study: study, trial: trial))
        #expect(try !MedianPruner(nStartupTrials: 6).prune(study: study, trial: trial))  // returns before the direction
    }

    @Test("argument validation names the argument")
    func validation() {
        func name(_ body: () throws -> Any) -> String? {
            do {
                _ = try body()
                return nil
            } catch let PrunerError.invalidArgument(name, _) {
                return name
            } catch {
                return "\(error)"
            }
        }
        #expect(name { try PercentilePruner(percentile: .nan) } == "percentile")
        #expect(name { try MedianPruner(nStartupTrials: -1) } == "n_startup_trials")
        #expect(name { try HyperbandPruner(reductionFactor: 1) } == "reduction_factor")
        #expect(name { try HyperbandPruner(minResource: 0, maxResource: 10) } == "min_resource")
        #expect(name { try HyperbandPruner(maxResource: 9, bootstrapCount: 1) } == nil)
        #expect(name { try SuccessiveHalvingPruner(minResource: 1, bootstrapCount: 3) } == nil)
    }

    // MARK: Pruning in optimize

    @Test("optimize: an objective that throws TrialPruned after shouldPrune is recorded PRUNED with its last value")
    func optimizeRecordsPrunedTrials() throws {
        let study = try Study.create(name: "optimize-pruning", storage: InMemoryStorage(), direction: .minimize,
                                     sampler: RandomSampler(seed: 3), pruner: try MedianPruner(nStartupTrials: 2))
        try study.optimize(nTrials: 4) { trial in
            let level = trial.number == 2 ? 10.0 : Double(trial.number)
            var value = 0.0
            for step in 0..<3 {
                value = level + 1 / Double(step + 1)
                try trial.report(value, step: step)
                if try trial.shouldPrune() { throw TrialPruned() }
            }
            return value
        }
        let trials = try study.trials()
        #expect(trials.map(\.state) == [.complete, .complete, .pruned, .pruned])
        #expect(trials[2].value == 11)  // its report at step 0
        #expect(trials[2].intermediateValues == [0: 11])
        #expect(trials[3].value == 4)
        #expect(try study.bestValue == 1.0 / 3)
    }
}
