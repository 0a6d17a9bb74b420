import ArgumentParser
import Foundation
import PolicyLearning
import StudyEngine

/// `symstudy optimize STUDY.yaml`: runs a study file's trials here. The same command in more terminals, or on
/// more machines sharing a PostgreSQL storage, joins the same study.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize", abstract: "Run the trials of a study file (joining the study if it exists).",
        discussion: "Ctrl-C once: the running trials finish and no new one starts; twice: they are recorded as failed.")

    @Argument(help: "The study file (YAML).") var studyFile: String
    @Option(help: "Trials run at once in this process (each on its own thread).") var jobs = 1
    @Option(help: "Threads one trial may use (GP evaluation spreads rows over them).") var threadsPerTrial = 1
    @Option(help: "Finished trials the study should have (default: the file's `trials`).") var trials: Int?
    @Option(help: "Seconds to run (default: the file's `timeout`).") var timeout: Double?
    @Option(help: "Storage URL (default: the file's `storage`, else an SQLite file beside it).") var storage: String?
    @Flag(help: "Plain log lines even on a terminal.") var plain = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
        guard threadsPerTrial >= 1 else { throw ValidationError("--threads-per-trial must be at least 1, not \(threadsPerTrial)") }
        if let trials, trials < 1 { throw ValidationError("--trials must be at least 1, not \(trials)") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run() throws {
        let definition = try StudyDefinition.load(file: studyFile)
        let runner = try StudyRunner(definition: definition, storage: storage, jobs: jobs, threadsPerTrial: threadsPerTrial, trials: trials, timeout: timeout)
        let progress = StudyProgress(runner: runner, live: !plain && isatty(STDERR_FILENO) == 1)
        progress.start()
        let interrupts = InterruptHandler(study: runner.study)
        defer { interrupts.cancel() }
        try runner.run { trial in progress.finished(trial) }
        progress.end()
    }
}

/// What `optimize` shows while it runs: on a terminal one line redrawn (trials done, best value, best
/// expression, time left), otherwise one log line per finished trial.
final class StudyProgress: @unchecked Sendable {
    private let runner: StudyRunner
    private let live: Bool
    private let lock = NSLock()
    private let started = Date()
    private var finishedHere = 0
    private var initial = 0

    init(runner: StudyRunner, live: Bool) {
        self.runner = runner
        self.live = live
    }

    func start() {
        initial = (try? runner.finishedCount()) ?? 0
        let budget = runner.definition.trials.map { " of \($0)" } ?? ""
        say("study '\(runner.study.name)' in \(StorageURL.redacting(runner.storageURL)): \(initial) trial(s) finished\(budget)", newline: true)
    }

    func finished(_ trial: FrozenTrial) {
        lock.lock()
        defer { lock.unlock() }
        finishedHere += 1
        let done = (try? runner.finishedCount()) ?? (initial + finishedHere)
        var parts = ["trials \(done)" + (runner.definition.trials.map { "/\($0)" } ?? "")]
        if let best = bestSummary() { parts.append(best) }
        if let total = runner.definition.trials, finishedHere > 0 {
            let perTrial = Date().timeIntervalSince(started) / Double(finishedHere)
            parts.append("ETA \(Self.duration(perTrial * Double(max(0, total - done))))")
        }
        if live {
            say(parts.joined(separator: "  ·  "), newline: false)
        } else {
            let values = trial.values.map { $0.map(Self.number).joined(separator: ", ") } ?? "-"
            say("trial \(trial.number) \(trial.state.optunaName) values=\(values)  " + parts.joined(separator: "  "), newline: true)
        }
    }

    func end() {
        if live { FileHandle.standardError.write(Data("\n".utf8)) }
        if let best = bestSummary() { say("\(best)", newline: true) }
    }

    private func bestSummary() -> String? {
        let study = runner.study
        guard let best = try? (study.isMultiObjective ? study.bestTrials.first : study.bestTrial) else { return nil }
        var text = "best " + (best.values ?? []).map(Self.number).joined(separator: ", ") + " (trial \(best.number))"
        if let expression = best.userAttributes["expression"]?.objectValue?["text"]?.stringValue {
            text += " " + (expression.count > 60 ? String(expression.prefix(57)) + "..." : expression)
        }
        return text
    }

    private func say(_ line: String, newline: Bool) {
        let text = live && !newline ? "\r\u{1B}[2K" + line : (live ? "\r\u{1B}[2K" : "") + line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func number(_ value: Double) -> String { String(format: "%.6g", value) }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? "\(total / 3600)h\(total % 3600 / 60)m" : total >= 60 ? "\(total / 60)m\(total % 60)s" : "\(total)s"
    }
}
