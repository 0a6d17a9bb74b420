import Environments
import Foundation
import SymbolicRegression
import Testing
@testable import PolicyLearning

@Suite("Symbolic policies") struct SymbolicPolicyTests {
    /// The first state of distill-pong.json: player (140, 125, 0, 2.65), ball (37, 97, -2, -2.63), enemy (16, 111, 0, 0.79).
    static let state = [
        ObjectState(type: 0, x: 140, y: 125, xVelocity: 0, yVelocity: 2.65),
        ObjectState(type: 1, x: 37, y: 97, xVelocity: -2, yVelocity: -2.63),
        ObjectState(type: 2, x: 16, y: 111, xVelocity: 0, yVelocity: 0.79),
    ]

    @Test("features: slot groups in type order, zero padding, relations, names")
    func features() throws {
        let featurizer = try #require(Featurizer.standard(for: "pong"))
        #expect(featurizer.featureNames == ["player_x", "player_y", "player_dx", "player_dy", "ball_x", "ball_y", "ball_dx", "ball_dy",
                                            "enemy_x", "enemy_y", "enemy_dx", "enemy_dy", "dx_player_ball", "dy_player_ball"])
        #expect(featurizer.features(Self.state) == [140, 125, 0, 2.65, 37, 97, -2, -2.63, 16, 111, 0, 0.79, -103, -28])
        // No ball: its slot and the relations are zeros; objects in any order.
        let noBall = [Self.state[2], Self.state[0]]
        #expect(featurizer.features(noBall) == [140, 125, 0, 2.65, 0, 0, 0, 0, 16, 111, 0, 0.79, 0, 0])
        let two = try Featurizer(objects: [.init(type: 1, name: "ball", slots: 2)], fields: [.y])
        #expect(two.featureNames == ["ball0_y", "ball1_y"])
        #expect(two.features(Self.state) == [97, 0])
        #expect(throws: FeaturizerError.self) { try Featurizer(objects: [.init(type: 1, name: "a"), .init(type: 1, name: "b")]) }
        // An object type with fields of its own: the paddles' y only, the ball's four.
        let own = try Featurizer(objects: [.init(type: 0, name: "player", fields: [.y]), .init(type: 1, name: "ball"),
                                           .init(type: 2, name: "enemy", fields: [.y])])
        #expect(own.featureNames == ["player_y", "ball_x", "ball_y", "ball_dx", "ball_dy", "enemy_y"])
        #expect(own.features(Self.state) == [125, 37, 97, -2, -2.63, 111])
        #expect(own.features(noBall) == [125, 0, 0, 0, 0, 111])
        let decoded = try JSONDecoder().decode(Featurizer.self, from: try JSONEncoder().encode(own))
        #expect(decoded == own)
        #expect(throws: FeaturizerError.self) { try Featurizer(objects: [.init(type: 1, name: "a", fields: [])]) }
    }

    /// The known rule of distill-pong as logits: NOOP 4, UP -t, DOWN t with t = dy_player_ball + 4 ball_dy.
    static func rulePolicy() throws -> SymbolicPolicy {
        let featurizer = try #require(Featurizer.standard(for: "pong"))
        let t: [Node] = [.function(.add), .feature(13), .function(.mul), .constant(4), .feature(7)]
        return try SymbolicPolicy(featurizer: featurizer, decoding: .argmax(actions: [0, 1, 2]),
                                  programs: [Program([.constant(4)]), Program([.function(.neg)] + t), Program(t)])
    }

    @Test("act, act on dicts, actBatch and JSON round trip agree; the rule matches distill-pong's labels")
    func act() throws {
        let policy = try Self.rulePolicy()
        // t = -28 + 4 * -2.63 < -4: UP, the dataset's label for this row.
        #expect(policy.act(state: Self.state) == .discrete(1))
        let dicts: [[String: Double]] = Self.state.map { ["type": Double($0.type), "x_position": $0.x, "y_position": $0.y,
                                                          "x_velocity": $0.xVelocity, "y_velocity": $0.yVelocity] }
        #expect(policy.act(state: dicts) == .discrete(1))
        let copy = try SymbolicPolicy.parse(policy.jsonText)
        #expect(copy == policy)
        #expect(policy.jsonText.contains("\"name\":\"dy_player_ball\""))

        let text = try String(contentsOfFile: "/work/shared/data/distill/distill-pong.json", encoding: .utf8)
        struct Row: Decodable { var state: [ObjectState]; var teacher_action: Int }
        let rows = try JSONDecoder().decode([Row].self, from: Data(text.utf8)).prefix(2000)
        let actions = policy.actBatch(states: rows.map(\.state))
        let agree = zip(actions, rows).filter { $0.0 == .discrete($0.1.teacher_action) }.count
        // 3% random labels, a third of them equal to the rule's action: about 98% agreement.
        #expect(agree >= 1930 && agree < 2000)
        let columns = policy.featurizer.columns(rows.map(\.state))
        #expect(policy.discreteActions(columns: columns, rows: rows.count)?.map { ActionValue.discrete($0) } == actions)
    }

    @Test("decodings: rounded and clamped, argmax ties, continuous clipped; bad policies are errors")
    func decodings() throws {
        let rounded = ActionDecoding.rounded(actions: [1, 0, 2])
        for (output, action) in [(-5.0, 1), (0.49, 1), (0.5, 0), (1.2, 0), (1.5, 2), (99, 2), (.infinity, 2), (.nan, 1)] {
            #expect([output].withUnsafeBufferPointer { rounded.decode($0) } == .discrete(action))
        }
        #expect([1.0, 3, 3].withUnsafeBufferPointer { ActionDecoding.argmax(actions: [5, 6, 7]).decode($0) } == .discrete(6))
        #expect([-2.0, .nan].withUnsafeBufferPointer { ActionDecoding.continuous(low: [-1, -1], high: [1, 1]).decode($0) } == .continuous([-1, -1]))
        let featurizer = try #require(Featurizer.standard(for: "cartpole"))
        #expect(throws: SymbolicPolicyError.self) {
            try SymbolicPolicy(featurizer: featurizer, decoding: .argmax(actions: [0, 1]), programs: [Program([.feature(0)])])
        }
        #expect(throws: SymbolicPolicyError.self) {
            try SymbolicPolicy(featurizer: featurizer, decoding: .rounded(actions: [0, 1]), programs: [Program([.feature(99)])])
        }
        #expect(throws: SymbolicPolicyError.self) { try SymbolicPolicy.parse("{\"programs\": [{\"op\": \"nope\"}]}") }
    }
}
