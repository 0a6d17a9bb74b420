import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix
import StudyEngine
import Synchronization

/// The study server (`symstudy serve`): one process that owns a storage and serves, on one port, Optuna's
/// `optuna.StorageService` (for Optuna's own GrpcStorageProxy workers) and symstudy's `symstudy.StudyService`
/// (Ask/Report/Tell with the sampler and pruner in the server). It fails the running trials of workers that
/// died: symstudy workers that stopped beating, Optuna workers whose connection closed and stayed closed.
public final class StudyServer: Sendable {
    /// The port the server listens on (the one picked, when the configuration said 0).
    public let port: Int
    public let configuration: StudyServerConfiguration
    public let storage: any StudyStorage

    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    private let finished = DispatchSemaphore(value: 0)
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

        var config = HTTP2ServerTransport.Posix.Config.defaults
        // Requests above the limit get a clear INVALID_ARGUMENT from MessageSizeInterceptor; the transport only
        // resets streams far beyond it.
        config.rpc.maxRequestPayloadSize = max(4 * configuration.maxMessageSize, 64 << 20)
        // Pings find connections whose peer vanished without closing them (a machine or network lost).
        config.connection.keepalive.time = .seconds(30)
        config.connection.keepalive.timeout = .seconds(20)
        config.connection.keepalive.clientBehavior.allowWithoutCalls = true
        config.connection.keepalive.clientBehavior.minPingIntervalWithoutCalls = .seconds(5)
        config.channelDebuggingCallbacks.onAcceptTCPConnection = { channel in
            let peer = Self.peerText(channel.remoteAddress)
            let id = connections.opened(peer: peer)
            channel.closeFuture.whenComplete { _ in connections.closed(id: id, peer: peer) }
            return channel.eventLoop.makeSucceededVoidFuture()
        }
        let security: HTTP2ServerTransport.Posix.TransportSecurity
        if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
            security = .tls(certificateChain: [.file(path: certificate, format: .pem)], privateKey: .file(path: key, format: .pem))
        } else {
            security = .plaintext
        }
        let callThreads = CallThreads(count: configuration.threads)
        self.callThreads = callThreads
        let transport = HTTP2ServerTransport.Posix(address: .ipv4(host: configuration.host, port: configuration.port),
                                                   transportSecurity: security, config: config, eventLoopGroup: callThreads.group)
        let services: [any RegistrableRPCService] = [
            OptunaStorageService(storage: storage, studies: studies, supervisor: supervisor),
            SymstudyStudyService(storage: storage, studies: studies, supervisor: supervisor,
                                 heartbeatInterval: configuration.heartbeatInterval),
        ]
        let counter = CallCounter()
        self.counter = counter
        let interceptors: [any ServerInterceptor] = [counter] + (configuration.token.map { [TokenInterceptor(token: $0)] } ?? [])
            + [MessageSizeInterceptor(limit: configuration.maxMessageSize)]
        let server = GRPCServer(transport: transport, services: services, interceptors: interceptors)
        self.server = server

        let serveError = ServeOutcome()
        let finished = finished
        let callExecutor = callThreads.executor
        Task(executorPreference: ServiceExecutor.shared) {
            do {
                // The calls (child tasks of serve) run on the server's own threads; this task leaves them before
                // it signals, so nothing of it is left on them when they are shut down.
                try await withTaskExecutorPreference(callExecutor) { try await server.serve() }
            } catch {
                serveError.error.withLock { $0 = error }
            }
            finished.signal()
        }
        let address = Result<GRPCNIOTransportCore.SocketAddress, any Error> {
            try ServiceExecutor.shared.runBlocking { try await transport.listeningAddress }
        }
        switch address {
        case .success(let address):
            port = address.ipv4?.port ?? address.ipv6?.port ?? configuration.port
        case .failure(let error):
            finished.wait()
            callThreads.shutdown()
            throw serveError.error.withLock { $0 } ?? error
        }
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
        server.beginGracefulShutdown()
        waitUntilStopped()
        callThreads.shutdown()
    }

    /// Blocks until the server stops; rethrows what stopped it, if it failed.
    public func waitUntilStopped() {
        finished.wait()
        finished.signal()
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

/// What ended a server's serve loop, if it failed.
private final class ServeOutcome: Sendable {
    let error = Mutex<(any Error)?>(nil)
}
