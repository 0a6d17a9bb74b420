import Foundation
import NIOCore
import NIOPosix
import StudyEngine

/// The study server (`symstudy serve`): one process that owns a storage and serves, on one port, Optuna's
/// `optuna.StorageService` (for Optuna's own GrpcStorageProxy workers) and symstudy's `symstudy.StudyService`
/// (Ask/Report/Tell with the sampler and pruner in the server). It fails the running trials of workers that
/// died: symstudy workers that stopped beating, Optuna workers whose connection closed and stayed closed.
public final class StudyServer: Sendable {
    /// The port the server listens on (the one picked, when the configuration said 0).
    public let port: Int
    public let configuration: StudyServerConfiguration
    public let storage: any StudyStorage

    private let server: UnaryGRPCServer
    private let sweeper: StaleTrialSweeper
    private let counter: CallCounter
    private let callThreads: CallThreads

    /// Binds and starts serving; returns once the server listens.
    /// - Throws: `ServiceError.invalidConfiguration`, or the bind error (address in use, ...).
    public static func start(storage: any StudyStorage, configuration: StudyServerConfiguration) throws -> StudyServer {
        try configuration.validate()
        return try StudyServer(storage: storage, configuration: configuration)
    }

    private init(storage: any StudyStorage, configuration: StudyServerConfiguration) throws {
        self.storage = storage
        self.configuration = configuration
        let connections = ConnectionRegistry()
        let supervisor = TrialSupervisor(connections: connections, gracePeriod: configuration.gracePeriod,
                                         connectionGracePeriod: configuration.connectionGracePeriod)
        let studies = ServedStudies(storage: storage)
        // Running trials in storage may belong to workers that will come back to this server.
        for summary in try storage.allStudies() {
            for trial in try storage.trials(studyID: summary.id, states: [.running]) {
                supervisor.adopt(trialID: trial.id, studyID: summary.id)
            }
        }

        let callThreads = CallThreads(count: configuration.threads)
        self.callThreads = callThreads
        let counter = CallCounter()
        self.counter = counter
        let optuna = OptunaStorageService(storage: storage, studies: studies, supervisor: supervisor)
        let symstudy = SymstudyStudyService(storage: storage, studies: studies, supervisor: supervisor,
                                            heartbeatInterval: configuration.heartbeatInterval)
        let dispatcher = UnaryCallDispatcher(routes: optuna.routes + symstudy.routes, token: configuration.token,
                                             maxMessageSize: configuration.maxMessageSize, executor: callThreads.executor,
                                             counter: counter)
        let tls = configuration.tlsCertificatePath.flatMap { certificate in configuration.tlsKeyPath.map { (certificate, $0) } }
        do {
            server = try UnaryGRPCServer(host: configuration.host, port: configuration.port, tls: tls, group: callThreads.group,
                                         dispatcher: dispatcher) { channel in
                let peer = Self.peerText(channel.remoteAddress)
                let id = connections.opened(peer: peer)
                channel.closeFuture.whenComplete { _ in connections.closed(id: id, peer: peer) }
            }
        } catch {
            callThreads.shutdown()
            throw error
        }
        port = server.port
        sweeper = StaleTrialSweeper(storage: storage, studies: studies, supervisor: supervisor,
                                    retry: configuration.retryFailedTrials, maxRetry: configuration.maxRetry)
    }

    /// The peer text gRPC gives calls (`ipv4:127.0.0.1:54321`), for a connection's remote address.
    static func peerText(_ address: NIOCore.SocketAddress?) -> String {
        switch address {
        case .v4(let v4)?: return "ipv4:\(v4.host):\(address!.port ?? 0)"
        case .v6(let v6)?: return "ipv6:[\(v6.host)]:\(address!.port ?? 0)"
        case .unixDomainSocket?: return "unix:\(address!.pathname ?? "")"
        case nil: return "<unknown>"
        }
    }

    /// Stops accepting calls, lets running calls finish, and returns when the server has stopped.
    public func stop() {
        sweeper.stop()
        server.stop()
        callThreads.shutdown()
    }

    /// Blocks until the server stops.
    public func waitUntilStopped() {
        server.waitUntilStopped()
    }

    /// The calls answered so far, by method (`symstudy.StudyService/Ask`, `optuna.StorageService/GetTrial`, ...).
    public var callCounts: [String: Int] { counter.snapshot }

    /// Fails the stale trials it finds now, as the sweeper does every second; returns their ids.
    @discardableResult
    public func sweepStaleTrials() -> [Int] { sweeper.sweep() }
}

/// The threads that answer a server's calls (`StudyServerConfiguration.threads`). One: the servers' event loop
/// reads the connections, runs the calls (storage calls included) and writes the answers, with no hand-over
/// between threads. More: the connections on NIO's shared event loops, the calls on a pool of that many threads
/// of the server's own (for a storage whose calls wait on the network, PostgreSQL).
private struct CallThreads: Sendable {
    let group: MultiThreadedEventLoopGroup
    let executor: any TaskExecutor

    init(count: Int) {
        if count <= 1 {
            group = ServiceLoops.server
            executor = ServiceLoops.serverExecutor
        } else {
            group = .singletonMultiThreadedEventLoopGroup
            executor = ServiceExecutor(threads: count)
        }
    }

    /// Once the server has stopped: ends the threads of its own, if it has any.
    func shutdown() {
        (executor as? ServiceExecutor)?.shutdown()
    }
}
