import ArgumentParser

struct TeachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "teach", abstract: "(in progress)")
}
