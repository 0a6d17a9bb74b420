import GRPCCore
import NIOCore
import SwiftProtobuf
import Synchronization

/// One unary method the server answers: decodes the request, runs the service's handler, encodes the reply.
struct UnaryRoute: Sendable {
    let descriptor: MethodDescriptor
    /// Answers one call; the request is the message's bytes without gRPC's 5-byte prefix.
    let answer: @Sendable (ByteBuffer, ServerContext) async -> UnaryOutcome

    /// A route for the handler `handler` of the method `descriptor`, whose request and reply are protobuf messages.
    static func protobuf<Request: SwiftProtobuf.Message, Reply: SwiftProtobuf.Message>(
        _ descriptor: MethodDescriptor, _ request: Request.Type = Request.self,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Reply
    ) -> UnaryRoute {
        UnaryRoute(descriptor: descriptor) { bytes, context in
            let request: Request
            do {
                request = try Request(serializedBytes: Array(bytes.readableBytesView))
            } catch {
                return .failure(RPCError(code: .invalidArgument,
                                         message: "\(descriptor.fullyQualifiedMethod): the request is not a valid \(Request.protoMessageName) message (\(error))"))
            }
            do {
                let reply = try await handler(request, context)
                let encoded: [UInt8] = try reply.serializedBytes()
                return .reply(encoded)
            } catch {
                return .failure(ServiceErrorCoding.rpcError(for: error))
            }
        }
    }
}

/// What a call ends with: the reply's bytes, or the error that becomes its status.
enum UnaryOutcome: Sendable {
    case reply([UInt8])
    case failure(RPCError)
}

/// What every connection of a server shares: the routes by path (`/optuna.StorageService/GetTrial`), the
/// checks each call passes before its handler runs (the token, the size limit), the executor calls run on,
/// and the count of calls by method.
struct UnaryCallDispatcher: Sendable {
    /// The metadata that carries the token: `authorization: Bearer <token>`.
    static let tokenMetadataKey = "authorization"
    let routes: [String: UnaryRoute]
    let token: String?
    let maxMessageSize: Int
    let executor: any TaskExecutor
    let counter: CallCounter

    init(routes: [UnaryRoute], token: String?, maxMessageSize: Int, executor: any TaskExecutor, counter: CallCounter) {
        self.routes = Dictionary(routes.map { ("/" + $0.descriptor.fullyQualifiedMethod, $0) }) { first, _ in first }
        self.token = token
        self.maxMessageSize = maxMessageSize
        self.executor = executor
        self.counter = counter
    }

    /// The error a call from `authorization` metadata `given` gets, or nil when it may proceed.
    func tokenRefusal(given: String?, method: String) -> RPCError? {
        guard let token else { return nil }
        guard let given else {
            return RPCError(code: .unauthenticated, message: "\(method): this server needs a token: send metadata 'authorization: Bearer <token>' (symstudy clients: set SYMSTUDY_SERVICE_TOKEN)")
        }
        guard Self.constantTimeEqual(Array(given.utf8), Array("Bearer \(token)".utf8)) else {
            return RPCError(code: .unauthenticated, message: "\(method): wrong token in the 'authorization' metadata")
        }
        return nil
    }

    /// The error a request of `size` bytes gets, or nil when it is within the limit.
    func sizeRefusal(size: Int, method: String) -> RPCError? {
        guard size > maxMessageSize else { return nil }
        return RPCError(code: .invalidArgument,
                        message: "\(method): the request is \(size) bytes; this server accepts at most \(maxMessageSize) (symstudy serve --max-message-size)")
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}

/// Counts the calls a server answered, by method (`optuna.StorageService/GetTrial`, `symstudy.StudyService/Ask`).
final class CallCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func count(_ method: String) { counts.withLock { $0[method, default: 0] += 1 } }

    var snapshot: [String: Int] { counts.withLock { $0 } }
}
