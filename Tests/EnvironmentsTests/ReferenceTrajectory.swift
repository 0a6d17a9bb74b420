import Foundation
import Testing

/// One file of `../shared/data/gym-reference/`: Gymnasium 1.4 trajectories (initial state, actions, then
/// observation, state, reward and terminated flag per step).
struct ReferenceFile: Decodable {
    struct Trajectory: Decodable {
        var seed: Int
        var initial_observation: [Double]
        var initial_state: [Double]
        var actions: [Double]
        var observations: [[Double]]
        var states: [[Double]]
        var rewards: [Double]
        var terminated: [Bool]
        var first_terminated_step: Int?
    }
    var env_id: String
    var state_layout: [String]
    var trajectories: [Trajectory]

    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/gym-reference")

    static func load(_ name: String) throws -> ReferenceFile {
        let url = folder.appendingPathComponent(name + ".json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TestFailure("reference file \(url.path) is missing: the tests need ../shared beside the repository")
        }
        return try JSONDecoder().decode(ReferenceFile.self, from: data)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The files every classic-control test replays.
let referenceFiles = ["CartPole-v1", "CartPole-v1_heuristic", "MountainCar-v0", "Acrobot-v1", "Pendulum-v1"]
