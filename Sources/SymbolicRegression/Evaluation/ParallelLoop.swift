import Dispatch
import Synchronization

/// Runs `body(worker, index)` for every index of 0..<count on `threads` workers that take chunks of indices
/// as they finish (so uneven programs balance). `worker` is in 0..<threads: it selects per-thread scratch.
enum ParallelLoop {
    static func run(count: Int, threads: Int, chunk: Int = 4, _ body: (_ worker: Int, _ index: Int) -> Void) {
        guard count > 0 else { return }
        let workers = Swift.max(1, Swift.min(threads, (count + chunk - 1) / chunk))
        if workers == 1 {
            for index in 0..<count { body(0, index) }
            return
        }
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                while true {
                    let first = next.wrappingAdd(chunk, ordering: .relaxed).oldValue
                    guard first < count else { return }
                    for index in first..<Swift.min(first + chunk, count) { work(worker, index) }
                }
            }
        }
    }
}
