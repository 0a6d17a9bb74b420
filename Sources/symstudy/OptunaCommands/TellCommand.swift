import ArgumentParser
import StudyEngine

/// `symstudy tell`: Optuna's `optuna tell`. Finishes a trial made by `ask`.
struct TellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tell", abstract: "Finish a trial created by ask.")

    @OptionGroup var storage: StorageOptions
    @Option(help: "The study's name.") var studyName: String
    @Option(help: "The trial's number.") var trialNumber: Int
    @Option(parsing: .upToNextOption, help: "Objective values, one per objective.") var values: [Double] = []
    @Option(help: "complete, pruned or fail.") var state: String?
    @Flag(help: "Do nothing, without an error, when the trial has already finished.") var skipIfFinished = false

    func run() throws {
        let study = try Study.load(name: studyName, storage: try storage.open())
        var chosen: TrialState?
        if let state {
            chosen = try TrialStateArgument.parse(state)
            guard chosen!.isFinished else { throw ValidationError("--state must be complete, pruned or fail, not '\(state)'") }
        }
        try study.tell(trialNumber: trialNumber, values: values.isEmpty ? nil : values, state: chosen,
                       skipIfFinished: skipIfFinished)
    }
}
