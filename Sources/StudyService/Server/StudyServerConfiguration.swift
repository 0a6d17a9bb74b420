import Foundation

/// How `symstudy serve` (or a `StudyServer` in a program) listens and watches its trials.
public struct StudyServerConfiguration: Sendable {
    /// The address to bind: loopback unless told otherwise.
    public var host: String
    /// The port; 0 picks a free one (see `StudyServer.port`).
    public var port: Int
    /// When set, every call must carry `authorization: Bearer <token>` metadata, else UNAUTHENTICATED.
    public var token: String?
    /// PEM files of the server's certificate chain and private key: with both, the server speaks TLS only.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Seconds between the heartbeats the server asks of symstudy's workers.
    public var heartbeatInterval: Double
    /// Seconds without a heartbeat after which a symstudy worker's trial is failed.
    public var gracePeriod: Double
    /// Seconds after the connection of an Optuna worker closed (and no call touched its trial since) after
    /// which its running trial is failed.
    public var connectionGracePeriod: Double
    /// Re-queue a failed stale trial as WAITING with the same parameters (Optuna's RetryFailedTrialCallback).
    public var retryFailedTrials: Bool
    /// How many times one trial may be re-run (nil: without end).
    public var maxRetry: Int?
    /// The largest request accepted, in bytes; a larger one is refused (INVALID_ARGUMENT, naming the size and
    /// the limit) and the server goes on serving.
    public var maxMessageSize: Int
    /// The threads that answer calls. 1: one thread reads the connections, runs the calls and writes the
    /// answers, with no hand-over between threads per call (the least CPU per call; right for a storage on
    /// this machine: SQLite, journal, memory). More: calls run side by side on that many threads (for
    /// PostgreSQL, whose calls wait on the network).
    public var threads: Int

    public init(host: String = "127.0.0.1", port: Int = 13000, token: String? = nil, tlsCertificatePath: String? = nil,
                tlsKeyPath: String? = nil, heartbeatInterval: Double = 10, gracePeriod: Double? = nil,
                connectionGracePeriod: Double = 60, retryFailedTrials: Bool = false, maxRetry: Int? = nil,
                maxMessageSize: Int = 4 << 20, threads: Int = 1) {
        self.host = host
        self.port = port
        self.token = token
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.heartbeatInterval = heartbeatInterval
        self.gracePeriod = gracePeriod ?? 3 * heartbeatInterval
        self.connectionGracePeriod = connectionGracePeriod
        self.retryFailedTrials = retryFailedTrials
        self.maxRetry = maxRetry
        self.maxMessageSize = maxMessageSize
        self.threads = threads
    }

    /// True for addresses only this machine reaches (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Checks the options fit together; throws `ServiceError.invalidConfiguration` naming the one at fault.
    public func validate() throws {
        guard (0...65535).contains(port) else { throw ServiceError.invalidConfiguration("port \(port) is not in 0...65535") }
        guard (tlsCertificatePath == nil) == (tlsKeyPath == nil) else {
            throw ServiceError.invalidConfiguration("TLS needs both a certificate (--tls-cert) and its private key (--tls-key)")
        }
        for path in [tlsCertificatePath, tlsKeyPath].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: path) {
            throw ServiceError.invalidConfiguration("cannot read the TLS file \(path)")
        }
        if let token, token.isEmpty { throw ServiceError.invalidConfiguration("the token is empty") }
        guard heartbeatInterval > 0, gracePeriod > 0, connectionGracePeriod > 0 else {
            throw ServiceError.invalidConfiguration("the heartbeat interval and the grace periods must be positive numbers of seconds")
        }
        if let maxRetry, maxRetry < 0 { throw ServiceError.invalidConfiguration("max retry must not be negative, not \(maxRetry)") }
        guard (1...256).contains(threads) else { throw ServiceError.invalidConfiguration("threads must be in 1...256, not \(threads)") }
        guard maxMessageSize >= 1024 else { throw ServiceError.invalidConfiguration("the largest message must be at least 1024 bytes") }
    }
}
