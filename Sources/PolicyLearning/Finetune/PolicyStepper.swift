import Environments
import Foundation
import SymbolicRegression

/// One policy acting in copies of one environment type: the features of a state, the expressions' outputs,
/// the action (deterministic or sampled), the teacher's action. Specialised for `E`, so a step goes through
/// no existential; the buffers of a worker are allocated once (`Buffers`).
struct PolicyStepper<E: Environment>: Sendable {
    let policy: SymbolicPolicy
    let head: ActionHead
    /// The environment's action for each discrete action index.
    let discreteActions: [E.Action]
    let teacher: Teacher?

    /// - Throws: `FinetuneError.start` when the policy does not fit the environment.
    init(policy: SymbolicPolicy, environment: E, environmentName: String, teacher: Teacher?) throws {
        try policy.check(against: environment.actionSpace, environment: environmentName)
        self.policy = policy
        head = policy.head
        discreteActions = try policy.decoding.actions.map { try environment.action(.discrete($0)) }
        self.teacher = teacher
        if let teacher {
            guard teacher.environment == environment.id || teacher.environment == environmentName else {
                throw FinetuneError.teacher("the \(teacher.name) was made for \(teacher.environment), not \(environmentName)")
            }
        }
    }

    /// A worker's buffers.
    final class Buffers {
        let features: UnsafeMutableBufferPointer<Double>
        let outputs: UnsafeMutablePointer<Double>
        let stack: UnsafeMutablePointer<Double>
        let action: UnsafeMutablePointer<Double>
        let teacherAction: UnsafeMutablePointer<Double>
        let scratch: UnsafeMutablePointer<Double>
        var observation: [Double]
        var objects: [ObjectState] = []

        init(features: Int, outputs: Int, stack: Int, actionDimension: Int, scratch: Int, observation: Int) {
            self.features = .allocate(capacity: max(1, features))
            self.features.initialize(repeating: 0)
            self.outputs = .allocate(capacity: max(1, outputs))
            self.stack = .allocate(capacity: max(1, stack))
            action = .allocate(capacity: max(1, actionDimension))
            teacherAction = .allocate(capacity: max(1, actionDimension))
            self.scratch = .allocate(capacity: max(1, scratch))
            self.observation = [Double](repeating: 0, count: observation)
            objects.reserveCapacity(64)
        }

        deinit {
            features.deallocate(); outputs.deallocate(); stack.deallocate()
            action.deallocate(); teacherAction.deallocate(); scratch.deallocate()
        }
    }

    func makeBuffers(longest: Int, observationCount: Int) -> Buffers {
        Buffers(features: policy.featureCount, outputs: head.outputCount, stack: longest, actionDimension: head.actionDimension,
                scratch: head.scratchCount, observation: observationCount)
    }

    /// Writes the features of `environment`'s state and the expressions' outputs into the buffers.
    @inline(__always)
    func evaluate(_ programs: [Program], on environment: E, _ buffers: Buffers) {
        policy.features(of: environment, objects: &buffers.objects, into: buffers.features)
        let features = UnsafePointer(buffers.features.baseAddress!)
        for k in programs.indices {
            buffers.outputs[k] = programs[k].nodes.withUnsafeBufferPointer {
                RowEvaluator.value($0, features: features, stack: buffers.stack)
            }
        }
    }

    /// The outputs for features already in `buffers.features`.
    @inline(__always)
    func evaluate(_ programs: [Program], features: UnsafePointer<Double>, _ buffers: Buffers) {
        for k in programs.indices {
            buffers.outputs[k] = programs[k].nodes.withUnsafeBufferPointer {
                RowEvaluator.value($0, features: features, stack: buffers.stack)
            }
        }
    }

    /// The environment's action for the head's action in `buffers.action` (an index or a value).
    @inline(__always)
    func environmentAction(_ action: UnsafePointer<Double>, _ environment: E) -> E.Action {
        if head.discreteCount != nil { return discreteActions[Int(action[0])] }
        var value = action[0]
        if case .gaussian(let low, let high) = head { value = min(max(value, low[0]), high[0]) }
        if E.Action.self == Double.self { return value as! E.Action }
        return try! environment.action(.continuous([value]))  // checked by `check`: a one-dimensional box
    }

    /// The teacher's action in the head's form (an index into the actions, or the values), written to
    /// `buffers.teacherAction`; false when there is no teacher or its action is not one of the policy's.
    @inline(__always)
    func teacherAction(_ environment: E, _ buffers: Buffers) -> Bool {
        guard let teacher else { return false }
        buffers.observation.withUnsafeMutableBufferPointer { environment.observation(into: $0) }
        switch teacher.action(buffers.observation) {
        case .discrete(let a):
            guard head.discreteCount != nil, let index = policy.decoding.actions.firstIndex(of: a) else { return false }
            buffers.teacherAction[0] = Double(index)
        case .continuous(let values):
            guard head.discreteCount == nil else {
                guard let a = values.first, let index = policy.decoding.actions.firstIndex(of: Int(a.rounded())) else { return false }
                buffers.teacherAction[0] = Double(index)
                return true
            }
            for d in 0..<min(values.count, head.actionDimension) { buffers.teacherAction[d] = values[d] }
        }
        return true
    }
}
