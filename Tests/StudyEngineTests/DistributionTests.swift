import Foundation
import Testing
@testable import StudyEngine

/// The message of the error `body` throws, or nil when it throws none.
func errorMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return error.localizedDescription
    }
}

@Suite("Float distributions")
struct DistributionFloatTests {
    @Test func validDistributionsKeepTheirBounds() throws {
        let plain = try FloatDistribution(low: -1, high: 2)
        #expect(plain.low == -1 && plain.high == 2 && !plain.log && plain.step == nil)
        let log = try FloatDistribution(low: 1e-5, high: 1, log: true)
        #expect(log.log)
        let stepped = try FloatDistribution(low: 0, high: 1, step: 0.1)
        #expect(stepped.step == 0.1 && stepped.high == 1)
        // 0.3 - 0.0 is divisible by 0.1 in decimal arithmetic, not in binary.
        _ = try FloatDistribution(low: 0, high: 0.3, step: 0.1)
        _ = try FloatDistribution(low: 0.1, high: 0.7, step: 0.2)
    }

    @Test func invalidDistributionsGetOptunasMessagesNamingTheParameter() {
        #expect(errorMessage { _ = try FloatDistribution(low: 1, high: 0, name: "lr") }
            == "parameter 'lr': `low <= high` must hold, but got (low=1.0, high=0.0).")
        #expect(errorMessage { _ = try FloatDistribution(low: 0, high: 1, log: true, name: "lr") }
            == "parameter 'lr': `low > 0` must hold for `log=True`, but got (low=0.0, high=1.0).")
        #expect(errorMessage { _ = try FloatDistribution(low: -1, high: 1, log: true, name: "lr") }
            == "parameter 'lr': `low > 0` must hold for `log=True`, but got (low=-1.0, high=1.0).")
        #expect(errorMessage { _ = try FloatDistribution(low: 1e-3, high: 1, log: true, step: 0.1, name: "lr") }
            == "parameter 'lr': The parameter `step` is not supported when `log` is true.")
        #expect(errorMessage { _ = try FloatDistribution(low: 0, high: 1, step: 0, name: "lr") }
            == "parameter 'lr': `step > 0` must hold, but got step=0.0.")
        #expect(errorMessage { _ = try FloatDistribution(low: 0, high: 1, step: -0.5, name: "lr") }
            == "parameter 'lr': `step > 0` must hold, but got step=-0.5.")
        #expect(errorMessage { _ = try FloatDistribution(low: 0, high: 1e-5, name: nil) } == nil)
    }

    @Test func optunasCheckOrderDecidesWhichRuleIsReported() {
        // Optuna checks log-with-step first, then low <= high.
        #expect(throws: DistributionError.logWithStep(name: "x")) {
            try FloatDistribution(low: 2, high: 1, log: true, step: 0.5, name: "x")
        }
        #expect(throws: DistributionError.lowGreaterThanHigh(name: "x", low: "2.0", high: "-1.0")) {
            try FloatDistribution(low: 2, high: -1, log: true, name: "x")
        }
    }

    @Test func aStepThatDoesNotFitIsRejectedNamingTheHighOptunaWouldUse() throws {
        #expect(throws: DistributionError.stepDoesNotFit(name: "x", low: "0.0", high: "1.0", step: "0.3", suggestedHigh: "0.9")) {
            try FloatDistribution(low: 0, high: 1, step: 0.3, name: "x")
        }
        let message = try #require(errorMessage { _ = try FloatDistribution(low: 0, high: 10, step: 3, name: "width") })
        #expect(message.hasPrefix("parameter 'width': "))
        #expect(message.contains("[0.0, 10.0] and step=3.0"))
        #expect(message.contains("use high=9.0"))
        // The suggested high fits.
        _ = try FloatDistribution(low: 0, high: 0.9, step: 0.3)
    }

    @Test func nonFiniteBoundsAndStepsAreRejected() {
        for (low, high, step) in [(-Double.infinity, 1.0, nil), (0.0, .infinity, nil), (.nan, 1.0, nil), (0.0, 1.0, Double.nan), (0.0, 1.0, .infinity)] as [(Double, Double, Double?)] {
            let message = errorMessage { _ = try FloatDistribution(low: low, high: high, step: step, name: "p") }
            #expect(message?.contains("must be finite") == true, "\(low) \(high) \(String(describing: step))")
        }
    }

    @Test func containsFollowsOptunasGridTolerance() throws {
        let plain = try FloatDistribution(low: -1, high: 1)
        #expect(plain.contains(-1) && plain.contains(1) && plain.contains(0.25))
        #expect(!plain.contains(1.0000001) && !plain.contains(-1.5) && !plain.contains(.nan) && !plain.contains(.infinity))
        let stepped = try FloatDistribution(low: 0, high: 1, step: 0.1)
        #expect(stepped.contains(0.30000000000000004))  // 3 * 0.1 in binary
        #expect(stepped.contains(0.7) && stepped.contains(1.0) && stepped.contains(0))
        #expect(!stepped.contains(0.35) && !stepped.contains(0.3 + 1e-7) && !stepped.contains(1.1))
        #expect(stepped.contains(0.3 + 1e-10))  // within 1e-8 steps
    }

    @Test func singleValuedDistributions() throws {
        #expect(try FloatDistribution(low: 1.5, high: 1.5).isSingle)
        #expect(try FloatDistribution(low: 2, high: 2, step: 0.5).isSingle)
        #expect(try FloatDistribution(low: 2, high: 2, log: true).isSingle)
        #expect(try !FloatDistribution(low: 0, high: 0.5, step: 0.5).isSingle)
        #expect(try !FloatDistribution(low: 0, high: 1e-300).isSingle)
        #expect(ParameterDistribution.float(try FloatDistribution(low: 3, high: 3)).singleInternalValue == 3)
    }

    @Test func descriptionIsOptunasRepr() throws {
        #expect(try FloatDistribution(low: 0, high: 1).description == "FloatDistribution(high=1.0, log=False, low=0.0, step=None)")
        #expect(try FloatDistribution(low: 1e-5, high: 1e16, log: true).description
            == "FloatDistribution(high=1e+16, log=True, low=1e-05, step=None)")
        #expect(try FloatDistribution(low: 0, high: 1, step: 0.25).description
            == "FloatDistribution(high=1.0, log=False, low=0.0, step=0.25)")
    }
}

@Suite("Int distributions")
struct DistributionIntTests {
    @Test func invalidDistributionsGetOptunasMessagesNamingTheParameter() {
        #expect(errorMessage { _ = try IntDistribution(low: 5, high: 1, name: "n") }
            == "parameter 'n': `low <= high` must hold, but got (low=5, high=1).")
        #expect(errorMessage { _ = try IntDistribution(low: 0, high: 10, log: true, name: "n") }
            == "parameter 'n': `low >= 1` must hold for `log=True`, but got (low=0, high=10).")
        #expect(errorMessage { _ = try IntDistribution(low: 1, high: 9, log: true, step: 2, name: "n") }?
            .hasPrefix("parameter 'n': Samplers and other components in Optuna only accept step is 1 when `log` argument is True") == true)
        #expect(errorMessage { _ = try IntDistribution(low: 0, high: 10, step: 0, name: "n") }
            == "parameter 'n': `step > 0` must hold, but got step=0.")
        #expect(errorMessage { _ = try IntDistribution(low: 0, high: 10, step: -2, name: "n") }
            == "parameter 'n': `step > 0` must hold, but got step=-2.")
        #expect(throws: DistributionError.stepDoesNotFit(name: "n", low: "0", high: "10", step: "3", suggestedHigh: "9")) {
            try IntDistribution(low: 0, high: 10, step: 3, name: "n")
        }
        #expect(throws: DistributionError.stepDoesNotFit(name: "n", low: "-5", high: "5", step: "4", suggestedHigh: "3")) {
            try IntDistribution(low: -5, high: 5, step: 4, name: "n")
        }
        #expect(throws: DistributionError.self) { try IntDistribution(low: Int.min, high: Int.max) }
        #expect(errorMessage { _ = try IntDistribution(low: 1, high: 1, log: true) } == nil)
    }

    @Test func containsRequiresAnIntegerOnTheGrid() throws {
        let d = try IntDistribution(low: -3, high: 9, step: 3)
        for value in [-3.0, 0, 3, 6, 9] { #expect(d.contains(value)) }
        for value in [-4.0, -2, 1, 4.5, 10, 12, .nan, .infinity, 2.9999] { #expect(!d.contains(value)) }
        let huge = try IntDistribution(low: Int.max - 10, high: Int.max)
        #expect(!huge.contains(9.3e18))
    }

    @Test func singleValuedDistributions() throws {
        #expect(try IntDistribution(low: 3, high: 3).isSingle)
        #expect(try IntDistribution(low: 3, high: 3, step: 5).isSingle)
        #expect(try !IntDistribution(low: 3, high: 4).isSingle)
        #expect(try !IntDistribution(low: 1, high: 2, log: true).isSingle)
    }

    @Test func descriptionIsOptunasRepr() throws {
        #expect(try IntDistribution(low: 1, high: 10, log: true).description == "IntDistribution(high=10, log=True, low=1, step=1)")
    }
}

@Suite("Categorical distributions")
struct DistributionCategoricalTests {
    @Test func emptyAndRepeatedChoicesAreRejected() {
        #expect(errorMessage { _ = try CategoricalDistribution(choices: [], name: "opt") }
            == "parameter 'opt': The `choices` must contain one or more elements.")
        #expect(throws: DistributionError.duplicateChoices(name: "opt", choice: "'adam'")) {
            try CategoricalDistribution(choices: ["adam", "sgd", "adam"], name: "opt")
        }
        #expect(throws: DistributionError.self) { try CategoricalDistribution(choices: [.double(.nan), .double(.nan)]) }
        // Values of different types are different choices.
        #expect(throws: Never.self) { try CategoricalDistribution(choices: [1, 1.0, true, "1"]) }
    }

    @Test func indexOfEveryChoiceType() throws {
        let d = try CategoricalDistribution(choices: ["a", 1, 2.5, true, .double(.nan)])
        #expect(d.index(of: "a") == 0)
        #expect(d.index(of: 1) == 1)
        #expect(d.index(of: 2.5) == 2)
        #expect(d.index(of: true) == 3)
        #expect(d.index(of: .double(.nan)) == 4)  // NaN finds NaN, as in Optuna
        #expect(d.index(of: false) == nil)
        #expect(d.index(of: "b") == nil)
        #expect(d.index(of: 1.0) == 1)  // Python finds 1.0 among (..., 1, ...)
        let doubles = try CategoricalDistribution(choices: [1.0, 2.0])
        #expect(doubles.index(of: 2) == 1)
        let mixed = try CategoricalDistribution(choices: [true, 1])
        #expect(mixed.index(of: 1) == 1 && mixed.index(of: true) == 0)  // booleans never match numbers
    }

    @Test func containsIsAValidIndex() throws {
        let d = try CategoricalDistribution(choices: ["a", "b", "c"])
        #expect(d.contains(0) && d.contains(2))
        #expect(!d.contains(3) && !d.contains(-1) && !d.contains(0.5) && !d.contains(.nan))
        #expect(try CategoricalDistribution(choices: ["x"]).isSingle)
        #expect(try !CategoricalDistribution(choices: ["x", "y"]).isSingle)
    }

    @Test func nanChoicesMakeEqualDistributions() throws {
        let a = try CategoricalDistribution(choices: [.double(.nan), 1.0])
        let b = try CategoricalDistribution(choices: [.double(.nan), 1.0])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
    }

    @Test func descriptionIsOptunasRepr() throws {
        #expect(try CategoricalDistribution(choices: ["a", 1, 2.5, true]).description
            == "CategoricalDistribution(choices=('a', 1, 2.5, True))")
        #expect(try CategoricalDistribution(choices: ["it's"]).description == "CategoricalDistribution(choices=('it\\'s',))")
    }
}

@Suite("Distribution conversions and compatibility")
struct DistributionConversionTests {
    @Test func internalAndExternalRepresentations() throws {
        let float = ParameterDistribution.float(try FloatDistribution(low: 0, high: 10))
        #expect(try float.internalValue(of: 2.5) == 2.5)
        #expect(try float.internalValue(of: 3) == 3)  // an integer is a float value
        #expect(float.externalValue(of: 2.5) == .double(2.5))
        #expect(throws: DistributionError.self) { try float.internalValue(of: true) }
        #expect(throws: DistributionError.self) { try float.internalValue(of: "1.5") }
        #expect(throws: DistributionError.valueOutOfDomain(name: "x", value: "11.0", distribution: float.description)) {
            try float.internalValue(of: 11.0, name: "x")
        }
        #expect(throws: DistributionError.self) { try float.internalValue(of: .double(.nan)) }

        let int = ParameterDistribution.int(try IntDistribution(low: 0, high: 10, step: 2))
        #expect(try int.internalValue(of: 4) == 4)
        #expect(try int.internalValue(of: 6.0) == 6)
        #expect(int.externalValue(of: 8) == .int(8))
        #expect(throws: DistributionError.self) { try int.internalValue(of: 2.5) }
        #expect(throws: DistributionError.self) { try int.internalValue(of: 3) }
        #expect(throws: DistributionError.self) { try int.internalValue(of: "4") }

        let categorical = ParameterDistribution.categorical(try CategoricalDistribution(choices: ["a", 2, 0.5, false]))
        for (index, choice) in (["a", 2, 0.5, false] as [ParameterValue]).enumerated() {
            #expect(try categorical.internalValue(of: choice) == Double(index))
            #expect(categorical.externalValue(of: Double(index)) == choice)
        }
        #expect(throws: DistributionError.self) { try categorical.internalValue(of: "b") }
        #expect(!categorical.isLog && float.kindName == "FloatDistribution")
    }

    @Test func compatibilityAcrossTrialsFollowsOptuna() throws {
        let linear = ParameterDistribution.float(try FloatDistribution(low: 0, high: 1))
        let wider = ParameterDistribution.float(try FloatDistribution(low: -5, high: 5, step: 0.5))
        let log = ParameterDistribution.float(try FloatDistribution(low: 0.1, high: 1, log: true))
        let int = ParameterDistribution.int(try IntDistribution(low: 0, high: 1))
        let intLog = ParameterDistribution.int(try IntDistribution(low: 1, high: 8, log: true))
        let ab = ParameterDistribution.categorical(try CategoricalDistribution(choices: ["a", "b"]))
        let abc = ParameterDistribution.categorical(try CategoricalDistribution(choices: ["a", "b", "c"]))
        #expect(throws: Never.self) { try linear.checkCompatibility(with: wider, name: "x") }
        #expect(throws: Never.self) { try ab.checkCompatibility(with: ab, name: "x") }
        #expect(errorMessage { try linear.checkCompatibility(with: log, name: "x") }?
            .hasPrefix("parameter 'x': Cannot set different log configuration to the same parameter name.") == true)
        #expect(errorMessage { try int.checkCompatibility(with: intLog, name: "x") }?
            .contains("Cannot set different log configuration") == true)
        #expect(errorMessage { try linear.checkCompatibility(with: int, name: "x") }?
            .contains("Cannot set different distribution kind to the same parameter name.") == true)
        #expect(errorMessage { try ab.checkCompatibility(with: abc, name: "x") }?
            .contains("CategoricalDistribution does not support dynamic value space.") == true)
    }
}

@Suite("Optuna distribution JSON")
struct DistributionJSONTests {
    static let distributions: [ParameterDistribution] = [
        .float(try! FloatDistribution(low: 0, high: 1)),
        .float(try! FloatDistribution(low: 1e-5, high: 1e3, log: true)),
        .float(try! FloatDistribution(low: -2, high: 2, step: 0.25)),
        .int(try! IntDistribution(low: -3, high: 9, step: 3)),
        .int(try! IntDistribution(low: 1, high: 1024, log: true)),
        .categorical(try! CategoricalDistribution(choices: ["adam", "sgd"])),
        .categorical(try! CategoricalDistribution(choices: [1, 2, 3])),
        .categorical(try! CategoricalDistribution(choices: [0.5, 1e-7, -0.0])),
        .categorical(try! CategoricalDistribution(choices: [true, false])),
        .categorical(try! CategoricalDistribution(choices: ["é😀\n\"", 7, 2.5, true, .double(.nan), .double(.infinity)])),
    ]

    @Test(arguments: distributions)
    func roundTrip(_ distribution: ParameterDistribution) throws {
        #expect(try ParameterDistribution(optunaJSON: distribution.optunaJSON) == distribution)
    }

    @Test func writesOptunasKeyOrder() throws {
        #expect(ParameterDistribution.float(try FloatDistribution(low: 0, high: 1)).optunaJSON
            == #"{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0, "high": 1.0, "log": false}}"#)
        #expect(ParameterDistribution.int(try IntDistribution(low: 1, high: 8, log: true)).optunaJSON
            == #"{"name": "IntDistribution", "attributes": {"log": true, "step": 1, "low": 1, "high": 8}}"#)
    }

    @Test func readsPre3NamesAndTheAbbreviatedForm() throws {
        let cases: [(String, ParameterDistribution)] = [
            (#"{"name": "UniformDistribution", "attributes": {"low": -1.0, "high": 1.0}}"#, .float(try FloatDistribution(low: -1, high: 1))),
            (#"{"name": "LogUniformDistribution", "attributes": {"low": 0.001, "high": 1.0}}"#, .float(try FloatDistribution(low: 0.001, high: 1, log: true))),
            (#"{"name": "DiscreteUniformDistribution", "attributes": {"low": 0.0, "high": 1.0, "q": 0.25}}"#, .float(try FloatDistribution(low: 0, high: 1, step: 0.25))),
            (#"{"name": "IntUniformDistribution", "attributes": {"low": 0, "high": 10, "step": 2}}"#, .int(try IntDistribution(low: 0, high: 10, step: 2))),
            (#"{"name": "IntLogUniformDistribution", "attributes": {"low": 1, "high": 64, "step": 1}}"#, .int(try IntDistribution(low: 1, high: 64, log: true))),
            (#"{"type": "float", "low": 0, "high": 2, "step": 0.5}"#, .float(try FloatDistribution(low: 0, high: 2, step: 0.5))),
            (#"{"type": "int", "low": 1, "high": 16, "log": true}"#, .int(try IntDistribution(low: 1, high: 16, log: true))),
            (#"{"type": "categorical", "choices": ["x", 1]}"#, .categorical(try CategoricalDistribution(choices: ["x", 1]))),
        ]
        for (text, expected) in cases {
            #expect(try ParameterDistribution(optunaJSON: text) == expected, "\(text)")
        }
    }

    @Test func readingAdjustsHighAsOptunaDoes() throws {
        let read = try ParameterDistribution(optunaJSON: #"{"name": "FloatDistribution", "attributes": {"step": 0.3, "low": 0.0, "high": 1.0, "log": false}}"#)
        #expect(read == .float(try FloatDistribution(low: 0, high: 0.9, step: 0.3)))
        let int = try ParameterDistribution(optunaJSON: #"{"name": "IntDistribution", "attributes": {"log": false, "step": 3, "low": 0, "high": 10}}"#)
        #expect(int == .int(try IntDistribution(low: 0, high: 9, step: 3)))
    }

    @Test func rejectsWhatIsNotADistribution() {
        for text in [#"{"name": "NormalDistribution", "attributes": {}}"#, #"{"name": "FloatDistribution"}"#,
                     #"{"name": "FloatDistribution", "attributes": {"low": "a", "high": 1.0}}"#, "[1, 2]",
                     #"{"name": "CategoricalDistribution", "attributes": {"choices": [[1]]}}"#,
                     #"{"name": "FloatDistribution", "attributes": {"step": null, "low": 1.0, "high": 0.0, "log": false}}"#,
                     "not json"] {
            #expect(throws: (any Error).self, "\(text)") { try ParameterDistribution(optunaJSON: text) }
        }
    }

    @Test func noneIsACategoricalChoiceAsInOptuna() throws {
        let read = try ParameterDistribution(optunaJSON: #"{"name": "CategoricalDistribution", "attributes": {"choices": ["relu", null]}}"#)
        #expect(read == .categorical(try CategoricalDistribution(choices: ["relu", .null])))
        #expect(read.externalValue(of: 1) == .null)
        #expect(read.optunaJSON == #"{"name": "CategoricalDistribution", "attributes": {"choices": ["relu", null]}}"#)
    }
}
