@testable import Environments
import Foundation
import Testing

/// The Python bridge against real Gymnasium (from the test virtualenv of scripts/python-env.sh): its
/// trajectories from a recorded state equal the native environments' bit for bit. Fails, never skips,
/// without that Python.
@Suite struct PythonBridgeTests {
    /// The test virtualenv's python (`SYMSTUDY_PYTHON`, else `~/.venvs/symstudy-test/bin/python`).
    static func python() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["SYMSTUDY_PYTHON"],
                          NSHomeDirectory() + "/.venvs/symstudy-test/bin/python"].compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestFailure("no Python with gymnasium: run scripts/test.sh, or scripts/python-env.sh and set SYMSTUDY_PYTHON")
        }
        return found
    }

    func sameTrajectory<E: Environment>(_ native: E, _ gymID: String, file: String) throws {
        let python = try Self.python()
        var bridged = try PythonEnvironment(.gym, gymID, python: python)
        for trajectory in try ReferenceFile.load(file).trajectories {
            var env = native
            try env.setState(trajectory.initial_state)
            try bridged.setState(trajectory.initial_state)
            #expect(bridged.state == env.state)
            for raw in trajectory.actions {
                let value: ActionValue = env.actionSpace.discreteCount != nil ? .discrete(Int(raw)) : .continuous([raw])
                let a = env.step(try env.action(value))
                let b = bridged.step(try bridged.action(value))
                #expect(bridged.state == env.state, "\(gymID) seed \(trajectory.seed): the bridged state equals the native one")
                #expect(bridged.observation == env.observation)
                #expect(abs(a.reward - b.reward) <= 3e-10 && a.terminated == b.terminated && a.truncated == b.truncated)
            }
            #expect(bridged.objects == env.objects, "objects come from the native twin")
        }
    }

    @Test func gymnasiumCartPoleEqualsTheNativeOne() throws {
        try sameTrajectory(CartPole(), "CartPole-v1", file: "CartPole-v1")
        try sameTrajectory(CartPole(), "CartPole-v1", file: "CartPole-v1_heuristic")
    }

    @Test func severalWorkersRunSideBySide() async throws {
        async let pendulum: Void = Task.detached { try sameTrajectory(Pendulum(), "Pendulum-v1", file: "Pendulum-v1") }.value
        async let acrobot: Void = Task.detached { try sameTrajectory(Acrobot(), "Acrobot-v1", file: "Acrobot-v1") }.value
        async let car: Void = Task.detached { try sameTrajectory(MountainCar(), "MountainCar-v0", file: "MountainCar-v0") }.value
        _ = try await (pendulum, acrobot, car)
    }

    @Test func aMissingPackageNamesTheCommandThatInstallsIt() throws {
        let python = try Self.python()
        do {
            _ = try PythonEnvironment(.ocatari, "Pong-v5", python: python)
            Issue.record("the test virtualenv has no ocatari, so making ocatari:Pong-v5 must fail")
        } catch {
            #expect(error.localizedDescription.contains("pip install ocatari ale-py gymnasium"), "\(error.localizedDescription)")
        }
        do {
            _ = try PythonEnvironment(.gym, "CartPole-v1", python: "/no/such/python")
            Issue.record("a missing python must fail")
        } catch {
            #expect(error.localizedDescription.contains("python3 -m venv"), "\(error.localizedDescription)")
        }
        do {
            _ = try PythonEnvironment(.gym, "NoSuchEnv-v0", python: python)
            Issue.record("an unknown id must fail")
        } catch {
            #expect(error.localizedDescription.contains("NoSuchEnv"), "\(error.localizedDescription)")
        }
    }
}
