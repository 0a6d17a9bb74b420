import ArgumentParser
import Dashboard
import Foundation
import StudyEngine

extension ChartKind: ExpressibleByArgument {}
extension ImportanceMethod: ExpressibleByArgument {}

/// `symstudy plot KIND STUDY --out FILE.svg`: the dashboard's charts as SVG files.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a chart of a study as an SVG file (the dashboard's charts).",
        discussion: "KIND is one of: \(ChartKind.allCases.map(\.rawValue).joined(separator: ", "))."
    )

    @Argument(help: "The chart.") var kind: ChartKind
    @Argument(help: "The study's name.") var study: String
    @Option(name: [.short, .long], help: "The SVG file to write; - for standard output.") var out: String
    @OptionGroup var storage: StorageOptions
    @Option(help: "The objective drawn (0, 1, ...).") var objective = 0
    @Option(help: "The second objective of a Pareto chart (several objectives).") var objective2: Int?
    @Option(name: .customLong("param"), help: "A parameter to draw (slice, parallel); repeat it for several. Default: all.")
    var parameters: [String] = []
    @Option(help: "The contour's x parameter.") var x: String?
    @Option(help: "The contour's y parameter.") var y: String?
    @Option(help: "How importances are computed.")
    var method: ImportanceMethod = .pedAnova
    @Flag(help: "Draw the objective on a log scale.") var log = false

    func run() throws {
        let storage = try self.storage.open()
        let studyID: Int
        do {
            studyID = try storage.studyID(named: study)
        } catch StorageError.studyNotFound {
            throw ValidationError("no study named '\(study)' in the storage; `symstudy studies` lists them")
        }
        let snapshot = try StudySnapshot.load(storage: storage, studyID: studyID)
        let options = ChartOptions(objective: objective, secondObjective: objective2 ?? (objective == 0 ? 1 : 0),
                                   parameters: parameters.isEmpty ? nil : parameters, x: x, y: y, importance: method,
                                   logScale: log, links: false)
        let document: String
        do {
            document = try ChartRenderer.render(kind, snapshot: snapshot, options: options, storage: storage)
        } catch let error as DashboardError {
            throw ValidationError(error.localizedDescription)
        }
        if out == "-" {
            print(document, terminator: "")
            return
        }
        do {
            try Data(document.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw ValidationError("cannot write \(out): \(error.localizedDescription)")
        }
        print("wrote \(kind.rawValue) chart of '\(study)' (\(snapshot.trials.count) trials) to \(out)")
    }
}
