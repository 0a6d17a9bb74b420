import Foundation
import StudyEngine
import Testing
import TestSupport

/// `symstudy optimize` run by several processes on one SQLite file: together they run exactly the study
/// file's number of trials.
@Suite("optimize: several processes on one study") struct OptimizeWorkersTests {
    @Test("two optimize processes (2 jobs each) on one SQLite file finish exactly the asked 16 trials")
    func twoProcessesShareTheBudget() throws {
        let folder = try TemporaryFolder()
        let file = folder.path("shared.yaml")
        try """
        objective:
          kind: command
          command: 'sleep 0.2; echo "$SYMSTUDY_PARAM_X"'
        search_space:
          x: {float: [0, 1]}
        sampler: {name: RandomSampler, options: {seed: 1}}
        trials: 16
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let binary = TestProcess.product("symstudy")
        let errors = [Pipe(), Pipe()]
        let workers = try errors.map { try TestProcess.start(binary, ["optimize", file, "--jobs", "2", "--plain"], stderr: $0) }
        for (worker, pipe) in zip(workers, errors) {
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            worker.waitUntilExit()
            #expect(worker.terminationStatus == 0, "\(text)")
            // Both took part (trials of 0.2 s: neither is done before the other starts).
            #expect(text.contains(" COMPLETE values="), "a worker ran no trial: \(text)")
        }
        let storage = try StorageURL(parsing: "sqlite:///" + folder.path("shared.db")).open()
        let study = try Study.load(name: "shared", storage: storage)
        let trials = try study.trials()
        #expect(trials.count == 16)
        #expect(trials.map(\.number).sorted() == Array(0..<16))
        #expect(trials.allSatisfy { $0.state == .complete })
    }
}
