import ArgumentParser
import Foundation
import StudyEngine

/// `symstudy delete STUDY`: deletes a study and its trials after asking (`--yes` to skip the question).
/// Without an answer of "y" or "yes" nothing is deleted and the command fails.
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a study with its trials (asks first).")

    @OptionGroup var selection: StudySelection
    @OptionGroup var storage: StorageOptions
    @Flag(name: [.short, .long], help: "Delete without asking.") var yes = false

    func run() throws {
        let study = try selection.load(storage)
        let count = try study.storage.trialCount(studyID: study.id, states: nil)
        let location = StorageURL.redacting(try selection.resolve(storage).url)
        if !yes {
            FileHandle.standardError.write(Data("Delete study '\(study.name)' with its \(count) trial(s) from \(location)? [y/N] ".utf8))
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                throw DeleteError.notConfirmed(study.name)
            }
        }
        try study.storage.deleteStudy(id: study.id)
        print("deleted study '\(study.name)' (\(count) trial(s)) from \(location)")
    }
}

/// Why `delete` deleted nothing.
enum DeleteError: LocalizedError {
    case notConfirmed(String)

    var errorDescription: String? {
        switch self {
        case .notConfirmed(let name): return "study '\(name)' was not deleted (answer y to delete it, or pass --yes)"
        }
    }
}
