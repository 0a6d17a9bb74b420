import Environments
import Foundation
import SymbolicRegression

/// What fine-tuning needs of a symbolic policy: its action head, a check against an environment, and its
/// features of an environment's state (the DiffSES objects through the policy's featurizer).
extension SymbolicPolicy {
    /// How the decoding's outputs become an action distribution.
    var head: ActionHead {
        switch decoding {
        case .rounded(let actions): return .nearest(count: actions.count)
        case .argmax(let actions): return .softmax(count: actions.count)
        case .continuous(let low, let high): return .gaussian(low: low, high: high)
        }
    }

    var featureCount: Int { featurizer.featureCount }
    /// Nodes over all programs.
    var size: Int { programs.reduce(0) { $0 + $1.length } }

    var decodingName: String {
        switch decoding {
        case .rounded: return "rounded"
        case .argmax: return "argmax"
        case .continuous: return "continuous"
        }
    }

    /// Checks the decoding against the environment's action space.
    func check(against space: ActionSpace, environment: String) throws {
        switch (decoding, space) {
        case (.rounded(let actions), .discrete(let n)), (.argmax(let actions), .discrete(let n)):
            guard actions.allSatisfy({ (0..<n).contains($0) }) else {
                throw FinetuneError.start("the actions \(actions) are not all actions of \(environment) (0..<\(n))")
            }
        case (.continuous(let low, _), .box(let boxLow, _)):
            guard low.count == 1, boxLow.count == 1 else {
                throw FinetuneError.start("the policy has \(low.count) action dimension(s), \(environment) has \(boxLow.count); fine-tuning acts in one dimension")
            }
        default:
            throw FinetuneError.start("a \(decodingName) policy cannot act in \(environment), whose actions are \(space)")
        }
    }

    /// Writes the features of the environment's state into `features`, through `objects` (reused).
    @inline(__always)
    func features<E: Environment>(of environment: E, objects: inout [ObjectState], into features: UnsafeMutableBufferPointer<Double>) {
        environment.objects(into: &objects)
        featurizer.write(objects, into: features)
    }

    /// The decoding that fits an action space: rounded over every discrete action, or continuous in the box.
    static func defaultDecoding(_ space: ActionSpace) -> ActionDecoding {
        switch space {
        case .discrete(let n): return .rounded(actions: Array(0..<n))
        case .box(let low, let high): return .continuous(low: low, high: high)
        }
    }

    /// The featurizer for an environment: the standard one where there is one, else one slot group per
    /// object type of its first state (named `object<type>`), with every field.
    static func defaultFeaturizer<E: Environment>(for environment: E, name: String) throws -> Featurizer {
        if let standard = Featurizer.standard(for: name) ?? Featurizer.standard(for: environment.id) { return standard }
        var types: [Int] = []
        for object in environment.objects where !types.contains(object.type) { types.append(object.type) }
        let named = ["Pendulum-v1": ["bob"]][environment.id]
        return try Featurizer(objects: types.enumerated().map { index, type in
            .init(type: type, name: named.flatMap { index < $0.count ? $0[index] : nil } ?? "object\(type)", slots: environment.objects.filter { $0.type == type }.count)
        })
    }
}
