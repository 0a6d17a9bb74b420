import Foundation

/// How a client storage (`grpc://`, `optuna-grpc://`) reaches its server.
public struct ServiceClientOptions: Sendable {
    /// Sent as `authorization: Bearer <token>` with every call (servers started with `--token`).
    public var token: String?
    /// A PEM file of the certificate(s) to trust: with it, the client speaks TLS and checks the server's
    /// certificate against these roots (servers started with `--tls-cert/--tls-key`).
    public var trustedCertificatesPath: String?
    /// Seconds a call keeps retrying, with backoff, while the server is unreachable (restarting, say).
    public var retryTimeout: Double
    /// Seconds one attempt of a call may take.
    public var callTimeout: Double

    public init(token: String? = nil, trustedCertificatesPath: String? = nil, retryTimeout: Double = 60, callTimeout: Double = 60) {
        self.token = token
        self.trustedCertificatesPath = trustedCertificatesPath
        self.retryTimeout = retryTimeout
        self.callTimeout = callTimeout
    }

    /// Options from `SYMSTUDY_SERVICE_TOKEN`, `SYMSTUDY_SERVICE_CA` (trusted certificates, turns TLS on) and
    /// `SYMSTUDY_SERVICE_RETRY_SECONDS`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        var options = Self()
        if let token = environment["SYMSTUDY_SERVICE_TOKEN"], !token.isEmpty { options.token = token }
        if let path = environment["SYMSTUDY_SERVICE_CA"], !path.isEmpty { options.trustedCertificatesPath = path }
        if let text = environment["SYMSTUDY_SERVICE_RETRY_SECONDS"], let seconds = Double(text), seconds >= 0 {
            options.retryTimeout = seconds
        }
        return options
    }
}
