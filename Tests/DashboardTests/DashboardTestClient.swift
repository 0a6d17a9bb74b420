import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import StudyEngine

/// Drives a dashboard in-process (HummingbirdTesting's router mode: the real routes and handlers, no socket).
struct DashboardTestClient {
    struct Answer {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String

        var json: JSONValue { get throws { try JSONValue.parse(body) } }
        var contentType: String { headers[.contentType] ?? "" }
    }

    let storage: any StudyStorage

    /// Sends each request in turn to one application; returns the answers in order.
    func get(_ uris: [String], method: HTTPRequest.Method = .get, maxAge: Double = 0) async throws -> [Answer] {
        let server = try DashboardServer(storage: storage, configuration: .init(pagesFolder: DashboardFixture.pagesFolder,
                                                                               snapshotMaxAge: maxAge))
        return try await server.makeApplication().test(.router) { client in
            var answers: [Answer] = []
            for uri in uris {
                let response = try await client.execute(uri: uri, method: method) { $0 }
                answers.append(Answer(status: response.status, headers: response.headers, body: String(buffer: response.body)))
            }
            return answers
        }
    }

    func get(_ uri: String, method: HTTPRequest.Method = .get) async throws -> Answer {
        try await get([uri], method: method)[0]
    }
}
