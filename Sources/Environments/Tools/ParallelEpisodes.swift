import Dispatch
import Foundation

/// Runs many seeded episodes over all cores: episode `i` starts from `reset(seed: seed + i)` on a copy of the
/// prototype environment, and threads take episodes in turn, so the results do not depend on the number of
/// threads. The policy is a generic closure over the concrete environment type: no existential per step.
public enum ParallelEpisodes {
    /// What one episode gave.
    public struct Episode: Sendable, Equatable {
        public var totalReward: Double
        public var length: Int
        /// Sum of the positive rewards and count of the negative ones (points won and lost in games).
        public var positiveReward: Double
        public var negativeSteps: Int
    }

    /// Plays `count` episodes of copies of `prototype` with `policy`, on `threads` threads (default: every
    /// core), each episode at most `maxSteps` steps (default: until done).
    public static func run<E: Environment>(_ prototype: E, count: Int, seed: UInt64, threads: Int? = nil, maxSteps: Int = .max,
                                           policy: @escaping @Sendable (inout E) -> E.Action) -> [Episode] {
        let results = UnsafeMutableBufferPointer<Episode>.allocate(capacity: count)
        results.initialize(repeating: Episode(totalReward: 0, length: 0, positiveReward: 0, negativeSteps: 0))
        defer { results.deallocate() }
        nonisolated(unsafe) let out = results
        let workers = max(1, min(count, threads ?? ProcessInfoCores.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var env = prototype
            var i = worker
            while i < count {
                env.reset(seed: seed &+ UInt64(i))
                var episode = Episode(totalReward: 0, length: 0, positiveReward: 0, negativeSteps: 0)
                while episode.length < maxSteps {
                    let t = env.step(policy(&env))
                    episode.totalReward += t.reward
                    episode.length += 1
                    if t.reward > 0 { episode.positiveReward += t.reward } else if t.reward < 0 { episode.negativeSteps += 1 }
                    if t.done { break }
                }
                out[i] = episode
                i += workers
            }
        }
        return Array(results)
    }
}

/// The number of cores this process may use.
enum ProcessInfoCores {
    static var count: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
