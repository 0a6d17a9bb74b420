import ArgumentParser
import StudyEngine

/// `symstudy delete-study`: Optuna's `optuna delete-study`.
struct DeleteStudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete-study", abstract: "Delete a study with its trials.")

    @OptionGroup var storage: StorageOptions
    @Option(help: "The name of the study to delete.") var studyName: String

    func run() throws {
        let opened = try storage.open()
        try opened.deleteStudy(id: try opened.studyID(named: studyName))
    }
}
