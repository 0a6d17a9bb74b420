import Foundation
import Testing

/// `symstudy bench env`, `teach --scripted` and `record`, driven as a user would.
@Suite struct EnvironmentCommandsTests {
    @Test func benchPrintsTheJSONFieldsTheIssueNames() throws {
        for copies in ["1", "64"] {
            let r = try SymstudyBinary.run(["bench", "env", "Acrobot-v1", "--copies", copies, "--seconds", "0.05", "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["env", "copies", "threads", "steps", "wall_seconds", "cpu_seconds", "steps_per_second", "steps_per_cpu_second"])
            #expect(object["env"] as? String == "Acrobot-v1" && (object["steps"] as? Int ?? 0) > 0)
        }
        let bad = try SymstudyBinary.run(["bench", "env", "Pong", "--copies", "8"])
        #expect(bad.status != 0 && bad.stderr.contains("batch"))
    }

    @Test func aScriptedTeacherIsRecordedAsADiffSESDataset() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("teach-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let teacher = folder.appendingPathComponent("pong.json").path, dataset = folder.appendingPathComponent("pong-data.json").path
        let taught = try SymstudyBinary.run(["teach", "Pong", "--scripted", "pong-aim-edge", "--out", teacher, "--episodes", "2"])
        #expect(taught.status == 0, "\(taught.stderr)")
        #expect(taught.stdout.contains("scripted teacher 'pong-aim-edge'") && taught.stdout.contains("points won"))
        let recorded = try SymstudyBinary.run(["record", "Pong", "--teacher", teacher, "--episodes", "1", "--max-rows", "100", "--out", dataset])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dataset))) as? [[String: Any]])
        #expect(rows.count == 100 && rows[0]["state"] is [[String: Any]] && rows[0]["teacher_action"] is Int)
        let wrong = try SymstudyBinary.run(["record", "CartPole-v1", "--teacher", teacher])
        #expect(wrong.status != 0 && wrong.stderr.contains("Pong"))
        let missing = try SymstudyBinary.run(["record", "Pong", "--teacher", folder.appendingPathComponent("none.json").path])
        #expect(missing.status != 0 && missing.stderr.contains("none.json"))
    }
}
