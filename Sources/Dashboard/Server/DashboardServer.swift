import Foundation
import Hummingbird
import Logging
import StudyEngine

/// The web dashboard over one storage: pages from the pages folder, a read-only JSON API under `/api/` and
/// SVG charts drawn here. It listens on 127.0.0.1 unless told otherwise.
public struct DashboardServer: Sendable {
    public struct Configuration: Sendable {
        /// The address to listen on; 127.0.0.1 (this machine only) by default.
        public var host: String
        /// The port; 0 picks a free one (see `run(onListening:)`).
        public var port: Int
        /// The folder of pages, styles and scripts (the project's `dashboards/`).
        public var pagesFolder: String
        /// A study is read from storage at most once per this many seconds; 0 reads it for every request.
        public var snapshotMaxAge: Double

        public init(host: String = "127.0.0.1", port: Int = 8080, pagesFolder: String? = nil, snapshotMaxAge: Double = 1) {
            self.host = host
            self.port = port
            self.pagesFolder = pagesFolder ?? PageFiles.defaultFolder()
            self.snapshotMaxAge = snapshotMaxAge
        }
    }

    public let configuration: Configuration
    private let api: DashboardAPI
    private let pages: PageFiles

    /// A server over `storage`; throws `DashboardError.pagesMissing` when the pages folder lacks a page.
    public init(storage: any StudyStorage, configuration: Configuration = Configuration()) throws {
        self.configuration = configuration
        pages = try PageFiles(folder: configuration.pagesFolder)
        api = DashboardAPI(storage: storage, snapshotMaxAge: .milliseconds(Int(max(0, configuration.snapshotMaxAge) * 1000)))
    }

    /// The Hummingbird application (tests drive it in-process with HummingbirdTesting).
    public func makeApplication(onListening: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        let router = DashboardRoutes.router(api: api, pages: pages)
        var logger = Logger(label: "symstudy.dashboard")
        logger.logLevel = .warning
        return Application(
            responder: DashboardResponder(router: router.buildResponder()),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "symstudy-dashboard"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Serves until SIGINT or SIGTERM; `onListening` gets the port once the server listens.
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        try await makeApplication(onListening: onListening).runService()
    }
}
