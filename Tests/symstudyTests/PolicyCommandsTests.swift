import Foundation
import StudyEngine
import Testing
import TestSupport

/// `export`, `replay` and `transfer` on a study in a real SQLite file whose trials hold policies, as
/// `distill` trials store them (user attribute `policy`).
@Suite("Policy commands") struct PolicyCommandsTests {
    /// Pong's standard featurizer with the ball's offset from the player; the action: 2 (down) when the ball
    /// is more than 4 px below the player's top, 0 (up) when more than 4 px above, else 1.
    static let followBall = #"""
    {"featurizer": {"objects": [{"type": 0, "name": "player", "slots": 1}, {"type": 1, "name": "ball", "slots": 1}, {"type": 2, "name": "enemy", "slots": 1}],
                    "fields": ["x", "y", "dx", "dy"], "relations": [{"kind": "dy", "from": {"type": 0, "slot": 0}, "to": {"type": 1, "slot": 0}}]},
     "decoding": {"rounded": {"actions": [0, 1, 2]}},
     "programs": [{"op": "add", "args": [{"constant": 1.0}, {"op": "sub", "args": [
        {"op": "gt", "args": [{"feature": 12, "name": "dy_player_ball"}, {"constant": 4.0}]},
        {"op": "gt", "args": [{"constant": -4.0}, {"feature": 12, "name": "dy_player_ball"}]}]}]}]}
    """#

    /// A study whose trial 1 (the best) holds the policy, trial 0 a worse one, trial 2 a formula only.
    static func study(at url: String) throws {
        let study = try Study.create(name: "pong", storage: try StorageURL(parsing: url).open(), direction: .maximize)
        let attributes: [[String: JSONValue]] = [
            ["policy": .string(followBall.replacingOccurrences(of: "\"constant\": 4.0", with: "\"constant\": 40.0"))],
            ["policy": .string(followBall), "expression": ["text": "1.0 + gt(dy_player_ball, 4.0) - gt(-4.0, dy_player_ball)", "size": 8]],
            ["program": .string(#"{"op":"mul","args":[{"feature":0,"name":"mass"},{"constant":2.5}]}"#)],
        ]
        let values = [0.5, 0.9, 0.1]
        try study.optimize(nTrials: 3) { (trial: Trial) throws -> Double in
            for (key, value) in attributes[trial.number] { try trial.setUserAttribute(key, value) }
            return values[trial.number]
        }
    }

    struct Record: Decodable {
        struct Object: Decodable {
            var type: Int
            var y_position: Double
        }
        var state: [Object]
    }

    @Test("export --format python: the module run by python3 acts as the policy on every dataset state")
    func exportPython() throws {
        let folder = try TemporaryFolder()
        let url = "sqlite:///" + folder.path("pong.db")
        try Self.study(at: url)
        let module = folder.path("policy.py")
        let exported = try SymstudyBinary.run(["export", "pong", "--storage", url, "--format", "python", "--out", module])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stderr.contains("study 'pong', trial 1"))
        let dataset = TestEnvironment.shared.appendingPathComponent("data/distill/distill-pong.json")
        let python = try TestProcess.run(URL(fileURLWithPath: try TestEnvironment.python()), [module, dataset.path])
        #expect(python.status == 0, "\(python.stderr)")
        let actions = python.stdout.split(separator: "\n").map { Int($0)! }
        let records = try JSONDecoder().decode([Record].self, from: Data(contentsOf: dataset))
        let expected = records.map { record -> Int in
            let dy = record.state.first { $0.type == 1 }!.y_position - record.state.first { $0.type == 0 }!.y_position
            return dy > 4 ? 2 : (dy < -4 ? 0 : 1)
        }
        #expect(actions == expected)
        #expect(Set(actions) == [0, 1, 2])

        let formula = try SymstudyBinary.run(["export", "pong", "--storage", url, "--trial", "2", "--format", "sympy"])
        #expect(formula.status == 0 && formula.stdout.contains("(mass)*(2.5)"), "\(formula.stderr)")
        let latex = try SymstudyBinary.run(["export", "pong", "--storage", url, "--format", "latex"])
        #expect(latex.stdout.contains("\\mathrm{dy\\_player\\_ball}"))
    }

    @Test("replay and transfer: the study's best policy and its exported JSON play alike; transfer reports both agents")
    func replayAndTransfer() throws {
        let folder = try TemporaryFolder()
        let url = "sqlite:///" + folder.path("pong.db")
        try Self.study(at: url)
        let policyFile = folder.path("policy.json")
        #expect(try SymstudyBinary.run(["export", "pong", "--storage", url, "--format", "json", "--out", policyFile]).status == 0)

        func replay(_ source: [String]) throws -> [String: Any] {
            let result = try SymstudyBinary.run(["replay"] + source + ["--env", "Pong", "--episodes", "2", "--seed", "5", "-f", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        }
        let fromStudy = try replay(["pong", "--storage", url])
        let fromFile = try replay([policyFile])
        #expect(fromStudy["returns"] as? [Double] == fromFile["returns"] as? [Double])
        #expect((fromStudy["points_won"] as? Int ?? 0) + (fromStudy["points_lost"] as? Int ?? 0) > 0)
        let worse = try replay(["pong", "--storage", url, "--trial", "0"])
        #expect(worse["returns"] as? [Double] != fromStudy["returns"] as? [Double])

        let frames = folder.path("frames")
        let rendered = try SymstudyBinary.run(["replay", policyFile, "--env", "Pong", "--episodes", "1", "--render-frames", frames, "--max-frames", "5"])
        #expect(rendered.status == 0 && rendered.stdout.contains("points won"), "\(rendered.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: frames).sorted() == (0..<5).map { "frame_0000\($0).png" })

        let transfer = try SymstudyBinary.run(["transfer", "pong", "--storage", url, "--env", "Pong", "--change", "paddle_speed=3",
                                               "--change", "ball_speed=5", "--episodes", "2", "--seed", "5", "-f", "json"])
        #expect(transfer.status == 0, "\(transfer.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(transfer.stdout.utf8)) as? [String: Any])
        #expect(report["changes"] as? String == "paddle_speed=3, ball_speed=5")
        let agents = try #require(report["agents"] as? [[String: Any]])
        #expect(agents.map { $0["agent"] as? String } == ["scripted teacher 'pong-aim-edge'", "symbolic policy"])
        let returns = fromStudy["returns"] as? [Double] ?? []
        #expect((agents[1]["before"] as? [String: Any])?["returns"] as? [Double] == returns)
        for agent in agents {
            let before = (agent["before"] as? [String: Any])?["mean_return"] as? Double ?? .nan
            let after = (agent["after"] as? [String: Any])?["mean_return"] as? Double ?? .nan
            #expect(abs((agent["drop"] as? Double ?? .nan) - (before - after)) < 1e-9)
            #expect((agent["after"] as? [String: Any])?["point_share"] is Double)
        }
        let text = try SymstudyBinary.run(["transfer", policyFile, "--env", "Pong", "--change", "paddle_speed=3", "--episodes", "1"])
        #expect(text.status == 0 && text.stdout.contains("points won") && text.stdout.contains("drop"), "\(text.stderr)")
    }

    @Test("errors: no policy to play, an unknown trial, an unknown parameter, a game without parameters, no frames for CartPole")
    func errors() throws {
        let folder = try TemporaryFolder()
        let url = "sqlite:///" + folder.path("pong.db")
        try Self.study(at: url)
        let cases: [([String], String)] = [
            (["replay", "pong", "--storage", url, "--trial", "2", "--env", "Pong"], "holds a formula"),
            (["export", "pong", "--storage", url, "--trial", "9", "--format", "c"], "trial 9: no such trial"),
            (["transfer", "pong", "--storage", url, "--env", "Pong", "--change", "paddle_sped=3"], "its parameters: ball_speed"),
            (["transfer", "pong", "--storage", url, "--env", "Pong", "--change", "paddle_speed=fast"], "expected KEY=NUMBER"),
            (["transfer", "pong", "--storage", url, "--env", "Pong", "--change", "paddle_speed=0"], "paddleSpeed must be in (0, 50]"),
            (["transfer", "pong", "--storage", url, "--env", "Acrobot-v1", "--change", "gravity=3"], "Acrobot-v1 has no parameters to change"),
            (["replay", "pong", "--storage", url, "--env", "CartPole-v1", "--render-frames", folder.path("f")], "needs a game that renders"),
            (["replay", folder.path("missing.json"), "--env", "Pong"], "cannot read the file"),
            (["export", "pong", "--storage", url, "--format", "fortran"], "fortran"),
        ]
        for (arguments, message) in cases {
            let result = try SymstudyBinary.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
