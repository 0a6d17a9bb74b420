import Environments
import Foundation
import SymbolicRegression

/// A teacher given as a dataset of states and the teacher's actions (DiffSES JSON or CSV), for the soft
/// expert term: the policy's features of every state and the action in the head's form (an index into the
/// decoding's actions, or the values). The term is then measured on the dataset's states rather than on the
/// states the policy visits.
struct ExpertDataset: Sendable {
    /// Features, `featureCount` per row.
    let features: [Double]
    /// Teacher actions in the head's form, `actionDimension` per row.
    let actions: [Double]
    let rows: Int

    /// The rows whose action the policy can take (others are left out); throws when none is left.
    init(_ dataset: DistillDataset, policy: SymbolicPolicy) throws {
        let head = policy.head
        var features: [Double] = [], actions: [Double] = []
        var buffer = [Double](repeating: 0, count: policy.featureCount)
        for (state, action) in zip(dataset.states, dataset.actions) {
            if head.discreteCount != nil {
                guard action.count == 1, let index = policy.decoding.actions.firstIndex(of: Int(action[0].rounded())) else { continue }
                actions.append(Double(index))
            } else {
                guard action.count == head.actionDimension else { continue }
                actions += action
            }
            buffer.withUnsafeMutableBufferPointer { policy.featurizer.write(state, into: $0) }
            features += buffer
        }
        guard !actions.isEmpty else {
            throw FinetuneError.teacher("\(dataset.source): no row has an action of the policy's \(policy.decodingName) decoding")
        }
        self.features = features
        self.actions = actions
        rows = actions.count / head.actionDimension
    }

    /// The dataset as rollout rows whose only loss is the expert term (advantage 0, no entropy).
    func rollout<E: Environment>(for _: E.Type) -> ConstantPPO<E>.Rollout {
        ConstantPPO<E>.Rollout(features: features, actions: [Double](repeating: 0, count: actions.count),
                               logProbabilities: [Double](repeating: 0, count: rows), values: [], rewards: [Double](repeating: 0, count: rows),
                               dones: [], teacher: actions, hasTeacher: [Bool](repeating: true, count: rows))
    }

    /// The mean expert loss of `programs` over the rows `range`.
    func meanLoss<E: Environment>(_ programs: [Program], stepper: PolicyStepper<E>, logStd: [Double], rows range: Range<Int>) -> Double {
        let f = stepper.policy.featureCount, dim = stepper.head.actionDimension
        let buffers = stepper.makeBuffers(longest: programs.map(\.length).max() ?? 1, observationCount: 1)
        var total = 0.0
        features.withUnsafeBufferPointer { x in
            actions.withUnsafeBufferPointer { a in
                logStd.withUnsafeBufferPointer { s in
                    let sigma = s.baseAddress ?? UnsafePointer(buffers.scratch)
                    for row in range {
                        stepper.evaluate(programs, features: x.baseAddress! + row * f, buffers)
                        total += stepper.head.expertLoss(buffers.outputs, logStd: sigma, teacher: a.baseAddress! + row * dim, scratch: buffers.scratch)
                    }
                }
            }
        }
        return total / Double(max(1, range.count))
    }
}
