import ArgumentParser
import Dashboard
import Dispatch
import Foundation
import StudyEngine

/// `symstudy dashboard`: serves the web dashboard over a storage, read-only.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Watch the studies of a storage in the browser (read-only; charts, best expressions, trials).",
        discussion: "Listens on 127.0.0.1 unless --host says otherwise. The JSON API is under /api/ (see the README)."
    )

    @OptionGroup var storage: StorageOptions
    @Option(help: "Address to listen on (0.0.0.0 exposes the dashboard to every machine that can reach this one).")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(help: "The folder of the dashboard's pages (default: the project's dashboards/).") var pages: String?
    @Option(help: "Seconds a study read from storage is reused before it is read again.") var cacheSeconds = 1.0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard cacheSeconds >= 0, cacheSeconds.isFinite else { throw ValidationError("--cache-seconds must be 0 or more") }
    }

    func run() throws {
        let shownURL = (try? StorageURL(parsing: try storage.url()))?.description ?? "?"
        let server = try DashboardServer(storage: try storage.open(), configuration: .init(
            host: host, port: port, pagesFolder: pages, snapshotMaxAge: cacheSeconds))
        let host = self.host
        // The server is asynchronous and the command is not: run it on a task and wait here until it stops.
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do {
                try await server.run { port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    // Written unbuffered: a script waiting for the address must see it at once.
                    FileHandle.standardOutput.write(Data("symstudy dashboard: http://\(shown):\(port)/ (storage \(shownURL); Ctrl-C stops)\n".utf8))
                }
            } catch {
                failure.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = failure.error { throw error }
    }
}

/// Carries the server's error from its task to the waiting command.
private final class FailureBox: @unchecked Sendable {
    var error: (any Error)?
}
