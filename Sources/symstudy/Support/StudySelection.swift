import ArgumentParser
import Foundation
import PolicyLearning
import StudyEngine

/// The study a command reads: `--study-name N` as in Optuna's CLI, or the first argument, which is either a
/// study's name or a study file (`studies/pong-distill.yaml`): the file gives the name and, unless
/// `--storage` is given, the storage (its `storage`, default the SQLite file beside it).
struct StudySelection: ParsableArguments {
    @Argument(help: "The study: its name, or its study file (YAML), which also gives the storage.") var study: String?
    @Option(help: "The study's name.") var studyName: String?

    func validate() throws {
        if study != nil, studyName != nil, study != studyName { throw ValidationError("the study is named twice: '\(study!)' and --study-name '\(studyName!)'") }
        if study == nil, studyName == nil { throw ValidationError("name the study: STUDY (a name or a study file) or --study-name NAME") }
    }

    /// The study file named by the argument, if it names one (an existing file, or a name ending in .yaml/.yml).
    var studyFile: String? {
        guard studyName == nil, let study else { return nil }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: study, isDirectory: &isDirectory), !isDirectory.boolValue { return study }
        return study.hasSuffix(".yaml") || study.hasSuffix(".yml") ? study : nil
    }

    var name: String { studyName ?? study ?? "" }

    /// The study's name and storage URL: from the study file when one is named, else the name given and
    /// `--storage` (or the environment).
    func resolve(_ storage: StorageOptions) throws -> (name: String, url: String) {
        guard let file = studyFile else { return (name, try storage.url()) }
        guard FileManager.default.fileExists(atPath: file) else { throw StudyLookupError.noStudyFile(file) }
        let definition = try StudyDefinition.load(file: file)
        return (definition.name, storage.storage ?? definition.storageURL)
    }

    /// Opens the storage and loads the study.
    /// - Throws: `StudyLookupError` for a missing study file, a missing database file or an unknown study (the
    ///   message lists the studies the storage holds); storage and study-file errors as they are.
    func load(_ storage: StorageOptions) throws -> Study {
        let (name, url) = try resolve(storage)
        return try StudyLookup.load(name: name, url: url, storage: storage)
    }
}

/// Opens a storage that must already exist and loads a study from it, with errors that say what exists.
enum StudyLookup {
    /// Opens `url` for reading: a `sqlite:` or `journal:` URL must name an existing file (nothing is created).
    static func openExisting(_ url: String, storage: StorageOptions) throws -> any StudyStorage {
        let parsed = try StorageURL(parsing: url)
        switch parsed {
        case .sqlite(let path), .journal(let path):
            if !FileManager.default.fileExists(atPath: path) { throw StudyLookupError.noStorageFile(path: path, url: StorageURL.redacting(url)) }
        default: break
        }
        return try StorageOpener.open(url, heartbeatInterval: storage.heartbeatInterval, gracePeriod: storage.gracePeriod)
    }

    static func load(name: String, url: String, storage: StorageOptions) throws -> Study {
        let opened = try openExisting(url, storage: storage)
        do {
            return try Study.load(name: name, storage: opened)
        } catch StorageError.studyNotFound {
            let names = (try? opened.allStudies().map(\.name)) ?? []
            throw StudyLookupError.noStudy(name: name, url: StorageURL.redacting(url), known: names)
        }
    }
}

/// A study or storage that a reading command cannot find.
enum StudyLookupError: LocalizedError, Equatable {
    case noStudyFile(String)
    case noStorageFile(path: String, url: String)
    case noStudy(name: String, url: String, known: [String])
    case noTrial(study: String, number: Int, why: String)
    case noCompleteTrial(study: String, trials: Int)

    var errorDescription: String? {
        switch self {
        case .noStudyFile(let file): return "no study file \(file)"
        case .noStorageFile(let path, let url):
            return "the storage \(url) does not exist (no file \(path)); run `symstudy optimize` first, or pass --storage URL"
        case .noStudy(let name, let url, let known):
            let list = known.isEmpty ? "it holds no studies" : "its studies: \(known.sorted().joined(separator: ", "))"
            return "no study named '\(name)' in \(url); \(list)"
        case .noTrial(let study, let number, let why): return "study '\(study)', trial \(number): \(why)"
        case .noCompleteTrial(let study, let trials):
            return "study '\(study)' has no COMPLETE trial yet (\(trials) trial(s) in other states): run `symstudy optimize` first, or name a trial with --trial"
        }
    }
}
