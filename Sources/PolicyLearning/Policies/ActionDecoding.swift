import Environments
import Foundation
import SymbolicRegression

/// How a symbolic policy's program outputs become an action.
///
/// - `rounded(actions:)`: one program; its output is rounded half away from zero and clamped to
///   `0...actions.count - 1`, an index into `actions` (`[0, 1, 2]`: the output rounded and clamped to 0...2;
///   `[1, 0, 2]`: output 0 is action 1). A NaN output gives `actions[0]`. Ordering the actions so that the
///   index grows with what the policy reads (Pong: UP, NOOP, DOWN) lets one small expression decide.
/// - `argmax(actions:)`: one program per action (logits); the action whose program gives the largest output
///   (the first on a tie; NaN counts as smallest).
/// - `continuous(low:high:)`: one program per action dimension, each output clipped to `[low, high]`; NaN gives `low`.
public enum ActionDecoding: Codable, Sendable, Equatable {
    case rounded(actions: [Int])
    case argmax(actions: [Int])
    case continuous(low: [Double], high: [Double])

    /// The number of programs the decoding reads.
    public var programCount: Int {
        switch self {
        case .rounded: return 1
        case .argmax(let actions): return actions.count
        case .continuous(let low, _): return low.count
        }
    }

    /// The decoding's action ids (empty for continuous actions).
    public var actions: [Int] {
        switch self {
        case .rounded(let actions), .argmax(let actions): return actions
        case .continuous: return []
        }
    }

    /// Checks the decoding: a non-empty action set without repeats, or matching finite bounds with low <= high.
    public func validate() throws {
        switch self {
        case .rounded(let actions), .argmax(let actions):
            guard !actions.isEmpty else { throw ActionDecodingError.invalid("the action set is empty") }
            guard Set(actions).count == actions.count else { throw ActionDecodingError.invalid("the action set \(actions) repeats an action") }
        case .continuous(let low, let high):
            guard !low.isEmpty, low.count == high.count else {
                throw ActionDecodingError.invalid("continuous bounds need as many low as high values (\(low.count) and \(high.count)), at least one")
            }
            for i in low.indices where !(low[i].isFinite && high[i].isFinite && low[i] <= high[i]) {
                throw ActionDecodingError.invalid("continuous bound \(i) is [\(low[i]), \(high[i])]: need finite low <= high")
            }
        }
    }

    /// The index into the action set for one output of a `rounded` decoding.
    @inline(__always) static func roundedIndex(_ output: Double, count: Int) -> Int {
        // The GP's fitness (`Metric.roundedAccuracy`) scores programs by the same rule.
        Metric.roundedClass(output, classes: count)
    }

    /// The index of the largest output (NaN smallest, first on ties).
    @inline(__always) static func argmax(_ outputs: UnsafeBufferPointer<Double>) -> Int {
        var best = 0, bestValue = outputs[0].isNaN ? -Double.infinity : outputs[0]
        for index in 1..<outputs.count where outputs[index] > bestValue {
            best = index
            bestValue = outputs[index]
        }
        return best
    }

    /// The action for the programs' outputs (`outputs.count == programCount`).
    public func decode(_ outputs: UnsafeBufferPointer<Double>) -> ActionValue {
        switch self {
        case .rounded(let actions): return .discrete(actions[Self.roundedIndex(outputs[0], count: actions.count)])
        case .argmax(let actions): return .discrete(actions[Self.argmax(outputs)])
        case .continuous(let low, let high):
            return .continuous(low.indices.map { i in outputs[i].isNaN ? low[i] : Swift.min(Swift.max(outputs[i], low[i]), high[i]) })
        }
    }

    /// The discrete action id for the outputs, without building an `ActionValue` (nil for continuous).
    @inline(__always) func discrete(_ outputs: UnsafeBufferPointer<Double>) -> Int? {
        switch self {
        case .rounded(let actions): return actions[Self.roundedIndex(outputs[0], count: actions.count)]
        case .argmax(let actions): return actions[Self.argmax(outputs)]
        case .continuous: return nil
        }
    }
}

/// An action decoding that cannot work.
public enum ActionDecodingError: LocalizedError, Equatable, Sendable {
    case invalid(String)

    public var errorDescription: String? {
        switch self {
        case .invalid(let why): return "action decoding: \(why)"
        }
    }
}
