import ArgumentParser
import Dashboard
import StudyEngine

/// `symstudy best STUDY`: the best trials of a study with their value(s), expression size and expression;
/// for several objectives, the trials on the Pareto front (ordered by the first objective).
struct BestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best", abstract: "Show the best trials of a study: value(s), size and expression (the Pareto front for several objectives).")

    @OptionGroup var selection: StudySelection
    @OptionGroup var storage: StorageOptions
    @Option(help: "How many trials to show (default: 1 for one objective, the whole Pareto front for several).") var top: Int?
    @Option(name: [.short, .long], help: "table, json, yaml or csv.") var format: OutputFormat = .table

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1, not \(top)") }
        if format == .value { throw ValidationError("--format is table, json, yaml or csv") }
    }

    func run() throws {
        let study = try selection.load(storage)
        let snapshot = try StudySnapshot.load(storage: study.storage, studyID: study.id)
        let ranked = Self.ranked(snapshot)
        guard !ranked.isEmpty else {
            throw StudyLookupError.noCompleteTrial(study: snapshot.name, trials: snapshot.trials.count)
        }
        let shown = ranked.prefix(top ?? (snapshot.directions.count == 1 ? 1 : ranked.count))
        let (records, columns) = Self.records(snapshot, indices: Array(shown))
        print(OptunaOutput.format(records, columns: columns, as: format, flatten: false))
    }

    /// Indices of the COMPLETE trials to show, best first: by the value (smaller expressions first among
    /// ties) for one objective; the Pareto front by the first objective, then the next ones, for several.
    static func ranked(_ snapshot: StudySnapshot) -> [Int] {
        let directions = snapshot.directions
        let candidates = directions.count == 1 ? snapshot.completeIndices(objective: 0) : snapshot.paretoIndices()
        return candidates.sorted { a, b in
            for objective in directions.indices {
                let va = snapshot.value(of: snapshot.trials[a], objective: objective)!
                let vb = snapshot.value(of: snapshot.trials[b], objective: objective)!
                if va != vb { return directions[objective].isBetter(va, than: vb) }
            }
            let sa = snapshot.expressions[a]?.size ?? Int.max, sb = snapshot.expressions[b]?.size ?? Int.max
            return sa != sb ? sa < sb : snapshot.trials[a].number < snapshot.trials[b].number
        }
    }

    /// One record per trial: `trial`, one column per objective (named by the study's metric names), `size`
    /// (unless an objective is called so) and `expression`.
    static func records(_ snapshot: StudySnapshot, indices: [Int]) -> ([OutputRecord], [OutputColumn]) {
        var columns = [OutputColumn(name: "trial")] + snapshot.objectiveNames.map { OutputColumn(name: $0) }
        let hasSizeObjective = snapshot.objectiveNames.contains("size")
        if !hasSizeObjective { columns.append(OutputColumn(name: "size")) }
        columns.append(OutputColumn(name: "expression"))
        let records = indices.map { index -> OutputRecord in
            let trial = snapshot.trials[index]
            var record: OutputRecord = [OutputColumn(name: "trial"): .int(trial.number)]
            for (objective, name) in snapshot.objectiveNames.enumerated() {
                record[OutputColumn(name: name)] = snapshot.value(of: trial, objective: objective).map(OutputValue.double) ?? .null
            }
            let expression = snapshot.expressions[index]
            if !hasSizeObjective { record[OutputColumn(name: "size")] = expression?.size.map(OutputValue.int) ?? .null }
            record[OutputColumn(name: "expression")] = expression?.text.map(OutputValue.string) ?? .null
            return record
        }
        return (records, columns)
    }
}
