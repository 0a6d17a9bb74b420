import ArgumentParser
import StudyEngine

/// `symstudy best-trial`: Optuna's `optuna best-trial`.
struct BestTrialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "best-trial", abstract: "Show the best trial of a single-objective study.")

    @OptionGroup var storage: StorageOptions
    @OptionGroup var selection: StudySelection
    @Option(name: [.short, .long], help: "value, json, table, yaml or csv.") var format: OutputFormat = .table
    @Flag(help: "Flatten nested columns such as params and user_attrs.") var flatten = false

    func run() throws {
        let study = try selection.load(storage)
        let best = try study.bestTrial
        // Columns come from every trial, as in Optuna, so the best trial prints like a row of `trials`.
        let (records, columns) = TrialRecords.records(try study.trials(), directions: study.directions)
        guard let record = records.first(where: { $0[OutputColumn(name: "number")] == .int(best.number) }) else { return }
        print(OptunaOutput.format(record, columns: columns, as: format, flatten: flatten))
    }
}

/// `symstudy best-trials`: Optuna's `optuna best-trials` (the Pareto front).
struct BestTrialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "best-trials", abstract: "Show the trials on the Pareto front of a study.")

    @OptionGroup var storage: StorageOptions
    @OptionGroup var selection: StudySelection
    @Option(name: [.short, .long], help: "value, json, table, yaml or csv.") var format: OutputFormat = .table
    @Flag(help: "Flatten nested columns such as params and user_attrs.") var flatten = false

    func run() throws {
        let study = try selection.load(storage)
        let best = Set(try study.bestTrials.map(\.number))
        let (records, columns) = TrialRecords.records(try study.trials(), directions: study.directions)
        let front = records.filter { record in
            if case .int(let number)? = record[OutputColumn(name: "number")] { return best.contains(number) }
            return false
        }
        print(OptunaOutput.format(front, columns: columns, as: format, flatten: flatten))
    }
}
