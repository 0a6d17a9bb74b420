import ArgumentParser

@main
struct Symstudy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symstudy",
        abstract: "Find small, readable symbolic policies and formulas: studies of genetic-programming runs.",
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, OptimizeCommand.self,
            CreateStudyCommand.self, DeleteStudyCommand.self, StudyNamesCommand.self, StudiesCommand.self, StudyCommand.self,
            TrialsCommand.self, BestTrialCommand.self, BestTrialsCommand.self, AskCommand.self, TellCommand.self,
            RolloutCommand.self, BenchCommand.self, TeachCommand.self, RecordCommand.self, FitCommand.self, ServeCommand.self,
            DashboardCommand.self, PlotCommand.self,
            BestCommand.self, ImportanceCommand.self, DeleteCommand.self, ExportCommand.self, ReplayCommand.self, TransferCommand.self,
        ]
    )
}

extension Symstudy {
    /// Options whose values may be negative numbers (`tell --values -1.5 2`, as Optuna's CLI takes them).
    static let numericListOptions: Set<String> = ["--values"]

    static func main() {
        main(attachingNumericValues(Array(CommandLine.arguments.dropFirst())))
    }

    /// Rewrites `--values -1.5 2` as `--values=-1.5 --values=2`, so a negative number is not read as a flag.
    static func attachingNumericValues(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard numericListOptions.contains(argument) else {
                result.append(argument)
                continue
            }
            var attached = false
            while index < arguments.count, Double(arguments[index]) != nil || ["nan", "inf", "-inf"].contains(arguments[index].lowercased()) {
                result.append("\(argument)=\(arguments[index])")
                index += 1
                attached = true
            }
            if !attached { result.append(argument) }
        }
        return result
    }
}
