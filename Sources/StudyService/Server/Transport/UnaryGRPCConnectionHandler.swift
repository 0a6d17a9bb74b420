import Foundation
import GRPCCore
import NIOCore
import NIOHPACK
import NIOHTTP2

/// The gRPC side of one server connection, on HTTP/2 frames directly: each stream is one unary call (request
/// headers, one length-prefixed message, end of stream), answered with response headers, one message and
/// trailers, or with trailers alone for an error. No child channel and no async sequence per call, which is
/// where a general gRPC server spends most of a small call's CPU; the handler's own work runs as one task on
/// the dispatcher's executor (the connection's own event loop, for a one-thread server).
///
/// The connection's flow control is kept open (window updates as requests arrive); replies are buffered by
/// NIOHTTP2 while the peer's windows are full. Pings find peers that vanished without closing the connection.
final class UnaryGRPCConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    /// The window the handler keeps open for the connection and for each request: replenished when half used.
    static let targetWindow = 1 << 20
    static let keepaliveInterval = TimeAmount.seconds(30)
    static let keepaliveTimeout = TimeAmount.seconds(20)

    /// A request being received.
    private struct Incoming {
        var headers: HPACKHeaders
        var body: ByteBuffer
        /// Bytes received, including those not kept once the request was over the limit.
        var receivedBytes = 0
    }

    private let dispatcher: UnaryCallDispatcher
    private let remotePeer: String
    private let localPeer: String
    private var context: ChannelHandlerContext?
    private var incoming: [HTTP2StreamID: Incoming] = [:]
    /// Streams whose call runs; a stream reset by the peer leaves the set and its answer is dropped.
    private var answering: Set<HTTP2StreamID> = []
    private var lastStreamID = HTTP2StreamID.rootStream
    private var needsFlush = false
    private var draining = false
    private var keepalive: RepeatedTask?
    private var pingTimeout: Scheduled<Void>?

    init(dispatcher: UnaryCallDispatcher, remotePeer: String, localPeer: String) {
        self.dispatcher = dispatcher
        self.remotePeer = remotePeer
        self.localPeer = localPeer
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        keepalive = context.eventLoop.scheduleRepeatedTask(initialDelay: Self.keepaliveInterval, delay: Self.keepaliveInterval) { _ in
            handler.value.sendKeepalivePing()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimers()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimers()
        incoming.removeAll()
        answering.removeAll()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.payload {
        case .headers(let headers):
            if var request = incoming[frame.streamID] {
                // Trailers from the client end the request.
                request.headers.add(contentsOf: headers.headers)
                incoming[frame.streamID] = request
            } else {
                incoming[frame.streamID] = Incoming(headers: headers.headers, body: context.channel.allocator.buffer(capacity: 0))
                lastStreamID = max(lastStreamID, frame.streamID)
            }
            if headers.endStream { requestEnded(streamID: frame.streamID) }
        case .data(let data):
            guard var request = incoming.removeValue(forKey: frame.streamID) else { break }
            if case .byteBuffer(var bytes) = data.data {
                request.receivedBytes += bytes.readableBytes
                // Past the limit (and its prefix) the bytes are counted, not kept: the call gets an error.
                if request.body.readableBytes + bytes.readableBytes <= dispatcher.maxMessageSize + 5 {
                    request.body.writeBuffer(&bytes)
                }
            }
            incoming[frame.streamID] = request
            if data.endStream { requestEnded(streamID: frame.streamID) }
        case .rstStream:
            incoming[frame.streamID] = nil
            answering.remove(frame.streamID)
            closeIfDrained()
        case .ping(_, ack: true):
            pingTimeout?.cancel()
            pingTimeout = nil
        default:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let window = event as? NIOHTTP2WindowUpdatedEvent, let open = window.inboundWindowSize,
           open <= Self.targetWindow / 2, window.streamID == .rootStream || incoming[window.streamID] != nil {
            write(HTTP2Frame(streamID: window.streamID, payload: .windowUpdate(windowSizeIncrement: Self.targetWindow - open)))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An error on one stream (a reply to a stream the peer has reset) concerns that stream alone; any other
        // is the connection's (NIOHTTP2 has sent GOAWAY where the protocol says so).
        if error is NIOHTTP2Errors.StreamError || error is NIOHTTP2Errors.NoSuchStream || error is NIOHTTP2Errors.StreamClosed {
            return
        }
        context.close(promise: nil)
    }

    // MARK: Calls

    /// A request is complete: check it and start its call, or answer with the error it gets.
    private func requestEnded(streamID: HTTP2StreamID) {
        guard let request = incoming.removeValue(forKey: streamID) else { return }
        let path = request.headers.first(name: ":path") ?? ""
        guard request.headers.first(name: "content-type")?.hasPrefix("application/grpc") == true else {
            var headers = HPACKHeaders()
            headers.add(name: ":status", value: "415")
            write(HTTP2Frame(streamID: streamID, payload: .headers(.init(headers: headers, endStream: true))))
            return
        }
        if draining {
            return answer(streamID: streamID, with: .failure(RPCError(code: .unavailable, message: "the server is shutting down")))
        }
        guard let route = dispatcher.routes[path] else {
            return answer(streamID: streamID, with: .failure(RPCError(code: .unimplemented, message: "no method \(path) on this server")))
        }
        let method = route.descriptor.fullyQualifiedMethod
        dispatcher.counter.count(method)
        if let refusal = dispatcher.tokenRefusal(given: request.headers.first(name: UnaryCallDispatcher.tokenMetadataKey), method: method) {
            return answer(streamID: streamID, with: .failure(refusal))
        }
        var body = request.body
        guard let compressed = body.readInteger(as: UInt8.self), let length = body.readInteger(as: UInt32.self) else {
            return answer(streamID: streamID, with: .failure(RPCError(code: .invalidArgument, message: "\(method): the request has no message")))
        }
        if let refusal = dispatcher.sizeRefusal(size: max(Int(length), request.receivedBytes - 5), method: method) {
            return answer(streamID: streamID, with: .failure(refusal))
        }
        guard compressed == 0 else {
            return answer(streamID: streamID, with: .failure(RPCError(code: .unimplemented, message: "\(method): this server takes uncompressed messages only")))
        }
        guard body.readableBytes == Int(length) else {
            return answer(streamID: streamID, with: .failure(RPCError(code: .invalidArgument, message: "\(method): a unary call takes exactly one message")))
        }
        let serverContext = ServerContext(descriptor: route.descriptor, remotePeer: remotePeer, localPeer: localPeer,
                                          cancellation: ServerContext.RPCCancellationHandle())
        answering.insert(streamID)
        guard let eventLoop = context?.eventLoop else { return }
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        Task(executorPreference: dispatcher.executor) {
            let outcome = await route.answer(body, serverContext)
            if eventLoop.inEventLoop {
                handler.value.callEnded(streamID: streamID, outcome: outcome)
            } else {
                eventLoop.execute { handler.value.callEnded(streamID: streamID, outcome: outcome) }
            }
        }
    }

    private func callEnded(streamID: HTTP2StreamID, outcome: UnaryOutcome) {
        guard answering.remove(streamID) != nil else { return }
        answer(streamID: streamID, with: outcome)
        flushIfNeeded()
        closeIfDrained()
    }

    /// Writes a call's answer: headers, the message and trailers; an error as trailers alone.
    private func answer(streamID: HTTP2StreamID, with outcome: UnaryOutcome) {
        var headers = HPACKHeaders()
        headers.add(name: ":status", value: "200")
        headers.add(name: "content-type", value: "application/grpc")
        switch outcome {
        case .reply(let bytes):
            write(HTTP2Frame(streamID: streamID, payload: .headers(.init(headers: headers))))
            var message = context?.channel.allocator.buffer(capacity: bytes.count + 5) ?? ByteBuffer()
            message.writeInteger(UInt8(0))
            message.writeInteger(UInt32(bytes.count))
            message.writeBytes(bytes)
            write(HTTP2Frame(streamID: streamID, payload: .data(.init(data: .byteBuffer(message)))))
            var trailers = HPACKHeaders()
            trailers.add(name: "grpc-status", value: "0")
            write(HTTP2Frame(streamID: streamID, payload: .headers(.init(headers: trailers, endStream: true))))
        case .failure(let error):
            headers.add(name: "grpc-status", value: String(error.code.rawValue))
            headers.add(name: "grpc-message", value: Self.percentEncoded(error.message))
            for (key, value) in error.metadata {
                switch value {
                case .string(let text): headers.add(name: key.lowercased(), value: text)
                case .binary(let bytes): headers.add(name: key.lowercased(), value: Data(bytes).base64EncodedString())
                }
            }
            write(HTTP2Frame(streamID: streamID, payload: .headers(.init(headers: headers, endStream: true))))
        }
    }

    // MARK: Shutdown and keepalive

    /// Stops taking calls (GOAWAY), answers those running, then closes.
    func beginDraining() {
        guard !draining, context != nil else { return }
        draining = true
        write(HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: lastStreamID, errorCode: .noError, opaqueData: nil)))
        flushIfNeeded()
        closeIfDrained()
    }

    private func closeIfDrained() {
        guard draining, answering.isEmpty, incoming.isEmpty else { return }
        context?.close(promise: nil)
    }

    private func sendKeepalivePing() {
        guard pingTimeout == nil, let context else { return }
        write(HTTP2Frame(streamID: .rootStream, payload: .ping(HTTP2PingData(withInteger: 0x5359_4D53_5455_4459), ack: false)))
        flushIfNeeded()
        let channel = context.channel
        pingTimeout = context.eventLoop.scheduleTask(in: Self.keepaliveTimeout) { channel.close(promise: nil) }
    }

    private func stopTimers() {
        keepalive?.cancel()
        keepalive = nil
        pingTimeout?.cancel()
        pingTimeout = nil
    }

    // MARK: Writing

    private func write(_ frame: HTTP2Frame) {
        guard let context, context.channel.isActive else { return }
        context.write(wrapOutboundOut(frame), promise: nil)
        needsFlush = true
    }

    private func flushIfNeeded() {
        guard needsFlush, let context else { return }
        needsFlush = false
        context.flush()
    }

    /// grpc-message is percent-encoded: bytes outside printable ASCII, and `%` itself.
    static func percentEncoded(_ message: String) -> String {
        var encoded = ""
        encoded.reserveCapacity(message.utf8.count)
        for byte in message.utf8 {
            if byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: "%") {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return encoded
    }
}
