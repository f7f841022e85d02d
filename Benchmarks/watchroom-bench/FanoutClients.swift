import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol

/// `watchroom-bench fanout-clients`: the client side of `watchroom-bench serve`, in a
/// process of its own so the clients' work is not counted as the server's.
///
/// N connections on swift-nio (2 event-loop threads by default) to the shift server's Unix
/// socket, or to redis-server's as pub/sub subscribers. Each connection only cuts the bytes
/// into frames (`FrameDecoder`, or RESP then the frame inside) and reads the event's seq from
/// its line; nothing is folded. The arrival of an event is the `CLOCK_MONOTONIC` instant at
/// which its whole frame is decoded, the clock the server's commit times are taken on.
///
/// Talks to its parent by lines: prints `attached …` once every connection has its snapshot
/// (or its subscription), waits for `go`, counts bytes from then, and on `stop SEQ` waits
/// until every connection has SEQ, writes the arrivals to `--out` and prints `done`.
struct FanoutClients: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout-clients",
        abstract: "The headless clients of `serve` (started by it).",
        shouldDisplay: false
    )

    @Option(help: "The shift server's Unix socket.")
    var socket: String?

    @Option(help: "redis-server's Unix socket (subscribe to channel wr instead).")
    var redisSocket: String?

    @Option(help: "Connections.")
    var clients: Int = 100

    @Option(help: "The map's key and digest, for the hello.")
    var map: String = ""

    @Option(help: "The map's digest.")
    var digest: String = ""

    @Option(help: "A segment: the first client sends a traffic command on it every 250 ms between go and stop.")
    var segment: String?

    @Option(help: "Where the arrivals go (binary).")
    var out: String?

    @Option(help: "Event-loop threads.")
    var threads: Int = 2

    @Flag(help: "Attach, print the attach times and exit.")
    var attachOnly = false

    func validate() throws {
        guard (socket == nil) != (redisSocket == nil) else { throw ValidationError("give --socket or --redis-socket") }
        guard (1...1000).contains(clients) else { throw ValidationError("--clients: 1 to 1000") }
        guard (1...16).contains(threads) else { throw ValidationError("--threads: 1 to 16") }
    }

    func run() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        defer { try? group.syncShutdownGracefully() }
        let board = Board(count: clients)
        let redis = redisSocket != nil
        let codec = WireCodec(timeZone: TimeZone(secondsFromGMT: 0) ?? .current)
        var channels: [Channel] = []
        let began = Monotonic.now()
        var futures: [EventLoopFuture<Channel>] = []
        for k in 0..<clients {
            let peer = board.peers[k]
            peer.connectStart = Monotonic.now()
            let bootstrap = ClientBootstrap(group: group).channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    try ch.pipeline.syncOperations.addHandler(PeerHandler(peer: peer, board: board, redis: redis, codec: codec))
                }
            }
            futures.append(bootstrap.connect(unixDomainSocketPath: socket ?? redisSocket ?? ""))
        }
        for f in futures {
            let ch = try f.wait()
            channels.append(ch)
        }
        for (k, ch) in channels.enumerated() {
            var b = ch.allocator.buffer(capacity: 256)
            if redis {
                b.writeString("*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nwr\r\n")
            } else {
                let hello = Hello(map: map, mapDigest: digest, role: .commander, name: "bench \(k)")
                b.writeBytes(try codec.frame(ClientMessage.hello(hello)).bytes)
            }
            ch.writeAndFlush(b, promise: nil)
        }
        guard board.waitAttached(timeout: 120) else {
            throw ValidationError("not every client attached within 120 s: \(board.attachedCount) of \(clients); \(board.problem ?? "")")
        }
        let all = Double(Monotonic.now() - began) / 1e6
        let times = board.peers.map { Double($0.attachedAt - $0.connectStart) / 1e6 }.sorted()
        let snapshotBytes = board.peers.first?.snapshotBytes ?? 0
        Self.line(String(format: "attached %d %.2f %.2f %.2f %d", clients, ServeBench.pct(times, 0.5), times.last ?? 0, all, snapshotBytes))
        if attachOnly {
            for ch in channels { ch.close(promise: nil) }
            return
        }
        guard readLine() == "go" else { return }
        board.go()
        let stopSeq = Locked<UInt64?>(nil)
        // The commander: a traffic command every 250 ms until stop.
        let first = channels.first
        let commander = Thread { [segment] in
            guard let segment, let ch = first else { return }
            var k: UInt64 = 0
            while stopSeq.value == nil {
                usleep(250_000)
                k += 1
                let command = Command.traffic(segment: SegmentKey(segment), setting: k % 2 == 0 ? .factor(1.5) : .open)
                guard let frame = try? codec.frame(ClientMessage.command(CommandRequest(id: k, command: command))) else { continue }
                var b = ch.allocator.buffer(capacity: frame.payload.count + Frame.headerSize)
                b.writeBytes(frame.bytes)
                board.peers[0].sent(k, at: Monotonic.now())
                ch.writeAndFlush(b, promise: nil)
            }
        }
        commander.start()
        while let text = readLine() {
            if text.hasPrefix("stop "), let seq = UInt64(text.dropFirst(5)) {
                stopSeq.set(seq)
                break
            }
        }
        guard let last = stopSeq.value else { return }
        let complete = board.waitAll(last, timeout: 20)
        board.stop()
        usleep(300_000)
        if let out { try board.write(to: out) }
        Self.line("done \(complete ? "complete" : "incomplete") \(board.peers.map(\.maxSeq).min() ?? 0)")
        _ = readLine()
        for ch in channels { ch.close(promise: nil) }
    }

    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

/// The host's monotonic clock, as the recorder stamps its commits.
enum Monotonic {
    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}

final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var v: T
    init(_ v: T) { self.v = v }
    var value: T { lock.withLock { v } }
    func set(_ n: T) { lock.withLock { v = n } }
}

/// One connection's record (written on its event loop, read by the main thread under the lock).
final class Peer: @unchecked Sendable {
    let lock = NSLock()
    var connectStart: UInt64 = 0
    var attachedAt: UInt64 = 0
    var snapshotBytes = 0
    /// Arrival instant of seq `base + k` at `arrivals[k]` (0: not arrived).
    var base: UInt64 = 0
    var arrivals: [UInt64] = []
    var maxSeq: UInt64 = 0
    var bytes = 0
    /// The commander's commands: id → (sent, replied, last seq of its events).
    var commands: [UInt64: (sent: UInt64, replied: UInt64, seq: UInt64)] = [:]

    func arrived(_ seq: UInt64, at now: UInt64) {
        lock.withLock {
            if base == 0 { base = seq }
            guard seq >= base else { return }
            let k = Int(seq - base)
            if k >= arrivals.count { arrivals.append(contentsOf: repeatElement(0, count: max(k + 1 - arrivals.count, 1024))) }
            if arrivals[k] == 0 { arrivals[k] = now }
            maxSeq = max(maxSeq, seq)
        }
    }

    func sent(_ id: UInt64, at now: UInt64) { lock.withLock { commands[id] = (now, 0, 0) } }

    func replied(_ id: UInt64, seq: UInt64, at now: UInt64) {
        lock.withLock {
            guard let c = commands[id] else { return }
            commands[id] = (c.sent, now, seq)
        }
    }
}

/// Every connection's record, and the waits of the main thread.
final class Board: @unchecked Sendable {
    let peers: [Peer]
    private let cond = NSCondition()
    private var attached = 0
    private var measuring = false
    private(set) var problem: String?

    init(count: Int) { peers = (0..<count).map { _ in Peer() } }

    var isMeasuring: Bool { cond.withLock { measuring } }
    var attachedCount: Int { cond.withLock { attached } }

    func attachedOne() { cond.withLock { attached += 1; cond.broadcast() } }
    func failed(_ why: String) { cond.withLock { problem = why; cond.broadcast() } }
    func go() { cond.withLock { measuring = true } }
    func stop() { cond.withLock { measuring = false } }

    func waitAttached(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        return cond.withLock {
            while attached < peers.count {
                if problem != nil { return false }
                guard cond.wait(until: deadline) else { return false }
            }
            return true
        }
    }

    func waitAll(_ seq: UInt64, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if peers.allSatisfy({ p in p.lock.withLock { p.maxSeq >= seq } }) { return true }
            usleep(5_000)
        }
        return false
    }

    /// Per peer: base, count, arrivals, bytes; then the commands: count, (sent, replied, seq)…
    func write(to path: String) throws {
        var out: [UInt64] = [UInt64(peers.count)]
        for p in peers {
            p.lock.withLock {
                out.append(p.base)
                out.append(UInt64(p.arrivals.count))
                out.append(contentsOf: p.arrivals)
                out.append(UInt64(p.bytes))
            }
        }
        let commands = peers[0].lock.withLock { peers[0].commands.values.filter { $0.replied > 0 } }
        out.append(UInt64(commands.count))
        for c in commands { out.append(contentsOf: [c.sent, c.replied, c.seq]) }
        try out.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path))
    }

    struct Results {
        var arrivals: [(base: UInt64, times: [UInt64], bytes: Int)]
        var commands: [(sent: UInt64, replied: UInt64, seq: UInt64)]
    }

    static func read(_ path: String) throws -> Results {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let words: [UInt64] = data.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
        var at = 0
        func next() -> UInt64 { defer { at += 1 }; return at < words.count ? words[at] : 0 }
        var r = Results(arrivals: [], commands: [])
        for _ in 0..<min(next(), 1000) {
            let base = next(), count = Int(min(next(), UInt64(words.count)))
            let times = Array(words[min(at, words.count)..<min(at + count, words.count)])
            at += count
            r.arrivals.append((base, times, Int(clamping: next())))
        }
        for _ in 0..<min(next(), 1_000_000) { r.commands.append((next(), next(), next())) }
        return r
    }
}

/// Cuts one connection's bytes into frames (RESP first for Redis) and records each event,
/// in place in NIO's buffer: no copy of a payload, nothing folded.
private final class PeerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let peer: Peer
    private let board: Board
    private let redis: Bool
    private let codec: WireCodec
    private var pending: ByteBuffer?
    private var attached = false

    init(peer: Peer, board: Board, redis: Bool, codec: WireCodec) {
        self.peer = peer
        self.board = board
        self.redis = redis
        self.codec = codec
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if board.isMeasuring { peer.lock.withLock { peer.bytes += incoming.readableBytes } }
        if pending == nil || pending?.readableBytes == 0 {
            pending = incoming
        } else {
            pending?.writeBuffer(&incoming)
        }
        guard var buffer = pending else { return }
        pending = nil
        do {
            if redis { try readRESP(&buffer) } else { try readFrames(&buffer) }
        } catch {
            board.failed("\(error)")
            context.close(promise: nil)
            return
        }
        if buffer.readableBytes > 0 {
            buffer.discardReadBytes()
            pending = buffer
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !attached { board.failed("connection closed before attaching") }
    }

    struct Bad: Error, CustomStringConvertible { let description: String }

    /// Whole frames at the front of `buffer` (the checks of `FrameDecoder`: a length from 1
    /// to the bound, a known kind).
    private func readFrames(_ buffer: inout ByteBuffer) throws {
        while let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) {
            guard length >= 1, Int(length) <= Frame.maxLength else { throw Bad(description: "bad frame length \(length)") }
            guard buffer.readableBytes >= 4 + Int(length) else { return }
            let kindByte = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt8.self) ?? 0
            guard let kind = Frame.Kind(rawValue: kindByte) else { throw Bad(description: "frame of unknown kind \(kindByte)") }
            let payloadStart = buffer.readerIndex + Frame.headerSize
            let payloadCount = Int(length) - 1
            let now = Monotonic.now()
            if kind == .event {
                if let seq = buffer.withUnsafeReadableBytes({ Self.seq($0, from: Frame.headerSize, count: payloadCount) }) {
                    peer.arrived(seq, at: now)
                }
            } else {
                message(buffer, at: payloadStart, count: payloadCount, now: now)
            }
            buffer.moveReaderIndex(forwardBy: 4 + Int(length))
        }
    }

    private func message(_ buffer: ByteBuffer, at start: Int, count: Int, now: UInt64) {
        // Only a snapshot is large: taken as it is, never parsed (the clients do not fold).
        if count > 8192 {
            attachedNow(now, bytes: count)
            return
        }
        let frame = Frame(kind: .message, payload: buffer.getBytes(at: start, length: count) ?? [])
        switch try? codec.serverMessage(frame) {
        case .welcome(let w)?:
            if w.resumed { attachedNow(now, bytes: 0) }
        case .snapshot?:
            attachedNow(now, bytes: count)
        case .reply(let r)?:
            peer.replied(r.id, seq: r.seqs.max() ?? 0, at: now)
        case .bye(let b)?:
            board.failed("bye: \(b.reason)")
        default:
            break
        }
    }

    private func attachedNow(_ now: UInt64, bytes: Int) {
        guard !attached else { return }
        attached = true
        peer.attachedAt = now
        peer.snapshotBytes = bytes
        board.attachedOne()
    }

    /// The seq in an event frame's payload at `from` (`count` bytes): the line after the
    /// 8-byte instant starts `{"v":1,"seq":N,`.
    static func seq(_ b: UnsafeRawBufferPointer, from: Int, count: Int) -> UInt64? {
        let key: [UInt8] = [34, 115, 101, 113, 34, 58] // "seq":
        let end = min(from + count, from + 48, b.count)
        var k = from + 8
        while k + key.count < end {
            if b[k] == 34, b[k + 1] == key[1], b[k + 2] == key[2], b[k + 3] == key[3], b[k + 4] == key[4], b[k + 5] == key[5] {
                var v: UInt64 = 0
                var i = k + key.count
                while i < from + count, i < b.count, b[i] >= 48, b[i] <= 57, v < UInt64.max / 10 {
                    v = v * 10 + UInt64(b[i] - 48)
                    i += 1
                }
                return v
            }
            k += 1
        }
        return nil
    }

    /// RESP pushes, in place: `*3 $9 subscribe …` confirms the subscription, `*3 $7 message
    /// $2 wr $N <one event frame>` carries an event.
    private func readRESP(_ buffer: inout ByteBuffer) throws {
        while buffer.readableBytes > 0 {
            let consumed: Int? = try buffer.withUnsafeReadableBytes { b -> Int? in
                var at = 0
                func line() throws -> Int? {
                    // The integer after a type byte, up to CRLF.
                    guard at < b.count else { return nil }
                    var k = at + 1
                    var v = 0
                    var negative = false
                    while k + 1 < b.count, b[k] != 13 {
                        if b[k] == 45 { negative = true } else if b[k] >= 48, b[k] <= 57, v < 1 << 40 { v = v * 10 + Int(b[k] - 48) } else {
                            throw Bad(description: "bad RESP header")
                        }
                        k += 1
                    }
                    guard k + 1 < b.count else { return nil }
                    at = k + 2
                    return negative ? -v : v
                }
                guard b[0] == UInt8(ascii: "*") else { throw Bad(description: "RESP: expected an array") }
                guard let items = try line() else { return nil }
                var kind = 0
                var payload: (Int, Int)?
                for item in 0..<max(0, items) {
                    guard at < b.count else { return nil }
                    let type = b[at]
                    guard let n = try line() else { return nil }
                    if type == UInt8(ascii: "$") {
                        guard n >= 0, at + n + 2 <= b.count else { return nil }
                        if item == 0 { kind = n == 7 && b[at] == UInt8(ascii: "m") ? 1 : (n == 9 && b[at] == UInt8(ascii: "s") ? 2 : 0) }
                        if item == 2 { payload = (at, n) }
                        at += n + 2
                    }
                }
                let now = Monotonic.now()
                if kind == 2 { attachedNow(now, bytes: 0) }
                if kind == 1, let (start, n) = payload, n > Frame.headerSize, b[start + 4] == Frame.Kind.event.rawValue,
                   let seq = Self.seq(b, from: start + Frame.headerSize, count: n - Frame.headerSize) {
                    peer.arrived(seq, at: now)
                }
                return at
            }
            guard let consumed else { return }
            buffer.moveReaderIndex(forwardBy: consumed)
        }
    }
}
