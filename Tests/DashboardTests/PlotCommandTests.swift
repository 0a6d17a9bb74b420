import Dashboard
import Foundation
import StudyEngine
import TestSupport
import Testing

/// `symstudy plot KIND STUDY --out FILE.svg`, run as a user runs it.
@Suite struct PlotCommandTests {
    @Test func everyKindIsWrittenAsAWellFormedSVGFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("studies.log").path
        try DashboardFixture.addStudy(to: try JournalStorage(path: path), trials: 60)
        for kind in ChartKind.allCases {
            let file = folder.appendingPathComponent("\(kind.rawValue).svg").path
            let result = try TestProcess.runProduct("symstudy", ["plot", kind.rawValue, "gp-distill", "--out", file, "--storage", "journal://" + path])
            #expect(result.status == 0, "\(kind): \(result.stderr)")
            #expect(result.stdout.contains("wrote \(kind.rawValue) chart of 'gp-distill' (60 trials)"))
            let check = try #require(SVGCheck.parse(try String(contentsOfFile: file, encoding: .utf8)), "\(kind)")
            #expect(check.count("a") == 0, "files link nowhere")
            #expect(check.texts.contains { $0.hasSuffix(": gp-distill") || $0.contains(": gp-distill (") })
        }
        let missing = try TestProcess.runProduct("symstudy", ["plot", "history", "nope", "--out", folder.path + "/x.svg", "--storage", "journal://" + path])
        #expect(missing.status != 0 && missing.stderr.contains("no study named 'nope'"))
        let badOption = try TestProcess.runProduct("symstudy", ["plot", "contour", "gp-distill", "--x", "nope", "--out", folder.path + "/x.svg",
                                                                "--storage", "journal://" + path])
        #expect(badOption.status != 0 && badOption.stderr.contains("no parameter 'nope'"))
        let badKind = try TestProcess.runProduct("symstudy", ["plot", "pie", "gp-distill", "--out", "x.svg", "--storage", "journal://" + path])
        #expect(badKind.status != 0 && badKind.stderr.contains("pie"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/x.svg"))
    }
}
