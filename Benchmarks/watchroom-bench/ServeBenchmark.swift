import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol
import WatchroomRecords
import WatchroomRouting
import WatchroomServer
import WatchroomSimulation

/// `watchroom-bench serve`: a busy shift served to many headless clients, and the same
/// bytes fanned out by Redis pub/sub to as many subscribers, on the same machine in the
/// same run (docs/benchmarks.md).
///
/// This process runs the shift, its recording and the server; the clients (and later the
/// Redis subscribers) run in a second process (`fanout-clients`), so their work is not
/// counted as the server's. Times are `CLOCK_MONOTONIC` in both: an event's commit is
/// stamped by the recorder when its transaction returns; its arrival when a client has
/// its whole frame decoded.
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

    @Option(help: "Seconds the shift runs before anything is measured.")
    var warmup: Double = 5

    @Option(help: "redis-server to compare with ('' to skip).")
    var redis: String = "redis-server"

    @Option(help: "Client counts whose attach is timed first (comma-separated; '' to skip).")
    var attach: String = "1,10,100"

    @Option(help: "Event-loop threads of the client process.")
    var clientThreads: Int = 2

    func validate() throws {
        guard (1...1000).contains(clients) else { throw ValidationError("--clients: 1 to 1000") }
        guard (2...1000).contains(units) else { throw ValidationError("--units: 2 to 1000") }
        guard speed.isFinite, speed > 0, speed <= 1000 else { throw ValidationError("--speed: above 0, at most 1000") }
        guard seconds.isFinite, (1...3600).contains(seconds) else { throw ValidationError("--seconds: 1 to 3600") }
        guard warmup.isFinite, (0...600).contains(warmup) else { throw ValidationError("--warmup: 0 to 600") }
        guard attachCounts != nil else { throw ValidationError("--attach: client counts from 1 to 1000, comma-separated") }
    }

    var attachCounts: [Int]? {
        let parts = attach.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.allSatisfy({ $0.map { (1...1000).contains($0) } ?? false }) else { return nil }
        return parts.compactMap { $0 }
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
        let server = ShiftServer(shift: setup.shift, options: ShiftServer.Options(mask: mask), recorder: recorder,
                                 executor: DeskExecutor(desk: desk, shift: setup.shift).run)
        // Every commit: when, and which events (their bytes are made for Redis after the run).
        let commits = Commits()
        let observer = recorder.observeCommits { batch in commits.add(batch) }.id
        setup.start()
        let socket = dir + "/s.sock"
        _ = try server.listen([.unix(socket)])
        let segment = precinct.segments[precinct.segments.count / 2].key
        let clientArgs = ["--map", precinct.key, "--digest", MapDigest.of(precinct), "--threads", "\(clientThreads)"]
        let loadBefore = Self.load()
        usleep(UInt32(warmup * 1e6))

        // Attach: N clients connecting at once, each timed from its connect to its whole snapshot.
        var attachLines: [String] = []
        for n in attachCounts ?? [] {
            let child = try Child(arguments: ["fanout-clients", "--socket", socket, "--clients", "\(n)", "--attach-only"] + clientArgs)
            let words = try child.expect("attached")
            _ = child.finish()
            attachLines.append(String(format: "  attach %3d at once: each median %.1f ms, slowest %.1f ms, all in %.1f ms (snapshot %@)",
                                      n, Double(words[2]) ?? 0, Double(words[3]) ?? 0, Double(words[4]) ?? 0,
                                      Self.size(Int(words[5]) ?? 0)))
        }

        // Fan-out: N clients, a command every 250 ms from the first.
        let out = dir + "/serve.arrivals"
        let child = try Child(arguments: ["fanout-clients", "--socket", socket, "--clients", "\(clients)", "--segment", segment,
                                          "--out", out] + clientArgs)
        _ = try child.expect("attached")
        let goSeq = recorder.lastCommittedSeq
        commits.start(after: goSeq)
        let cpu0 = Self.cpu(), threads0 = Self.threadCPU(), child0 = Self.cpu(pid: child.pid), t0 = Monotonic.now()
        let recording0 = recorder.stats, fanout0 = server.fanoutStats
        child.say("go")
        usleep(UInt32(seconds * 1e6))
        let stopSeq = recorder.lastCommittedSeq
        let recording = recorder.stats, fanout = server.fanoutStats
        let wall = Double(Monotonic.now() - t0) / 1e9
        let cpu = Self.cpu() - cpu0, childCPU = Self.cpu(pid: child.pid) - child0
        let threads = Self.threadCPU().merging(threads0) { $0 - $1 }
        child.say("stop \(stopSeq)")
        let done = try child.expect("done")
        let serveResults = try Board.read(out)
        _ = child.finish()
        let timeline = commits.stop(through: stopSeq)
        recorder.removeObserver(observer)
        server.stop()
        try? setup.stop()

        let serve = Self.latencies(serveResults, sent: timeline.sentAt, from: goSeq + 1, through: stopSeq)
        let events = Int(stopSeq - goSeq)
        let bytes = serveResults.arrivals.reduce(0) { $0 + $1.bytes }
        let commands = serveResults.commands.compactMap { c -> Double? in
            guard c.seq > goSeq, c.seq <= stopSeq else { return nil }
            let all = serveResults.arrivals.map { a -> UInt64 in
                let k = Int(c.seq) - Int(a.base)
                return k >= 0 && k < a.times.count ? a.times[k] : .max
            }
            guard let last = all.max(), last != .max else { return nil }
            return Double(max(last, c.replied) - c.sent) / 1e6
        }.sorted()
        let nio = threads.filter { $0.key.hasPrefix("NIO-ELT") }.values.reduce(0, +)

        say(String(format: "serve: %d clients, %d units, busy at %gx, %.1f s; load %@ before, %@ after", clients, units, speed, wall,
                   loadBefore, Self.load()))
        for line in attachLines { say(line) }
        say(String(format: "  events %d (%.0f/s) in %d commits (%.1f events each); deliveries %d of %d (%@)",
                   events, Double(events) / wall, timeline.commits, Double(events) / Double(max(1, timeline.commits)),
                   serve.count, events * clients, done.dropFirst().joined(separator: " ")))
        say(String(format: "  durable commit to arrival: median %.2f ms, p99 %.2f ms, max %.2f ms",
                   Self.pct(serve, 0.5), Self.pct(serve, 0.99), serve.last ?? 0))
        let transactions = max(1, recording.batches - recording0.batches), served = max(1, fanout.batches - fanout0.batches)
        say(String(format: "  recording: %d transactions, write + fsync mean %.1f ms, longest %.1f ms; fan-out: commit to its start mean %.2f ms, longest %.1f ms; fold, encode and hand-off mean %.2f ms per batch",
                   transactions, (recording.writeSeconds - recording0.writeSeconds) / Double(transactions) * 1e3,
                   recording.longestWriteSeconds * 1e3, (fanout.waitSeconds - fanout0.waitSeconds) / Double(served) * 1e3,
                   fanout.longestWaitSeconds * 1e3, (fanout.encodeSeconds - fanout0.encodeSeconds) / Double(served) * 1e3))
        say(String(format: "  bytes per client per second %.0f", Double(bytes) / Double(clients) / wall))
        say(String(format: "  CPU: server process %.0f %% of one core (event loops %.0f %%; the rest is the simulation, routing, recording and fan-out), client process %.0f %%",
                   cpu / wall * 100, nio / wall * 100, childCPU / wall * 100))
        say(String(format: "  command to all consoles (durable commit included): %d commands, median %.2f ms, p99 %.2f ms, max %.2f ms",
                   commands.count, Self.pct(commands, 0.5), Self.pct(commands, 0.99), commands.last ?? 0))

        guard !redis.isEmpty else { return }
        do {
            let zone = ISOTime.timeZone(named: precinct.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current
            let r = try RedisFanout.run(binary: redis, dir: dir, subscribers: clients, timeline: timeline, codec: WireCodec(timeZone: zone),
                                        clientArgs: ["--threads", "\(clientThreads)"])
            let lat = Self.latencies(r.results, sent: r.sentAt, from: goSeq + 1, through: stopSeq)
            say(String(format: "redis pub/sub: %d subscribers on a Unix socket, the same %d frames at the same times; load %@",
                       clients, events, Self.load()))
            say(String(format: "  publish to arrival: median %.2f ms, p99 %.2f ms, max %.2f ms; deliveries %d of %d",
                       Self.pct(lat, 0.5), Self.pct(lat, 0.99), lat.last ?? 0, lat.count, events * clients))
            say(String(format: "  CPU: redis-server %.0f %% of one core, publisher and subscribers %.0f %%",
                       r.redisCPU / r.wall * 100, r.clientCPU / r.wall * 100))
            let ratio = Self.pct(serve, 0.99) / max(0.001, Self.pct(lat, 0.99))
            say(String(format: "fan-out p99, serve / redis: %.2f (goal at most 2); command to all consoles p99 %.2f ms (goal at most 20)",
                       ratio, Self.pct(commands, 0.99)))
        } catch {
            say("redis pub/sub: not measured (\(error))")
        }
    }

    /// Every delivery's latency (ms) of the seqs in `from...through`, sorted.
    static func latencies(_ results: Board.Results, sent: [UInt64: UInt64], from: UInt64, through: UInt64) -> [Double] {
        guard from <= through else { return [] }
        var out: [Double] = []
        out.reserveCapacity(results.arrivals.count * Int(through - from + 1))
        for a in results.arrivals {
            for seq in from...through {
                let k = Int(seq) - Int(a.base)
                guard k >= 0, k < a.times.count, a.times[k] > 0, let t = sent[seq] else { continue }
                out.append(Double(Int64(bitPattern: a.times[k] &- t)) / 1e6)
            }
        }
        return out.sorted()
    }

    static func pct(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MiB", Double(bytes) / 1048576) : String(format: "%.0f KiB", Double(bytes) / 1024)
    }

    /// CPU seconds of this process.
    static func cpu() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// CPU seconds of another process (user and system, from /proc).
    static func cpu(pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return 0 }
        return ticks(text)
    }

    private static func ticks(_ stat: String) -> Double {
        // After the command name in parentheses: state is field 3, utime 14, stime 15.
        guard let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let u = Double(fields[11]), let s = Double(fields[12]) else { return 0 }
        return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds of this process's threads, summed by thread name.
    static func threadCPU() -> [String: Double] {
        var out: [String: Double] = [:]
        for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [] {
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
            let name = String(stat[stat.index(after: open)..<close])
            out[name, default: 0] += ticks(stat)
        }
        return out
    }

    static func load() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// The recorder's commits while measuring: when each seq was committed, and the batches.
final class Commits: @unchecked Sendable {
    struct Timeline {
        /// seq → commit instant.
        var sentAt: [UInt64: UInt64]
        var batches: [ShiftRecorder.Committed]
        var commits: Int
    }

    private let lock = NSLock()
    private var after: UInt64 = .max
    private var at: [UInt64: UInt64] = [:]
    private var batches: [ShiftRecorder.Committed] = []

    func add(_ batch: ShiftRecorder.Committed) {
        lock.withLock {
            guard let last = batch.envelopes.last, last.seq > after else { return }
            for e in batch.envelopes { at[e.seq] = batch.at }
            batches.append(batch)
        }
    }

    func start(after seq: UInt64) { lock.withLock { after = seq } }

    func stop(through seq: UInt64) -> Timeline {
        lock.withLock {
            after = .max
            let kept = batches.filter { ($0.envelopes.first?.seq ?? .max) <= seq }
            return Timeline(sentAt: at.filter { $0.key <= seq }, batches: kept, commits: kept.count)
        }
    }
}

/// A `fanout-clients` process of this binary, talked to by lines.
final class Child {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()

    var pid: Int32 { process.processIdentifier }

    init(arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    func say(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

    /// Reads lines until one starting with `word`; its words.
    func expect(_ word: String) throws -> [String] {
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer = Data(buffer[(nl + 1)...])
                let words = line.split(separator: " ").map(String.init)
                if words.first == word { return words }
                continue
            }
            let more = output.fileHandleForReading.availableData
            guard !more.isEmpty else { throw ValidationError("the client process ended before '\(word)' (status \(finish()))") }
            buffer.append(more)
        }
    }

    /// Ends it: closes its input and waits.
    @discardableResult
    func finish() -> Int32 {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// The same frames through redis-server's pub/sub on a Unix socket: one publisher (this
/// process), `subscribers` subscribers on one channel (a `fanout-clients` process), each
/// commit's events published (one PUBLISH per event frame, pipelined) at the time the
/// commit happened in the serve run.
enum RedisFanout {
    struct Failure: Error, CustomStringConvertible { let description: String }

    struct Run {
        var results: Board.Results
        var sentAt: [UInt64: UInt64]
        var wall: Double
        var redisCPU: Double
        var clientCPU: Double
    }

    static func run(binary: String, dir: String, subscribers: Int, timeline: Commits.Timeline, codec: WireCodec,
                    clientArgs: [String]) throws -> Run {
        let socket = dir + "/redis.sock"
        let redis = Process()
        redis.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        redis.arguments = [binary, "--port", "0", "--unixsocket", socket, "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
                           "--dir", dir, "--client-output-buffer-limit", "pubsub 0 0 0"]
        redis.standardOutput = FileHandle.nullDevice
        redis.standardError = FileHandle.nullDevice
        do { try redis.run() } catch { throw Failure(description: "cannot start \(binary): \(error)") }
        defer { redis.terminate(); redis.waitUntilExit() }

        // The publisher: a plain blocking socket; a thread reads and drops the replies.
        var fd: Int32 = -1
        for _ in 0..<100 {
            fd = Self.connect(socket)
            if fd >= 0 { break }
            usleep(50_000)
        }
        guard fd >= 0 else { throw Failure(description: "redis-server does not answer on \(socket)") }
        defer { close(fd) }
        let publisher = fd
        let reader = Thread {
            var sink = [UInt8](repeating: 0, count: 65536)
            while sink.withUnsafeMutableBytes({ read(publisher, $0.baseAddress, $0.count) }) > 0 {}
        }
        reader.start()

        // The commits as PUBLISH commands, made before anything is timed.
        var batches: [(offset: UInt64, seqs: [UInt64], bytes: [UInt8])] = []
        let origin = timeline.batches.first?.at ?? 0
        for batch in timeline.batches {
            var bytes: [UInt8] = []
            var seqs: [UInt64] = []
            for e in batch.envelopes {
                guard let frame = try? codec.frame(e).bytes else { continue }
                bytes += Array("*3\r\n$7\r\nPUBLISH\r\n$2\r\nwr\r\n$\(frame.count)\r\n".utf8) + frame + [13, 10]
                seqs.append(e.seq)
            }
            batches.append((batch.at - origin, seqs, bytes))
        }

        let out = dir + "/redis.arrivals"
        let child = try Child(arguments: ["fanout-clients", "--redis-socket", socket, "--clients", "\(subscribers)", "--out", out] + clientArgs)
        _ = try child.expect("attached")
        let redisCPU0 = ServeBench.cpu(pid: redis.processIdentifier), child0 = ServeBench.cpu(pid: child.pid), cpu0 = ServeBench.cpu()
        child.say("go")
        var sentAt: [UInt64: UInt64] = [:]
        let start = Monotonic.now()
        for b in batches {
            let due = start + b.offset
            let now = Monotonic.now()
            if due > now + 50_000 { usleep(UInt32((due - now) / 1000)) }
            let t = Monotonic.now()
            for s in b.seqs { sentAt[s] = t }
            var written = 0
            while written < b.bytes.count {
                let n = b.bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
                guard n > 0 else { throw Failure(description: "cannot publish: \(String(cString: strerror(errno)))") }
                written += n
            }
        }
        let wall = Double(Monotonic.now() - start) / 1e9
        let redisCPU = ServeBench.cpu(pid: redis.processIdentifier) - redisCPU0
        let clientCPU = ServeBench.cpu(pid: child.pid) - child0 + ServeBench.cpu() - cpu0
        child.say("stop \(batches.last?.seqs.last ?? 0)")
        _ = try child.expect("done")
        let results = try Board.read(out)
        child.finish()
        return Run(results: results, sentAt: sentAt, wall: max(wall, 0.001), redisCPU: redisCPU, clientCPU: clientCPU)
    }

    static func connect(_ path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8.prefix(100)) + [0]
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (k, b) in bytes.enumerated() { raw[k] = b } }
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if ok != 0 { close(fd); return -1 }
        return fd
    }
}
