import Foundation
import StudyEngine
@testable import StudyService
import Testing

/// The storage conformance suite, unchanged, through both faces of `symstudy serve`: the `grpc://` storage
/// (symstudy's API plus Optuna's for fine-grained writes) and the `optuna-grpc://` storage (Optuna's API
/// only), each against a fresh served InMemoryStorage.
@Suite("Storage conformance through the study server")
struct RemoteConformanceTests {
    @Test("grpc:// (symstudy's API)", arguments: StorageConformance.Check.allCases)
    func throughSymstudyAPI(_ check: StorageConformance.Check) throws {
        let server = try ServiceTestSupport.startServer()
        defer { server.stop() }
        try StorageConformance.run(check) { try RemoteStudyStorage(host: "127.0.0.1", port: server.port) }
    }

    @Test("optuna-grpc:// (Optuna's API)", arguments: StorageConformance.Check.allCases)
    func throughOptunaAPI(_ check: StorageConformance.Check) throws {
        let server = try ServiceTestSupport.startServer()
        defer { server.stop() }
        try StorageConformance.run(check) { try OptunaGrpcStorage(host: "127.0.0.1", port: server.port) }
    }
}
