import HTTPTypes
import Hummingbird
import Logging

/// The router wrapped so that every failure is answered as the dashboard's JSON error: a `DashboardError` with
/// its status, the router's "no route" (an unknown path, or any method but GET) as 404, anything else as 500
/// with its message logged. A bad request or bad storage content costs one error answer, never the server.
struct DashboardResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let router: RouterResponder<BasicRequestContext>

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            let response = try await router.respond(to: request, context: context)
            // The router answers "no route" with an empty 404 (or 405) of its own.
            guard response.status.code >= 400, response.headers[.contentType] == nil else { return response }
            return Self.routeNotFound(request, status: response.status)
        } catch let error as DashboardError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            return Self.routeNotFound(request, status: error.status)
        } catch {
            context.logger.error("dashboard: \(request.method) \(request.uri.path) failed: \(error)")
            return HTTPAnswer.json(text: JSONErrorText.make("internal error: \(error.localizedDescription)", status: .internalServerError),
                                   status: .internalServerError)
        }
    }

    private static func routeNotFound(_ request: Request, status: HTTPResponse.Status) -> Response {
        let reason = status == .notFound || status == .methodNotAllowed
            ? "nothing at \(request.method) \(request.uri.path) (the dashboard answers GET only)" : status.reasonPhrase
        return HTTPAnswer.json(text: JSONErrorText.make(reason, status: status), status: status)
    }
}
