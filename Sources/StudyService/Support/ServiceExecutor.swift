import Foundation
import Synchronization

/// A task executor with threads of its own, on which the service's clients and servers run their async
/// gRPC work. The storages are synchronous: a worker thread waits for a call to finish, and so must never
/// need a thread of Swift's shared cooperative pool, which such waiting threads (tests, `Study.optimize`
/// workers) may all be holding.
final class ServiceExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor every client and server of this process shares.
    static let shared = ServiceExecutor(threads: 4)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopping = false

    init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "symstudy-service-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count, !stopping { condition.wait() }
            if head == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head > 1024, head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Lets the threads end once the jobs enqueued so far have run (for executors made for one server).
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `body` on this executor and blocks the calling thread until it returns.
    func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        try StudyService.runBlocking(on: self, body)
    }
}

/// Runs `body` on `executor` and blocks the calling thread (which must not be one of the executor's) until it
/// returns.
func runBlocking<T: Sendable>(on executor: any TaskExecutor, _ body: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task(executorPreference: executor) {
        let outcome: Result<T, any Error>
        do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
        result.withLock { $0 = outcome }
        done.signal()
    }
    done.wait()
    return try result.withLock { $0! }.get()
}
