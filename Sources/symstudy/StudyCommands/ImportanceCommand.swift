import ArgumentParser
import Dashboard
import StudyEngine

/// `symstudy importance STUDY`: how much each parameter matters for an objective, normalised to sum to 1
/// (PED-ANOVA by default, as Optuna 5; fANOVA and mean decrease impurity on request), computed as the
/// dashboard computes them.
struct ImportanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "importance", abstract: "Show the parameter importances of a study.")

    @OptionGroup var selection: StudySelection
    @OptionGroup var storage: StorageOptions
    @Option(help: "ped-anova, fanova or mdi.") var method: ImportanceMethod = .pedAnova
    @Option(help: "The objective to assess (its index, or its metric name) in a study of several objectives.") var objective: String = "0"
    @Option(name: [.short, .long], help: "table, json, yaml or csv.") var format: OutputFormat = .table

    func validate() throws {
        if format == .value { throw ValidationError("--format is table, json, yaml or csv") }
    }

    func run() throws {
        let study = try selection.load(storage)
        let snapshot = try StudySnapshot.load(storage: study.storage, studyID: study.id)
        guard let index = Int(objective) ?? snapshot.objectiveNames.firstIndex(of: objective), snapshot.directions.indices.contains(index) else {
            throw ValidationError("--objective \(objective): the study's objectives are \(snapshot.objectiveNames.enumerated().map { "\($0.offset) (\($0.element))" }.joined(separator: ", "))")
        }
        let result = try ImportanceResult.compute(snapshot: snapshot, storage: study.storage, method: method, objective: index)
        let parameter = OutputColumn(name: "parameter"), importance = OutputColumn(name: "importance")
        let records: [OutputRecord] = result.importances.map { [parameter: .string($0.name), importance: .double($0.importance)] }
        print("\(method.label) importances for \(snapshot.objectiveNames[index]) (\(snapshot.counts[.complete] ?? 0) COMPLETE trials):")
        print(OptunaOutput.format(records, columns: [parameter, importance], as: format, flatten: false))
    }
}

