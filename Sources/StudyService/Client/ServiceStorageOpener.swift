import Foundation
import StudyEngine

/// Opens the study-server storages of `grpc://` and `optuna-grpc://` URLs.
public enum ServiceStorageOpener {
    /// The storage for a `.remote` URL; nil for any other kind (open those with `StorageURL.open`).
    public static func open(_ url: StorageURL, sampler: SamplerSpecification? = nil, pruner: PrunerSpecification? = nil,
                            options: ServiceClientOptions = .fromEnvironment()) throws -> (any StudyStorage)? {
        guard case .remote(let scheme, let host, let port) = url else { return nil }
        switch scheme {
        case "optuna-grpc": return try OptunaGrpcStorage(host: host, port: port, options: options)
        default: return try RemoteStudyStorage(host: host, port: port, sampler: sampler, pruner: pruner, options: options)
        }
    }
}
