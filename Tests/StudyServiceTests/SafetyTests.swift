import Foundation
import StudyEngine
@testable import StudyService
import Testing
import TestSupport

/// Tokens, TLS, the loopback default, and bad input that must not change storage or stop the server.
@Suite("Safety and bad input")
struct SafetyTests {
    @Test func aTokenIsRequiredWhenSet() throws {
        let server = try ServiceTestSupport.startServer { $0.token = "s3cret-token" }
        defer { server.stop() }
        let anonymous = try RemoteStudyStorage(host: "127.0.0.1", port: server.port, options: ServiceClientOptions(retryTimeout: 0))
        #expect { try anonymous.allStudies() } throws: { error in
            guard case ServiceError.unauthenticated(let message) = error else { return false }
            return message.contains("token")
        }
        let wrong = try OptunaGrpcStorage(host: "127.0.0.1", port: server.port, options: ServiceClientOptions(token: "guess", retryTimeout: 0))
        #expect(throws: ServiceError.self) { try wrong.createStudy(name: "x", directions: [.minimize]) }
        let allowed = try RemoteStudyStorage(host: "127.0.0.1", port: server.port, options: ServiceClientOptions(token: "s3cret-token"))
        let id = try allowed.createStudy(name: "with-token", directions: [.minimize])
        #expect(try allowed.studyName(id: id) == "with-token")
        // Optuna's client cannot send a token: refused, and nothing was created by the refused calls.
        let python = """
        import sys, grpc, optuna
        from optuna.storages import GrpcStorageProxy
        try:
            optuna.create_study(study_name="py", storage=GrpcStorageProxy(host="127.0.0.1", port=int(sys.argv[1])))
        except grpc.RpcError as e:
            print(e.code().name)
        """
        #expect(try TestEnvironment.runPython(python, ["\(server.port)"]).contains("UNAUTHENTICATED"))
        #expect(try allowed.allStudies().map(\.name) == ["with-token"])
    }

    @Test func tlsWithASelfSignedCertificate() throws {
        let folder = try ServiceTestSupport.temporaryFolder("tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
        let openssl = try ChildProcess("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                                                            "-days", "1", "-subj", "/CN=localhost",
                                                            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        #expect(openssl.wait() == 0, "\(openssl.stderr)")
        let server = try ServiceTestSupport.startServer { config in
            config.tlsCertificatePath = cert
            config.tlsKeyPath = key
        }
        defer { server.stop() }
        let trusted = try RemoteStudyStorage(host: "127.0.0.1", port: server.port, options: ServiceClientOptions(trustedCertificatesPath: cert))
        let id = try trusted.createStudy(name: "over-tls", directions: [.maximize])
        #expect(try trusted.studyDirections(id: id) == [.maximize])
        let plaintext = try RemoteStudyStorage(host: "127.0.0.1", port: server.port, options: ServiceClientOptions(retryTimeout: 0.5, callTimeout: 2))
        #expect(throws: (any Error).self) { try plaintext.allStudies() }
    }

    @Test func aNonLoopbackAddressNeedsTokenTLSOrInsecure() throws {
        let symstudy = try ServiceTestSupport.product("symstudy")
        let refused = try ChildProcess(symstudy, ["serve", "--storage", "memory:", "--host", "0.0.0.0", "--port", "0"])
        #expect(refused.wait() != 0)
        #expect(refused.stderr.contains("--insecure"), "\(refused.stderr)")
        let insecure = try ChildProcess(symstudy, ["serve", "--storage", "memory:", "--host", "0.0.0.0", "--port", "0", "--insecure"])
        defer { insecure.terminate() }
        _ = try insecure.servePort()
        #expect(insecure.stderr.contains("WARNING"), "\(insecure.stderr)")
        let loopback = try ChildProcess(symstudy, ["serve", "--storage", "memory:", "--port", "0"])
        defer { loopback.terminate() }
        #expect(try loopback.waitForLine(containing: "listening on").contains("127.0.0.1:"))
    }

    @Test func badInputGetsOptunasStatusCodesAndChangesNothing() throws {
        let storage = InMemoryStorage()
        let server = try ServiceTestSupport.startServer(storage: storage)
        defer { server.stop() }
        let seen = try ServiceTestSupport.json(try ServiceTestSupport.python("bad_input_checks.py", ["--port", "\(server.port)"]))
        func code(_ name: String) -> String? { seen[name]?.arrayValue?.first?.stringValue }
        func message(_ name: String) -> String { seen[name]?.arrayValue?.last?.stringValue ?? "" }
        #expect(code("duplicate_study") == "ALREADY_EXISTS" && message("duplicate_study").contains("bad-input"))
        #expect(code("unknown_study") == "NOT_FOUND" && message("unknown_study").contains("987654"))
        #expect(code("unknown_trial") == "NOT_FOUND" && message("unknown_trial").contains("987654"))
        #expect(code("unknown_trial_number") == "NOT_FOUND" && message("unknown_trial_number").contains("99"))
        #expect(code("malformed_distribution") == "INVALID_ARGUMENT" && message("malformed_distribution").contains("distribution"))
        #expect(code("incompatible_distribution") == "INVALID_ARGUMENT" && message("incompatible_distribution").contains("'x'"))
        #expect(code("malformed_attribute_json") == "INVALID_ARGUMENT" && message("malformed_attribute_json").contains("value"))
        #expect(code("unknown_state") == "INVALID_ARGUMENT" && message("unknown_state").contains("state"))
        #expect(code("oversized_message") == "INVALID_ARGUMENT" && message("oversized_message").contains("at most \(4 << 20)"))
        #expect(code("malformed_message") == "INVALID_ARGUMENT", "\(seen["malformed_message"] ?? .null)")
        // Optuna's client raises UpdateFinishedTrialError without the server's message.
        for name in ["finished_state", "finished_param", "finished_value", "finished_attr"] {
            #expect(code(name) == "UpdateFinishedTrialError", "\(name): \(seen[name] ?? .null)")
        }
        #expect(code("client_value_error") == "ValueError")
        #expect(code("client_key_error") == "KeyError")
        // What the storage holds: the one study, its finished trial with its one parameter, and the trial
        // the ValueError case created.
        let study = try storage.studyID(named: "bad-input")
        let trials = try storage.trials(studyID: study)
        #expect(trials.count == 2 && trials[0].state == .complete && trials[0].values == [1] && Array(trials[0].params.keys) == ["x"])
        #expect(trials[0].userAttributes.isEmpty && trials[1].params.isEmpty)
    }
}
