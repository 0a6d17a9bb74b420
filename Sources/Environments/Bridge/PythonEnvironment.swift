import Foundation

/// Any Gymnasium environment, or a real Atari game with OCAtari's objects, run by a Python worker process and
/// driven through the same `Environment` protocol (`gym:CartPole-v1`, `ocatari:Pong-v5`).
///
/// Each instance starts its own worker; copies of one instance share it (they are views of one Python env).
/// Classic-control ids keep a native twin for `stateLayout`, `setState`, the observation after `setState`
/// and the objects. OCAtari ids give OCAtari's objects with velocities as the difference of consecutive
/// frames; their flat observation is (x, y, x-velocity, y-velocity) of the first object of each category seen
/// at reset (Player, Ball, Enemy first: native Pong's layout), zeros for an absent one.
public struct PythonEnvironment: Environment {
    public typealias Action = ActionValue

    /// What kind of id: `gym:` or `ocatari:`.
    public enum Kind: String, Sendable { case gym, ocatari }

    /// OCAtari's categories with the type ids that native games use; others get the next free ids.
    static let knownCategories = ["Player": 0, "Ball": 1, "Enemy": 2]

    final class Session: @unchecked Sendable {
        let worker: BridgeWorker
        var lastObservation: [Double] = []
        var lastState: [Double] = []
        var objects: [ObjectState] = []
        var categories: [String: Int] = PythonEnvironment.knownCategories
        var slots: [Int] = []
        var elapsed = 0
        init(worker: BridgeWorker) { self.worker = worker }
    }

    public let kind: Kind
    public let gymID: String
    public let actionSpace: ActionSpace
    public let maxEpisodeSteps: Int
    let nativeObservationCount: Int
    let session: Session

    /// `("gym", "CartPole-v1")` for `gym:CartPole-v1`; nil for an id without a bridge prefix.
    public static func bridgedID(_ id: String) -> (Kind, String)? {
        for kind in [Kind.gym, .ocatari] where id.hasPrefix(kind.rawValue + ":") {
            return (kind, String(id.dropFirst(kind.rawValue.count + 1)))
        }
        return nil
    }

    /// Starts a worker with `python` (default: `SYMSTUDY_BRIDGE_PYTHON`, `SYMSTUDY_PYTHON`,
    /// `~/.venvs/symstudy-bridge/bin/python`, `python3`), makes the environment and resets it with `seed`.
    /// - Throws: `EnvironmentError.bridge` when Python or a package is missing (naming the install command)
    ///   or Gymnasium cannot make the id.
    public init(_ kind: Kind, _ gymID: String, seed: UInt64 = 0, python: String? = nil) throws {
        self.kind = kind
        self.gymID = gymID
        session = Session(worker: try BridgeWorker(python: python ?? BridgeWorker.defaultPython()))
        let made = try session.worker.call(["cmd": "make", "kind": kind.rawValue, "id": gymID])
        guard let space = made.action_space else { throw EnvironmentError.bridge("no action space for \(gymID)") }
        if space.type == "discrete" {
            actionSpace = .discrete(space.n ?? 0)
        } else {
            actionSpace = .box(low: space.low ?? [], high: space.high ?? [])
        }
        maxEpisodeSteps = made.max_episode_steps ?? 0
        nativeObservationCount = made.observation_size ?? 0
        reset(seed: seed)
    }

    public var id: String { "\(kind.rawValue):\(gymID)" }
    public var observationCount: Int { kind == .ocatari ? 4 * session.slots.count : nativeObservationCount }
    public var stateLayout: [String] { twin.map { $0.stateLayout } ?? [] }
    public var elapsedSteps: Int { session.elapsed }

    /// The native environment with the same dynamics, for classic-control ids.
    var twin: (any Environment)? {
        guard kind == .gym else { return nil }
        switch gymID {
        case "CartPole-v1": return CartPole()
        case "MountainCar-v0": return MountainCar()
        case "Acrobot-v1": return Acrobot()
        case "Pendulum-v1": return Pendulum()
        default: return nil
        }
    }

    public mutating func reset(seed: UInt64) { apply(try? session.worker.call(["cmd": "reset", "seed": seed]), first: true) }
    public mutating func reset() { apply(try? session.worker.call(["cmd": "reset"]), first: true) }

    /// Applies an action; a failed call (the worker died) ends the episode with `terminated` and NaN reward.
    public mutating func step(_ action: ActionValue) -> Transition {
        let value: Any
        switch action {
        case .discrete(let a): value = a
        case .continuous(let v): value = v
        }
        guard let reply = try? session.worker.call(["cmd": "step", "action": value]) else {
            return Transition(reward: .nan, terminated: true, truncated: false)
        }
        session.elapsed += 1
        apply(reply, first: false)
        return Transition(reward: reply.reward ?? 0, terminated: reply.terminated ?? false, truncated: reply.truncated ?? false)
    }

    /// Calls the worker and throws its error (the throwing form of `step`, for callers that must know).
    public mutating func checkedStep(_ action: ActionValue) throws -> Transition {
        let t = step(action)
        if t.reward.isNaN { _ = try session.worker.call(["cmd": "reset"]) }
        return t
    }

    mutating func apply(_ reply: BridgeReply?, first: Bool) {
        guard let reply else { return }
        if first { session.elapsed = 0 }
        session.lastObservation = reply.observation ?? []
        session.lastState = reply.state ?? []
        if kind == .ocatari, let raw = reply.objects {
            let previous = session.objects
            var objects: [ObjectState] = []
            var seenPerType: [Int: Int] = [:]
            for o in raw {
                let name = o.category
                let type = session.categories[name] ?? {
                    let next = (session.categories.values.max() ?? -1) + 1
                    session.categories[name] = next
                    return next
                }()
                var object = ObjectState(type: type, x: o.x, y: o.y, width: o.w, height: o.h)
                let index = seenPerType[type, default: 0]
                seenPerType[type] = index + 1
                if !first, let old = previous.filter({ $0.type == type }).dropFirst(index).first {
                    object.xVelocity = object.x - old.x
                    object.yVelocity = object.y - old.y
                }
                objects.append(object)
            }
            objects.sort { $0.type < $1.type }
            session.objects = objects
            if first && session.slots.isEmpty {
                session.slots = Array(Set(objects.map(\.type)).union(Self.knownCategories.values)).sorted()
            }
        } else if var native = twin, session.lastState.count == native.stateLayout.count {
            try? native.setState(session.lastState)
            session.objects = native.objects
        }
    }

    public func observation(into buffer: UnsafeMutableBufferPointer<Double>) {
        if kind == .ocatari {
            for (slot, type) in session.slots.enumerated() {
                let o = session.objects.first { $0.type == type }
                buffer[4 * slot] = o?.x ?? 0; buffer[4 * slot + 1] = o?.y ?? 0
                buffer[4 * slot + 2] = o?.xVelocity ?? 0; buffer[4 * slot + 3] = o?.yVelocity ?? 0
            }
        } else {
            for (i, v) in session.lastObservation.prefix(buffer.count).enumerated() { buffer[i] = v }
        }
    }

    public func objects(into objects: inout [ObjectState]) {
        objects.removeAll(keepingCapacity: true)
        objects.append(contentsOf: session.objects)
    }

    public var state: [Double] { session.lastState }

    /// Sets the internal state of a classic-control env (Gymnasium's `env.unwrapped.state`), after a reset.
    /// - Throws: `EnvironmentError.invalidState` for other envs or a state that does not fit.
    public mutating func setState(_ values: [Double]) throws {
        guard var native = twin else {
            throw EnvironmentError.invalidState(id, "only the classic-control ids take a state through the bridge")
        }
        try native.setState(values)
        let reply = try session.worker.call(["cmd": "set_state", "state": values])
        apply(reply, first: true)
        session.lastObservation = native.observation
    }

    public func action(_ value: ActionValue) throws -> ActionValue {
        switch (actionSpace, value) {
        case (.discrete(let n), .discrete(let a)) where (0..<n).contains(a): return value
        case (.discrete(let n), .continuous(let v)) where v.count == 1 && v[0] == v[0].rounded() && (0..<Double(n)).contains(v[0]):
            return .discrete(Int(v[0]))
        case (.box(let low, _), .continuous(let v)) where v.count == low.count && v.allSatisfy(\.isFinite): return value
        case (.box(let low, _), .discrete(let a)) where low.count == 1: return .continuous([Double(a)])
        default: throw EnvironmentError.invalidAction(id, "\(value) is not in \(actionSpace)")
        }
    }
}
