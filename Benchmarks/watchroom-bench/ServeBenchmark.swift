import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol
import WatchroomRouting
import WatchroomServer
import WatchroomSimulation

/// `watchroom-bench serve`: a busy shift served to many headless clients, and the same
/// payloads fanned out by Redis pub/sub to as many subscribers, on the same machine in the
/// same run (docs/benchmarks.md).
struct ServeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Fan-out from the shift server to N clients beside Redis pub/sub; command to all consoles."
    )

    @Option(help: "Headless clients (and Redis subscribers).")
    var clients: Int = 100

    @Option(help: "Units: half cars, half on foot (2 to 1000).")
    var units: Int = 1000

    @Option(help: "Clock speed of the busy shift.")
    var speed: Double = 10

    @Option(help: "Seconds of measurement.")
    var seconds: Double = 30

    @Option(help: "redis-server to compare with ('' to skip).")
    var redis: String = "redis-server"

    func validate() throws {
        guard (1...1000).contains(clients) else { throw ValidationError("--clients: 1 to 1000") }
        guard (2...1000).contains(units) else { throw ValidationError("--units: 2 to 1000") }
        guard speed.isFinite, speed > 0, speed <= 1000 else { throw ValidationError("--speed: above 0, at most 1000") }
        guard seconds.isFinite, (1...3600).contains(seconds) else { throw ValidationError("--seconds: 1 to 3600") }
    }

    func run() throws {
        let dir = NSTemporaryDirectory() + "wrbench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let precinct = try MapFile.load(DefaultMap.path())
        var config = SimulationConfig(seed: 11, profile: .busy)
        config.carCount = units / 2
        config.footCount = units - units / 2
        config.includeShiftStarted = false
        let setup = LiveShiftSetup(map: precinct, simulation: config, speed: speed)
        try setup.record(to: dir + "/bench.shift", appending: false, watchroomVersion: WatchroomVersion.current)
        let desk = setup.desk(records: nil, observer: false)
        desk.durable = nil
        guard let recorder = setup.recorder else { throw ValidationError("no recorder") }
        let mask = ViewerMask(name: { _ in "*" }, phone: { _ in "****" }, text: { $0 })
        let server = ShiftServer(shift: setup.shift, options: ShiftServer.Options(mask: mask),
                                 durable: { try recorder.flushAndWait() }, executor: DeskExecutor(desk: desk, shift: setup.shift).run)

        // When each event was published (wall clock) and its line, for the latency and for Redis.
        let published = Tally()
        let zone = ISOTime.timeZone(named: precinct.timeZone) ?? .current
        let codec = EventCodec(timeZone: zone)
        let token = setup.shift.bus.subscribe { e in published.publish(e.seq, line: (try? codec.encode(e)) ?? "") }
        setup.start()
        let socket = dir + "/s.sock"
        _ = try server.listen([.unix(socket)])

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var all: [ShiftClient] = []
        for k in 0..<clients {
            let c = ShiftClient(options: ShiftClient.Options(endpoint: .unix(socket), map: precinct, role: .commander, name: "bench \(k)"),
                                timeZone: zone, group: group)
            c.onEvent = { e, line in published.arrived(e.seq, client: k, bytes: 13 + line.utf8.count) }
            try c.connect(timeout: 30)
            all.append(c)
        }
        // Measure from here: the snapshots are out.
        published.start(clients: clients)
        let cpu0 = Self.cpuSeconds(), t0 = Date()
        var commandMs: [Double] = []
        let segment = SegmentKey(precinct.segments[precinct.segments.count / 2].key)
        var k = 0
        while Date().timeIntervalSince(t0) < seconds {
            usleep(250_000)
            k += 1
            let sent = DispatchTime.now().uptimeNanoseconds
            guard let reply = try? all[0].execute(.traffic(segment: segment, setting: k % 2 == 0 ? .factor(1.5) : .open)),
                  reply.accepted, let seq = reply.seqs.max() else { continue }
            let replied = DispatchTime.now().uptimeNanoseconds
            if let everyone = published.waitAll(seq, timeout: 5) {
                commandMs.append(Double(max(replied, everyone) - sent) / 1e6)
            }
        }
        let wall = Date().timeIntervalSince(t0)
        let cpu = Self.cpuSeconds() - cpu0
        let serve = published.stop()
        token.cancel()
        for c in all { c.close() }
        server.stop()
        try? setup.stop()
        try? group.syncShutdownGracefully()

        let lat = serve.latencies.sorted()
        let n = Double(max(1, clients))
        say(String(format: "serve: %d clients, %d units, busy at %.0fx, %.1f s (load %@)", clients, units, speed, wall, Self.load()))
        say(String(format: "  events %d (%.0f/s), deliveries %d; publish to arrival median %.2f ms, p99 %.2f ms, max %.2f ms",
                   serve.events, Double(serve.events) / wall, lat.count, Self.pct(lat, 0.5), Self.pct(lat, 0.99), lat.last ?? 0))
        say(String(format: "  bytes per client per second %.0f; process CPU (server, shift and the %d clients) %.0f %% of one core",
                   Double(serve.bytes) / n / wall, clients, cpu / wall * 100))
        let cmd = commandMs.sorted()
        say(String(format: "  command to all consoles (durable commit included): %d commands, median %.2f ms, p99 %.2f ms",
                   cmd.count, Self.pct(cmd, 0.5), Self.pct(cmd, 0.99)))
        guard !redis.isEmpty else { return }
        do {
            let r = try RedisFanout.run(binary: redis, dir: dir, subscribers: clients, payloads: serve.timeline)
            say(String(format: "redis pub/sub: %d subscribers, %d messages; publish to arrival median %.2f ms, p99 %.2f ms, max %.2f ms",
                       clients, serve.timeline.count, Self.pct(r, 0.5), Self.pct(r, 0.99), r.last ?? 0))
            let ratio = Self.pct(lat, 0.99) / max(0.001, Self.pct(r, 0.99))
            say(String(format: "  fan-out p99 serve / redis: %.2f (goal at most 2)", ratio))
        } catch {
            say("redis pub/sub: not measured (\(error))")
        }
    }

    static func pct(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func load() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// Publish times, arrivals and bytes, shared by the bus subscriber and the clients.
final class Tally: @unchecked Sendable {
    struct Result {
        var latencies: [Double]
        var events: Int
        var bytes: Int
        /// The lines published while measuring, with their offset from the first (ns).
        var timeline: [(UInt64, String)]
    }

    private let cond = NSCondition()
    private var sent: [UInt64: UInt64] = [:]
    private var count: [UInt64: Int] = [:]
    private var lastArrival: [UInt64: UInt64] = [:]
    private var latencies: [Double] = []
    private var bytes = 0
    private var clients = 0
    private var measuring = false
    private var timeline: [(UInt64, String)] = []

    func publish(_ seq: UInt64, line: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        cond.withLock {
            sent[seq] = now
            if measuring { timeline.append((now, line)) }
        }
    }

    func arrived(_ seq: UInt64, client: Int, bytes size: Int) {
        let now = DispatchTime.now().uptimeNanoseconds
        cond.withLock {
            guard measuring, let t = sent[seq] else { return }
            latencies.append(Double(now &- t) / 1e6)
            bytes += size
            count[seq, default: 0] += 1
            lastArrival[seq] = max(lastArrival[seq] ?? 0, now)
            if count[seq] == clients { cond.broadcast() }
        }
    }

    func start(clients n: Int) { cond.withLock { clients = n; measuring = true } }

    /// When the last client got `seq`; `nil` on timeout.
    func waitAll(_ seq: UInt64, timeout: TimeInterval) -> UInt64? {
        let deadline = Date().addingTimeInterval(timeout)
        return cond.withLock {
            while count[seq, default: 0] < clients { guard cond.wait(until: deadline) else { return nil } }
            return lastArrival[seq]
        }
    }

    func stop() -> Result {
        cond.withLock {
            measuring = false
            let first = timeline.first?.0 ?? 0
            return Result(latencies: latencies, events: timeline.count, bytes: bytes, timeline: timeline.map { ($0.0 - first, $0.1) })
        }
    }
}

/// The same payloads through redis-server's pub/sub: one publisher, `subscribers`
/// subscribers on one channel, on loopback, published at the times they were on the bus.
enum RedisFanout {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func run(binary: String, dir: String, subscribers: Int, payloads: [(UInt64, String)]) throws -> [Double] {
        let port = 20_000 + Int(getpid() % 20_000)
        let redis = Process()
        redis.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        redis.arguments = [binary, "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                           "--dir", dir, "--client-output-buffer-limit", "pubsub 0 0 0"]
        redis.standardOutput = FileHandle.nullDevice
        redis.standardError = FileHandle.nullDevice
        do { try redis.run() } catch { throw Failure(description: "cannot start \(binary): \(error)") }
        defer { redis.terminate(); redis.waitUntilExit() }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        defer { try? group.syncShutdownGracefully() }
        let times = RedisTimes(count: payloads.count, subscribers: subscribers)
        var channels: [Channel] = []
        for _ in 0..<subscribers {
            var channel: Channel?
            for _ in 0..<50 where channel == nil {
                channel = try? ClientBootstrap(group: group).channelInitializer { ch in
                    ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(RESPSubscriber(times: times)) }
                }.connect(host: "127.0.0.1", port: port).wait()
                if channel == nil { usleep(100_000) }
            }
            guard let channel else { throw Failure(description: "redis-server does not answer on port \(port)") }
            var b = channel.allocator.buffer(capacity: 32)
            b.writeString("*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nwr\r\n")
            try channel.writeAndFlush(b).wait()
            channels.append(channel)
        }
        guard times.waitSubscribed(timeout: 10) else { throw Failure(description: "subscribers not confirmed") }
        let publisher = try ClientBootstrap(group: group).channelInitializer { ch in
            ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(DiscardInbound()) }
        }.connect(host: "127.0.0.1", port: port).wait()
        let origin = DispatchTime.now().uptimeNanoseconds
        for (k, (offset, line)) in payloads.enumerated() {
            let due = origin + offset
            let now = DispatchTime.now().uptimeNanoseconds
            if due > now { usleep(UInt32(min(1_000_000, (due - now) / 1000))) }
            // The payload with its index in front (a few bytes more than the frame's).
            let body = "\(k)|" + line
            var b = publisher.allocator.buffer(capacity: body.utf8.count + 40)
            b.writeString("*3\r\n$7\r\nPUBLISH\r\n$2\r\nwr\r\n$\(body.utf8.count)\r\n")
            b.writeString(body)
            b.writeString("\r\n")
            times.sent(k)
            publisher.writeAndFlush(b, promise: nil)
        }
        _ = times.waitAll(timeout: 20)
        for c in channels { c.close(promise: nil) }
        publisher.close(promise: nil)
        return times.latencies.sorted()
    }
}

final class RedisTimes: @unchecked Sendable {
    private let cond = NSCondition()
    private var sentAt: [UInt64]
    private var received = 0
    private var subscribed = 0
    private let subscribers: Int
    private(set) var latencies: [Double] = []

    init(count: Int, subscribers: Int) {
        sentAt = Array(repeating: 0, count: count)
        self.subscribers = subscribers
    }

    func sent(_ k: Int) { cond.withLock { sentAt[k] = DispatchTime.now().uptimeNanoseconds } }

    func got(_ k: Int) {
        let now = DispatchTime.now().uptimeNanoseconds
        cond.withLock {
            guard sentAt.indices.contains(k), sentAt[k] > 0 else { return }
            latencies.append(Double(now &- sentAt[k]) / 1e6)
            received += 1
            if received == sentAt.count * subscribers { cond.broadcast() }
        }
    }

    func confirmed() { cond.withLock { subscribed += 1; cond.broadcast() } }

    func waitSubscribed(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        return cond.withLock {
            while subscribed < subscribers { guard cond.wait(until: deadline) else { return false } }
            return true
        }
    }

    func waitAll(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        return cond.withLock {
            while received < sentAt.count * subscribers { guard cond.wait(until: deadline) else { return false } }
            return true
        }
    }
}

/// Reads RESP pushes: `subscribe` confirmations and `message` frames.
private final class RESPSubscriber: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let times: RedisTimes
    private var buffer: [UInt8] = []

    init(times: RedisTimes) { self.times = times }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let b = unwrapInboundIn(data)
        b.withUnsafeReadableBytes { buffer.append(contentsOf: $0) }
        var at = 0
        while let (items, next) = Self.array(buffer, at) {
            at = next
            if items.first == "subscribe" { times.confirmed() }
            if items.first == "message", items.count == 3, let bar = items[2].firstIndex(of: "|"), let k = Int(items[2][..<bar]) {
                times.got(k)
            }
        }
        if at > 0 { buffer.removeFirst(at) }
    }

    /// One RESP array of bulk strings and integers at `i`, and where the next begins.
    static func array(_ b: [UInt8], _ i: Int) -> ([String], Int)? {
        func line(_ from: Int) -> (String, Int)? {
            var k = from
            while k + 1 < b.count { if b[k] == 13, b[k + 1] == 10 { return (String(decoding: b[from..<k], as: UTF8.self), k + 2) }; k += 1 }
            return nil
        }
        guard i < b.count, b[i] == UInt8(ascii: "*"), let (countText, afterCount) = line(i + 1), let count = Int(countText) else { return nil }
        var at = afterCount
        var out: [String] = []
        for _ in 0..<max(0, count) {
            guard at < b.count else { return nil }
            if b[at] == UInt8(ascii: "$") {
                guard let (lenText, start) = line(at + 1), let len = Int(lenText), start + len + 2 <= b.count else { return nil }
                out.append(String(decoding: b[start..<(start + len)], as: UTF8.self))
                at = start + len + 2
            } else {
                guard let (text, next) = line(at + 1) else { return nil }
                out.append(text)
                at = next
            }
        }
        return (out, at)
    }
}

private final class DiscardInbound: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
