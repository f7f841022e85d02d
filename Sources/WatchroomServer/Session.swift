import Foundation
import NIOCore
import WatchroomCore
import WatchroomProtocol

/// One connection to the server: its handshake, its bounded outbound queue and its
/// commands. Writes happen on the connection's event loop; `lastSeq`, `isAttached` and
/// `isGone` are guarded by the server's lock.
final class Session: @unchecked Sendable {
    unowned let server: ShiftServer
    let channel: Channel
    let tcp: Bool
    let since = Date()
    let address: String

    // Set once at hello, on the event loop, before the session is shared.
    var role: Role = .viewer
    var name = "?"
    var client: UInt64 = 0

    // Guarded by the server's lock.
    var lastSeq: UInt64 = 0
    var isAttached = false
    /// Detached (or closed) before it could attach: an attach waiting for it is dropped.
    var isGone = false

    private enum Phase { case hello, attached, closing }
    // On the event loop only.
    private var phase = Phase.hello
    private var helloTimer: Scheduled<Void>?
    /// From an accepted hello until the welcome is out: what is sent meanwhile (events,
    /// presence), in order, to go after the welcome and the snapshot.
    private var held: [ByteBuffer]?

    private let queueLock = NSLock()
    private var pending = 0

    init(server: ShiftServer, channel: Channel, tcp: Bool) {
        self.server = server
        self.channel = channel
        self.tcp = tcp
        address = tcp ? (channel.remoteAddress?.description ?? "tcp") : "unix"
    }

    /// Bytes written to the connection and not yet taken by its socket.
    var queuedBytes: Int { queueLock.withLock { pending } }

    // MARK: - Inbound (event loop)

    func active() {
        helloTimer = channel.eventLoop.scheduleTask(in: server.options.helloTimeout) { [self] in
            if phase == .hello { drop(Bye(code: .frame, reason: "no hello within \(server.options.helloTimeout.nanoseconds / 1_000_000_000) s")) }
        }
    }

    func received(_ frame: Frame) {
        switch phase {
        case .closing:
            return
        case .hello:
            helloTimer?.cancel()
            switch Result(catching: { () throws(WireError) in try server.codec.clientMessage(frame) }) {
            case .failure(let error):
                drop(Bye(code: .frame, reason: "not a hello: \(error)"))
            case .success(.hello(let hello)):
                role = hello.role
                name = Sanitizer.inert(String((hello.name ?? "").prefix(64)))
                if let bye = server.refusal(hello, tcp: tcp) {
                    server.logger.notice("refused \(address): \(bye.reason)")
                    drop(bye)
                    return
                }
                phase = .attached
                held = []
                server.attach(self, hello: hello)
            case .success(.status(let request)):
                if tcp, let expected = server.options.token, !ShiftServer.same(request.token ?? "", expected) {
                    drop(Bye(code: .token, reason: "wrong or missing token; give the contents of the server's --token-file"))
                    return
                }
                send(message: .status(server.status()))
                drop(Bye(code: .client, reason: "status sent"))
            case .success(let other):
                drop(Bye(code: .frame, reason: "expected hello or status first, got \(other.type)"))
            }
        case .attached:
            switch Result(catching: { () throws(WireError) in try server.codec.clientMessage(frame) }) {
            case .failure(let error):
                drop(Bye(code: .frame, reason: "\(error)"))
            case .success(.command(let request)):
                server.run(request, from: self) { [self] reply in send(message: .reply(reply)) }
            case .success(.bye):
                drop(Bye(code: .client, reason: "goodbye"))
            case .success(let other):
                drop(Bye(code: .frame, reason: "\(other.type) is not expected after the hello"))
            }
        }
    }

    /// A stream that cannot be read further.
    func failed(_ error: FrameError) {
        server.logger.notice("client \(client) (\(address)): \(error); connection closed")
        drop(Bye(code: .frame, reason: error.description))
    }

    func inactive() {
        helloTimer?.cancel()
        phase = .closing
        server.detach(self, why: "connection closed")
    }

    // MARK: - Outbound (any thread)

    func send(message: ServerMessage) {
        guard let buffer = server.messageBuffer(message) else { return }
        send(buffer: buffer)
    }

    /// Queues bytes for the client (from any thread); past the bound the client is dropped,
    /// never waited for.
    func send(buffer: ByteBuffer) {
        if channel.eventLoop.inEventLoop {
            deliver(buffer)
        } else {
            channel.eventLoop.execute { [self] in deliver(buffer) }
        }
    }

    /// The welcome and what follows it (a snapshot or the missed events), then what was
    /// held meanwhile (from any thread).
    func release(_ first: [ByteBuffer]) {
        channel.eventLoop.execute { [self] in
            let later = held ?? []
            held = nil
            for b in first { deliver(b) }
            // Counted when they were held.
            for b in later where phase != .closing { write(b) }
        }
    }

    /// Writes bytes on the event loop, or holds them until the welcome is out.
    func deliver(_ buffer: ByteBuffer) {
        guard phase != .closing else { return }
        let size = buffer.readableBytes
        let over: Bool = queueLock.withLock {
            pending += size
            return pending > server.options.clientQueueBytes
        }
        if over {
            server.logger.warning("client \(client) (\(name)) dropped: \(queuedBytes) bytes queued, over the bound of \(server.options.clientQueueBytes)")
            server.detach(self, why: "too slow")
            phase = .closing
            held = nil
            // The bye cannot pass a full socket; close at once.
            channel.close(mode: .all, promise: nil)
            return
        }
        if held != nil {
            held?.append(buffer)
            return
        }
        write(buffer)
    }

    private func write(_ buffer: ByteBuffer) {
        let size = buffer.readableBytes
        let promise = channel.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { [self] _ in queueLock.withLock { pending -= size } }
        channel.writeAndFlush(buffer, promise: promise)
    }

    /// Sends `bye` and closes the connection once it is written.
    func drop(_ bye: Bye) {
        channel.eventLoop.execute { [self] in
            guard phase != .closing else { return }
            phase = .closing
            helloTimer?.cancel()
            server.detach(self, why: bye.reason)
            guard let frame = try? server.codec.frame(ServerMessage.bye(bye)) else {
                channel.close(promise: nil)
                return
            }
            var buffer = ByteBufferAllocator().buffer(capacity: frame.payload.count + Frame.headerSize)
            buffer.writeBytes(frame.bytes)
            let channel = self.channel
            channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

/// Cuts the connection's bytes into frames for its session.
final class FrameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let session: Session
    private var decoder: FrameDecoder
    private var failed = false

    init(session: Session, limit: Int) {
        self.session = session
        decoder = FrameDecoder(limit: limit)
    }

    func channelActive(context: ChannelHandlerContext) {
        session.active()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        session.inactive()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { decoder.feed($0) }
        do {
            while let frame = try decoder.next() { session.received(frame) }
        } catch {
            failed = true
            session.failed(error)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
