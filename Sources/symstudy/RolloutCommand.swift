import ArgumentParser
import Environments
import Foundation

/// `symstudy rollout ENV --actions FILE`: steps an environment through the actions in FILE and prints each
/// step's observation, internal state, reward and flags.
struct RolloutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Step an environment through a list of actions and print every step.",
        discussion: """
            ENV is a native id (\(EnvironmentRegistry.nativeIDs.joined(separator: ", "))) or gym:ID / ocatari:ID \
            through the Python bridge. The episode starts from --seed or from --from-state, a JSON array in the \
            order of the environment's state layout (the state_layout of ../shared/data/gym-reference). FILE is a \
            JSON array of actions. Stepping goes on past termination.
            """
    )

    @Argument(help: "The environment id.") var environment: String
    @Option(help: "Seed of the initial state.") var seed: UInt64?
    @Option(name: .customLong("from-state"), help: "Initial internal state: a JSON array, or a file holding one.")
    var fromState: String?
    @Option(help: "A JSON file with the array of actions.") var actions: String
    @Option(help: "Output format: text or json.") var format = "text"
    @Option(help: "Write each step's frame as a PNG into this folder (games only).") var frames: String?

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json, not '\(format)'") }
        if seed != nil && fromState != nil { throw ValidationError("give --seed or --from-state, not both") }
    }

    struct Run: EnvironmentVisitor {
        var actions: [ActionValue]
        var state: [Double]?
        var frames: String?
        func visit<E: Environment>(_ environment: E) throws -> Rollout {
            var env = environment
            if let state { try env.setState(state) }
            guard let frames else { return try Rollout.run(&env, actions: actions) }
            guard env is any Renderable else {
                throw EnvironmentError.invalidParameter(env.id, "--frames needs a game that renders (Pong, Freeway)")
            }
            try FileManager.default.createDirectory(atPath: frames, withIntermediateDirectories: true)
            return try Rollout.run(&env, actions: actions) { env, i in
                try (env as! any Renderable).writePNG("\(frames)/frame_\(String(format: "%05d", i)).png")
            }
        }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: actions) else {
            throw EnvironmentError.invalidFile(actions, "cannot read the actions file")
        }
        let decoded = try Rollout.decodeActions(data, source: actions)
        var state: [Double]?
        if let fromState {
            let isFile = !fromState.trimmingCharacters(in: .whitespaces).hasPrefix("[")
            let text = isFile ? try String(contentsOfFile: fromState, encoding: .utf8) : fromState
            state = try Rollout.decodeState(text, source: isFile ? fromState : "--from-state")
        }
        let rollout = try EnvironmentRegistry.visit(environment, seed: seed ?? 0, Run(actions: decoded, state: state, frames: frames))
        print(format == "json" ? rollout.json : rollout.text)
    }
}
