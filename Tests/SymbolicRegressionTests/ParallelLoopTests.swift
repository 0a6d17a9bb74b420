import Foundation
import Synchronization
import Testing
@testable import SymbolicRegression

/// The parallel loops run every index exactly once, on worker indices below the thread count, whether the
/// spinning helpers take the loop or Dispatch does (a loop inside a loop, loops on several threads at once).
@Suite struct ParallelLoopTests {
    /// Counts of each index's runs, and whether every worker index was in range.
    final class Tally: @unchecked Sendable {
        let counts: UnsafeMutablePointer<Atomic<Int>>
        let count: Int
        let badWorker = Atomic<Bool>(false)
        init(_ count: Int) {
            self.count = count
            counts = .allocate(capacity: count)
            for index in 0..<count { (counts + index).initialize(to: Atomic(0)) }
        }
        func record(_ index: Int, worker: Int, threads: Int) {
            counts[index].wrappingAdd(1, ordering: .relaxed)
            if worker < 0 || worker >= threads { badWorker.store(true, ordering: .relaxed) }
        }
        var eachOnce: Bool { (0..<count).allSatisfy { counts[$0].load(ordering: .relaxed) == 1 } && !badWorker.load(ordering: .relaxed) }
        deinit {
            counts.deinitialize(count: count)
            counts.deallocate()
        }
    }

    @Test(arguments: [1, 2, 3, 8])
    func everyIndexRunsOnce(threads: Int) {
        for count in [1, 2, 7, 1_000, 4_097] {
            let plain = Tally(count), owned = Tally(count), prefixed = Tally(count)
            ParallelLoop.run(count: count, threads: threads, chunk: 3) { plain.record($1, worker: $0, threads: threads) }
            ParallelLoop.runOwned(count: count, threads: threads) { owned.record($1, worker: $0, threads: threads) }
            ParallelLoop.runOwned(count: count, threads: threads, chunk: 2, shared: count / 3) {
                prefixed.record($1, worker: $0, threads: threads)
            }
            #expect(plain.eachOnce && owned.eachOnce && prefixed.eachOnce, "count \(count), threads \(threads)")
        }
    }

    @Test func unevenBoundsAndBoundsForOtherWorkerCounts() {
        let tally = Tally(100)
        // Worker 0 owns nothing, worker 1 owns everything after the shared prefix.
        ParallelLoop.runOwned(count: 100, threads: 2, chunk: 1, shared: 10, bounds: [10, 10, 100]) {
            tally.record($1, worker: $0, threads: 2)
        }
        #expect(tally.eachOnce)
        // Three items on four threads: three workers, so four-worker bounds give way to an even split.
        let few = Tally(3)
        ParallelLoop.runOwned(count: 3, threads: 4, chunk: 1, bounds: [0, 1, 2, 3, 3]) { few.record($1, worker: $0, threads: 4) }
        #expect(few.eachOnce)
    }

    @Test func loopsInsideLoopsAndOnSeveralThreadsAtOnce() {
        let outer = Tally(8)
        let inner = (0..<8).map { _ in Tally(500) }
        DispatchQueue.concurrentPerform(iterations: 4) { caller in
            for round in 0..<2 {
                let index = caller * 2 + round
                ParallelLoop.run(count: 1, threads: 1) { _, _ in
                    // The helpers may be another caller's: this loop then runs on Dispatch's threads.
                    ParallelLoop.runOwned(count: 500, threads: 2, shared: 50) { inner[index].record($1, worker: $0, threads: 2) }
                }
                outer.record(index, worker: 0, threads: 1)
            }
        }
        #expect(outer.eachOnce)
        let allOnce = inner.allSatisfy { $0.eachOnce }
        #expect(allOnce)
        // After the others have let go and the helpers have gone to sleep (they spin 5 ms), a loop wakes them
        // and still runs each index once.
        usleep(20_000)
        let after = Tally(10_000)
        ParallelLoop.run(count: 10_000, threads: 2, chunk: 1) { after.record($1, worker: $0, threads: 2) }
        #expect(after.eachOnce)
    }
}
