import ArgumentParser
import Dashboard
import Foundation
import PolicyLearning
import StudyEngine

/// Which trial of a study a command takes: `--trial N`, or the best one (as `symstudy best` ranks them:
/// the best value, the smaller expression among ties; the first of the Pareto front for several objectives).
struct TrialChoice: ParsableArguments {
    @Option(help: "The trial's number (default: the best trial).") var trial: Int?

    func pick(_ study: Study) throws -> FrozenTrial {
        let snapshot = try StudySnapshot.load(storage: study.storage, studyID: study.id)
        if let trial {
            guard let index = snapshot.index(ofTrialNumber: trial) else {
                throw StudyLookupError.noTrial(study: study.name, number: trial, why: "no such trial (the study has trials 0 to \(snapshot.trials.count - 1))")
            }
            return snapshot.trials[index]
        }
        guard let best = BestCommand.ranked(snapshot).first else {
            throw StudyLookupError.noCompleteTrial(study: study.name, trials: snapshot.trials.count)
        }
        return snapshot.trials[best]
    }
}

/// The policy a command plays: a file (a symbolic policy's JSON, as `export --format json` writes it), or a
/// trial of a study (by name or study file) whose user attribute `policy` holds one.
struct PolicySource: ParsableArguments {
    @OptionGroup var selection: StudySelection
    @OptionGroup var choice: TrialChoice
    @OptionGroup var storage: StorageOptions

    /// The argument names a policy file (`.json`).
    var policyFile: String? {
        guard selection.studyName == nil, let argument = selection.study, argument.hasSuffix(".json") else { return nil }
        return argument
    }

    /// The subject and where it came from ("file F" or "study 'S', trial N").
    func load() throws -> (subject: ExportSubject, origin: String) {
        if let policyFile { return (try ExportSubject.read(file: policyFile), "file \(policyFile)") }
        let study = try selection.load(storage)
        let trial = try choice.pick(study)
        let origin = "study '\(study.name)', trial \(trial.number)"
        return (try ExportSubject.read(attributes: trial.userAttributes, origin: origin), origin)
    }

    /// The symbolic policy to play.
    /// - Throws: `TransferError.notAPolicy` for a formula.
    func policy() throws -> (policy: SymbolicPolicy, origin: String) {
        let (subject, origin) = try load()
        guard case .policy(let policy) = subject else {
            throw TransferError.notAPolicy("\(origin) holds a formula (a regress trial's program), not a policy: replay and transfer play the user attribute 'policy' of distill and finetune trials")
        }
        return (policy, origin)
    }
}
