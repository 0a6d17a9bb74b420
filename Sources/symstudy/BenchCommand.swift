import ArgumentParser

/// `symstudy bench ...`: benchmarks of symstudy's parts (compare with the reference tools' scripts under
/// Benchmarks/).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the speed of symstudy's parts.",
        subcommands: [BenchEnvironmentCommand.self]
    )
}
