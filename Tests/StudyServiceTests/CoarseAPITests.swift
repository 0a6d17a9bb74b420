import Foundation
import StudyEngine
@testable import StudyService
import Synchronization
import Testing
import TestSupport

/// `Study.optimize` on a `grpc://` storage: the server samples and prunes; a trial costs Ask + Tell plus
/// one Report per step.
@Suite("symstudy's coarse API")
struct CoarseAPITests {
    @Test func optimizeCostsTwoCallsPerTrialPlusReports() throws {
        let server = try ServiceTestSupport.startServer()
        defer { server.stop() }
        let storage = try RemoteStudyStorage(host: "127.0.0.1", port: server.port,
                                             sampler: SamplerSpecification(name: "TPESampler", options: ["seed": 3, "n_startup_trials": 5]),
                                             pruner: PrunerSpecification(name: "MedianPruner", options: ["n_startup_trials": 3]))
        let study = try Study.create(name: "coarse", storage: storage, direction: .minimize)
        let before = server.callCounts
        let trials = 25, steps = 4
        try study.optimize(nTrials: trials) { trial in
            let x = try trial.suggestFloat("x", -4, 4)
            let depth = try trial.suggestInt("depth", 1, 6)
            let op = try trial.suggestCategorical("op", ["add", "mul"])
            try trial.setUserAttribute("expression", .string("\(op)(x, \(depth))"))
            var value = 0.0
            for step in 0..<steps {
                value = (x - 1) * (x - 1) + Double(depth) * 0.1 + (op == "mul" ? 0.3 : 0) + 1 / Double(step + 1)
                try trial.report(value, step: step)
                if try trial.shouldPrune() { throw TrialPruned() }
            }
            return value
        }
        let calls = server.callCounts.merging(before) { $0 - $1 }
        // The first trial suggests its three parameters one by one; every later ask names them.
        #expect(calls["symstudy.StudyService/Ask"] == trials)
        #expect(calls["symstudy.StudyService/Suggest"] == 3)
        #expect(calls["symstudy.StudyService/Tell"] == trials)
        let stored = try study.trials()
        let reported = stored.reduce(0) { $0 + $1.intermediateValues.count }
        #expect(calls["symstudy.StudyService/Report"] == reported)
        #expect(calls.filter { $0.key.hasPrefix("optuna.") && $0.value > 0 }.isEmpty, "\(calls)")
        #expect(stored.map(\.number) == Array(0..<trials))
        #expect(stored.allSatisfy { $0.state == .complete || $0.state == .pruned })
        #expect(stored.contains { $0.state == .pruned })
        #expect(stored.allSatisfy { Set($0.params.keys) == ["x", "depth", "op"] && $0.userAttributes["expression"] != nil })
        // The server's sampler and pruner are the study's, kept with it.
        let attributes = try storage.studySystemAttributes(id: study.id)
        #expect(attributes["symstudy:sampler"]?.objectValue?["name"] == "TPESampler")
        #expect(try study.bestValue < 1.5)
    }

    @Test func parallelAsksGetDistinctParameters() throws {
        let server = try ServiceTestSupport.startServer()
        defer { server.stop() }
        let storage = try RemoteStudyStorage(host: "127.0.0.1", port: server.port,
                                             sampler: SamplerSpecification(name: "TPESampler", options: ["seed": 7, "n_startup_trials": 8, "constant_liar": true]))
        let study = try Study.create(name: "liar", storage: storage, direction: .minimize)
        let space: [String: ParameterDistribution] = ["x": .float(try FloatDistribution(low: -5, high: 5)),
                                                      "k": .int(try IntDistribution(low: 0, high: 20))]
        for _ in 0..<12 {
            let trial = try study.ask(fixedDistributions: space)
            let x = trial.params["x"]!.doubleValue!
            try study.tell(trial, value: x * x + Double(trial.params["k"]!.intValue!))
        }
        // Eight workers ask at once; none is told before all have asked.
        let asked = Mutex<[[String: ParameterValue]]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if let trial = try? study.ask(fixedDistributions: space) { asked.withLock { $0.append(trial.params) } }
        }
        let params = asked.withLock { $0 }
        #expect(params.count == 8)
        #expect(Set(params.map { $0["x"]!.doubleValue! }).count == 8)
        #expect(try study.trials(states: [.running]).count == 8)
        // Each was sampled with the ones before it running: the server asked one at a time.
        #expect(Set(try study.trials(states: [.running]).map(\.number)) == Set(12..<20))
    }

    @Test func askAndTellAcrossProcessesAsOptunasCLIDoes() throws {
        let server = try ServiceTestSupport.startServer()
        defer { server.stop() }
        let url = "grpc://127.0.0.1:\(server.port)"
        let symstudy = try ServiceTestSupport.product("symstudy")
        func run(_ arguments: [String]) throws -> String {
            let child = try ChildProcess(symstudy, arguments)
            let status = child.wait(seconds: 60)
            guard status == 0 else { throw TestEnvironment.Missing(description: "symstudy \(arguments): exit \(status): \(child.stderr)") }
            return child.stdout
        }
        _ = try run(["create-study", "--study-name", "cli", "--storage", url, "--direction", "minimize"])
        let space = #"{"x": {"name": "FloatDistribution", "attributes": {"low": -1.0, "high": 1.0, "log": false, "step": null}}}"#
        for _ in 0..<3 {
            let asked = try ServiceTestSupport.json(try run(["ask", "--study-name", "cli", "--storage", url, "--search-space", space,
                                                             "--sampler", "RandomSampler", "--sampler-kwargs", #"{"seed": 5}"#]))
            let number = asked["number"]!.intValue!
            let x = asked["params"]!.objectValue!["x"]!.doubleValue!
            _ = try run(["tell", "--study-name", "cli", "--storage", url, "--trial-number", "\(number)", "--values", "\(x * x)"])
        }
        let best = try ServiceTestSupport.json(try run(["best-trial", "--study-name", "cli", "--storage", url, "--format", "json"]))
        let storage = try RemoteStudyStorage(host: "127.0.0.1", port: server.port)
        let trials = try storage.trials(studyID: try storage.studyID(named: "cli"))
        #expect(trials.count == 3 && trials.allSatisfy { $0.state == .complete })
        #expect(best["value"]?.doubleValue == trials.compactMap(\.value).min())
        // Asked without heartbeats: nothing was failed while no process ran the trials.
        #expect(try storage.trialCount(studyID: try storage.studyID(named: "cli"), states: [.fail]) == 0)
    }

    @Test func aPythonWorkerUsesTheCoarseAPIAsTheREADMEShows() throws {
        let server = try ServiceTestSupport.startServer()
        defer { server.stop() }
        let folder = try ServiceTestSupport.temporaryFolder("python-stubs")
        defer { try? FileManager.default.removeItem(at: folder) }
        let protos = ServiceTestSupport.repository.appendingPathComponent("Protos").path
        let protoc = try ChildProcess(try TestEnvironment.python(), ["-m", "grpc_tools.protoc", "-I", protos, "--python_out=\(folder.path)",
                                                                    "--grpc_python_out=\(folder.path)", protos + "/symstudy_study_service.proto"])
        #expect(protoc.wait() == 0, "\(protoc.stderr)")
        let script = try String(contentsOf: ServiceTestSupport.fixtures.appendingPathComponent("coarse_client_example.py"), encoding: .utf8)
        let output = try TestEnvironment.runPython(script, ["--port", "\(server.port)", "--trials", "20"], environment: ["PYTHONPATH": folder.path])
        let best = try ServiceTestSupport.json(output)
        let calls = server.callCounts
        #expect(calls["symstudy.StudyService/Ask"] == 20 && calls["symstudy.StudyService/Tell"] == 20)
        #expect(calls["symstudy.StudyService/Suggest"] == nil)
        let storage = try RemoteStudyStorage(host: "127.0.0.1", port: server.port)
        let study = try storage.studyID(named: "python-worker")
        let trials = try storage.trials(studyID: study)
        #expect(trials.count == 20 && trials.allSatisfy { $0.state == .complete || $0.state == .pruned })
        #expect(calls["symstudy.StudyService/Report"] == trials.reduce(0) { $0 + $1.intermediateValues.count })
        #expect(best["best_value"]?.doubleValue == (try storage.bestTrial(studyID: study)).value)
        #expect(trials.allSatisfy { $0.userAttributes["expression"]?.stringValue != nil })
    }
}
