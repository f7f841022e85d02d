import Foundation
import NIOCore
import NIOPosix
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol

/// Why a client call did not get its answer.
public struct ClientError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = Sanitizer.inert(description) }
}

/// A console's end of the wire (docs/protocol.md): connects, says hello, folds the
/// snapshot and every event into ``state``, sends commands and waits for their replies,
/// and after a lost connection reconnects with backoff and resumes from its last seq.
///
/// Thread-safe. Callbacks run on the connection's event loop, in the order of the frames.
public final class ShiftClient: @unchecked Sendable {
    public struct Options: Sendable {
        public var endpoint: Endpoint
        public var map: String
        public var mapDigest: String
        public var role: Role
        public var token: String?
        public var name: String
        /// Reconnect after a lost connection (with backoff from 0.1 s to 2 s).
        public var reconnect = true
        /// Stop reconnecting after this long without a connection; `nil`: never stop.
        public var giveUpAfter: TimeInterval?

        public init(endpoint: Endpoint, map: PrecinctMap, role: Role, token: String? = nil, name: String? = nil) {
            self.endpoint = endpoint
            self.map = map.key
            mapDigest = MapDigest.of(map)
            self.role = role
            self.token = token
            self.name = name ?? ShiftClient.defaultName()
        }
    }

    /// Where the connection stands, for the console's status bar.
    public enum Connection: Hashable, Sendable {
        case connecting
        case attached
        /// Lost; trying again (the reason it was lost).
        case reconnecting(String)
        /// Ended for good: closed by us, or refused by the server (its reason).
        case closed(String)
    }

    public let options: Options
    private let group: MultiThreadedEventLoopGroup
    private let ownsGroup: Bool
    private let codec: WireCodec
    private let cond = NSCondition()

    // Guarded by `cond`.
    private var channel: Channel?
    private var _state = PrecinctState()
    private var _lastSeq: UInt64 = 0
    private var shift: String?
    private var _welcome: Welcome?
    private var _presence = Presence(commanders: 0, viewers: 0)
    private var _connection = Connection.connecting
    private var snapshotPending = false
    private var replies: [UInt64: CommandReply] = [:]
    private var nextRequest: UInt64 = 1
    private var closedByUser = false
    private var attempt = 0
    private var lostSince: Date?
    private var _duplicates = 0
    private var _gaps = 0
    private var _reconnects = 0
    private var _snapshots = 0

    /// Every event to be folded, with its line as the server sent it; called just before
    /// the fold shows in ``state`` and ``lastSeq``.
    public var onEvent: (@Sendable (EventEnvelope, String) -> Void)?
    /// A snapshot replaced the state (first attach, or a resume the server could not serve
    /// from its log): the state and the recent ticker lines.
    public var onSnapshot: (@Sendable (PrecinctState, [String]) -> Void)?
    public var onConnection: (@Sendable (Connection) -> Void)?
    public var onPresence: (@Sendable (Presence) -> Void)?

    public init(options: Options, timeZone: TimeZone, group: MultiThreadedEventLoopGroup? = nil) {
        self.options = options
        codec = WireCodec(timeZone: timeZone)
        self.group = group ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
        ownsGroup = group == nil
    }

    deinit {
        if ownsGroup { group.shutdownGracefully { _ in } }
    }

    public static func defaultName() -> String {
        let user = ProcessInfo.processInfo.environment["USER"] ?? "uid\(getuid())"
        return "\(user)@\(ProcessInfo.processInfo.hostName) pid \(getpid())"
    }

    // MARK: - Reading

    /// The folded state (masked for a viewer).
    public var state: PrecinctState { cond.withLock { _state } }
    public var lastSeq: UInt64 { cond.withLock { _lastSeq } }
    public var welcome: Welcome? { cond.withLock { _welcome } }
    public var presence: Presence { cond.withLock { _presence } }
    public var connection: Connection { cond.withLock { _connection } }
    /// Events received with a seq already folded (should stay 0).
    public var duplicates: Int { cond.withLock { _duplicates } }
    /// Events received past a missing seq (should stay 0; the client resyncs).
    public var gaps: Int { cond.withLock { _gaps } }
    public var reconnects: Int { cond.withLock { _reconnects } }
    public var snapshots: Int { cond.withLock { _snapshots } }

    // MARK: - Connecting

    /// Connects and waits until the snapshot (or the missed events) is folded.
    /// - Throws: ``ClientError`` with the server's reason when it refuses, or on timeout.
    @discardableResult
    public func connect(timeout: TimeInterval = 10) throws -> Welcome {
        cond.withLock { lostSince = Date() }
        open()
        let deadline = Date().addingTimeInterval(timeout)
        return try cond.withLock { () throws -> Welcome in
            while true {
                if case .closed(let why) = _connection { throw ClientError(why) }
                if case .attached = _connection, let w = _welcome, !snapshotPending, _lastSeq >= w.seq { return w }
                guard cond.wait(until: deadline) else {
                    let why: String
                    if case .reconnecting(let reason) = _connection { why = reason } else { why = "no answer" }
                    let place = why.contains(options.endpoint.description) ? "" : "\(options.endpoint): "
                    throw ClientError("\(place)\(why) after \(Int(timeout)) s")
                }
            }
        }
    }

    /// Says bye and closes; no reconnect.
    public func close() {
        let ch: Channel? = cond.withLock {
            closedByUser = true
            _connection = .closed("closed")
            cond.broadcast()
            return channel
        }
        if let ch, let frame = try? codec.frame(ClientMessage.bye(Bye(code: .client, reason: "goodbye"))) {
            var buffer = ch.allocator.buffer(capacity: frame.payload.count + Frame.headerSize)
            buffer.writeBytes(frame.bytes)
            ch.writeAndFlush(buffer).whenComplete { _ in ch.close(promise: nil) }
            try? ch.closeFuture.wait()
        }
        if ownsGroup { try? group.syncShutdownGracefully() }
    }

    private func open() {
        let options = self.options
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { [weak self] channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let self else { return }
                    try channel.pipeline.syncOperations.addHandler(ClientFrameHandler(client: self))
                }
            }
        let future: EventLoopFuture<Channel>
        switch options.endpoint {
        case .unix(let path): future = bootstrap.connect(unixDomainSocketPath: path)
        case .tcp(let host, let port): future = bootstrap.connect(host: host, port: port)
        }
        future.whenComplete { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let ch):
                let keep = cond.withLock { () -> Bool in
                    guard !closedByUser else { return false }
                    channel = ch
                    return true
                }
                guard keep else { ch.close(promise: nil); return }
                sendHello(on: ch)
            case .failure(let error):
                lost("cannot connect to \(options.endpoint): \(Self.describe(error))")
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let e = error as? IOError { return e.description }
        if let e = error as? NIOConnectionError, let first = e.connectionErrors.first { return "\(first.error)" }
        return "\(error)"
    }

    private func sendHello(on ch: Channel) {
        let hello: Hello = cond.withLock {
            Hello(map: options.map, mapDigest: options.mapDigest, role: options.role, token: options.token, shift: shift,
                  resumeAfter: shift == nil ? nil : _lastSeq, name: options.name)
        }
        write(.hello(hello), on: ch)
    }

    private func write(_ message: ClientMessage, on ch: Channel) {
        guard let frame = try? codec.frame(message) else { return }
        var buffer = ch.allocator.buffer(capacity: frame.payload.count + Frame.headerSize)
        buffer.writeBytes(frame.bytes)
        ch.writeAndFlush(buffer, promise: nil)
    }

    /// The connection is gone: try again after a backoff, unless closed or refused.
    fileprivate func lost(_ why: String) {
        let (retry, delay, state): (Bool, TimeAmount, Connection) = cond.withLock {
            channel = nil
            if closedByUser { return (false, .zero, _connection) }
            if case .closed = _connection { return (false, .zero, _connection) }
            if lostSince == nil { lostSince = Date() }
            if !options.reconnect || (options.giveUpAfter.map { Date().timeIntervalSince(lostSince ?? Date()) > $0 } ?? false) {
                _connection = .closed(why)
            } else {
                _connection = .reconnecting(why)
            }
            cond.broadcast()
            attempt += 1
            let ms = min(2000, 100 << min(attempt - 1, 5))
            if case .closed = _connection { return (false, .zero, _connection) }
            return (true, .milliseconds(Int64(ms)), _connection)
        }
        onConnection?(state)
        if retry {
            group.next().scheduleTask(in: delay) { [weak self] in
                guard let self else { return }
                cond.withLock { _reconnects += 1 }
                open()
            }
        }
    }

    // MARK: - Frames (event loop)

    fileprivate func received(_ frame: Frame, on ch: Channel) {
        if frame.kind == .event {
            let decoded: (envelope: EventEnvelope, line: String)
            do { decoded = try codec.event(frame) } catch {
                protocolError("\(error)", on: ch)
                return
            }
            let seq = decoded.envelope.seq
            let next: Bool = cond.withLock {
                if seq <= _lastSeq { _duplicates += 1; return false }
                if seq != _lastSeq + 1 { _gaps += 1; return false }
                return true
            }
            guard next else {
                // Past a missing seq: reconnect, resuming after the last seq folded.
                if cond.withLock({ seq > _lastSeq + 1 }) { ch.close(promise: nil) }
                return
            }
            // Handed on first: whoever waits for this seq finds it delivered as well as folded.
            onEvent?(decoded.envelope, decoded.line)
            cond.withLock {
                _state.apply(decoded.envelope)
                _lastSeq = seq
                cond.broadcast()
            }
            return
        }
        let message: ServerMessage
        do { message = try codec.serverMessage(frame) } catch {
            protocolError("\(error)", on: ch)
            return
        }
        switch message {
        case .welcome(let w):
            cond.withLock {
                _welcome = w
                if shift != w.shift { _lastSeq = 0 }
                shift = w.shift
                snapshotPending = !w.resumed
                _presence = w.presence
                _connection = .attached
                attempt = 0
                lostSince = nil
                cond.broadcast()
            }
            onConnection?(.attached)
            onPresence?(w.presence)
        case .snapshot(let s):
            cond.withLock {
                _state = s.state
                _lastSeq = s.seq
                snapshotPending = false
                _snapshots += 1
                cond.broadcast()
            }
            onSnapshot?(s.state, s.recent)
        case .reply(let r):
            cond.withLock {
                replies[r.id] = r
                cond.broadcast()
            }
        case .presence(let p):
            cond.withLock {
                _presence = p
                cond.broadcast()
            }
            onPresence?(p)
        case .status:
            break
        case .bye(let bye):
            cond.withLock {
                switch bye.code {
                case .version, .map, .token:
                    _connection = .closed(bye.reason)
                default:
                    break
                }
                cond.broadcast()
            }
            if case .closed = connection { onConnection?(.closed(bye.reason)) }
        }
    }

    private func protocolError(_ why: String, on ch: Channel) {
        cond.withLock { _connection = .reconnecting("server sent \(why)") }
        ch.close(promise: nil)
    }

    // MARK: - Commands

    /// Sends a command and waits for its reply and, when accepted, until its events are
    /// folded here.
    /// - Throws: ``ClientError`` when not connected, on timeout, or when the connection is
    ///   lost before the reply (the command may or may not have run: look at the state).
    public func execute(_ command: Command, selected: IncidentID? = nil, timeout: TimeInterval = 30) throws -> CommandReply {
        let (ch, id): (Channel?, UInt64) = cond.withLock {
            let id = nextRequest
            nextRequest += 1
            return (channel, id)
        }
        guard let ch, case .attached = connection else { throw ClientError("not connected to \(options.endpoint)") }
        write(.command(CommandRequest(id: id, command: command, selected: selected)), on: ch)
        let deadline = Date().addingTimeInterval(timeout)
        return try cond.withLock { () throws -> CommandReply in
            while true {
                if let reply = replies[id], (reply.seqs.max() ?? 0) <= _lastSeq {
                    replies[id] = nil
                    return reply
                }
                if replies[id] == nil, channel !== ch {
                    throw ClientError("connection lost before the reply to \(command.verb); it may or may not have run")
                }
                guard cond.wait(until: deadline) else { throw ClientError("no reply to \(command.verb) within \(Int(timeout)) s") }
            }
        }
    }

    /// Waits until `predicate` holds for the folded state; `false` on timeout. The predicate
    /// runs under the client's lock: it must not read the client's properties.
    public func wait(timeout: TimeInterval, until predicate: (PrecinctState, UInt64) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        return cond.withLock {
            while !predicate(_state, _lastSeq) {
                if case .closed = _connection { return false }
                guard cond.wait(until: deadline) else { return false }
            }
            return true
        }
    }
}

/// Cuts the server's bytes into frames for the client.
private final class ClientFrameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let client: ShiftClient
    private var decoder = FrameDecoder(limit: Frame.maxLength)
    private var failed = false

    init(client: ShiftClient) { self.client = client }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { decoder.feed($0) }
        do {
            while let frame = try decoder.next() { client.received(frame, on: context.channel) }
        } catch {
            failed = true
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        client.lost("connection lost")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
