import ArgumentParser
import Foundation
import StudyEngine

/// `symstudy ask`: Optuna's `optuna ask`. Creates a trial, suggests the parameters of `--search-space` (Optuna's
/// distribution JSON) and prints the trial's number and parameters. The sampler's state is the study in
/// storage, so consecutive `ask` processes continue one search.
struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ask", abstract: "Create a new trial and suggest parameters.")

    @OptionGroup var storage: StorageOptions
    @Option(help: "The study's name.") var studyName: String
    @Option(help: "The sampler's class name: TPESampler, RandomSampler, GridSampler or NSGAIISampler.") var sampler: String?
    @Option(help: "The sampler's keyword arguments as a JSON object, with Optuna's names (e.g. '{\"seed\": 1}').")
    var samplerKwargs: String?
    @Option(help: "The search space as JSON: names to Optuna distribution JSON, e.g. '{\"x\": {\"name\": \"FloatDistribution\", \"attributes\": {\"low\": 0.0, \"high\": 1.0}}}'.")
    var searchSpace: String?
    @Option(name: [.short, .long], help: "value, json, table, yaml or csv.") var format: OutputFormat = .json
    @Flag(help: "Flatten nested columns such as params.") var flatten = false

    func validate() throws {
        if sampler == nil, samplerKwargs != nil {
            throw ValidationError("--sampler-kwargs is set without --sampler: name the sampler as well, or omit --sampler-kwargs")
        }
    }

    func run() throws {
        let specification = try sampler.map { try SamplerSpecification(name: $0, optionsJSON: samplerKwargs) }
        let chosenSampler = try specification?.make()
        let space = try searchSpace.map(Self.parseSearchSpace) ?? [:]
        // A grpc:// server samples itself, with the sampler named here.
        let study = try Study.load(name: studyName, storage: try storage.open(sampler: specification), sampler: chosenSampler)
        let trial = try study.ask(fixedDistributions: space)
        let frozen = try study.storage.trial(id: trial.id)
        var record: OutputRecord = [OutputColumn(name: "number"): .int(trial.number)]
        var columns = [OutputColumn(name: "number")]
        if frozen.params.isEmpty, !flatten {
            record[OutputColumn(name: "params")] = .dict([])
            columns.append(OutputColumn(name: "params"))
        } else {
            for name in space.keys.sorted() where frozen.params[name] != nil {
                let column = OutputColumn(name: "params", sub: .key(name))
                record[column] = OutputValue(frozen.params[name]!)
                columns.append(column)
            }
        }
        print(OptunaOutput.format(record, columns: columns, as: format, flatten: flatten))
    }

    static func parseSearchSpace(_ text: String) throws -> [String: ParameterDistribution] {
        let parsed: JSONValue
        do { parsed = try JSONValue.parse(text) } catch {
            throw ValidationError("--search-space is not JSON: \(error.localizedDescription)")
        }
        guard let object = parsed.objectValue else {
            throw ValidationError("--search-space must be a JSON object of names to distributions")
        }
        var space: [String: ParameterDistribution] = [:]
        for (name, distribution) in object {
            do { space[name] = try ParameterDistribution(optunaJSON: distribution.jsonText) } catch {
                throw ValidationError("--search-space: parameter '\(name)': \((error as? any LocalizedError)?.errorDescription ?? "\(error)")")
            }
        }
        return space
    }
}
