import Dispatch
import Foundation
import Synchronization

/// Runs `body(worker, index)` for every index of 0..<count on `threads` workers that take chunks of indices
/// as they finish (so uneven programs balance). `worker` is in 0..<threads: it selects per-thread scratch.
///
/// The workers are the caller and the helper threads of `SpinningWorkers`, which wait for the next loop by
/// spinning for a few milliseconds before they sleep: a generation runs several short parallel phases with
/// serial steps between them, and a helper that sleeps in every gap wakes late for the next phase (tens of
/// microseconds on a virtual machine, more than some phases last). A loop that finds the helpers busy (another
/// thread's loop, or a loop inside a loop) runs on Dispatch's threads instead.
enum ParallelLoop {
    static func run(count: Int, threads: Int, chunk: Int = 4, _ body: (_ worker: Int, _ index: Int) -> Void) {
        guard count > 0 else { return }
        let workers = Swift.max(1, Swift.min(threads, (count + chunk - 1) / chunk))
        if workers == 1 {
            for index in 0..<count { body(0, index) }
            return
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            let next = Atomic<Int>(0)
            nonisolated(unsafe) let job: (Int) -> Void = { worker in
                while true {
                    let first = next.wrappingAdd(chunk, ordering: .relaxed).oldValue
                    guard first < count else { return }
                    for index in first..<Swift.min(first + chunk, count) { work(worker, index) }
                }
            }
            if !SpinningWorkers.shared.run(workers: workers, job) {
                DispatchQueue.concurrentPerform(iterations: workers) { worker in job(worker) }
            }
        }
    }

    /// The worker that owns `index` of `count` items split among `threads` in `runOwned` (so a later loop can
    /// give a worker the items an earlier one made: their memory is in that core's cache).
    static func owner(of index: Int, count: Int, threads: Int) -> Int {
        Swift.min(threads - 1, index * threads / Swift.max(1, count))
    }

    /// Like `run`, but items `0..<shared` are taken in order by whichever worker is free, and then each worker
    /// takes the items `bounds[worker]..<bounds[worker + 1]` (of the rest) first, before it helps the others
    /// with theirs. When the two cores of a 2-vCPU machine are far apart (another cache, ~250 ns a cache line),
    /// a program bred, hash-consed and scored on one core costs much less than one handed between them.
    /// With the helpers of `SpinningWorkers`, worker `w` is the same thread in every loop.
    static func runOwned(count: Int, threads: Int, chunk: Int = 4, shared: Int = 0, bounds: [Int]? = nil,
                         _ body: (_ worker: Int, _ index: Int) -> Void) {
        guard count > 0 else { return }
        let workers = Swift.max(1, Swift.min(threads, (count + chunk - 1) / chunk))
        if workers == 1 || threads <= 1 {
            for index in 0..<count { body(0, index) }
            return
        }
        let owned = count - shared
        // Bounds for another number of workers (fewer items than threads) give way to an even split.
        let ends = bounds.flatMap { $0.count == workers + 1 ? $0 : nil } ?? (0...workers).map { shared + owned * $0 / workers }
        precondition(ends.first == shared && ends.last == count && zip(ends, ends.dropFirst()).allSatisfy { $0 <= $1 })
        // Per worker, a cache line apart: the next of its own items.
        let lineStride = 8
        nonisolated(unsafe) let cursors = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: workers * lineStride)
        for worker in 0..<workers { (cursors + worker * lineStride).initialize(to: Atomic(ends[worker])) }
        defer {
            for worker in 0..<workers { (cursors + worker * lineStride).deinitialize(count: 1) }
            cursors.deallocate()
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            let next = Atomic<Int>(0)
            nonisolated(unsafe) let job: (Int) -> Void = { worker in
                while true {
                    let first = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard first < shared else { break }
                    work(worker, first)
                }
                for offset in 0..<workers {
                    let victim = (worker + offset) % workers
                    let end = ends[victim + 1]
                    while true {
                        let first = cursors[victim * lineStride].wrappingAdd(chunk, ordering: .relaxed).oldValue
                        guard first < end else { break }
                        for index in first..<Swift.min(first + chunk, end) { work(worker, index) }
                    }
                }
            }
            if !SpinningWorkers.shared.run(workers: workers, job) {
                DispatchQueue.concurrentPerform(iterations: workers) { worker in job(worker) }
            }
        }
    }
}

/// Helper threads that run the jobs of `ParallelLoop`, one job at a time, with the calling thread as worker 0.
/// Between jobs a helper spins (so it starts the next job at once) for `spinSeconds`, then sleeps until the
/// next job wakes it.
final class SpinningWorkers: @unchecked Sendable {
    static let shared = SpinningWorkers()

    /// How long a helper spins for the next job before it sleeps.
    static let spinSeconds = 0.005

    /// Taken by the thread whose job the helpers run.
    private let owner = Atomic<Bool>(false)
    /// The job's number (bumped once per job) times 2^16 plus its worker count: a helper runs a job when it
    /// sees a new value and its index is below the count (a helper left out reads nothing else of the job).
    private let epoch = Atomic<Int>(0)
    /// Helpers still at the current job.
    private let remaining = Atomic<Int>(0)
    /// Helpers asleep (woken by the condition when a job comes).
    private let sleeping = Atomic<Int>(0)
    private let condition = NSCondition()
    /// The current job (written by the owner before `epoch` is bumped).
    nonisolated(unsafe) private var job: ((Int) -> Void)? = nil
    /// Helper threads started (worker indices 1...helpers); only the owner starts more.
    nonisolated(unsafe) private var helpers = 0

    /// Runs `job(worker)` for worker 0 (here) and workers 1..<workers (helpers) and returns when all are done;
    /// false (nothing run) when the helpers are taken.
    func run(workers count: Int, _ job: (Int) -> Void) -> Bool {
        precondition(count < 1 << 16)
        guard owner.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { owner.store(false, ordering: .releasing) }
        while helpers < count - 1 {
            helpers += 1
            let index = helpers, start = epoch.load(ordering: .acquiring)
            let thread = Thread { [self] in helperLoop(index, seen: start) }
            thread.name = "symstudy-worker-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
        withoutActuallyEscaping(job) { job in
            self.job = job
            remaining.store(count - 1, ordering: .relaxed)
            let number = epoch.load(ordering: .relaxed) >> 16 + 1
            epoch.store(number << 16 | count, ordering: .sequentiallyConsistent)
            if sleeping.load(ordering: .sequentiallyConsistent) > 0 {
                condition.lock()
                condition.broadcast()
                condition.unlock()
            }
            job(0)
            while remaining.load(ordering: .acquiring) > 0 {}
            self.job = nil
        }
        return true
    }

    private func helperLoop(_ index: Int, seen start: Int) {
        var seen = start
        while true {
            var current = epoch.load(ordering: .acquiring)
            if current == seen {
                let deadline = ProcessClock.wall() + Self.spinSeconds
                var spins = 0
                while current == seen {
                    spins += 1
                    if spins & 1023 == 0, ProcessClock.wall() > deadline {
                        condition.lock()
                        sleeping.wrappingAdd(1, ordering: .sequentiallyConsistent)
                        while epoch.load(ordering: .sequentiallyConsistent) == seen { condition.wait() }
                        sleeping.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                        condition.unlock()
                    }
                    current = epoch.load(ordering: .acquiring)
                }
            }
            seen = current
            // A job that needs fewer workers than there are helpers leaves the others out.
            guard index < current & 0xFFFF else { continue }
            runJob(index)
            remaining.wrappingSubtract(1, ordering: .releasing)
        }
    }

    /// Runs the current job; its reference is gone when this returns, before the owner may learn the helper is
    /// done (`withoutActuallyEscaping` checks that nothing kept the loop's body).
    @inline(never) private func runJob(_ index: Int) {
        job?(index)
    }
}
