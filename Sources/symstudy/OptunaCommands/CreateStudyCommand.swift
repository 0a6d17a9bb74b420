import ArgumentParser
import StudyEngine

/// `symstudy create-study`: Optuna's `optuna create-study`; prints the study's name.
struct CreateStudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create-study", abstract: "Create a new study.")

    @OptionGroup var storage: StorageOptions
    @Option(help: "A human-readable name of the study (generated when absent).") var studyName: String?
    @Option(help: "minimize or maximize.") var direction: DirectionArgument?
    @Option(parsing: .upToNextOption, help: "One direction per objective: minimize or maximize, separated by spaces.")
    var directions: [DirectionArgument] = []
    @Flag(help: "Load the study without an error when the name is taken.") var skipIfExists = false

    func validate() throws {
        if direction != nil, !directions.isEmpty {
            throw ValidationError("give either --direction or --directions, not both")
        }
    }

    func run() throws {
        let chosen = directions.isEmpty ? [direction ?? .minimize] : directions
        let study = try Study.create(name: studyName, storage: try storage.open(), directions: chosen.map(\.direction),
                                     loadIfExists: skipIfExists)
        print(study.name)
    }
}

/// `minimize` or `maximize` on the command line.
enum DirectionArgument: String, ExpressibleByArgument, CaseIterable {
    case minimize, maximize
    var direction: StudyDirection { self == .minimize ? .minimize : .maximize }
}
