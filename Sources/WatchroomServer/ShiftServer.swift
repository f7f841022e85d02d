import Foundation
import Logging
import NIOCore
import NIOPosix
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol
import WatchroomRecords

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
    /// What `lines` show (the overlay's title).
    public var title: String?

    public init(accepted: Bool, events: [Event] = [], message: String, lines: [String]? = nil, title: String? = nil) {
        self.accepted = accepted
        self.events = events
        self.message = message
        self.lines = lines
        self.title = title
    }
}

/// Serves one live shift to consoles over a Unix socket and, when asked, TCP
/// (docs/protocol.md): a snapshot and then every event in seq order to each client, and
/// every commander's command through one executor on one queue, so two commanders who
/// dispatch the same unit at once get one success and one refusal.
///
/// Events go out only once they are durable: with a recording, from the recorder's commits
/// (a client never holds an event a crash could take back, so it can resume from the file
/// after a restart); without one, from the bus. Each batch is encoded once per role, and the
/// same bytes go to every client, handed to each event loop in one task.
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
        /// Events the snapshot carries for the ticker (news: no positions or clock ticks).
        public var recentEvents = 50
        /// Served events kept in memory for clients that resume (older ones are read from
        /// the recording, when there is one).
        public var resumeLog = LiveShift.logCapacity
        /// The most missed events a resuming client is sent instead of a snapshot.
        public var resumeLimit = 50_000
        /// Events from before the shift's bus (a resumed shift's recorded tail), oldest
        /// first, for the snapshot's ticker lines.
        public var history: [EventEnvelope] = []
        /// How long a connection may take to say hello.
        public var helloTimeout: TimeAmount = .seconds(10)
        /// What viewers receive instead of names and phone numbers.
        public var mask: ViewerMask
        /// The shift file being recorded, for `status`.
        public var shiftFile: String?
        /// Whether the virtual commander dispatches (AUTO on every console); `nil`: none.
        public var autoDispatch: (@Sendable () -> Bool)?

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
    /// The recording: events are served from its commits, and missed ones read back from it.
    private let recorder: ShiftRecorder?
    private let group: MultiThreadedEventLoopGroup
    private let commands = DispatchQueue(label: "watchroom.server.commands")
    /// Serves batches in seq order.
    private let fanout = DispatchQueue(label: "watchroom.server.fanout")
    /// Attaches waiting clients, a snapshot encoded once for all who wait together.
    private let attaching = DispatchQueue(label: "watchroom.server.attach")

    // Guarded by `lock`.
    private let lock = NSLock()
    private var sessions: [UInt64: Session] = [:]
    private var nextClient: UInt64 = 1
    private var listeners: [Channel] = []
    private var token: SubscriptionToken?
    private var observer: UInt64?
    private var feeding = false
    private var stopped = false
    /// The state as served: every event up to `servedSeq`, all of them durable.
    private var served = PrecinctState()
    private var servedSeq: UInt64 = 0
    /// The latest served events, oldest first (at most `options.resumeLog`, trimmed in batches).
    private var ring: [EventEnvelope] = []
    private var waiting: [(session: Session, hello: Hello)] = []
    private var attachScheduled = false
    private var viewerCount = 0
    /// The clock and AUTO as last told to the clients.
    private var standing: Presence?

    private let statsLock = NSLock()
    private var _fanout = FanoutStats()

    /// What the fan-out has done so far (for benchmarks and diagnostics).
    public struct FanoutStats: Sendable, Hashable {
        /// Batches and events served.
        public var batches = 0
        public var events = 0
        /// From a commit to the start of its fan-out (the hop to the fan-out queue), in all
        /// and the longest.
        public var waitSeconds = 0.0
        public var longestWaitSeconds = 0.0
        /// Folding, encoding and handing batches to the event loops, in all.
        public var encodeSeconds = 0.0
    }

    public var fanoutStats: FanoutStats { statsLock.withLock { _fanout } }

    // On `attaching` only: the last snapshot encoded for each role, for clients attaching together.
    private var snapshotCache: [Role: (seq: UInt64, frame: ByteBuffer)] = [:]

    /// - Parameters:
    ///   - recorder: the shift's recording; events are served once committed to it, each
    ///     command is answered once its events are, and resuming clients are served from it.
    ///   - durable: without a recorder, what makes a command's events durable before its reply.
    public init(shift: LiveShift, options: Options, recorder: ShiftRecorder? = nil, durable: (@Sendable () throws -> Void)? = nil,
                threads: Int = min(4, max(1, System.coreCount)), executor: @escaping Executor) {
        self.shift = shift
        self.options = options
        self.executor = executor
        self.recorder = recorder
        if let recorder {
            self.durable = { try recorder.flushAndWait() }
        } else {
            self.durable = durable
        }
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
        startFeed()
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

    /// Starts serving the shift's events (once): from the recorder's commits, or from the
    /// bus. What the shift already holds is made durable first and becomes the served state.
    private func startFeed() {
        guard !lock.withLock({ feeding }) else { return }
        fanout.sync {
            let started = shift.bus.state.shiftStartedAt.map { ISOTime.format($0, timeZone: timeZone) } ?? "unstarted"
            shiftID = "\(shift.map.key)@\(started)"
            // Subscribe first, then read the state: what comes in between is in both and
            // skipped by its seq.
            var feedToken: SubscriptionToken?
            var feedObserver: UInt64?
            if let recorder {
                let queue = fanout, zone = timeZone.identifier
                feedObserver = recorder.observeCommits { [weak self] batch in
                    // The lines as the recorder wrote them, when written in this server's zone.
                    let data = batch.timeZone.identifier == zone ? batch.data : nil
                    queue.async { [weak self] in self?.serve(batch.envelopes, data: data, committedAt: batch.at) }
                }.id
            } else {
                feedToken = shift.bus.subscribe(on: fanout) { [weak self] envelope in self?.serve([envelope]) }
            }
            let (state, log) = shift.bus.snapshot()
            do { try recorder?.flushAndWait() } catch { logger.error("recording: \(error)") }
            lock.withLock {
                feeding = true
                token = feedToken
                observer = feedObserver
                served = state
                servedSeq = state.lastSeq
                ring = Array(log.suffix(options.resumeLog))
            }
        }
    }

    /// Says bye to every client, stops listening and ends the event loops. Unix socket
    /// files are removed.
    public func stop() {
        let (all, channels): ([Session], [Channel]) = lock.withLock {
            stopped = true
            let waiters = waiting.map(\.session)
            waiting = []
            return (Array(sessions.values) + waiters, listeners)
        }
        token?.cancel()
        if let id = lock.withLock({ observer }) { recorder?.removeObserver(id) }
        fanout.sync {}
        attaching.sync {}
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

    /// Who is attached, the shift's clock and AUTO now (under `lock`).
    private func presenceNow() -> Presence {
        let (c, v) = counts()
        let p = Presence(commanders: c, viewers: v, speed: shift.clock.speed, paused: shift.clock.isPaused,
                         auto: options.autoDispatch?())
        standing = p
        return p
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
    /// every event, with no gap and no duplicate. Called on the session's event loop, which
    /// holds what is sent to it until the welcome is out; the work is done on `attaching`.
    func attach(_ session: Session, hello: Hello) {
        let schedule: Bool = lock.withLock {
            guard !stopped else { return false }
            waiting.append((session, hello))
            defer { attachScheduled = true }
            return !attachScheduled
        }
        if schedule { attaching.async { [self] in attachWaiting() } }
    }

    /// What a client is sent after its welcome.
    private enum Catchup {
        case snapshot
        case events([EventEnvelope])
        /// The missed events are read from the recording (they left the ring).
        case recording(after: UInt64)
    }

    /// Attaches every client waiting: all join the fan-out at one served seq, under the
    /// lock; the snapshot is encoded after, off the lock, once per role for all of them.
    private func attachWaiting() {
        var joined: [(session: Session, hello: Hello, catchup: Catchup)] = []
        let (seq, state, recent, presence): (UInt64, PrecinctState, [EventEnvelope], Presence) = lock.withLock {
            let batch = waiting
            waiting = []
            attachScheduled = false
            for (session, hello) in batch where !stopped && !session.isGone {
                let id = nextClient
                nextClient += 1
                session.client = id
                session.lastSeq = servedSeq
                session.isAttached = true
                sessions[id] = session
                if session.role == .viewer { viewerCount += 1 }
                joined.append((session, hello, catchup(hello)))
            }
            return (servedSeq, served, news(ring), presenceNow())
        }
        guard !joined.isEmpty else { return }
        for (session, hello, catchup) in joined {
            var frames: [ByteBuffer] = []
            var resumed = true
            switch catchup {
            case .events(let missed):
                frames = missed.compactMap { eventFrame($0, viewer: session.role == .viewer) }
            case .recording(let after):
                do {
                    let missed = try recorder?.committedEvents(after: after, through: seq) ?? []
                    guard missed.count == Int(clamping: seq - after), missed.first?.seq ?? seq == min(after + 1, seq),
                          missed.last?.seq ?? seq == seq else {
                        throw EndpointError("the recording holds \(missed.first?.seq ?? 0) to \(missed.last?.seq ?? 0)")
                    }
                    frames = missed.compactMap { eventFrame($0, viewer: session.role == .viewer) }
                } catch {
                    logger.notice("client \(session.client): cannot resume after \(after) from the recording (\(error)); a snapshot instead")
                    resumed = false
                }
            case .snapshot:
                resumed = false
            }
            if !resumed, let snapshot = snapshotFrame(seq: seq, state: state, recent: recent, viewer: session.role == .viewer) {
                frames = [snapshot]
            }
            let welcome = Welcome(map: shift.map.key, role: session.role, client: session.client, shift: shiftID, seq: seq,
                                  resumed: resumed, commanders: presence.commanders, viewers: presence.viewers,
                                  speed: presence.speed, paused: presence.paused, auto: presence.auto)
            guard let first = messageBuffer(.welcome(welcome)) else { continue }
            session.release([first] + frames)
            logger.info("client \(session.client) attached: \(session.role.rawValue) \(session.name) from \(session.address)\(resumed && hello.resumeAfter != nil ? ", resumed after \(hello.resumeAfter ?? 0)" : "")")
        }
        let ids = Set(joined.map(\.session.client))
        let others = lock.withLock { sessions.values.filter { !ids.contains($0.client) } }
        if let buffer = messageBuffer(.presence(presence)) { for s in others { s.send(buffer: buffer) } }
    }

    /// How a client saying `hello` catches up with the served seq (under the lock).
    private func catchup(_ hello: Hello) -> Catchup {
        guard let after = hello.resumeAfter, hello.shift == shiftID, after <= servedSeq else { return .snapshot }
        if after == servedSeq { return .events([]) }
        if let first = ring.first, first.seq <= after + 1 {
            // The ring is in seq order with no gap: the missed events are its tail.
            let skip = Int(clamping: after + 1 - first.seq)
            return skip < ring.count ? .events(Array(ring[skip...])) : .events([])
        }
        if recorder != nil, servedSeq - after <= UInt64(options.resumeLimit) { return .recording(after: after) }
        return .snapshot
    }

    /// The snapshot frame at `seq` for a role, encoded once and shared by every client that
    /// attaches at that seq (on `attaching`).
    private func snapshotFrame(seq: UInt64, state: PrecinctState, recent: [EventEnvelope], viewer: Bool) -> ByteBuffer? {
        let role: Role = viewer ? .viewer : .commander
        if let cached = snapshotCache[role], cached.seq == seq { return cached.frame }
        let lines = recent.compactMap { e -> String? in
            guard let shown = viewer ? masked(e) : e else { return nil }
            return try? codec.events.encode(shown)
        }
        let snapshot = Snapshot(seq: seq, state: viewer ? options.mask.state(state) : state, recent: lines)
        guard let frame = messageBuffer(.snapshot(snapshot)) else { return nil }
        snapshotCache[role] = (seq, frame)
        return frame
    }

    func messageBuffer(_ message: ServerMessage) -> ByteBuffer? {
        guard let frame = try? codec.frame(message) else { return nil }
        var buffer = ByteBufferAllocator().buffer(capacity: Frame.headerSize + frame.payload.count)
        Self.writeHeader(kind: .message, payloadCount: frame.payload.count, to: &buffer)
        buffer.writeBytes(frame.payload)
        return buffer
    }

    /// The latest events worth a ticker line, oldest first: from the served events, then the
    /// recorded history before them.
    private func news(_ log: [EventEnvelope]) -> [EventEnvelope] {
        var found: [EventEnvelope] = []
        scan: for source in [log, options.history] {
            for e in source.reversed() {
                if found.count >= options.recentEvents { break scan }
                switch e.event {
                case .unitPosition, .clockTick: continue
                default: found.append(e)
                }
            }
        }
        return found.reversed()
    }

    func detach(_ session: Session, why: String) {
        let presence: Presence? = lock.withLock {
            session.isGone = true
            guard session.isAttached, sessions.removeValue(forKey: session.client) != nil else { return nil }
            session.isAttached = false
            if session.role == .viewer { viewerCount -= 1 }
            return presenceNow()
        }
        if let presence {
            logger.info("client \(session.client) detached: \(why)")
            broadcast(presence, except: nil)
        }
    }

    private func broadcast(_ presence: Presence, except: UInt64?) {
        guard let buffer = messageBuffer(.presence(presence)) else { return }
        let all = lock.withLock { Array(sessions.values) }
        for s in all where s.client != except { s.send(buffer: buffer) }
    }

    private func masked(_ envelope: EventEnvelope) -> EventEnvelope? {
        guard let event = options.mask.event(envelope.event, timeZone: timeZone) else { return nil }
        return EventEnvelope(seq: envelope.seq, time: envelope.time, event: event)
    }

    /// Events encoded once as frames, one after the other in one buffer, with where each starts.
    struct EncodedBatch {
        var bytes: ByteBuffer
        var seqs: [UInt64]
        var offsets: [Int]

        /// The frames of the events after `seq`.
        func after(_ seq: UInt64) -> ByteBuffer? {
            guard let k = seqs.firstIndex(where: { $0 > seq }) else { return nil }
            if k == 0 { return bytes }
            return bytes.getSlice(at: bytes.readerIndex + offsets[k], length: bytes.readableBytes - offsets[k])
        }
    }

    /// - Parameter data: each event's `data` object already written (not for viewers).
    func encode(_ envelopes: [EventEnvelope], viewer: Bool, data: [String]? = nil) -> EncodedBatch {
        var batch = EncodedBatch(bytes: ByteBufferAllocator().buffer(capacity: envelopes.count * 256), seqs: [], offsets: [])
        for (k, e) in envelopes.enumerated() {
            let line: String?
            var shown: EventEnvelope? = e
            if !viewer, let data {
                line = EventCodec.line(seq: e.seq, time: ISOTime.format(e.time, timeZone: timeZone), type: e.event.type, data: data[k])
            } else {
                shown = viewer ? masked(e) : e
                line = shown.flatMap { try? codec.events.encode($0) }
            }
            guard let shown, let line else { continue }
            batch.seqs.append(e.seq)
            batch.offsets.append(batch.bytes.readableBytes)
            Self.writeEvent(time: shown.time, line: line, to: &batch.bytes)
        }
        return batch
    }

    /// One event's frame for one client (a resume).
    func eventFrame(_ envelope: EventEnvelope, viewer: Bool) -> ByteBuffer? {
        let batch = encode([envelope], viewer: viewer)
        return batch.seqs.isEmpty ? nil : batch.bytes
    }

    /// Writes an event frame: the header, the exact instant and the line (WireCodec.eventPayload).
    static func writeEvent(time: Date, line: String, to buffer: inout ByteBuffer) {
        var line = line
        let count = line.utf8.count
        writeHeader(kind: .event, payloadCount: 8 + count, to: &buffer)
        buffer.writeInteger(time.timeIntervalSinceReferenceDate.bitPattern, endianness: .big)
        line.withUTF8 { _ = buffer.writeBytes($0) }
    }

    static func writeHeader(kind: Frame.Kind, payloadCount: Int, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(truncatingIfNeeded: payloadCount + 1), endianness: .big)
        buffer.writeInteger(kind.rawValue)
    }

    /// Serves durable events to every attached client (on the fan-out queue, in seq order):
    /// folds them into the served state, encodes them once per role, and hands the same
    /// bytes to every client, one task per event loop.
    ///
    /// - Parameter data: each event's `data` object as the recorder wrote it (in this
    ///   server's zone), so commanders' lines are made without encoding again.
    private func serve(_ envelopes: [EventEnvelope], data: [String]? = nil, committedAt: UInt64? = nil) {
        let began = ShiftRecorder.monotonicNanoseconds()
        let from = lock.withLock { servedSeq }
        let skip = envelopes.firstIndex { $0.seq > from } ?? envelopes.count
        let fresh = Array(envelopes[skip...])
        guard let last = fresh.last?.seq else { return }
        let written = data.flatMap { $0.count == envelopes.count ? Array($0[skip...]) : nil }
        let full = encode(fresh, viewer: false, data: written)
        defer {
            let handed = ShiftRecorder.monotonicNanoseconds()
            statsLock.withLock {
                _fanout.batches += 1
                _fanout.events += fresh.count
                _fanout.encodeSeconds += Double(handed &- began) / 1e9
                if let committedAt {
                    let wait = Double(began &- committedAt) / 1e9
                    _fanout.waitSeconds += wait
                    _fanout.longestWaitSeconds = max(_fanout.longestWaitSeconds, wait)
                }
            }
        }
        var forViewers: EncodedBatch?
        if lock.withLock({ viewerCount > 0 }) { forViewers = encode(fresh, viewer: true) }
        var byLoop: [ObjectIdentifier: (loop: EventLoop, writes: [(Session, ByteBuffer)])] = [:]
        lock.withLock {
            for e in fresh { served.apply(e) }
            servedSeq = last
            ring.append(contentsOf: fresh)
            if ring.count > options.resumeLog + options.resumeLog / 4 { ring.removeFirst(ring.count - options.resumeLog) }
            for s in sessions.values where s.lastSeq < last {
                let bytes: ByteBuffer?
                if s.role == .viewer {
                    if forViewers == nil { forViewers = encode(fresh, viewer: true) }
                    bytes = forViewers?.after(s.lastSeq)
                } else {
                    bytes = full.after(s.lastSeq)
                }
                s.lastSeq = last
                guard let bytes, bytes.readableBytes > 0 else { continue }
                let loop = s.channel.eventLoop
                byLoop[ObjectIdentifier(loop), default: (loop, [])].writes.append((s, bytes))
            }
        }
        for (_, group) in byLoop {
            group.loop.execute {
                for (session, bytes) in group.writes { session.deliver(bytes) }
            }
        }
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
            reply(CommandReply(id: request.id, accepted: true, message: message, seqs: seqs, lines: result.lines, title: result.title))
            // A clock command, `auto`, or a dispatch that handed over: every console is told.
            let changed: Presence? = lock.withLock {
                let before = standing
                let now = presenceNow()
                return before.map { ($0.speed, $0.paused, $0.auto) != (now.speed, now.paused, now.auto) } ?? true ? now : nil
            }
            if let changed { broadcast(changed, except: nil) }
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
