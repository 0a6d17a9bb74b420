import GRPCCore

/// Refuses every call whose `authorization` metadata is not `Bearer <token>` with UNAUTHENTICATED.
struct TokenInterceptor: ServerInterceptor {
    static let metadataKey = "authorization"
    let token: String

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let given = request.metadata[stringValues: Self.metadataKey].first { _ in true }
        guard let given else {
            throw RPCError(code: .unauthenticated, message: "\(context.descriptor.fullyQualifiedMethod): this server needs a token: send metadata 'authorization: Bearer <token>' (symstudy clients: set SYMSTUDY_SERVICE_TOKEN)")
        }
        guard Self.constantTimeEqual(Array(given.utf8), Array("Bearer \(token)".utf8)) else {
            throw RPCError(code: .unauthenticated, message: "\(context.descriptor.fullyQualifiedMethod): wrong token in the 'authorization' metadata")
        }
        return try await next(request, context)
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
