import Foundation
import Testing
@testable import StudyEngine

/// Checks against what Optuna 5.0.0 itself writes (Tests/Fixtures/distributions/make_fixtures.py).
@Suite("Distributions against Optuna's output")
struct DistributionFixtureTests {
    static func load(_ name: String) throws -> [JSONValue] {
        let text = String(decoding: try Fixtures.data("distributions/\(name)"), as: UTF8.self)
        return try #require(try JSONValue.parse(text).arrayValue)
    }

    /// The distribution a fixture spec describes, built with our public initialisers.
    static func make(_ spec: [String: JSONValue]) throws -> ParameterDistribution {
        switch spec["type"]!.stringValue! {
        case "float":
            return .float(try FloatDistribution(low: spec["low"]!.doubleValue!, high: spec["high"]!.doubleValue!,
                                                log: spec["log"]!.boolValue!, step: spec["step"]!.doubleValue))
        case "int":
            return .int(try IntDistribution(low: spec["low"]!.intValue!, high: spec["high"]!.intValue!,
                                            log: spec["log"]!.boolValue!, step: spec["step"]!.intValue!))
        default:
            let choices = spec["choices"]!.arrayValue!.map { ParameterValue(json: $0)! }
            return .categorical(try CategoricalDistribution(choices: choices))
        }
    }

    @Test func optunaJSONMatchesOptunaByteForByte() throws {
        let entries = try Self.load("distributions.json")
        #expect(entries.count >= 40)
        var adjustedCount = 0
        for entry in entries {
            let object = entry.objectValue!
            let spec = object["spec"]!.objectValue!
            let expectedJSON = object["json"]!.stringValue!
            if object["adjusted"]?.boolValue == true {
                adjustedCount += 1
                // We reject the step, naming the high Optuna adjusts to ...
                let optunaHigh = object["high"]!.doubleValue!
                var suggested: String?
                do { _ = try Self.make(spec) } catch let DistributionError.stepDoesNotFit(_, _, _, _, suggestedHigh) {
                    suggested = suggestedHigh
                }
                let expected = spec["type"]!.stringValue! == "int" ? "\(Int(optunaHigh))" : pythonFloatRepr(optunaHigh)
                #expect(suggested == expected, "\(expectedJSON)")
                // ... and reading Optuna's JSON gives the adjusted distribution back, written identically.
                let read = try ParameterDistribution(optunaJSON: expectedJSON)
                #expect(read.optunaJSON == expectedJSON)
                #expect(read.isSingle == object["single"]!.boolValue!)
                continue
            }
            let distribution = try Self.make(spec)
            #expect(distribution.optunaJSON == expectedJSON)
            #expect(distribution.isSingle == object["single"]!.boolValue!, "\(expectedJSON)")
            #expect(try ParameterDistribution(optunaJSON: expectedJSON) == distribution, "\(expectedJSON)")
        }
        #expect(adjustedCount >= 10)
    }

    @Test func pythonFloatReprMatchesPythonRepr() throws {
        let entries = try Self.load("float_repr.json")
        #expect(entries.count >= 300)
        for entry in entries {
            let bits = UInt64(entry.objectValue!["bits"]!.stringValue!)!
            let expected = entry.objectValue!["repr"]!.stringValue!
            let value = Double(bitPattern: bits)
            #expect(pythonFloatRepr(value) == expected)
            // And JSON we write reads back to the same double.
            #expect(try JSONValue.parse(JSONValue.double(value).jsonText).doubleValue?.bitPattern == value.bitPattern)
        }
        #expect(pythonFloatRepr(.nan) == "nan" && pythonFloatRepr(-.infinity) == "-inf")
    }

    @Test func stringsAreWrittenAsPythonsJSONDumps() throws {
        for entry in try Self.load("json_strings.json") {
            let text = entry.objectValue!["text"]!.stringValue!
            let expected = entry.objectValue!["json"]!.stringValue!
            #expect(JSONValue.string(text).jsonText == expected)
            #expect(try JSONValue.parse(expected) == .string(text))
        }
    }
}
