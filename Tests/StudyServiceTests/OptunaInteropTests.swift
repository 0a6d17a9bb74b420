import Foundation
@testable import StudyEngine
@testable import StudyService
import Testing
import TestSupport

/// Python Optuna 5.0.0 (from the test virtualenv) against `symstudy serve`, and symstudy's `optuna-grpc://`
/// storage against Optuna's own proxy server.
@Suite("Optuna's client and server")
struct OptunaInteropTests {
    @Test func interopCheckPassesAgainstSymstudyServe() throws {
        let server = try ServiceTestSupport.startServer()
        defer { server.stop() }
        let script = TestEnvironment.shared.appendingPathComponent("bench/optuna/interop_check.py").path
        let text = try String(contentsOfFile: script, encoding: .utf8)
        let output = try TestEnvironment.runPython(text, ["--port", "\(server.port)"])
        let passed = output.split(separator: "\n").filter { $0.hasPrefix("PASS") }
        #expect(!output.contains("FAIL"), "\(output)")
        #expect(passed.count == 18, "\(output)")
    }

    @Test func tpePruningRacedQueueMultiObjectiveAndAttributes() throws {
        let server = try ServiceTestSupport.startServer()
        defer { server.stop() }
        let result = try ServiceTestSupport.json(try ServiceTestSupport.python("optuna_client_checks.py", ["--port", "\(server.port)"]))
        #expect(result["tpe"]?.objectValue?["pruned"]?.intValue ?? 0 >= 1)
        #expect(result["race"]?.objectValue?["trials"] == 20)
        #expect(result["multi_objective"]?.objectValue?["trials"] == 18)
        #expect(result["attributes"] == "ok")
        // Every Optuna trial was tied to its connection and released when told: none left to fail.
        #expect(server.sweepStaleTrials().isEmpty)
    }

    @Test func optunaDashboardReadsAStudyThroughTheProxy() throws {
        let server = try ServiceTestSupport.startServer()
        defer { server.stop() }
        let storage = try RemoteStudyStorage(host: "127.0.0.1", port: server.port,
                                             sampler: SamplerSpecification(name: "RandomSampler", options: ["seed": 1]))
        let study = try Study.create(name: "dashboard", storage: storage, direction: .minimize)
        try study.optimize(nTrials: 12) { trial in
            let a = try trial.suggestFloat("a", -2, 2), b = try trial.suggestInt("b", 0, 5)
            return a * a + Double(b)
        }
        let seen = try ServiceTestSupport.json(try ServiceTestSupport.python("dashboard_check.py", ["--port", "\(server.port)", "--study", "dashboard"]))
        #expect(seen["trials"] == 12)
        #expect(seen["params"] == ["a", "b"])
        #expect(seen["best"]?.arrayValue?.first?.doubleValue == (try study.bestValue))
    }

    @Test func optunaGrpcStorageAgainstOptunasOwnProxy() throws {
        let port = try Self.freePort()
        let script = TestEnvironment.shared.appendingPathComponent("bench/optuna/grpc_proxy_server.py").path
        let proxy = try ChildProcess(try TestEnvironment.python(), [script, "--url", "memory", "--port", "\(port)"])
        defer { proxy.kill() }  // Optuna's proxy can take minutes to exit on SIGTERM while a client is connected
        _ = try proxy.waitForLine(containing: "listening")
        let storage = try OptunaGrpcStorage(host: "127.0.0.1", port: port)
        let study = try Study.create(name: "from-symstudy", storage: storage, direction: .minimize,
                                     sampler: TPESampler(seed: 4, nStartupTrials: 5), pruner: MedianPruner())
        try study.enqueueTrial(params: ["x": .double(0.5), "c": .string("b")])
        try study.optimize(nTrials: 15) { trial in
            let x = try trial.suggestFloat("x", -3, 3)
            let c = try trial.suggestCategorical("c", ["a", "b"])
            try trial.report(x * x, step: 0)
            try trial.setUserAttribute("note", ["c": .string(c)])
            return x * x + (c == "a" ? 1 : 0)
        }
        let trials = try study.trials()
        #expect(trials.map(\.number) == Array(0..<15))
        #expect(trials.allSatisfy { $0.state == .complete && $0.intermediateValues[0] != nil })
        #expect(trials[0].params == ["x": .double(0.5), "c": .string("b")])
        #expect(trials.allSatisfy { $0.datetimeStart != nil && $0.datetimeComplete! >= $0.datetimeStart! })
        // Python Optuna, through its own proxy, sees what symstudy wrote.
        let check = """
        import optuna, sys
        from optuna.storages import GrpcStorageProxy
        s = optuna.load_study(study_name="from-symstudy", storage=GrpcStorageProxy(host="127.0.0.1", port=int(sys.argv[1])))
        print(len(s.trials), s.best_value, s.trials[0].params["c"], s.trials[3].user_attrs["note"]["c"] in ("a", "b"))
        """
        let output = try TestEnvironment.runPython(check, ["\(port)"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(output == "15 \(pythonFloatRepr(try study.bestValue)) b True")
        #expect(throws: StorageError.self) { try storage.studyID(named: "missing") }
        #expect(throws: StorageError.self) { try Study.create(name: "from-symstudy", storage: storage, direction: .minimize) }
    }

    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw TestEnvironment.Missing(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
