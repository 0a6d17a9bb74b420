import ArgumentParser
import StudyEngine

/// `symstudy trials`: Optuna's `optuna trials` (`--study-name N`), also `symstudy trials STUDY` with a name or a
/// study file, optionally only trials in some states.
struct TrialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trials", abstract: "List the trials of a study.")

    @OptionGroup var storage: StorageOptions
    @OptionGroup var selection: StudySelection
    @Option(name: [.short, .long], help: "value, json, table, yaml or csv.") var format: OutputFormat = .table
    @Flag(help: "Flatten nested columns such as params and user_attrs.") var flatten = false
    @Option(help: "Only trials in these states (complete, pruned, fail, running, waiting), comma-separated.")
    var state: String?

    func run() throws {
        let study = try selection.load(storage)
        let states = try state.map(TrialStateArgument.parseList)
        let (records, columns) = TrialRecords.records(try study.trials(states: states), directions: study.directions)
        print(OptunaOutput.format(records, columns: columns, as: format, flatten: flatten))
    }
}

/// Trial states named on the command line.
enum TrialStateArgument {
    static func parse(_ text: String) throws -> TrialState {
        guard let state = TrialState.allCases.first(where: { $0.optunaName.lowercased() == text.lowercased() }) else {
            throw ValidationError("unknown trial state '\(text)'; states: complete, pruned, fail, running, waiting")
        }
        return state
    }

    static func parseList(_ text: String) throws -> Set<TrialState> {
        Set(try text.split(separator: ",").map { try parse($0.trimmingCharacters(in: .whitespaces)) })
    }
}
