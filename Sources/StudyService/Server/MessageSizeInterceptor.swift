import GRPCCore
import SwiftProtobuf

/// Refuses requests larger than the server's limit with INVALID_ARGUMENT and a message saying how large the
/// request was and what the limit is (the transport itself only resets streams, far above the limit).
struct MessageSizeInterceptor: ServerInterceptor {
    let limit: Int

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let limit = limit, method = context.descriptor.fullyQualifiedMethod
        let checked = request.messages.map { message -> Input in
            if let protobuf = message as? any SwiftProtobuf.Message {
                let size = try Self.size(of: protobuf)
                guard size <= limit else {
                    throw RPCError(code: .invalidArgument,
                                   message: "\(method): the request is \(size) bytes; this server accepts at most \(limit) (symstudy serve --max-message-size)")
                }
            }
            return message
        }
        return try await next(StreamingServerRequest(metadata: request.metadata, messages: RPCAsyncSequence(wrapping: checked)), context)
    }

    private static func size(of message: some SwiftProtobuf.Message) throws -> Int {
        let bytes: [UInt8] = try message.serializedBytes()
        return bytes.count
    }
}
