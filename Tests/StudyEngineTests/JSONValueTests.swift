import Foundation
import Testing
@testable import StudyEngine

@Suite("JSONValue")
struct JSONValueTests {
    /// The parse error `text` gives, or nil.
    func parseError(_ text: String) -> JSONParseError? {
        do {
            _ = try JSONValue.parse(text)
            return nil
        } catch {
            return error as? JSONParseError
        }
    }

    @Test func roundTripsNestedValues() throws {
        let values: [JSONValue] = [
            .null, true, false, 0, -17, .int(Int.max), .int(Int.min), 1.5, -0.0, 1e-300, 1e300, "", "text",
            [], [:], [1, "two", [3.5, nil], ["k": false]],
            ["expression": "x0 * 2.5 + sin(x1)", "complexity": 7, "metrics": ["mse": 0.0125, "r2": 0.98], "tree": [1, 2, [3]]],
            ["é": "日本語 😀", "quote\"key": "back\\slash\n\t\u{01}"],
        ]
        for value in values {
            #expect(try JSONValue.parse(value.jsonText) == value, "\(value.jsonText)")
        }
    }

    @Test func writesAsPythonsJSONDumpsWithSortedKeys() {
        let value: JSONValue = ["b": 1, "a": [true, nil, 1.5, 1e16, 1e-5, 100.0], "c": ["é": "\u{08}"]]
        #expect(value.jsonText == #"{"a": [true, null, 1.5, 1e+16, 1e-05, 100.0], "b": 1, "c": {"\u00e9": "\b"}}"#)
    }

    @Test func nonFiniteNumbersAsPythonWritesThem() throws {
        #expect(JSONValue.array([.double(.nan), .double(.infinity), .double(-.infinity)]).jsonText == "[NaN, Infinity, -Infinity]")
        let parsed = try #require(try JSONValue.parse(" [NaN, Infinity , -Infinity] ").arrayValue)
        #expect(parsed[0].doubleValue?.isNaN == true)
        #expect(parsed[1] == .double(.infinity) && parsed[2] == .double(-.infinity))
        #expect(parseError("nan")?.offset == 0)
        #expect(parseError("-NaN")?.offset == 0)
    }

    @Test func numbersKeepPythonsIntegerAndFloatKinds() throws {
        #expect(try JSONValue.parse("1") == .int(1))
        #expect(try JSONValue.parse("-0") == .int(0))
        #expect(try JSONValue.parse("1.0") == .double(1))
        #expect(try JSONValue.parse("1e2") == .double(100))
        #expect(try JSONValue.parse("-2.5E-3") == .double(-0.0025))
        #expect(try JSONValue.parse("12345678901234567890") == .double(12345678901234567890))
        #expect(try JSONValue.parse("9007199254740993").intValue == 9007199254740993)
    }

    @Test func unicodeEscapes() throws {
        #expect(try JSONValue.parse(#""\u00e9\u00C9""#) == "éÉ")
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == "😀")
        #expect(try JSONValue.parse(#""a\/b\b\f\n\r\t\"\\""#) == "a/b\u{08}\u{0C}\n\r\t\"\\")
        #expect(try JSONValue.parse("\"raw é 😀\"") == "raw é 😀")
        // Unpaired surrogates cannot be Swift strings: they become U+FFFD, and what follows survives.
        #expect(try JSONValue.parse(#""\ud800""#) == "\u{FFFD}")
        #expect(try JSONValue.parse(#""\ud800\u0041x""#) == "\u{FFFD}Ax")
        #expect(try JSONValue.parse(#""\ude00""#) == "\u{FFFD}")
    }

    @Test func errorsGiveTheByteOffset() {
        let cases: [(String, Int)] = [
            ("", 0), ("[1, 2", 5), (#"{"a" 1}"#, 5), ("[1,]", 3), ("01", 1), ("+1", 0), ("1.", 2), ("1e", 2),
            ("-", 0), ("tru", 0), (#""abc"#, 4), ("\"a\nb\"", 2), (#""\x""#, 1), (#""\u12g4""#, 5),
            (#"{"a": 1,}"#, 8), (#"{1: 2}"#, 1), ("[1] x", 4), (#"{"a": 1 "b": 2}"#, 8), ("é", 0),
        ]
        for (text, offset) in cases {
            let error = parseError(text)
            #expect(error?.offset == offset, "\(text.debugDescription): \(String(describing: error))")
        }
        #expect(parseError("[1, 2")?.localizedDescription.contains("invalid JSON at byte 5") == true)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parseError(deep)?.reason.contains("nesting") == true)
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(parseError(fine) == nil)
    }

    @Test func accessorsAndCodable() throws {
        let value: JSONValue = ["n": 3, "x": 2.0, "s": "t", "b": true, "a": [1]]
        let object = try #require(value.objectValue)
        #expect(object["n"]?.intValue == 3 && object["x"]?.intValue == 2 && object["x"]?.doubleValue == 2)
        #expect(object["s"]?.stringValue == "t" && object["b"]?.boolValue == true && object["a"]?.arrayValue == [1])
        #expect(object["s"]?.doubleValue == nil && object["b"]?.intValue == nil)
        let coded: JSONValue = ["n": 3, "x": 2.5, "s": "t", "b": true, "a": [1, nil]]
        #expect(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(coded)) == coded)
    }
}
