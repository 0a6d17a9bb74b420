import ArgumentParser
import StudyEngine

/// `symstudy study set-user-attr`: Optuna's `optuna study set-user-attr` (the value is stored as a string).
struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "study", abstract: "Change a study.",
                                                    subcommands: [SetUserAttribute.self])

    struct SetUserAttribute: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-user-attr", abstract: "Set a user attribute of a study.")

        @OptionGroup var storage: StorageOptions
        @Option(help: "The study's name.") var studyName: String
        @Option(name: [.short, .long], help: "The attribute's key.") var key: String
        @Option(help: "The value, stored as a string.") var value: String

        func run() throws {
            try Study.load(name: studyName, storage: try storage.open()).setUserAttribute(key, .string(value))
        }
    }
}
