import Foundation
import HTTPTypes
import Hummingbird

/// The dashboard's responses: JSON, SVG, pages and their files, each with the headers that keep a browser
/// from reading them as anything else (`nosniff`) and, for pages, a Content-Security-Policy that runs only the
/// dashboard's own scripts.
enum HTTPAnswer {
    /// Pages may load scripts, styles and data from the dashboard only; no inline script or style runs, so an
    /// escaped string that somehow reached the markup still could not execute.
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

    static func json<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return bytes(ByteBuffer(data: try encoder.encode(value)), contentType: "application/json; charset=utf-8", status: status)
    }

    static func json(text: String, status: HTTPResponse.Status) -> Response {
        bytes(ByteBuffer(string: text), contentType: "application/json; charset=utf-8", status: status)
    }

    static func svg(_ document: String) -> Response {
        bytes(ByteBuffer(string: document), contentType: "image/svg+xml; charset=utf-8")
    }

    static func bytes(_ buffer: ByteBuffer, contentType: String, status: HTTPResponse.Status = .ok, page: Bool = false) -> Response {
        var headers: HTTPFields = [
            .contentType: contentType,
            .contentLength: String(buffer.readableBytes),
            .cacheControl: "no-store",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ]
        if page {
            headers[.contentSecurityPolicy] = contentSecurityPolicy
            headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}
