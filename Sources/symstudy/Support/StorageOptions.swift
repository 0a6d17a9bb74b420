import ArgumentParser
import Foundation
import StudyEngine

/// `--storage URL` of every command that reads or writes studies; without it, `SYMSTUDY_STORAGE` or (as in
/// Optuna's CLI) `OPTUNA_STORAGE`.
struct StorageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Storage URL: sqlite:///file.db, postgresql://user:password@host:port/db, journal:///path/file.log, memory:.",
                               discussion: "Default: $SYMSTUDY_STORAGE, then $OPTUNA_STORAGE."))
    var storage: String?

    @Option(help: "Seconds between heartbeats of a running trial (storages with heartbeats; off by default).")
    var heartbeatInterval: Double?

    @Option(help: "Seconds without a heartbeat after which a running trial counts as stale (default: 2 x the interval).")
    var gracePeriod: Double?

    func validate() throws {
        if let heartbeatInterval, !(heartbeatInterval > 0) { throw ValidationError("--heartbeat-interval must be a positive number of seconds") }
        if let gracePeriod, !(gracePeriod > 0) { throw ValidationError("--grace-period must be a positive number of seconds") }
    }

    /// The URL given, from the flag or the environment.
    func url() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        guard let url = storage ?? environment["SYMSTUDY_STORAGE"] ?? environment["OPTUNA_STORAGE"], !url.isEmpty else {
            throw ValidationError("no storage: pass --storage URL (or set SYMSTUDY_STORAGE)")
        }
        return url
    }

    /// Opens the storage the URL names.
    func open() throws -> any StudyStorage {
        try StorageOpener.open(try url(), heartbeatInterval: heartbeatInterval, gracePeriod: gracePeriod)
    }
}

/// Opens storages by URL: StudyEngine's own schemes here; the study server's (grpc, optuna-grpc) come with
/// the StudyService module.
enum StorageOpener {
    static func open(_ text: String, heartbeatInterval: Double? = nil, gracePeriod: Double? = nil) throws -> any StudyStorage {
        let url = try StorageURL(parsing: text)
        return try url.open(heartbeatInterval: heartbeatInterval, gracePeriod: gracePeriod)
    }
}
