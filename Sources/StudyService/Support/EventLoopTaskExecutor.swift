import NIOCore
import NIOPosix

/// A task executor that runs its jobs on one NIO event loop. A server whose transport and calls share one
/// loop reads a request, runs the call and writes the answer on one thread, with no hand-over (and no wake-up
/// of another thread) per call: what a call costs is then the call's own work.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        loop.executor.enqueue(job)
    }
}

/// The event loops of this process's servers and clients, one thread each, kept for the life of the process
/// (a loop shut down while a closing channel still schedules on it would drop that work).
enum ServiceLoops {
    /// The loop of every server of this process that answers its calls on one thread.
    static let server = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    static let serverExecutor = EventLoopTaskExecutor(loop: server.next())
    /// The loop of every client connection of this process.
    static let client = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    static let clientExecutor = EventLoopTaskExecutor(loop: client.next())
}
