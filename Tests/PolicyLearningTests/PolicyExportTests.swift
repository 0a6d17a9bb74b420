import Environments
import Foundation
import StudyEngine
import SymbolicRegression
import Testing
import TestSupport
@testable import PolicyLearning

/// The exported policies act as `SymbolicPolicy` acts: the Python module (run by python3 with NumPy only),
/// the C and Swift sources (compiled and run), on every state of the DiffSES dataset and on states with
/// missing and extra objects.
@Suite("Policy export") struct PolicyExportTests {
    struct Record: Decodable {
        var state: [ObjectState]
    }

    /// The 20,000 dataset states, then states with absent, repeated and unknown objects.
    static let states: [[ObjectState]] = {
        let url = TestEnvironment.shared.appendingPathComponent("data/distill/distill-pong.json")
        let records = (try? JSONDecoder().decode([Record].self, from: Data(contentsOf: url))) ?? []
        let ball = ObjectState(type: 1, x: 70.5, y: 120.25, xVelocity: -4, yVelocity: 2.5)
        let player = ObjectState(type: 0, x: 140, y: 100, yVelocity: -8)
        return records.map(\.state) + [[], [ball], [player], [ball, ball, player], [player, ObjectState(type: 7, x: 1, y: 2), ball],
                                       [ObjectState(type: 1, x: 0.0004, y: -0.0002), player, ObjectState(type: 1, x: 1e30, y: -1e30)]]
    }()

    static func program(_ text: String, _ featurizer: Featurizer) throws -> Program {
        try InfixFormat.parse(text, functionSet: ExportSubject.operators, featureNames: featurizer.featureNames)
    }

    /// Three policies that between them use every decoding, many operators (protected ones at their edges),
    /// several slots of one type, padding, an object type with fields of its own and every relation kind.
    static func policies() throws -> [SymbolicPolicy] {
        let pong = try #require(Featurizer.standard(for: "pong"))
        // Outputs -1.3, 0, 1.3 and 2.6: indices 0 (clamped), 0, 1 and 2 (clamped) into [1, 0, 2].
        let rounded = try SymbolicPolicy(featurizer: pong, decoding: .rounded(actions: [1, 0, 2]), programs: [
            try program("((gt(ball_y, (player_y + 7.5)) * 2.0) + gt((player_y + 1.0), ball_y) - (0.001 / (ball_dx - ball_dx))) * 1.3", pong),
        ])
        let argmax = try SymbolicPolicy(featurizer: pong, decoding: .argmax(actions: [0, 2, 1]), programs: [
            try program("sin(ball_y / player_y) + log(ball_dx * dy_player_ball)", pong),
            try program("(sqrt(dy_player_ball) + (dy_player_ball * 0.25)) - (ball_dy * inv(enemy_dy))", pong),
            try program("if_then_else(dx_player_ball, max(ball_dy, 1.5), tan(enemy_y)) - exp(sig(ball_x) * 3.0)", pong),
        ])
        let two = try Featurizer(objects: [.init(type: 1, name: "ball", slots: 2), .init(type: 0, name: "player", fields: [.x, .dy])], fields: [.y, .dx],
                                 relations: [.init(kind: .distance, from: .init(type: 0), to: .init(type: 1, slot: 1)),
                                             .init(kind: .dvy, from: .init(type: 1), to: .init(type: 0)),
                                             .init(kind: .dvx, from: .init(type: 0), to: .init(type: 1))])
        let continuous = try SymbolicPolicy(featurizer: two, decoding: .continuous(low: [-1, 0], high: [1, 5]), programs: [
            try program("(ball0_y - player_x) / 50.0 + player_dy", two),
            try program("pow(distance_player_ball1, 0.5) + square(dvy_ball_player) + within_range(ball1_y, player_x, -5.0, 5.0)", two),
        ])
        return [rounded, argmax, continuous]
    }

    static func actionText(_ action: ActionValue) -> String {
        switch action {
        case .discrete(let a): return "\(a)"
        case .continuous(let values): return "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
        }
    }

    @Test("the Python module's act_batch and act give symstudy's actions on every dataset state")
    func pythonActsAsSymstudy() throws {
        let folder = try TemporaryFolder()
        let states = Self.states
        #expect(states.count == 20_006)
        let statesFile = folder.path("states.json")
        try JSONEncoder().encode(states).write(to: URL(fileURLWithPath: statesFile))
        for (index, policy) in try Self.policies().enumerated() {
            let module = folder.path("policy\(index).py")
            try PolicyExport.python(policy, origin: "test policy \(index)").write(toFile: module, atomically: true, encoding: .utf8)
            // act_batch on all states, act on every 50th; floats printed exactly (repr round-trips).
            let script = """
            import importlib.util, json, sys
            spec = importlib.util.spec_from_file_location("policy", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
            states = json.load(open(sys.argv[2]))
            batch = m.act_batch(states)
            single = [m.act(states[i]) for i in range(0, len(states), 50)]
            assert single == batch[::50], "act and act_batch disagree"
            for a in batch: print(a if isinstance(a, int) else "[" + ", ".join(repr(float(v)) for v in a) + "]")
            """
            let output = try TestEnvironment.runPython(script, [module, statesFile]).split(separator: "\n").map(String.init)
            let expected = policy.actBatch(states: states).map(Self.actionText)
            #expect(output.count == expected.count)
            let differing = zip(output, expected).enumerated().filter { $0.element.0 != $0.element.1 }
            let count = differing.count, first = differing.first.map { "state \($0.offset): python \($0.element.0), symstudy \($0.element.1)" } ?? ""
            #expect(count == 0, "policy \(index): \(count) state(s) differ, first \(first)")
            if index < 2 { #expect(Set(expected).count > 1, "policy \(index) gives one action only: a weak check") }
        }
    }

    @Test("the C and Swift sources compile and give symstudy's actions")
    func cAndSwiftActAsSymstudy() throws {
        let folder = try TemporaryFolder()
        let states = Array(Self.states.prefix(2000)) + Self.states.suffix(6)
        // One state per line: objects as "type x y dx dy", separated by ";" (an empty line: no objects).
        let statesFile = folder.path("states.txt")
        try states.map { state in state.map { "\($0.type) \($0.x) \($0.y) \($0.xVelocity) \($0.yVelocity)" }.joined(separator: ";") }
            .joined(separator: "\n").appending("\n").write(toFile: statesFile, atomically: true, encoding: .utf8)
        for (index, policy) in try Self.policies().enumerated() {
            let expected = policy.actBatch(states: states).map { Self.normalised(Self.actionText($0)) }
            let continuous = policy.decoding.actions.isEmpty
            let print = continuous ? "double a[SYMSTUDY_OUTPUTS]; symstudy_act(s, n, a); printf(\"[%.17g, %.17g]\\n\", a[0], a[1]);"
                : "printf(\"%d\\n\", symstudy_act(s, n));"
            let c = PolicyExport.c(policy, origin: "test") + """
            #include <stdio.h>
            #include <stdlib.h>
            int main(int argc, char **argv) {
                FILE *file = fopen(argv[1], "r");
                char line[4096];
                while (fgets(line, sizeof line, file)) {
                    symstudy_object s[16];
                    int n = 0;
                    char *p = line;
                    while (*p && *p != '\\n') {
                        s[n].type = (int)strtol(p, &p, 10);
                        s[n].x_position = strtod(p, &p); s[n].y_position = strtod(p, &p);
                        s[n].x_velocity = strtod(p, &p); s[n].y_velocity = strtod(p, &p);
                        n++;
                        if (*p == ';') p++;
                    }
                    \(print)
                }
                return 0;
            }

            """
            let cFile = folder.path("policy\(index).c"), cBinary = folder.path("policy\(index)-c")
            try c.write(toFile: cFile, atomically: true, encoding: .utf8)
            let compiled = try TestProcess.run(URL(fileURLWithPath: "/usr/bin/cc"), ["-O1", "-o", cBinary, cFile, "-lm"])
            #expect(compiled.status == 0, "cc: \(compiled.stderr)")
            let cOutput = try TestProcess.run(URL(fileURLWithPath: cBinary), [statesFile]).stdout.split(separator: "\n").map { Self.normalised(String($0)) }
            #expect(cOutput == expected, "C export of policy \(index)")

            let swift = PolicyExport.swift(policy, origin: "test") + """

            let text = try! String(contentsOfFile: CommandLine.arguments[1], encoding: .utf8)
            for line in text.split(separator: "\\n", omittingEmptySubsequences: false).dropLast() {
                let state = line.split(separator: ";").map { object -> SymstudyObject in
                    let v = object.split(separator: " ").map { Double($0)! }
                    return SymstudyObject(type: Int(v[0]), x: v[1], y: v[2], dx: v[3], dy: v[4])
                }
                \(continuous ? "let a = symstudyAct(state); print(\"[\\(a[0]), \\(a[1])]\")" : "print(symstudyAct(state))")
            }

            """
            let swiftFile = folder.path("main.swift"), swiftBinary = folder.path("policy\(index)-swift")
            try swift.write(toFile: swiftFile, atomically: true, encoding: .utf8)
            let built = try TestProcess.run(URL(fileURLWithPath: "/opt/swift/usr/bin/swiftc"), ["-Onone", "-o", swiftBinary, swiftFile])
            #expect(built.status == 0, "swiftc: \(built.stderr)")
            let swiftOutput = try TestProcess.run(URL(fileURLWithPath: swiftBinary), [statesFile]).stdout.split(separator: "\n").map { Self.normalised(String($0)) }
            #expect(swiftOutput == expected, "Swift export of policy \(index)")
        }
    }

    /// An action line with its numbers read back (C prints %.17g, Swift its shortest form).
    static func normalised(_ line: String) -> String {
        guard line.hasPrefix("[") else { return line }
        return line.dropFirst().dropLast().split(separator: ",").map { "\(Double($0.trimmingCharacters(in: .whitespaces)) ?? .nan)" }.joined(separator: ",")
    }

    @Test("JSON reads back to the same policy; LaTeX and SymPy name the features; a formula exports as predict(X)")
    func textFormats() throws {
        for policy in try Self.policies() {
            let json = PolicyExport.json(policy)
            let file = try TemporaryFolder()
            try json.write(toFile: file.path("p.json"), atomically: true, encoding: .utf8)
            guard case .policy(let read) = try ExportSubject.read(file: file.path("p.json")) else { Issue.record("not read as a policy"); continue }
            #expect(read == policy)
            #expect(PolicyExport.latex(policy, origin: "t").contains("\\begin{align}"))
            #expect(PolicyExport.sympy(policy, origin: "t").contains("output_0 = "))
        }
        let formula = try ExportSubject.read(attributes: ["program": .string(#"{"op":"add","args":[{"feature":1,"name":"mass"},{"constant":0.5}]}"#)], origin: "trial 3")
        let python = formula.export(format: .python, origin: "trial 3")
        #expect(python.contains("def predict(X):") && python.contains("X[:, 1]"))
        #expect(formula.export(format: .sympy, origin: "trial 3").contains("(mass + 0.5)"))
        let listed = try ExportSubject.read(attributes: ["program": .array([try JSONValue.parse(#"{"op":"neg","args":[{"feature":0,"name":"q"}]}"#)])], origin: "trial 6")
        #expect(listed.export(format: .c, origin: "trial 6").contains("sr_neg(x[0])"))
        #expect(throws: ExportError.self) { try ExportSubject.read(attributes: ["metrics": .object([:])], origin: "trial 4") }
        #expect(throws: ExportError.self) { try ExportSubject.read(attributes: ["policy": .string("{\"featurizer\": 1}")], origin: "trial 5") }
    }
}
