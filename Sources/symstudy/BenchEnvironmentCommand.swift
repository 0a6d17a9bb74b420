import ArgumentParser

struct BenchEnvironmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "env", abstract: "(in progress)")
}
