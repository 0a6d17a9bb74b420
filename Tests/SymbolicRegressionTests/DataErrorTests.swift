import Foundation
import Testing
@testable import SymbolicRegression

@Suite struct DataErrorTests {
    @Test func nanValueNamesRowAndColumn() {
        #expect(throws: DataError.nonFinite(source: "t.csv", row: 1, column: "b", value: .infinity)) {
            try CSVDataset.parse("a,b,y\n1,2,3\n4,inf,6\n", source: "t.csv")
        }
        do {
            _ = try CSVDataset.parse("a,b,y\n1,nan,3\n", source: "t.csv")
            Issue.record("NaN accepted")
        } catch let error as DataError {
            #expect(error.localizedDescription.contains("row 1, column 'b'"))
        } catch { Issue.record("\(error)") }
    }

    @Test func raggedRowIsNamed() {
        #expect(throws: DataError.raggedRow(source: "t.csv", row: 1, expected: 3, found: 2)) {
            try CSVDataset.parse("a,b,y\n1,2,3\n4,5\n", source: "t.csv")
        }
        #expect(throws: DataError.raggedRow(source: nil, row: 2, expected: 2, found: 1)) {
            try Dataset(rows: [[1, 2], [3, 4], [5]])
        }
    }

    @Test func emptySetAndMissingTargetAndText() {
        #expect(throws: DataError.empty(source: "t.csv")) { try CSVDataset.parse("a,b,y\n", source: "t.csv") }
        #expect(throws: DataError.missingTarget(source: "t.csv", column: "z", available: ["a", "b", "y"])) {
            try CSVDataset.parse("a,b,y\n1,2,3\n", source: "t.csv", target: "z")
        }
        #expect(throws: DataError.notANumber(source: "t.csv", row: 0, column: "a", text: "x")) {
            try CSVDataset.parse("a,b,y\nx,2,3\n", source: "t.csv")
        }
        #expect(throws: DataError.empty(source: nil)) { try Dataset(rows: []) }
        do {
            _ = try Dataset(columns: [[1, 2]], target: [1, .nan])
            Issue.record("NaN target accepted")
        } catch {
            #expect(error.localizedDescription.contains("row 2, column 'target'"))
        }
    }

    @Test func fitWithoutTargetFailsClearly() throws {
        let data = try Dataset(columns: [[1, 2, 3]])
        #expect(throws: DataError.self) { try SymbolicRegressor().fit(data) }
    }

    @Test func sharedDataReads() throws {
        let data = try CSVDataset.read(path: SRTestSupport.dataFile("feynman-I.9.18_train.csv"))
        #expect(data.featureNames == ["m1", "m2", "G", "x1", "x2", "y1", "y2", "z1", "z2"])
        #expect(data.targetName == "F" && data.rowCount == 7500)
    }
}
