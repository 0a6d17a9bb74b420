import Environments
import Foundation

/// Records a teacher's state-action pairs as a DiffSES dataset: one row per step, the object-level state and
/// the teacher's action, written as DiffSES JSON (`[{"state": [{"type", "x_velocity", "y_velocity",
/// "x_position", "y_position"}, ...], "teacher_action": a}, ...]`) or CSV (one column per object field,
/// objects in type order, then `teacher_action`).
public struct DatasetRecorder: Sendable {
    public struct Row: Sendable {
        public var objects: [ObjectState]
        public var action: ActionValue
    }

    public var rows: [Row] = []
    public var evaluation = TeacherEvaluation()

    /// Plays `episodes` seeded episodes of `environment` with `teacher`, recording every step's state before
    /// the action; each episode ends at its end or after `maxEpisodeSteps` steps (short episodes give more
    /// varied states than one long game).
    public static func record(_ teacher: Teacher, environment: String, episodes: Int, seed: UInt64 = 0,
                              maxRows: Int = .max, maxEpisodeSteps: Int = .max) throws -> DatasetRecorder {
        guard teacher.environment == environment else {
            throw PolicyLearningError.mismatch("the \(teacher.name) was made for \(teacher.environment), not \(environment)")
        }
        return try EnvironmentRegistry.visit(environment, seed: seed, Visitor(teacher: teacher, episodes: episodes, seed: seed, maxRows: maxRows,
                                                                                maxEpisodeSteps: maxEpisodeSteps))
    }

    struct Visitor: EnvironmentVisitor {
        var teacher: Teacher, episodes: Int, seed: UInt64, maxRows: Int, maxEpisodeSteps: Int
        func visit<E: Environment>(_ environment: E) throws -> DatasetRecorder {
            var env = environment, recorder = DatasetRecorder()
            episodesLoop: for episode in 0..<episodes {
                env.reset(seed: seed &+ UInt64(episode))
                var total = 0.0, steps = 0
                while true {
                    let action = teacher.action(env.observation)
                    recorder.rows.append(Row(objects: env.objects, action: action))
                    let t = env.step(try env.action(action))
                    total += t.reward
                    steps += 1
                    if t.done || steps >= maxEpisodeSteps || recorder.rows.count >= maxRows {
                        recorder.evaluation.returns.append(total)
                        if recorder.rows.count >= maxRows { break episodesLoop }
                        break
                    }
                }
            }
            return recorder
        }
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
    }

    static func action(_ a: ActionValue) -> String {
        switch a {
        case .discrete(let i): return "\(i)"
        case .continuous(let v): return v.count == 1 ? number(v[0]) : "[" + v.map(number).joined(separator: ", ") + "]"
        }
    }

    /// The DiffSES JSON text.
    public var json: String {
        var out = "["
        for (i, row) in rows.enumerated() {
            out += i == 0 ? "\n" : ",\n"
            out += "{\"state\": ["
            out += row.objects.map { o in
                "{\"type\": \(o.type), \"x_velocity\": \(Self.number(o.xVelocity)), \"y_velocity\": \(Self.number(o.yVelocity)), \"x_position\": \(Self.number(o.x)), \"y_position\": \(Self.number(o.y))}"
            }.joined(separator: ", ")
            out += "], \"teacher_action\": \(Self.action(row.action))}"
        }
        return out + "\n]\n"
    }

    /// The CSV text: `o<i>_type,o<i>_x,o<i>_y,o<i>_vx,o<i>_vy` for each object slot of the first row, then
    /// `teacher_action`; a row with fewer objects leaves its slots empty.
    public var csv: String {
        let slots = rows.map(\.objects.count).max() ?? 0
        var lines = [(0..<slots).flatMap { i in ["type", "x", "y", "vx", "vy"].map { "o\(i)_\($0)" } }.joined(separator: ",") + ",teacher_action"]
        for row in rows {
            var fields: [String] = []
            for i in 0..<slots {
                if i < row.objects.count {
                    let o = row.objects[i]
                    fields += ["\(o.type)", Self.number(o.x), Self.number(o.y), Self.number(o.xVelocity), Self.number(o.yVelocity)]
                } else {
                    fields += ["", "", "", "", ""]
                }
            }
            lines.append((fields + [Self.action(row.action).replacingOccurrences(of: ", ", with: ";")]).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
