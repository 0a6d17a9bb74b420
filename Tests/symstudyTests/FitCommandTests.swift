import Foundation
import Testing

@Suite struct FitCommandTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/sr")

    @Test func fitPrintsOneJSONObjectWithTheReportFields() throws {
        let train = Self.shared.appendingPathComponent("nguyen-1_train.csv").path
        let test = Self.shared.appendingPathComponent("nguyen-1_test.csv").path
        let result = try SymstudyBinary.run(["fit", train, "--test", test, "--population-size", "200", "--generations", "5",
                                             "--function-set", "add,sub,mul,div", "--seed", "3", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in ["program", "size", "train", "test", "wall_seconds", "cpu_seconds", "node_evaluations", "node_evaluations_per_second"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let metrics = try #require(object["test"] as? [String: Double])
        #expect(metrics["r2"] != nil && metrics["mse"] != nil && metrics["mae"] != nil)
        let again = try SymstudyBinary.run(["fit", train, "--population-size", "200", "--generations", "5",
                                            "--function-set", "add,sub,mul,div", "--seed", "3", "--format", "json"])
        let second = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(second["program"] as? String == object["program"] as? String)
    }

    @Test func badDataFailsNamingTheRowAndColumn() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("symstudy-fit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad.csv")
        try "x,y\n1,2\n2,nan\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try SymstudyBinary.run(["fit", file.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("row 2, column 'y'"), "\(result.stderr)")
        let missing = try SymstudyBinary.run(["fit", file.path, "--target", "z"])
        #expect(missing.status != 0 && missing.stderr.contains("no target column 'z'"), "\(missing.stderr)")
        let option = try SymstudyBinary.run(["fit", file.path, "--metric", "nope"])
        #expect(option.status != 0 && option.stderr.contains("unknown metric 'nope'"), "\(option.stderr)")
    }
}
