import Foundation
import Testing

/// `symstudy rollout` driven as a user would: from a recorded Gymnasium initial state through the recorded
/// actions, its JSON must give Gymnasium's trajectory.
@Suite struct RolloutCommandTests {
    static let references = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/gym-reference")

    struct Output: Decodable {
        struct Step: Decodable { var observation: [Double]; var state: [Double]; var reward: Double; var terminated: Bool; var truncated: Bool }
        var steps: [Step]
    }

    func replay(_ env: String, _ file: String) throws {
        let data = try Data(contentsOf: Self.references.appendingPathComponent(file + ".json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let trajectory = try #require((root["trajectories"] as? [[String: Any]])?.last)
        let actions = try #require(trajectory["actions"] as? [Any])
        let initial = try #require(trajectory["initial_state"] as? [Double])
        let actionsFile = FileManager.default.temporaryDirectory.appendingPathComponent("rollout-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: actions).write(to: actionsFile)
        defer { try? FileManager.default.removeItem(at: actionsFile) }
        let stateText = String(decoding: try JSONSerialization.data(withJSONObject: initial), as: UTF8.self)
        let result = try SymstudyBinary.run(["rollout", env, "--from-state", stateText, "--actions", actionsFile.path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        let states = try #require(trajectory["states"] as? [[Double]])
        let observations = try #require(trajectory["observations"] as? [[Double]])
        let rewards = try #require(trajectory["rewards"] as? [Double])
        let terminated = try #require(trajectory["terminated"] as? [Bool])
        #expect(output.steps.count == actions.count)
        for (i, step) in output.steps.enumerated() {
            #expect(zip(step.state, states[i]).allSatisfy { abs($0 - $1) <= 1e-9 }, "\(file) step \(i) state")
            #expect(zip(step.observation, observations[i]).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(file) step \(i) observation")
            #expect(abs(step.reward - rewards[i]) <= 1e-6, "\(file) step \(i) reward")
            #expect(step.terminated == terminated[i], "\(file) step \(i) terminated")
        }
    }

    @Test func cartPoleFromARecordedState() throws { try replay("CartPole-v1", "CartPole-v1") }
    @Test func pendulumFromARecordedState() throws { try replay("Pendulum-v1", "Pendulum-v1") }
    @Test func acrobotFromARecordedState() throws { try replay("Acrobot-v1", "Acrobot-v1") }

    @Test func aBadActionNamesTheFileAndIndex() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-actions-\(UUID().uuidString).json")
        try Data("[0, 1, \"left\"]".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try SymstudyBinary.run(["rollout", "CartPole-v1", "--seed", "1", "--actions", file.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains(file.path) && result.stderr.contains("action 2"))
        let outOfRange = try SymstudyBinary.run(["rollout", "MountainCar-v0", "--actions", "/no/such/file.json"])
        #expect(outOfRange.status != 0 && outOfRange.stderr.contains("/no/such/file.json"))
    }
}
