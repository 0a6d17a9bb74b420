import Dispatch
import Environments
import Foundation
import SymbolicRegression

/// Plays seeded episodes with a policy's deterministic actions and returns their mean return, plus the soft
/// expert penalty when a teacher and a weight are given: λ × the expert loss of every step (cross-entropy
/// of the head's softmax to the teacher's action, or the squared error), summed over the episode like a
/// negative reward.
struct EpisodeScorer<E: Environment>: Sendable {
    let prototype: E
    let stepper: PolicyStepper<E>
    let expertWeight: Double

    struct Score: Sendable {
        var meanReturn: Double
        /// Mean over episodes of λ·Σ expert loss (0 without a teacher).
        var meanPenalty: Double
        var returns: [Double]
    }

    /// One episode from `reset(seed:)`, on `environment` with `buffers`.
    func play(_ programs: [Program], logStd: [Double], seed: UInt64, environment: inout E,
              buffers: PolicyStepper<E>.Buffers) -> (reward: Double, penalty: Double) {
        environment.reset(seed: seed)
        let head = stepper.head
        let expert = expertWeight > 0 && stepper.teacher != nil
        var reward = 0.0, penalty = 0.0
        logStd.withUnsafeBufferPointer { sigma in
            let logStd = sigma.baseAddress ?? UnsafePointer(buffers.scratch)
            while true {
                stepper.evaluate(programs, on: environment, buffers)
                head.deterministic(buffers.outputs, action: buffers.action)
                if expert, stepper.teacherAction(environment, buffers) {
                    penalty += head.expertLoss(buffers.outputs, logStd: logStd, teacher: buffers.teacherAction, scratch: buffers.scratch)
                }
                let transition = environment.step(stepper.environmentAction(buffers.action, environment))
                reward += transition.reward
                if transition.done { break }
            }
        }
        return (reward, expertWeight * penalty)
    }

    /// The mean over episodes seeded `seeds`, spread over `threads` threads (the result does not depend on
    /// their number).
    func score(_ programs: [Program], logStd: [Double], seeds: [UInt64], threads: Int) -> Score {
        let results = UnsafeMutableBufferPointer<(Double, Double)>.allocate(capacity: seeds.count)
        defer { results.deallocate() }
        nonisolated(unsafe) let out = results
        let workers = max(1, min(threads, seeds.count))
        let longest = programs.map(\.length).max() ?? 1
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var environment = prototype
            let buffers = stepper.makeBuffers(longest: longest, observationCount: prototype.observationCount)
            var i = worker
            while i < seeds.count {
                out[i] = play(programs, logStd: logStd, seed: seeds[i], environment: &environment, buffers: buffers)
                i += workers
            }
        }
        let returns = results.map(\.0)
        let n = Double(max(1, seeds.count))
        return Score(meanReturn: returns.reduce(0, +) / n, meanPenalty: results.reduce(0) { $0 + $1.1 } / n, returns: returns)
    }

    /// Scores many candidates on the same episodes (common random numbers), candidates spread over threads.
    func score(_ candidates: [[Program]], logStd: [Double], seeds: [UInt64], threads: Int) -> [Score] {
        let results = UnsafeMutableBufferPointer<Score>.allocate(capacity: candidates.count)
        results.initialize(repeating: Score(meanReturn: 0, meanPenalty: 0, returns: []))
        defer { results.deinitialize(); results.deallocate() }
        nonisolated(unsafe) let out = results
        let workers = max(1, min(threads, candidates.count))
        let longest = candidates.flatMap { $0.map(\.length) }.max() ?? 1
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var environment = prototype
            let buffers = stepper.makeBuffers(longest: longest, observationCount: prototype.observationCount)
            var c = worker
            while c < candidates.count {
                var returns: [Double] = []
                var penalty = 0.0
                for seed in seeds {
                    let (r, p) = play(candidates[c], logStd: logStd, seed: seed, environment: &environment, buffers: buffers)
                    returns.append(r)
                    penalty += p
                }
                let n = Double(max(1, seeds.count))
                out[c] = Score(meanReturn: returns.reduce(0, +) / n, meanPenalty: penalty / n, returns: returns)
                c += workers
            }
        }
        return Array(results)
    }
}
