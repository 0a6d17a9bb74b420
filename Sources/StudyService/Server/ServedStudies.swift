import Foundation
import StudyEngine
import Synchronization

/// The studies a server samples for. Per study (and sampler/pruner choice): a `Study` over the server's
/// storage with the sampler and pruner the study was created with, a lock that makes its asks one at a time
/// (so every ask sees the parameters of the asks before it: constant liar), and the `Trial` objects of its
/// running trials, through which later suggests, reports and tells go.
final class ServedStudies: Sendable {
    final class Context: Sendable {
        let study: Study
        /// Held while sampling a new trial.
        let askLock = Mutex(())
        fileprivate let trials = Mutex<[Int: Trial]>([:])

        init(study: Study) { self.study = study }
    }

    let storage: any StudyStorage
    private let contexts = Mutex<[String: Context]>([:])
    /// Trial id -> the key of the context that asked it.
    private let trialContexts = Mutex<[Int: String]>([:])

    init(storage: any StudyStorage) { self.storage = storage }

    /// The context of a study, with the given sampler and pruner or (nil) the study's own, kept in its
    /// system attributes when it was created through symstudy's API (TPE and the median pruner otherwise).
    func context(studyID: Int, sampler: SamplerSpecification? = nil, pruner: PrunerSpecification? = nil) throws -> Context {
        let key = "\(studyID)|\(sampler.map { $0.name + JSONValue.object($0.options).jsonText } ?? "")|\(pruner.map { $0.name + JSONValue.object($0.options).jsonText } ?? "")"
        if let context = contexts.withLock({ $0[key] }) { return context }
        let name = try storage.studyName(id: studyID)
        let attributes = try storage.studySystemAttributes(id: studyID)
        func stored(_ key: String) -> (String, [String: JSONValue])? {
            guard let object = attributes[key]?.objectValue, let name = object["name"]?.stringValue else { return nil }
            return (name, object["kwargs"]?.objectValue ?? [:])
        }
        let samplerSpec = sampler ?? stored(SymstudyWireFormat.samplerAttribute).map { SamplerSpecification(name: $0.0, options: $0.1) }
        let prunerSpec = pruner ?? stored(SymstudyWireFormat.prunerAttribute).map { PrunerSpecification(name: $0.0, options: $0.1) }
        let study = try Study.load(name: name, storage: storage, sampler: try samplerSpec?.make(), pruner: try prunerSpec?.make())
        let context = Context(study: study)
        return contexts.withLock { contexts in
            if let existing = contexts[key] { return existing }
            contexts[key] = context
            return context
        }
    }

    /// Remembers a trial just asked through `context`.
    func register(_ trial: Trial, in context: Context) {
        context.trials.withLock { $0[trial.id] = trial }
        let key = contexts.withLock { $0.first(where: { $0.value === context })?.key }
        if let key { trialContexts.withLock { $0[trial.id] = key } }
    }

    /// The `Trial` object of a running trial: the one its ask made, or (after a restart, or for a trial
    /// started elsewhere) a new one over the trial's study.
    func trial(id trialID: Int) throws -> (Context, Trial) {
        if let key = trialContexts.withLock({ $0[trialID] }), let context = contexts.withLock({ $0[key] }),
           let trial = context.trials.withLock({ $0[trialID] }) {
            return (context, trial)
        }
        let studyID = try studyID(ofTrial: trialID)
        let context = try context(studyID: studyID)
        let trial = try context.study.runningTrial(id: trialID)
        register(trial, in: context)
        return (context, trial)
    }

    func forget(trialID: Int) {
        guard let key = trialContexts.withLock({ $0.removeValue(forKey: trialID) }),
              let context = contexts.withLock({ $0[key] }) else { return }
        _ = context.trials.withLock { $0.removeValue(forKey: trialID) }
    }

    /// The study a trial belongs to, known from its ask or found by looking through the studies.
    func studyID(ofTrial trialID: Int) throws -> Int {
        if let key = trialContexts.withLock({ $0[trialID] }), let id = Int(key.prefix { $0 != "|" }) { return id }
        _ = try storage.trial(id: trialID)  // throws trialNotFound for an unknown id
        for summary in try storage.allStudies() {
            if try storage.trials(studyID: summary.id, states: nil).contains(where: { $0.id == trialID }) { return summary.id }
        }
        throw StorageError.trialNotFound("with id \(trialID)")
    }

    /// Drops every context of a deleted study.
    func forget(studyID: Int) {
        contexts.withLock { contexts in
            for key in contexts.keys where key.hasPrefix("\(studyID)|") { contexts[key] = nil }
        }
    }
}
