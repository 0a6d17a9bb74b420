import ArgumentParser
import StudyEngine

/// `symstudy study-names`: Optuna's `optuna study-names`.
struct StudyNamesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "study-names", abstract: "List the names of the studies in a storage.")

    @OptionGroup var storage: StorageOptions
    @Option(name: [.short, .long], help: "value, json, table, yaml or csv.") var format: OutputFormat = .value

    func run() throws {
        let column = OutputColumn(name: "name")
        let records = try storage.open().allStudies().map { [column: OutputValue.string($0.name)] }
        print(OptunaOutput.format(records, columns: [column], as: format, flatten: false))
    }
}

extension OutputFormat: ExpressibleByArgument {}
