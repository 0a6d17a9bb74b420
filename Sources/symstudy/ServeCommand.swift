import ArgumentParser
import Foundation
import StudyEngine
import StudyService

/// `symstudy serve`: owns a storage and serves it to workers over gRPC, on one port: Optuna's
/// `optuna.StorageService` (Optuna's GrpcStorageProxy) and symstudy's study API (`grpc://` workers,
/// or any gRPC client), with sampling and pruning in the server.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a storage to workers over gRPC (Optuna's StorageService and symstudy's study API).",
        discussion: """
        Optuna workers: optuna.storages.GrpcStorageProxy(host=HOST, port=PORT). symstudy workers: --storage grpc://HOST:PORT \
        (SYMSTUDY_SERVICE_TOKEN and SYMSTUDY_SERVICE_CA give them the token and the certificate to trust). \
        Listens on 127.0.0.1 unless --host says otherwise; another address needs --token or TLS, or --insecure.
        """)

    @Option(help: "The storage the server owns: sqlite:///file.db, postgresql://..., journal:///file.log or memory:.")
    var storage: String
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port, printed at start).") var port = 13000
    @Option(help: "Require this token with every call (metadata 'authorization: Bearer TOKEN'). Default: $SYMSTUDY_SERVICE_TOKEN.")
    var token: String?
    @Option(help: "A PEM file with the server's certificate chain (with --tls-key: TLS only).") var tlsCert: String?
    @Option(help: "A PEM file with the certificate's private key.") var tlsKey: String?
    @Flag(help: "Serve a non-loopback address with neither token nor TLS.") var insecure = false
    @Option(help: "Seconds between the heartbeats asked of symstudy workers.") var heartbeatInterval = 10.0
    @Option(help: "Seconds without a heartbeat after which a symstudy worker's trial is failed (default: 3 x the interval).")
    var gracePeriod: Double?
    @Option(help: "Seconds after an Optuna worker's connection closed after which its running trial is failed.")
    var connectionGracePeriod = 60.0
    @Flag(help: "Run a failed stale trial again: queue it as WAITING with the same parameters.") var retryFailedTrials = false
    @Option(help: "How many times one trial may be re-run (with --retry-failed-trials; default: without end).") var maxRetry: Int?
    @Option(help: "The largest request accepted, in bytes.") var maxMessageSize = 4 << 20
    @Option(help: "Threads that answer calls (default: 1 for SQLite, journal and memory, where one thread answering everything costs the least CPU per call; 4 for PostgreSQL, whose calls wait on the network).")
    var threads: Int?

    var serverConfiguration: StudyServerConfiguration {
        StudyServerConfiguration(
            host: host, port: port, token: token ?? ProcessInfo.processInfo.environment["SYMSTUDY_SERVICE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 },
            tlsCertificatePath: tlsCert, tlsKeyPath: tlsKey, heartbeatInterval: heartbeatInterval, gracePeriod: gracePeriod,
            connectionGracePeriod: connectionGracePeriod, retryFailedTrials: retryFailedTrials, maxRetry: maxRetry,
            maxMessageSize: maxMessageSize, threads: threads ?? defaultThreads)
    }

    private var defaultThreads: Int {
        if case .postgres? = try? StorageURL(parsing: storage) { return 4 }
        return 1
    }

    func validate() throws {
        let configuration = serverConfiguration
        do { try configuration.validate() } catch { throw ValidationError(error.localizedDescription) }
        if maxRetry != nil, !retryFailedTrials { throw ValidationError("--max-retry needs --retry-failed-trials") }
        if !configuration.isLoopback, configuration.token == nil, configuration.tlsCertificatePath == nil, !insecure {
            throw ValidationError("--host \(host) is not a loopback address: serve it with --token and/or --tls-cert/--tls-key, or pass --insecure to accept unauthenticated plaintext calls from the network")
        }
    }

    func run() throws {
        let url = try StorageURL(parsing: storage)
        if case .remote = url { throw ValidationError("--storage \(storage): a server owns a storage; it cannot serve another server's") }
        let configuration = serverConfiguration
        if !configuration.isLoopback, configuration.token == nil || configuration.tlsCertificatePath == nil {
            let missing = [configuration.token == nil ? "no token" : nil, configuration.tlsCertificatePath == nil ? "no TLS" : nil].compactMap { $0 }
            FileHandle.standardError.write(Data("symstudy serve: WARNING: serving \(host) with \(missing.joined(separator: " and ")): anyone who reaches this address can \(configuration.tlsCertificatePath == nil ? "read and " : "")write these studies\n".utf8))
        }
        let server = try StudyServer.start(storage: try url.open(), configuration: configuration)
        print("symstudy serve: listening on \(host):\(server.port)\(configuration.tlsCertificatePath != nil ? " (TLS)" : "")\(configuration.token != nil ? " (token required)" : ""), storage \(url)")
        fflush(nil)
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { server.stop() }
            source.resume()
            sources.append(source)
        }
        server.waitUntilStopped()
        _ = sources
    }
}
