import Dispatch
import Foundation

/// Steps per second of an environment with seeded random actions drawn before timing (`symstudy bench env`).
/// One copy per thread steps the single environment (`step` then `observation(into:)`, resetting when
/// done); more copies per thread step its batch stepper. Threads split the copies evenly and step
/// independently until the time is up.
public enum EnvironmentBenchmark {
    /// What one run measured.
    public struct Result: Sendable, Codable {
        public var env: String
        public var copies: Int
        public var threads: Int
        public var steps: Int
        public var wallSeconds: Double
        public var cpuSeconds: Double
        public var stepsPerSecond: Double { Double(steps) / wallSeconds }
        public var stepsPerCPUSecond: Double { cpuSeconds > 0 ? Double(steps) / cpuSeconds : 0 }
        /// A sum of observations and rewards, kept so the work cannot be optimised away.
        public var checksum: Double

        /// The JSON object of `symstudy bench env --format json`.
        public var json: String {
            "{\"env\": \"\(env)\", \"copies\": \(copies), \"threads\": \(threads), \"steps\": \(steps), "
                + "\"wall_seconds\": \(wallSeconds), \"cpu_seconds\": \(cpuSeconds), "
                + "\"steps_per_second\": \(stepsPerSecond), \"steps_per_cpu_second\": \(stepsPerCPUSecond)}"
        }
    }

    /// Measures `id` with `copies` copies over `threads` threads for about `seconds`.
    /// - Throws: `EnvironmentError.unknownEnvironment`; `.invalidParameter` when copies < threads or the
    ///   environment has no batch stepper and more than one copy per thread is asked for.
    public static func run(_ id: String, copies: Int, threads: Int, seconds: Double, seed: UInt64 = 0) throws -> Result {
        guard threads >= 1, copies >= threads else {
            throw EnvironmentError.invalidParameter(id, "--copies (\(copies)) must be at least --threads (\(threads)), which must be at least 1")
        }
        return try EnvironmentRegistry.visit(id, seed: seed, Visitor(copies: copies, threads: threads, seconds: seconds, seed: seed))
    }

    struct Visitor: EnvironmentVisitor {
        var copies: Int, threads: Int, seconds: Double, seed: UInt64

        func visit<E: Environment>(_ environment: E) throws -> Result {
            if copies == threads { return measure(environment.id) { thread, deadline in single(environment, thread, deadline) } }
            guard let batched = environment as? any BatchedEnvironment else {
                throw EnvironmentError.invalidParameter(environment.id, "has no batch stepper; use --copies equal to --threads")
            }
            return openBatch(batched)
        }

        func openBatch<B: BatchedEnvironment>(_ env: B) -> Result {
            measure(env.id) { thread, deadline in batch(env, thread, deadline) }
        }

        /// Copies given to `thread`.
        func share(_ thread: Int) -> Int { copies / threads + (thread < copies % threads ? 1 : 0) }

        func randomActions<E: Environment>(_ env: E, count: Int, stream: Int) -> [E.Action] {
            var g = SeededGenerator(seed: seed, stream: stream)
            return (0..<count).map { _ in
                switch env.actionSpace {
                case .discrete(let n): return try! env.action(.discrete(Int(g.next() % UInt64(n))))
                case .box(let low, let high):
                    return try! env.action(.continuous(zip(low, high).map { g.uniform($0, $1) }))
                }
            }
        }

        func single<E: Environment>(_ prototype: E, _ thread: Int, _ deadline: Double) -> (Int, Double) {
            var env = prototype
            env.reset(seed: seed &+ UInt64(thread))
            let mask = 65535
            let actions = randomActions(env, count: mask + 1, stream: thread)
            var observation = [Double](repeating: 0, count: env.observationCount)
            var steps = 0, sum = 0.0
            actions.withUnsafeBufferPointer { a in
                observation.withUnsafeMutableBufferPointer { o in
                    repeat {
                        for _ in 0..<4096 {
                            let t = env.step(a[steps & mask])
                            env.observation(into: o)
                            sum += o[0] + t.reward
                            steps += 1
                            if t.done { env.reset() }
                        }
                    } while Clock.wall() < deadline
                }
            }
            return (steps, sum)
        }

        func batch<E: BatchedEnvironment>(_ prototype: E, _ thread: Int, _ deadline: Double) -> (Int, Double) {
            let n = share(thread)
            var batch = E.Batch(copies: n, seed: seed &+ UInt64(thread) &* 0x9E37_79B9)
            let rows = 64
            let actions = randomActions(prototype, count: rows * n, stream: thread)
            var output = BatchOutput(copies: n, observationCount: prototype.observationCount)
            let callsPerCheck = max(1, 65536 / n)
            var steps = 0, calls = 0, sum = 0.0
            actions.withUnsafeBufferPointer { a in
                output.observations.withUnsafeMutableBufferPointer { o in
                    output.rewards.withUnsafeMutableBufferPointer { r in
                        output.terminated.withUnsafeMutableBufferPointer { te in
                            output.truncated.withUnsafeMutableBufferPointer { tr in
                                repeat {
                                    for _ in 0..<callsPerCheck {
                                        let row = UnsafeBufferPointer(rebasing: a[(calls & (rows - 1)) * n ..< (calls & (rows - 1)) * n + n])
                                        batch.step(actions: row, observations: o, rewards: r, terminated: te, truncated: tr)
                                        calls += 1
                                    }
                                    sum += o[0] + r[0]
                                } while Clock.wall() < deadline
                            }
                        }
                    }
                }
            }
            steps = calls * n
            return (steps, sum)
        }

        func measure(_ id: String, _ work: @escaping @Sendable (Int, Double) -> (Int, Double)) -> Result {
            let counts = UnsafeMutableBufferPointer<(Int, Double)>.allocate(capacity: threads)
            counts.initialize(repeating: (0, 0))
            defer { counts.deallocate() }
            nonisolated(unsafe) let out = counts
            let cpu0 = Clock.processCPU(), wall0 = Clock.wall()
            let deadline = wall0 + seconds
            DispatchQueue.concurrentPerform(iterations: threads) { thread in out[thread] = work(thread, deadline) }
            let wall = Clock.wall() - wall0, cpu = Clock.processCPU() - cpu0
            return Result(env: id, copies: copies, threads: threads, steps: counts.reduce(0) { $0 + $1.0 },
                          wallSeconds: wall, cpuSeconds: cpu, checksum: counts.reduce(0) { $0 + $1.1 })
        }
    }
}

/// Wall and process CPU clocks, in seconds.
enum Clock {
    static func wall() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// CPU time of the whole process, all threads.
    static func processCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
