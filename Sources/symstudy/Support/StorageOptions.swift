import ArgumentParser
import Foundation
import StudyEngine
import StudyService

/// `--storage URL` of every command that reads or writes studies; without it, `SYMSTUDY_STORAGE` or (as in
/// Optuna's CLI) `OPTUNA_STORAGE`.
struct StorageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Storage URL: sqlite:///file.db, postgresql://user:password@host:port/db, journal:///path/file.log, memory:, grpc://host:port (symstudy serve), optuna-grpc://host:port (any Optuna gRPC proxy).",
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

    /// Opens the storage the URL names; a `grpc://` server samples with `sampler` when it is given.
    func open(sampler: SamplerSpecification? = nil) throws -> any StudyStorage {
        try StorageOpener.open(try url(), heartbeatInterval: heartbeatInterval, gracePeriod: gracePeriod, sampler: sampler)
    }
}

/// Opens storages by URL: StudyEngine's own schemes, and the study server's (grpc, optuna-grpc) through the
/// StudyService module (token and TLS roots from SYMSTUDY_SERVICE_TOKEN and SYMSTUDY_SERVICE_CA).
enum StorageOpener {
    static func open(_ text: String, heartbeatInterval: Double? = nil, gracePeriod: Double? = nil,
                     sampler: SamplerSpecification? = nil) throws -> any StudyStorage {
        let url = try StorageURL(parsing: text)
        if let remote = try ServiceStorageOpener.open(url, sampler: sampler) { return remote }
        return try url.open(heartbeatInterval: heartbeatInterval, gracePeriod: gracePeriod)
    }
}
