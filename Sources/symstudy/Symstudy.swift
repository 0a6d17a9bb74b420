import ArgumentParser

@main
struct Symstudy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symstudy",
        abstract: "Find small, readable symbolic policies and formulas: studies of genetic-programming runs.",
        version: "0.1.0",
        subcommands: [DemoCommand.self, FitCommand.self]
    )
}
