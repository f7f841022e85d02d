import Foundation
import Logging
import NIOCore
import NIOPosix
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol

/// Who sent a command, for the executor and the audit.
public struct CommandCaller: Hashable, Sendable {
    public var client: UInt64
    public var role: Role
    public var name: String
    /// The incident selected on the caller's console.
    public var selected: IncidentID?
}

/// What the executor made of a command: the events to publish (in order) and the line
/// for the caller's status bar; `accepted: false` publishes nothing.
public struct CommandResult: Hashable, Sendable {
    public var accepted: Bool
    public var events: [Event]
    public var message: String
    public var lines: [String]?

    public init(accepted: Bool, events: [Event] = [], message: String, lines: [String]? = nil) {
        self.accepted = accepted
        self.events = events
        self.message = message
        self.lines = lines
    }
}

/// Serves one live shift to consoles over a Unix socket and, when asked, TCP
/// (docs/protocol.md): a snapshot and then every event in seq order to each client, and
/// every commander's command through one executor on one queue, so two commanders who
/// dispatch the same unit at once get one success and one refusal.
///
/// A client that does not read is never waited for: what is queued for it is bounded,
/// and past the bound it is disconnected with a reason (`slow`).
public final class ShiftServer: @unchecked Sendable {
    public struct Options: Sendable {
        /// The token a TCP client must present (the token file's contents); Unix socket
        /// clients are trusted by the socket's mode (0600 in a 0700 folder).
        public var token: String?
        /// Bytes queued for one client before it is dropped.
        public var clientQueueBytes = 8 << 20
        /// Events the snapshot carries for the ticker.
        public var recentEvents = 50
        /// How long a connection may take to say hello.
        public var helloTimeout: TimeAmount = .seconds(10)
        /// What viewers receive instead of names and phone numbers.
        public var mask: ViewerMask
        /// The shift file being recorded, for `status`.
        public var shiftFile: String?

        public init(mask: ViewerMask, token: String? = nil, shiftFile: String? = nil) {
            self.mask = mask
            self.token = token
            self.shiftFile = shiftFile
        }
    }

    /// Runs one command against the state at `now`; called on the command queue only.
    public typealias Executor = @Sendable (Command, CommandCaller, PrecinctState, Date) -> CommandResult

    public let shift: LiveShift
    public let options: Options
    /// The shift's name on the wire: its map and when it started (set by ``listen(_:)``:
    /// start the shift first).
    public private(set) var shiftID = ""
    let mapDigest: String
    let codec: WireCodec
    let timeZone: TimeZone
    let logger = Logger(label: "watchroom.server")
    private let executor: Executor
    /// Makes what was published durable (the recording) before a command is answered.
    private let durable: (@Sendable () throws -> Void)?
    private let group: MultiThreadedEventLoopGroup
    private let commands = DispatchQueue(label: "watchroom.server.commands")
    private let fanout = DispatchQueue(label: "watchroom.server.fanout")

    // Guarded by `lock`.
    private let lock = NSLock()
    private var sessions: [UInt64: Session] = [:]
    private var nextClient: UInt64 = 1
    private var listeners: [Channel] = []
    private var token: SubscriptionToken?
    private var stopped = false

    public init(shift: LiveShift, options: Options, durable: (@Sendable () throws -> Void)? = nil,
                threads: Int = min(4, max(1, System.coreCount)), executor: @escaping Executor) {
        self.shift = shift
        self.options = options
        self.executor = executor
        self.durable = durable
        let zone = ISOTime.timeZone(named: shift.map.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current
        timeZone = zone
        codec = WireCodec(timeZone: zone)
        mapDigest = MapDigest.of(shift.map)
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
    }

    /// The event loops, for other front ends on the same shift (SSH, HTTP feeds).
    public var eventLoopGroup: EventLoopGroup { group }

    // MARK: - Listening

    /// Starts listening; returns each endpoint as bound (a TCP port 0 becomes the real one).
    public func listen(_ endpoints: [Endpoint]) throws -> [Endpoint] {
        if token == nil {
            let started = shift.bus.state.shiftStartedAt.map { ISOTime.format($0, timeZone: timeZone) } ?? "unstarted"
            shiftID = "\(shift.map.key)@\(started)"
            // Every event, encoded once, handed to every client in seq order.
            token = shift.bus.subscribe(on: fanout) { [weak self] envelope in self?.broadcast(envelope) }
        }
        var bound: [Endpoint] = []
        for endpoint in endpoints {
            let bootstrap = ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 16)
                .childChannelInitializer { [weak self] channel in
                    guard let self else { return channel.close() }
                    return channel.eventLoop.makeCompletedFuture {
                        let session = Session(server: self, channel: channel, tcp: endpoint.isTCP)
                        try channel.pipeline.syncOperations.addHandler(FrameHandler(session: session, limit: Frame.maxClientLength))
                    }
                }
            let channel: Channel
            switch endpoint {
            case .unix(let path):
                do {
                    try SocketFolder.prepare(socketPath: path)
                    try SocketFolder.clearStale(path)
                } catch {
                    throw error
                }
                channel = try bootstrap.bind(unixDomainSocketPath: path).wait()
                chmod(path, 0o600)
                bound.append(endpoint)
            case .tcp(let host, let port):
                guard options.token != nil else { throw EndpointError("\(endpoint): TCP needs a token file (--token-file)") }
                do {
                    channel = try bootstrap.bind(host: host, port: port).wait()
                } catch {
                    throw EndpointError("\(endpoint): cannot listen (\(error))")
                }
                bound.append(.tcp(host: host, port: channel.localAddress?.port ?? port))
            }
            lock.withLock { listeners.append(channel) }
            logger.info("listening on \(bound[bound.count - 1])")
        }
        return bound
    }

    /// Says bye to every client, stops listening and ends the event loops. Unix socket
    /// files are removed.
    public func stop() {
        let (all, channels): ([Session], [Channel]) = lock.withLock {
            stopped = true
            return (Array(sessions.values), listeners)
        }
        token?.cancel()
        for s in all { s.drop(Bye(code: .shutdown, reason: "the server is stopping")) }
        for c in channels {
            let path = c.localAddress?.pathname
            try? c.close().wait()
            if let path { unlink(path) }
        }
        // Let the byes go out.
        for s in all { try? s.channel.closeFuture.wait() }
        commands.sync {}
        try? group.syncShutdownGracefully()
    }

    // MARK: - Clients

    /// The clients attached now.
    public var attached: (commanders: Int, viewers: Int) {
        lock.withLock { counts() }
    }

    private func counts() -> (commanders: Int, viewers: Int) {
        var c = 0, v = 0
        for s in sessions.values where s.isAttached {
            if s.role == .commander { c += 1 } else { v += 1 }
        }
        return (c, v)
    }

    /// Checks a hello; `nil` when it may attach, else why not.
    func refusal(_ hello: Hello, tcp: Bool) -> Bye? {
        if hello.protocol != protocolVersion {
            return Bye(code: .version, reason: "protocol \(hello.protocol) is not spoken here: this server speaks protocol \(protocolVersion); use a watchroom of the same version")
        }
        if tcp, let expected = options.token, !Self.same(hello.token ?? "", expected) {
            return Bye(code: .token, reason: "wrong or missing token; give the contents of the server's --token-file")
        }
        if hello.map != shift.map.key || hello.mapDigest != mapDigest {
            let what = hello.map == shift.map.key ? "another version of map '\(hello.map)'" : "map '\(hello.map)'"
            return Bye(code: .map, reason: "this server runs map '\(shift.map.key)' (\(mapDigest)); you loaded \(what); attach with --map set to the server's map")
        }
        return nil
    }

    /// Token comparison in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for k in 0..<max(x.count, y.count) { diff |= (k < x.count ? x[k] : 0) ^ (k < y.count ? y[k] : 0) }
        return diff == 0
    }

    /// Attaches an accepted client: a snapshot (or the events it missed) and from then on
    /// every event, with no gap and no duplicate.
    func attach(_ session: Session, hello: Hello) {
        let presence: Presence? = lock.withLock {
            guard !stopped else { return nil }
            let id = nextClient
            nextClient += 1
            let (state, log) = shift.bus.snapshot()
            var missed: [EventEnvelope]?
            if let after = hello.resumeAfter, hello.shift == shiftID, after <= state.lastSeq,
               after == state.lastSeq || (log.first.map { $0.seq <= after + 1 } ?? false) {
                missed = log.filter { $0.seq > after }
            }
            session.client = id
            session.lastSeq = state.lastSeq
            sessions[id] = session
            session.isAttached = true
            let (c, v) = counts()
            let welcome = Welcome(map: shift.map.key, role: session.role, client: id, shift: shiftID, seq: state.lastSeq,
                                  resumed: missed != nil, commanders: c, viewers: v)
            session.send(message: .welcome(welcome))
            if let missed {
                for e in missed { session.send(event: e) }
            } else {
                let viewer = session.role == .viewer
                let recent = log.suffix(options.recentEvents).compactMap { e -> String? in
                    guard let shown = viewer ? masked(e) : e else { return nil }
                    return try? codec.events.encode(shown)
                }
                session.send(message: .snapshot(Snapshot(seq: state.lastSeq, state: viewer ? options.mask.state(state) : state,
                                                         recent: recent)))
            }
            logger.info("client \(id) attached: \(session.role.rawValue) \(session.name) from \(session.address)\(missed != nil ? ", resumed after \(hello.resumeAfter ?? 0)" : "")")
            return Presence(commanders: c, viewers: v)
        }
        if let presence { broadcast(presence, except: session.client) }
    }

    func detach(_ session: Session, why: String) {
        let presence: Presence? = lock.withLock {
            guard session.isAttached, sessions.removeValue(forKey: session.client) != nil else { return nil }
            session.isAttached = false
            let (c, v) = counts()
            return Presence(commanders: c, viewers: v)
        }
        if let presence {
            logger.info("client \(session.client) detached: \(why)")
            broadcast(presence, except: nil)
        }
    }

    private func broadcast(_ presence: Presence, except: UInt64?) {
        let all = lock.withLock { Array(sessions.values) }
        for s in all where s.client != except { s.send(message: .presence(presence)) }
    }

    private func masked(_ envelope: EventEnvelope) -> EventEnvelope? {
        guard let event = options.mask.event(envelope.event, timeZone: timeZone) else { return nil }
        return EventEnvelope(seq: envelope.seq, time: envelope.time, event: event)
    }

    /// One event to every attached client (on the fan-out queue, in seq order): encoded
    /// once for commanders and once, masked, for viewers.
    private func broadcast(_ envelope: EventEnvelope) {
        var full: ByteBuffer?
        var viewer: ByteBuffer?
        lock.withLock {
            for s in sessions.values where s.lastSeq < envelope.seq {
                s.lastSeq = envelope.seq
                if s.role == .viewer {
                    if viewer == nil { viewer = masked(envelope).flatMap { try? frameBuffer($0) } ?? ByteBuffer() }
                    if let viewer, viewer.readableBytes > 0 { s.send(buffer: viewer) }
                } else {
                    if full == nil { full = (try? frameBuffer(envelope)) ?? ByteBuffer() }
                    if let full, full.readableBytes > 0 { s.send(buffer: full) }
                }
            }
        }
    }

    func frameBuffer(_ envelope: EventEnvelope) throws -> ByteBuffer {
        let payload = WireCodec.eventPayload(time: envelope.time, line: try codec.events.encode(envelope))
        var buffer = ByteBufferAllocator().buffer(capacity: Frame.headerSize + payload.count)
        var header: [UInt8] = []
        Frame.appendHeader(kind: .event, payloadCount: payload.count, to: &header)
        buffer.writeBytes(header)
        buffer.writeBytes(payload)
        return buffer
    }

    // MARK: - Commands

    /// Runs a command through the one executor; `reply` is called with the answer.
    func run(_ request: CommandRequest, from session: Session, reply: @escaping @Sendable (CommandReply) -> Void) {
        let caller = CommandCaller(client: session.client, role: session.role, name: session.name, selected: request.selected)
        commands.async { [self] in
            if let why = CommandPolicy.refusal(request.command, role: caller.role) {
                reply(CommandReply(id: request.id, accepted: false, message: why))
                return
            }
            let result = executor(request.command, caller, shift.bus.state, shift.clock.now())
            guard result.accepted else {
                reply(CommandReply(id: request.id, accepted: false, message: result.message, lines: result.lines))
                return
            }
            var seqs: [UInt64] = []
            for event in result.events { seqs.append(shift.publish(event).seq) }
            var message = result.message
            if !seqs.isEmpty, let durable {
                do { try durable() } catch {
                    logger.error("recording: \(error)")
                    message += " (NOT RECORDED: \(error))"
                }
            }
            logger.info("client \(caller.client) \(request.command.verb): \(message)")
            reply(CommandReply(id: request.id, accepted: true, message: message, seqs: seqs, lines: result.lines))
        }
    }

    func status() -> ShiftStatus {
        let clients = lock.withLock { sessions.values.sorted { $0.client < $1.client } }
        let state = shift.bus.state
        return ShiftStatus(map: shift.map.key, shift: shiftID, file: options.shiftFile, seq: state.lastSeq,
                           now: state.now.map { ISOTime.format($0, timeZone: timeZone) }, speed: shift.clock.speed,
                           clients: clients.map {
                               ShiftStatus.Client(client: $0.client, role: $0.role, name: $0.name, address: $0.address,
                                                  since: ISOTime.format($0.since, timeZone: timeZone), queued: $0.queuedBytes)
                           })
    }
}

extension Endpoint {
    var isTCP: Bool {
        if case .tcp = self { return true }
        return false
    }
}
