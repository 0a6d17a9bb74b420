import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import StudyEngine

/// One client connection to a study server, shared by the calls of a client storage. Calls are synchronous
/// (the storages are); each runs on the clients' event loop, the thread that also reads and writes the socket
/// (so a call wakes one thread, not three), and is retried with backoff while the server
/// cannot be reached (UNAVAILABLE), up to the options' retry budget.
final class ServiceConnection: Sendable {
    typealias Client = GRPCClient<HTTP2ClientTransport.Posix>

    let address: String
    let client: Client
    let metadata: Metadata
    let options: ServiceClientOptions

    init(host: String, port: Int, options: ServiceClientOptions) throws {
        address = "\(host):\(port)"
        self.options = options
        let target: any ResolvableTarget
        if host.contains(":") {
            target = .ipv6(address: host, port: port)
        } else if host.split(separator: ".").count == 4, host.split(separator: ".").allSatisfy({ UInt8($0) != nil }) {
            target = .ipv4(address: host, port: port)
        } else {
            target = .dns(host: host, port: port)
        }
        let security: HTTP2ClientTransport.Posix.TransportSecurity
        if let roots = options.trustedCertificatesPath {
            security = .tls { config in config.trustRoots = .certificates([.file(path: roots, format: .pem)]) }
        } else {
            security = .plaintext
        }
        var config = HTTP2ClientTransport.Posix.Config.defaults
        config.backoff.initial = .milliseconds(50)
        config.backoff.max = .seconds(1)
        let transport: HTTP2ClientTransport.Posix
        do {
            transport = try HTTP2ClientTransport.Posix(target: target, transportSecurity: security, config: config,
                                                       eventLoopGroup: ServiceLoops.client)
        } catch {
            throw ServiceError.unreachable(address: "\(host):\(port)", reason: "\(error)")
        }
        let client = Client(transport: transport)
        self.client = client
        var metadata = Metadata()
        if let token = options.token { metadata.addString("Bearer \(token)", forKey: UnaryCallDispatcher.tokenMetadataKey) }
        self.metadata = metadata
        Task(executorPreference: ServiceExecutor.shared) { try? await client.runConnections() }
    }

    deinit { client.beginGracefulShutdown() }

    /// Per-call options: fail fast while disconnected (this connection retries itself), with a deadline.
    var callOptions: CallOptions {
        var options = CallOptions.defaults
        options.waitForReady = false
        options.timeout = .milliseconds(Int64(self.options.callTimeout * 1000))
        return options
    }

    /// Runs one call, retrying while the server is unreachable. `body` gets the attempt number (0 first),
    /// so a call that is not idempotent can ask the server to tolerate its own earlier success.
    func call<T: Sendable>(_ rpc: String, _ body: @escaping @Sendable (Client, Int) async throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(options.retryTimeout)
        var delay = 0.05
        var attempt = 0
        while true {
            do {
                let thisAttempt = attempt
                return try runBlocking(on: ServiceLoops.clientExecutor) { [client] in try await body(client, thisAttempt) }
            } catch let error as RPCError where error.code == .unavailable || (error.code == .deadlineExceeded && attempt == 0) {
                guard Date().addingTimeInterval(delay) < deadline else {
                    throw ServiceError.unreachable(address: address, reason: "\(rpc): \(error.message)")
                }
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 2)
                attempt += 1
            } catch let error as RPCError {
                throw ServiceErrorCoding.error(from: error)
            }
        }
    }
}
