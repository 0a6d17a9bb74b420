import Foundation
import StudyEngine
@testable import StudyService
import Testing
import TestSupport

/// `symstudy serve` as its own process on a durable storage: killed and restarted under running workers,
/// and loaded by symstudy and Python Optuna workers at once.
@Suite("symstudy serve on durable storage", .serialized)
struct DurableServerTests {
    /// A storage URL of `kind` in `folder`, and a way to audit it without the server.
    static func storage(_ kind: String, in folder: URL) throws -> (url: String, open: () throws -> any StudyStorage) {
        switch kind {
        case "journal":
            let path = folder.appendingPathComponent("study.log").path
            return ("journal:///" + path.dropFirst(), { try JournalStorage(path: path) })
        default:
            let url = try StorageURL(parsing: kind == "sqlite" ? "sqlite:///\(folder.path)/study.db" : try TestEnvironment.postgresURL())
            return (url.description, { try url.open() })
        }
    }

    static func serve(_ url: String, port: Int, _ extra: [String] = []) throws -> ChildProcess {
        let server = try ChildProcess(try ServiceTestSupport.product("symstudy"),
                                      ["serve", "--storage", url, "--port", "\(port)"] + extra)
        _ = try server.servePort()
        return server
    }

    @Test func workersCarryOnWhenTheServerIsKilledAndRestarted() throws {
        let folder = try ServiceTestSupport.temporaryFolder("restart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (url, audit) = try Self.storage("journal", in: folder)
        let port = try OptunaInteropTests.freePort()
        let options = ["--heartbeat-interval", "0.5", "--grace-period", "1.5", "--connection-grace-period", "1.5"]
        var server = try Self.serve(url, port: port, options)
        let bench = try ServiceTestSupport.product("symstudy-bench")
        let perWorker = 60
        let workers = try (0..<2).map { index in
            try ChildProcess(bench, ["storage-worker", "--storage", "grpc://127.0.0.1:\(port)", "--study", "restart", "--trials", "\(perWorker)",
                                     "--sleep", "0.02", "--seed", "\(index)", "--index", "\(index)"],
                             environment: ["SYMSTUDY_SERVICE_RETRY_SECONDS": "60"])
        }
        let midway = try ServiceTestSupport.eventually(60) {
            let storage = try audit()
            guard let study = try? storage.studyID(named: "restart") else { return false }
            return try storage.trialCount(studyID: study, states: [.complete]) >= 20
        }
        #expect(midway)
        server.kill()
        Thread.sleep(forTimeInterval: 1)
        server = try Self.serve(url, port: port, options)
        defer { server.terminate() }
        for worker in workers { #expect(worker.wait(seconds: 120) == 0, "\(worker.stderr)") }

        let storage = try audit()
        let trials = try storage.trials(studyID: try storage.studyID(named: "restart"))
        let complete = trials.filter { $0.state == .complete }
        #expect(complete.count == 2 * perWorker)
        #expect(trials.map(\.number) == Array(0..<trials.count))
        // A trial whose ask reached the dying server but whose answer did not is failed, never left running.
        let others = trials.filter { $0.state != .complete }
        #expect(others.count <= 2 && others.allSatisfy { $0.state == .fail }, "\(others.map { ($0.number, $0.state) })")
    }

    @Test(arguments: ["journal", "sqlite", "postgresql"])
    func fourSymstudyAndFourOptunaWorkersShareOneServer(_ kind: String) throws {
        let folder = try ServiceTestSupport.temporaryFolder("load")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (url, audit) = try Self.storage(kind, in: folder)
        let port = try OptunaInteropTests.freePort()
        let server = try Self.serve(url, port: port)
        defer { server.terminate() }
        let remote = try RemoteStudyStorage(host: "127.0.0.1", port: port, sampler: SamplerSpecification(name: "RandomSampler"))
        // A fresh name: the PostgreSQL database outlives one test run.
        let name = "load-\(kind)-\(UUID().uuidString.prefix(8))"
        _ = try remote.createStudy(name: name, directions: [.minimize])
        let bench = try ServiceTestSupport.product("symstudy-bench")
        let perWorker = 250
        var workers = try (0..<4).map { index in
            try ChildProcess(bench, ["storage-worker", "--storage", "grpc://127.0.0.1:\(port)", "--study", name,
                                     "--trials", "\(perWorker)", "--seed", "\(index)", "--index", "\(index)"])
        }
        workers += try (0..<4).map { index in
            try ChildProcess.python("optuna_load_worker.py", ["--port", "\(port)", "--study", name, "--trials", "\(perWorker)", "--seed", "\(index)"])
        }
        for worker in workers { #expect(worker.wait(seconds: 600) == 0, "\(worker.stderr)") }
        server.terminate()
        let trials = try audit().trials(studyID: try audit().studyID(named: name))
        #expect(trials.count == 8 * perWorker)
        #expect(trials.map(\.number) == Array(0..<(8 * perWorker)))
        #expect(trials.allSatisfy { $0.state == .complete }, "\(Dictionary(grouping: trials, by: \.state).mapValues(\.count))")
    }
}
