import Foundation
import Synchronization
import Testing
@testable import StudyEngine

/// The checks every `StudyStorage` must pass, whatever backs it (memory, SQLite, PostgreSQL, journal file,
/// remote). A storage's tests call `StorageConformance.run(makeStorage:)`, or one `Check` at a time, with a
/// factory that returns a fresh, empty storage on every call.
enum StorageConformance {
    typealias Factory = () throws -> any StudyStorage

    enum Check: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case studyLifeCycle, studyAttributes, trialLifeCycle, finishedTrialIsFrozen, waitingTrialClaim,
             templateTrial, parameterRules, studiesAreSeparate, concurrentWriters, valueEncodings, missingThings
        var testDescription: String { rawValue }
    }

    /// Runs every check against storages made by `makeStorage`.
    static func run(makeStorage: Factory) throws {
        for check in Check.allCases { try run(check, makeStorage: makeStorage) }
    }

    static func run(_ check: Check, makeStorage: Factory) throws {
        let storage = try makeStorage()
        switch check {
        case .studyLifeCycle: try studyLifeCycle(storage)
        case .studyAttributes: try studyAttributes(storage)
        case .trialLifeCycle: try trialLifeCycle(storage)
        case .finishedTrialIsFrozen: try finishedTrialIsFrozen(storage)
        case .waitingTrialClaim: try waitingTrialClaim(storage)
        case .templateTrial: try templateTrial(storage)
        case .parameterRules: try parameterRules(storage)
        case .studiesAreSeparate: try studiesAreSeparate(storage)
        case .concurrentWriters: try concurrentWriters(storage)
        case .valueEncodings: try valueEncodings(storage)
        case .missingThings: try missingThings(storage)
        }
    }

    static func studyLifeCycle(_ storage: any StudyStorage) throws {
        #expect(try storage.allStudies().isEmpty)
        let id = try storage.createStudy(name: "alpha", directions: [.minimize])
        #expect(try storage.studyID(named: "alpha") == id)
        #expect(try storage.studyName(id: id) == "alpha")
        #expect(try storage.studyDirections(id: id) == [.minimize])
        #expect(throws: StorageError.duplicatedStudy("alpha")) { try storage.createStudy(name: "alpha", directions: [.maximize]) }
        #expect(try storage.studyDirections(id: id) == [.minimize])  // the failed create changed nothing

        let multi = try storage.createStudy(name: "beta", directions: [.maximize, .minimize, .maximize])
        #expect(multi != id)
        #expect(try storage.studyDirections(id: multi) == [.maximize, .minimize, .maximize])
        let unnamed = try storage.createStudy(name: nil, directions: [.minimize])
        let unnamed2 = try storage.createStudy(name: nil, directions: [.minimize])
        let generated = try storage.studyName(id: unnamed)
        let generated2 = try storage.studyName(id: unnamed2)
        #expect(!generated.isEmpty && generated != generated2)

        #expect(throws: StorageError.self) { try storage.createStudy(name: "none", directions: []) }
        #expect(throws: StorageError.self) { try storage.createStudy(name: "unset", directions: [.notSet]) }

        _ = try storage.createTrial(studyID: id, template: nil)
        let summaries = try storage.allStudies()
        #expect(summaries.count == 4)
        let alpha = try #require(summaries.first { $0.name == "alpha" })
        #expect(alpha.id == id && alpha.directions == [.minimize] && alpha.trialCount == 1)

        let trialID = try storage.trialID(studyID: id, number: 0)
        try storage.deleteStudy(id: id)
        #expect(throws: StorageError.self) { try storage.studyID(named: "alpha") }
        #expect(throws: StorageError.self) { try storage.studyName(id: id) }
        #expect(throws: StorageError.self) { try storage.trial(id: trialID) }
        #expect(try storage.allStudies().count == 3)
        #expect(throws: StorageError.self) { try storage.deleteStudy(id: id) }
        // The name is free again.
        let again = try storage.createStudy(name: "alpha", directions: [.maximize])
        #expect(try storage.studyDirections(id: again) == [.maximize])
        #expect(try storage.trials(studyID: again).isEmpty)
    }

    static func studyAttributes(_ storage: any StudyStorage) throws {
        let id = try storage.createStudy(name: "attributes", directions: [.minimize])
        #expect(try storage.studyUserAttributes(id: id).isEmpty)
        #expect(try storage.studySystemAttributes(id: id).isEmpty)
        let nested: JSONValue = ["expression": "x0 + 1.5", "scores": [0.5, 1e-5, nil, true], "name": "é😀"]
        try storage.setStudyUserAttribute(studyID: id, key: "best", value: nested)
        try storage.setStudyUserAttribute(studyID: id, key: "count", value: 1)
        try storage.setStudyUserAttribute(studyID: id, key: "count", value: 2)  // overwrites
        try storage.setStudySystemAttribute(studyID: id, key: "sampler", value: "tpe")
        #expect(try storage.studyUserAttributes(id: id) == ["best": nested, "count": 2])
        #expect(try storage.studySystemAttributes(id: id) == ["sampler": "tpe"])
        #expect(throws: StorageError.self) { try storage.setStudyUserAttribute(studyID: id + 1000, key: "k", value: 1) }
        #expect(throws: StorageError.self) { try storage.studyUserAttributes(id: id + 1000) }
    }

    static func trialLifeCycle(_ storage: any StudyStorage) throws {
        let study = try storage.createStudy(name: "trials", directions: [.minimize])
        let before = Date()
        let first = try storage.createTrial(studyID: study, template: nil)
        let second = try storage.createTrial(studyID: study, template: nil)
        #expect(first.number == 0 && second.number == 1 && first.id != second.id)
        var trial = try storage.trial(id: first.id)
        #expect(trial.id == first.id && trial.number == 0 && trial.state == .running)
        #expect(trial.values == nil && trial.params.isEmpty && trial.intermediateValues.isEmpty)
        let start = try #require(trial.datetimeStart)
        #expect(start.timeIntervalSince(before) > -1 && trial.datetimeComplete == nil)

        let x = ParameterDistribution.float(try FloatDistribution(low: 0, high: 1))
        let n = ParameterDistribution.int(try IntDistribution(low: 1, high: 64, log: true))
        let kind = ParameterDistribution.categorical(try CategoricalDistribution(choices: ["a", "b", "c"]))
        try storage.setTrialParameter(trialID: first.id, name: "x", internalValue: 0.25, distribution: x)
        try storage.setTrialParameter(trialID: first.id, name: "n", internalValue: 8, distribution: n)
        try storage.setTrialParameter(trialID: first.id, name: "kind", internalValue: 2, distribution: kind)
        try storage.setTrialIntermediateValue(trialID: first.id, step: 0, value: 3.5)
        try storage.setTrialIntermediateValue(trialID: first.id, step: 5, value: 1.25)
        try storage.setTrialIntermediateValue(trialID: first.id, step: 7, value: .nan)
        try storage.setTrialUserAttribute(trialID: first.id, key: "expression", value: ["infix": "x0 * 2", "size": 3])
        try storage.setTrialSystemAttribute(trialID: first.id, key: "fixed_params", value: ["x": 0.25])
        trial = try storage.trial(id: first.id)
        #expect(trial.params == ["x": .double(0.25), "n": .int(8), "kind": .string("c")])
        #expect(trial.distributions == ["x": x, "n": n, "kind": kind])
        #expect(trial.internalValue(of: "kind") == 2)
        #expect(trial.intermediateValues[0] == 3.5 && trial.intermediateValues[5] == 1.25)
        #expect(trial.intermediateValues[7]?.isNaN == true && trial.lastStep == 7)
        #expect(trial.userAttributes == ["expression": ["infix": "x0 * 2", "size": 3]])
        #expect(trial.systemAttributes == ["fixed_params": ["x": 0.25]])

        #expect(try storage.setTrialState(trialID: first.id, state: .complete, values: [0.5]))
        trial = try storage.trial(id: first.id)
        #expect(trial.state == .complete && trial.values == [0.5] && trial.value == 0.5)
        let complete = try #require(trial.datetimeComplete)
        #expect(complete >= start && (trial.duration ?? -1) >= 0)

        #expect(try storage.setTrialState(trialID: second.id, state: .fail, values: nil))
        let third = try storage.createTrial(studyID: study, template: nil)
        #expect(try storage.setTrialState(trialID: third.id, state: .pruned, values: [2.0]))
        _ = try storage.createTrial(studyID: study, template: nil)
        #expect(try storage.trials(studyID: study).map(\.number) == [0, 1, 2, 3])
        #expect(try storage.trials(studyID: study, states: [.complete, .pruned]).map(\.number) == [0, 2])
        #expect(try storage.trials(studyID: study, states: [.running]).map(\.number) == [3])
        #expect(try storage.trials(studyID: study, states: [.waiting]).isEmpty)
        #expect(try storage.trialCount(studyID: study, states: nil) == 4)
        #expect(try storage.trialCount(studyID: study, states: [.fail]) == 1)
        #expect(try storage.trialID(studyID: study, number: 2) == third.id)
        #expect(throws: StorageError.self) { try storage.trialID(studyID: study, number: 4) }
        #expect(throws: StorageError.self) { try storage.trial(id: 987_654) }
        #expect(throws: StorageError.self) { try storage.createTrial(studyID: study + 1000, template: nil) }
        #expect(try storage.bestTrial(studyID: study).number == 0)
    }

    static func finishedTrialIsFrozen(_ storage: any StudyStorage) throws {
        let study = try storage.createStudy(name: "frozen", directions: [.minimize])
        let x = ParameterDistribution.float(try FloatDistribution(low: 0, high: 1))
        for (number, state) in [TrialState.complete, .pruned, .fail].enumerated() {
            let created = try storage.createTrial(studyID: study, template: nil)
            try storage.setTrialParameter(trialID: created.id, name: "x", internalValue: 0.5, distribution: x)
            try storage.setTrialState(trialID: created.id, state: state, values: state == .complete ? [1] : nil)
            let before = try storage.trial(id: created.id)
            let finished = StorageError.trialFinished(number: number, state: state)
            #expect(throws: finished) { try storage.setTrialState(trialID: created.id, state: .complete, values: [2]) }
            #expect(throws: finished) { try storage.setTrialState(trialID: created.id, state: .running, values: nil) }
            #expect(throws: finished) { try storage.setTrialParameter(trialID: created.id, name: "y", internalValue: 0.1, distribution: x) }
            #expect(throws: finished) { try storage.setTrialIntermediateValue(trialID: created.id, step: 1, value: 1) }
            #expect(throws: finished) { try storage.setTrialUserAttribute(trialID: created.id, key: "k", value: 1) }
            #expect(throws: finished) { try storage.setTrialSystemAttribute(trialID: created.id, key: "k", value: 1) }
            #expect(try storage.trial(id: created.id) == before)
        }
    }

    static func waitingTrialClaim(_ storage: any StudyStorage) throws {
        let study = try storage.createStudy(name: "queue", directions: [.minimize])
        let waiting = try storage.createTrial(studyID: study, template: FrozenTrial(state: .waiting, systemAttributes: ["fixed_params": ["x": 1.5]]))
        var trial = try storage.trial(id: waiting.id)
        #expect(trial.state == .waiting && trial.datetimeStart == nil && trial.number == 0)
        #expect(trial.systemAttributes["fixed_params"] == ["x": 1.5])
        #expect(try storage.trials(studyID: study, states: [.waiting]).map(\.id) == [waiting.id])

        #expect(try storage.setTrialState(trialID: waiting.id, state: .running, values: nil))
        trial = try storage.trial(id: waiting.id)
        #expect(trial.state == .running && trial.datetimeStart != nil)
        // A second claim loses, and changes nothing.
        #expect(try !storage.setTrialState(trialID: waiting.id, state: .running, values: nil))
        #expect(try storage.trial(id: waiting.id) == trial)
        let running = try storage.createTrial(studyID: study, template: nil)
        #expect(try !storage.setTrialState(trialID: running.id, state: .running, values: nil))

        // Many claimants, one winner.
        let contested = try storage.createTrial(studyID: study, template: FrozenTrial(state: .waiting))
        let wins = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if (try? storage.setTrialState(trialID: contested.id, state: .running, values: nil)) == true {
                wins.add(1, ordering: .relaxed)
            }
        }
        #expect(wins.load(ordering: .relaxed) == 1)
    }

    static func templateTrial(_ storage: any StudyStorage) throws {
        let study = try storage.createStudy(name: "template", directions: [.minimize, .maximize])
        _ = try storage.createTrial(studyID: study, template: nil)
        let x = ParameterDistribution.float(try FloatDistribution(low: -1, high: 1))
        let opt = ParameterDistribution.categorical(try CategoricalDistribution(choices: ["adam", "sgd"]))
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let template = FrozenTrial(
            id: 99, number: 99, state: .complete, values: [0.5, 2.0],
            datetimeStart: start, datetimeComplete: start.addingTimeInterval(3),
            params: ["x": .double(-0.5), "opt": .string("sgd")], distributions: ["x": x, "opt": opt],
            userAttributes: ["note": "imported"], systemAttributes: ["source": "optuna"],
            intermediateValues: [0: 1.0, 10: 0.75])
        let created = try storage.createTrial(studyID: study, template: template)
        #expect(created.number == 1 && created.id != 99)
        let stored = try storage.trial(id: created.id)
        var expected = template
        expected.id = created.id
        expected.number = 1
        #expect(stored.state == .complete && stored.values == [0.5, 2.0])
        #expect(stored.params == expected.params && stored.distributions == expected.distributions)
        #expect(stored.userAttributes == expected.userAttributes && stored.systemAttributes == expected.systemAttributes)
        #expect(stored.intermediateValues == expected.intermediateValues)
        #expect(abs((stored.datetimeStart ?? .distantPast).timeIntervalSince(start)) < 0.001)
        #expect(abs((stored.datetimeComplete ?? .distantPast).timeIntervalSince(start.addingTimeInterval(3))) < 0.001)
        // A template whose parameter changes kind against earlier trials is rejected and adds nothing.
        let conflicting = FrozenTrial(state: .complete, values: [1, 1], params: ["opt": .int(1)],
                                      distributions: ["opt": .int(try IntDistribution(low: 0, high: 1))])
        #expect(throws: DistributionError.self) { try storage.createTrial(studyID: study, template: conflicting) }
        #expect(try storage.trialCount(studyID: study, states: nil) == 2)
    }

    static func parameterRules(_ storage: any StudyStorage) throws {
        let study = try storage.createStudy(name: "parameters", directions: [.minimize])
        let first = try storage.createTrial(studyID: study, template: nil).id
        let unit = ParameterDistribution.float(try FloatDistribution(low: 0, high: 1))
        let wide = ParameterDistribution.float(try FloatDistribution(low: -10, high: 10))
        let log = ParameterDistribution.float(try FloatDistribution(low: 0.1, high: 1, log: true))
        let int = ParameterDistribution.int(try IntDistribution(low: 0, high: 3))
        let ab = ParameterDistribution.categorical(try CategoricalDistribution(choices: ["a", "b"]))
        let abc = ParameterDistribution.categorical(try CategoricalDistribution(choices: ["a", "b", "c"]))

        #expect(throws: DistributionError.self) { try storage.setTrialParameter(trialID: first, name: "x", internalValue: 1.5, distribution: unit) }
        #expect(throws: DistributionError.self) { try storage.setTrialParameter(trialID: first, name: "c", internalValue: 2, distribution: ab) }
        #expect(try storage.trial(id: first).params.isEmpty)
        try storage.setTrialParameter(trialID: first, name: "x", internalValue: 0.5, distribution: unit)
        try storage.setTrialParameter(trialID: first, name: "c", internalValue: 1, distribution: ab)
        // Same name, other distribution, same trial: rejected.
        #expect(throws: DistributionError.self) { try storage.setTrialParameter(trialID: first, name: "x", internalValue: 0.5, distribution: wide) }

        // Later trials: bounds may change, kind, log and choices may not (Optuna's rule).
        let second = try storage.createTrial(studyID: study, template: nil).id
        try storage.setTrialParameter(trialID: second, name: "x", internalValue: -5, distribution: wide)
        #expect(throws: DistributionError.self) { try storage.setTrialParameter(trialID: second, name: "c", internalValue: 2, distribution: abc) }
        let third = try storage.createTrial(studyID: study, template: nil).id
        #expect(throws: DistributionError.self) { try storage.setTrialParameter(trialID: third, name: "x", internalValue: 0.5, distribution: log) }
        #expect(throws: DistributionError.self) { try storage.setTrialParameter(trialID: third, name: "x", internalValue: 1, distribution: int) }
        #expect(try storage.trial(id: third).params.isEmpty)
        #expect(try storage.trial(id: second).params == ["x": .double(-5)])
    }

    static func studiesAreSeparate(_ storage: any StudyStorage) throws {
        let a = try storage.createStudy(name: "a", directions: [.minimize])
        let b = try storage.createStudy(name: "b", directions: [.maximize])
        let a0 = try storage.createTrial(studyID: a, template: nil)
        let b0 = try storage.createTrial(studyID: b, template: nil)
        let a1 = try storage.createTrial(studyID: a, template: nil)
        #expect(a0.number == 0 && b0.number == 0 && a1.number == 1)
        #expect(Set([a0.id, b0.id, a1.id]).count == 3)
        // A parameter's kind is per study.
        try storage.setTrialParameter(trialID: a0.id, name: "p", internalValue: 0.5, distribution: .float(try FloatDistribution(low: 0, high: 1)))
        try storage.setTrialParameter(trialID: b0.id, name: "p", internalValue: 1, distribution: .int(try IntDistribution(low: 0, high: 2)))
        #expect(try storage.trials(studyID: a).map(\.id) == [a0.id, a1.id])
        #expect(try storage.trials(studyID: b).map(\.id) == [b0.id])
    }

    /// 8 writers each create and finish 500 trials of one study: 4000 unique dense numbers, no lost writes.
    static func concurrentWriters(_ storage: any StudyStorage) throws {
        let study = try storage.createStudy(name: "concurrent", directions: [.minimize])
        let writers = 8, perWriter = 500
        let created = Mutex<[CreatedTrial]>([])
        let errors = Mutex<[String]>([])
        let group = DispatchGroup()
        for writer in 0..<writers {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                var mine: [CreatedTrial] = []
                do {
                    for index in 0..<perWriter {
                        let trial = try storage.createTrial(studyID: study, template: nil)
                        try storage.setTrialUserAttribute(trialID: trial.id, key: "writer", value: .int(writer))
                        try storage.setTrialIntermediateValue(trialID: trial.id, step: 0, value: Double(index))
                        try storage.setTrialState(trialID: trial.id, state: .complete, values: [Double(writer * 1000 + index)])
                        mine.append(trial)
                    }
                } catch {
                    errors.withLock { $0.append("writer \(writer): \(error)") }
                }
                created.withLock { $0.append(contentsOf: mine) }
            }
            thread.start()
        }
        group.wait()
        #expect(errors.withLock { $0 }.isEmpty, "\(errors.withLock { $0 })")
        let all = created.withLock { $0 }
        let total = writers * perWriter
        #expect(all.count == total)
        #expect(Set(all.map(\.id)).count == total)
        #expect(Set(all.map(\.number)) == Set(0..<total))
        let trials = try storage.trials(studyID: study)
        #expect(trials.map(\.number) == Array(0..<total))
        #expect(try storage.trialCount(studyID: study, states: [.complete]) == total)
        var perWriterCount = [Int](repeating: 0, count: writers)
        for trial in trials {
            guard let writer = trial.userAttributes["writer"]?.intValue, let value = trial.values?.first,
                  let step = trial.intermediateValues[0] else {
                Issue.record("trial \(trial.number) lost a write: \(trial)")
                continue
            }
            perWriterCount[writer] += 1
            #expect(value == Double(writer * 1000) + step)
        }
        #expect(perWriterCount == [Int](repeating: perWriter, count: writers))
    }
}

extension StorageConformance {
    /// Intermediate and trial values, including the ones Optuna stores as a NULL with a type (inf, -inf,
    /// NaN), overwritten steps, negative and large steps; attributes of every JSON kind.
    static func valueEncodings(_ storage: any StudyStorage) throws {
        let study = try storage.createStudy(name: "encodings", directions: [.minimize, .maximize])
        let trial = try storage.createTrial(studyID: study, template: nil)
        let steps: [Int: Double] = [-3: 1.5, 0: .infinity, 1: -.infinity, 2: .nan, 3: 0.1, 1_000_000: -0.0, 7: .leastNonzeroMagnitude, 8: 1.7976931348623157e308]
        for (step, value) in steps { try storage.setTrialIntermediateValue(trialID: trial.id, step: step, value: value) }
        try storage.setTrialIntermediateValue(trialID: trial.id, step: 3, value: 0.2)  // overwrites
        let attributes: [String: JSONValue] = [
            "text": "é 😀 \"quoted\" \\ \n tab\t", "empty": "", "int": 9_007_199_254_740_993, "negative": -7,
            "float": 1e-5, "integral float": 2.0, "big float": 1e300, "bool": false, "null": nil,
            "nested": ["list": [1, 2.5, "three", nil, true, ["deep": []]], "object": [:]],
            "non-finite": [.double(.infinity), .double(-.infinity)],
        ]
        for (key, value) in attributes { try storage.setTrialUserAttribute(trialID: trial.id, key: key, value: value) }
        try storage.setTrialSystemAttribute(trialID: trial.id, key: "same key", value: 1)
        try storage.setTrialUserAttribute(trialID: trial.id, key: "same key", value: 2)
        #expect(try storage.setTrialState(trialID: trial.id, state: .complete, values: [.infinity, -.infinity]))

        let stored = try storage.trial(id: trial.id)
        #expect(stored.values == [.infinity, -.infinity])
        #expect(Set(stored.intermediateValues.keys) == Set(steps.keys))
        for (step, value) in steps where step != 3 && step != 2 {
            #expect(stored.intermediateValues[step] == value, "step \(step)")
        }
        #expect(stored.intermediateValues[2]?.isNaN == true && stored.intermediateValues[3] == 0.2)
        #expect(stored.userAttributes["non-finite"] == attributes["non-finite"])
        var expected = attributes
        expected["same key"] = 2
        #expect(stored.userAttributes == expected)
        #expect(stored.systemAttributes == ["same key": 1])
        let listed = try #require(try storage.trials(studyID: study).first)
        #expect(listed.id == stored.id && listed.values == stored.values && listed.userAttributes == stored.userAttributes)
        #expect(listed.intermediateValues.count == steps.count && listed.intermediateValues[3] == 0.2)

        // Values may be replaced by fewer.
        let second = try storage.createTrial(studyID: study, template: FrozenTrial(state: .running, values: [1, 2]))
        #expect(try storage.trial(id: second.id).values == [1, 2])
        try storage.setTrialIntermediateValue(trialID: second.id, step: 0, value: 1)
        try storage.setTrialState(trialID: second.id, state: .pruned, values: [3])
        #expect(try storage.trial(id: second.id).values == [3])
        #expect(try storage.trial(id: second.id).intermediateValues == [0: 1])
    }

    /// Every method names a missing study or trial with a `StorageError`, and a failed call changes nothing.
    static func missingThings(_ storage: any StudyStorage) throws {
        let study = try storage.createStudy(name: "present", directions: [.minimize])
        let trial = try storage.createTrial(studyID: study, template: nil)
        let missingStudy = study + 9_999, missingTrial = trial.id + 9_999
        func expectStorageError(_ what: String, _ body: () throws -> Void) {
            do {
                try body()
                Issue.record("\(what) did not throw")
            } catch let error as StorageError {
                #expect(!(error.errorDescription ?? "").isEmpty, "\(what)")
            } catch {
                Issue.record("\(what) threw \(error), not a StorageError")
            }
        }
        expectStorageError("studyID(named:)") { _ = try storage.studyID(named: "absent") }
        expectStorageError("studyName") { _ = try storage.studyName(id: missingStudy) }
        expectStorageError("studyDirections") { _ = try storage.studyDirections(id: missingStudy) }
        expectStorageError("studyUserAttributes") { _ = try storage.studyUserAttributes(id: missingStudy) }
        expectStorageError("studySystemAttributes") { _ = try storage.studySystemAttributes(id: missingStudy) }
        expectStorageError("setStudySystemAttribute") { try storage.setStudySystemAttribute(studyID: missingStudy, key: "k", value: 1) }
        expectStorageError("deleteStudy") { try storage.deleteStudy(id: missingStudy) }
        expectStorageError("createTrial") { _ = try storage.createTrial(studyID: missingStudy, template: nil) }
        expectStorageError("trials") { _ = try storage.trials(studyID: missingStudy) }
        expectStorageError("trialID") { _ = try storage.trialID(studyID: study, number: 1) }
        expectStorageError("trial") { _ = try storage.trial(id: missingTrial) }
        expectStorageError("setTrialState") { try storage.setTrialState(trialID: missingTrial, state: .complete, values: [1]) }
        expectStorageError("setTrialIntermediateValue") { try storage.setTrialIntermediateValue(trialID: missingTrial, step: 0, value: 1) }
        expectStorageError("setTrialUserAttribute") { try storage.setTrialUserAttribute(trialID: missingTrial, key: "k", value: 1) }
        expectStorageError("setTrialSystemAttribute") { try storage.setTrialSystemAttribute(trialID: missingTrial, key: "k", value: 1) }
        expectStorageError("setTrialParameter") {
            try storage.setTrialParameter(trialID: missingTrial, name: "x", internalValue: 0.5,
                                          distribution: .float(try FloatDistribution(low: 0, high: 1)))
        }
        do {
            _ = try storage.studyID(named: "absent")
        } catch {
            #expect(error.localizedDescription.contains("'absent'"), "the message names the study: \(error.localizedDescription)")
        }
        #expect(try storage.allStudies().map(\.name) == ["present"])
        #expect(try storage.trials(studyID: study).map(\.id) == [trial.id])
        #expect(try storage.trial(id: trial.id).state == .running)
    }
}

/// The heartbeat checks of `HeartbeatStorage`s (Optuna's `trial_heartbeats` semantics), against storages
/// made with a short interval and grace period.
enum HeartbeatConformance {
    /// Interval and grace period the factory must give its storages (seconds).
    static let interval = 0.1, gracePeriod = 0.4

    static func run(makeStorage: () throws -> any HeartbeatStorage) throws {
        let storage = try makeStorage()
        #expect(storage.heartbeatInterval == interval && storage.gracePeriod == gracePeriod)
        let study = try storage.createStudy(name: "beats", directions: [.minimize])
        let other = try storage.createStudy(name: "other", directions: [.minimize])
        let dead = try storage.createTrial(studyID: study, template: nil)
        let alive = try storage.createTrial(studyID: study, template: nil)
        let silent = try storage.createTrial(studyID: study, template: nil)  // never beats: left alone
        let finished = try storage.createTrial(studyID: study, template: nil)
        let elsewhere = try storage.createTrial(studyID: other, template: nil)
        for trial in [dead, alive, finished, elsewhere] { try storage.recordHeartbeat(trialID: trial.id) }
        try storage.setTrialState(trialID: finished.id, state: .complete, values: [1])
        #expect(try storage.failStaleTrials(studyID: study).isEmpty)

        Thread.sleep(forTimeInterval: gracePeriod + 0.3)
        try storage.recordHeartbeat(trialID: alive.id)
        #expect(try storage.failStaleTrials(studyID: study) == [dead.id])
        let failed = try storage.trial(id: dead.id)
        #expect(failed.state == .fail && failed.datetimeComplete != nil)
        #expect(try storage.trial(id: alive.id).state == .running)
        #expect(try storage.trial(id: silent.id).state == .running)
        #expect(try storage.trial(id: finished.id).state == .complete)
        #expect(try storage.trial(id: elsewhere.id).state == .running, "another study's trial is not this study's business")
        #expect(try storage.trials(studyID: study, states: [.fail]).map(\.id) == [dead.id])

        // A failed trial stays failed: a late beat of its lost worker does not revive it.
        try storage.recordHeartbeat(trialID: dead.id)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try storage.trial(id: dead.id).state == .fail)
        #expect(try storage.failStaleTrials(studyID: study).isEmpty)
        #expect(throws: StorageError.self) { try storage.recordHeartbeat(trialID: 987_654_321) }
    }
}

@Suite("In-memory storage")
struct StorageInMemoryTests {
    @Test(arguments: StorageConformance.Check.allCases)
    func conformance(_ check: StorageConformance.Check) throws {
        try StorageConformance.run(check) { InMemoryStorage() }
    }

    @Test func runsTheWholeSuiteInOneCall() throws {
        let made = Atomic(0)
        try StorageConformance.run {
            made.add(1, ordering: .relaxed)
            return InMemoryStorage()
        }
        #expect(made.load(ordering: .relaxed) == StorageConformance.Check.allCases.count)
    }
}
