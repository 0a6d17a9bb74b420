import ArgumentParser
import Foundation
import PolicyLearning
import StudyEngine

/// `symstudy studies`: Optuna's `optuna studies` (name, directions, trial count, start); `symstudy studies
/// FILE` lists the studies in the storage of a study file.
struct StudiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "studies", abstract: "List the studies in a storage.")

    @Argument(help: "A study file (YAML) whose storage to list (instead of --storage).") var studyFile: String?
    @OptionGroup var storage: StorageOptions
    @Option(name: [.short, .long], help: "value, json, table, yaml or csv.") var format: OutputFormat = .table
    @Flag(help: "Flatten nested columns such as directions.") var flatten = false

    func run() throws {
        var columns = ["name", "direction", "n_trials", "datetime_start"].map { OutputColumn(name: $0) }
        var records: [OutputRecord] = []
        var anyAttributes = false
        for summary in try open().allStudies() {
            var record: OutputRecord = [
                OutputColumn(name: "name"): .string(summary.name),
                OutputColumn(name: "direction"): .tuple(summary.directions.map { .string($0.optunaName) }),
                OutputColumn(name: "n_trials"): .int(summary.trialCount),
                OutputColumn(name: "datetime_start"): summary.datetimeStart.map { .string(TrialRecords.dateText($0)) } ?? .null,
            ]
            record[OutputColumn(name: "user_attrs")] = OutputValue(.object(summary.userAttributes))
            anyAttributes = anyAttributes || !summary.userAttributes.isEmpty
            records.append(record)
        }
        if anyAttributes { columns.append(OutputColumn(name: "user_attrs")) }
        print(OptunaOutput.format(records, columns: columns, as: format, flatten: flatten))
    }

    private func open() throws -> any StudyStorage {
        guard let studyFile else { return try storage.open() }
        guard FileManager.default.fileExists(atPath: studyFile) else { throw StudyLookupError.noStudyFile(studyFile) }
        let url = try storage.storage ?? StudyDefinition.load(file: studyFile).storageURL
        return try StudyLookup.openExisting(url, storage: storage)
    }
}
