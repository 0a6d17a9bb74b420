import Foundation
import StudyEngine
import Testing
import TestSupport

/// `symstudy optimize` on distill and regress study files, end to end through the real binary and SQLite.
@Suite struct DistillStudyCommandTests {
    @Test("optimize a tiny distill study: the asked trials, each with a policy; a bad study file exits non-zero naming file, line and key")
    func distillStudy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("distill-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = TestEnvironment.shared.appendingPathComponent("data/distill/distill-pong.json").path
        let study = """
        name: tiny-distill
        objective:
          kind: distill
          dataset: \(data)
          features:
            objects: [{type: 0, name: player}, {type: 1, name: ball}]
            fields: [y, dy]
            relations: [{kind: dy, from: player, to: ball}]
          decoding: {rounded: [1, 0, 2]}
          split: {train: [0, 1999], test: [15000, 15999]}
        search_space:
          population_size: 60
          generations: 2
          tournament_size: {int: [2, 10]}
        trials: 3
        """
        let file = folder.appendingPathComponent("tiny.yaml").path
        try study.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try SymstudyBinary.run(["optimize", file])
        #expect(run.status == 0, "\(run.stderr)")
        let storage = try StorageURL(parsing: "sqlite:///" + folder.appendingPathComponent("tiny.db").path).open()
        let trials = try storage.trials(studyID: try storage.studyID(named: "tiny-distill"))
        let complete = trials.filter { $0.state == .complete }.count
        let policies = trials.compactMap { $0.userAttributes["policy"]?.jsonText }
        #expect(complete == 3 && policies.count == 3)
        #expect(policies.allSatisfy { $0.contains("\"feature_names\"") && $0.contains("dy_player_ball") })

        try study.replacingOccurrences(of: "fields: [y, dy]", with: "fields: [y, speed]").write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try SymstudyBinary.run(["optimize", file])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("\(file):7: objective.features.fields[1]"), "\(bad.stderr)")
    }
}
