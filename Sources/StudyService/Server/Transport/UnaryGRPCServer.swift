import Foundation
import NIOCore
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// A gRPC server for unary calls over HTTP/2 (plaintext or TLS), built on NIOHTTP2's frames
/// (`UnaryGRPCConnectionHandler`). Both of symstudy's services are unary, and a small call through a general
/// gRPC server cost ~0.5 ms of server CPU here, almost all in per-stream machinery; Optuna's client makes ~16
/// calls per trial.
final class UnaryGRPCServer: Sendable {
    /// The port bound (the one picked when asked for 0).
    let port: Int
    private let listener: any Channel
    private let connections = OpenChannels()
    private let stopped = DispatchSemaphore(value: 0)

    /// Binds `host:port` and starts accepting connections.
    /// - Parameters:
    ///   - tls: PEM files of the certificate chain and private key; nil for plaintext.
    ///   - onConnection: called on each accepted connection (on its event loop), before any call on it.
    init(host: String, port: Int, tls: (certificate: String, key: String)?, group: any EventLoopGroup,
         dispatcher: UnaryCallDispatcher, onConnection: @escaping @Sendable (any Channel) -> Void) throws {
        let sslContext = try tls.map { tls -> NIOSSLContext in
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem)))
            configuration.applicationProtocols = ["grpc-exp", "h2"]
            return try NIOSSLContext(configuration: configuration)
        }
        let settings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: 1000),
            HTTP2Setting(parameter: .initialWindowSize, value: UnaryGRPCConnectionHandler.targetWindow),
            HTTP2Setting(parameter: .maxHeaderListSize, value: 1 << 16),
        ]
        let connections = connections
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext { try pipeline.addHandler(NIOSSLServerHandler(context: sslContext)) }
                    try pipeline.addHandler(NIOHTTP2Handler(mode: .server, initialSettings: settings))
                    try pipeline.addHandler(UnaryGRPCConnectionHandler(dispatcher: dispatcher,
                                                                       remotePeer: StudyServer.peerText(channel.remoteAddress),
                                                                       localPeer: StudyServer.peerText(channel.localAddress)))
                    let key = ObjectIdentifier(channel)
                    connections.add(channel)
                    channel.closeFuture.whenComplete { _ in connections.remove(key) }
                    onConnection(channel)
                }
            }
        listener = try bootstrap.bind(host: host, port: port).wait()
        self.port = listener.localAddress?.port ?? port
        let stopped = stopped
        listener.closeFuture.whenComplete { _ in stopped.signal() }
    }

    /// Stops accepting connections, asks every connection to finish its running calls (GOAWAY), and closes
    /// those still open after `timeout` seconds. Returns once every connection has closed.
    func stop(timeout: Double = 10) {
        listener.close(promise: nil)
        let open = connections.all
        for channel in open {
            channel.eventLoop.execute {
                (try? channel.pipeline.syncOperations.handler(type: UnaryGRPCConnectionHandler.self))?.beginDraining()
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        for channel in open {
            let closed = DispatchSemaphore(value: 0)
            channel.closeFuture.whenComplete { _ in closed.signal() }
            if closed.wait(timeout: .now() + max(0, deadline.timeIntervalSinceNow)) == .timedOut {
                channel.close(promise: nil)
                closed.wait()
            }
        }
        waitUntilStopped()
    }

    /// Blocks until the listener has closed.
    func waitUntilStopped() {
        stopped.wait()
        stopped.signal()
    }
}

/// The connections a server has open.
private final class OpenChannels: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) { channels.withLock { $0[ObjectIdentifier(channel)] = channel } }
    func remove(_ key: ObjectIdentifier) { _ = channels.withLock { $0.removeValue(forKey: key) } }
    var all: [any Channel] { channels.withLock { Array($0.values) } }
}
