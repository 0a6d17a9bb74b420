import ArgumentParser
import Environments
import Foundation
import PolicyLearning
import StudyEngine

/// `symstudy transfer STUDY|FILE --env ENV --change KEY=VALUE ...`: plays the teacher and the symbolic
/// policy on the game as it is and as changed (same seeds) and reports each one's return and drop.
struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer", abstract: "Compare a teacher and a symbolic policy on a changed game.",
        discussion: """
            Parameters: Pong \(EnvironmentChanges.parameterNames(for: "Pong").joined(separator: ", ")); \
            Pendulum-v1 gravity; MountainCar-v0 goal_velocity. The teacher is --teacher FILE (from `symstudy teach`) \
            or the environment's scripted teacher.
            """)

    @OptionGroup var source: PolicySource
    @Option(help: "The environment id.") var env: String
    @Option(parsing: .singleValue, help: "A changed parameter, KEY=VALUE (repeat for several), e.g. paddle_speed=4.") var change: [String] = []
    @Option(help: "A teacher file (default: the environment's scripted teacher).") var teacher: String?
    @Option(help: "Episodes per agent and game.") var episodes = 10
    @Option(help: "Seed of the first episode (episode i uses seed + i).") var seed: UInt64 = 0
    @Option(name: [.short, .long], help: "text or json.") var format = "text"

    func validate() throws {
        guard !change.isEmpty else { throw ValidationError("name a change: --change KEY=VALUE (e.g. paddle_speed=4)") }
        guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1, not \(episodes)") }
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json, not '\(format)'") }
    }

    func run() throws {
        let changes = try EnvironmentChanges.parse(change)
        let (policy, origin) = try source.policy()
        let chosenTeacher: Teacher
        if let teacher {
            chosenTeacher = try Teacher.load(teacher)
        } else if let scripted = ScriptedTeacher.forEnvironment(env) {
            chosenTeacher = Teacher(scripted: scripted)
        } else {
            throw ValidationError("\(env) has no scripted teacher: pass --teacher FILE (made by `symstudy teach`)")
        }
        let comparison = try TransferComparison.run(agents: [.teacher(chosenTeacher), .symbolic(policy)], environment: env,
                                                    changes: changes, episodes: episodes, seed: seed)
        if format == "json" {
            let agents = comparison.rows.map { row -> JSONValue in
                .object(["agent": .string(row.agent), "before": ReplayCommand.json(row.before), "after": ReplayCommand.json(row.after),
                         "drop": .double(row.drop)])
            }
            let report: JSONValue = .object(["environment": .string(env), "changes": .string(changes.description), "policy": .string(origin),
                                             "episodes": .int(episodes), "seed": .int(Int(seed)), "agents": .array(agents)])
            print(report.jsonText)
            return
        }
        print("\(env) changed (\(changes)), \(episodes) episode(s) per agent from seed \(seed); policy: \(origin)")
        let width = max(5, comparison.rows.map(\.agent.count).max() ?? 0)
        print("agent".padding(toLength: width, withPad: " ", startingAt: 0) + "  " + ["before", "after", "drop"].map { $0.leftPadded(10) }.joined(separator: " "))
        for row in comparison.rows {
            var line = row.agent.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
            line += [row.before.meanReturn, row.after.meanReturn, row.drop].map { ReplayCommand.number($0).leftPadded(10) }.joined(separator: " ")
            if let relative = row.relativeDrop { line += String(format: "  (%.1f%%)", 100 * relative) }
            if let before = row.before.pointShare, let after = row.after.pointShare {
                line += String(format: "  points won %.1f%% -> %.1f%%", 100 * before, 100 * after)
            }
            print(line)
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
