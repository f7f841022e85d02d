import Dispatch
import Foundation
import WatchroomCore
import Glibc

/// Where `--orders` sends order sheets.
public enum OrdersSink: Hashable, Sendable, CustomStringConvertible {
    /// A file, appended to.
    case file(String)
    /// A Unix domain stream socket someone listens on.
    case unix(String)
    /// A TCP listener on this machine (loopback only).
    case tcp(host: String, port: UInt16)

    /// `PATH`, `file:PATH`, `unix:PATH` or `tcp:127.0.0.1:9000` (also `tcp:localhost:9000`,
    /// `tcp:[::1]:9000`). Hosts other than loopback are refused: orders carry personal data.
    public static func parse(_ text: String) -> Result<OrdersSink, CommandError> {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return .failure(CommandError("--orders needs a path, unix:PATH or tcp:127.0.0.1:PORT")) }
        if t.hasPrefix("unix:") {
            let path = String(t.dropFirst(5))
            guard !path.isEmpty else { return .failure(CommandError("unix: needs a socket path")) }
            guard path.utf8.count < 108 else { return .failure(CommandError("socket path too long (at most 107 bytes): \(path)")) }
            return .success(.unix(path))
        }
        if t.hasPrefix("tcp:") {
            let rest = t.dropFirst(4)
            guard let colon = rest.lastIndex(of: ":") else { return .failure(CommandError("tcp: needs host:port, e.g. tcp:127.0.0.1:9000")) }
            var host = String(rest[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard let port = UInt16(rest[rest.index(after: colon)...]), port > 0 else {
                return .failure(CommandError("tcp: port must be 1 to 65535"))
            }
            guard ["127.0.0.1", "localhost", "::1"].contains(host) else {
                return .failure(CommandError("tcp: only loopback (127.0.0.1, localhost, ::1) is allowed, not \(host)"))
            }
            return .success(.tcp(host: host, port: port))
        }
        if t.hasPrefix("file:") { return .success(.file(String(t.dropFirst(5)))) }
        return .success(.file(t))
    }

    public var description: String {
        switch self {
        case .file(let p): return p
        case .unix(let p): return "unix:" + p
        case .tcp(let h, let p): return "tcp:" + (h.contains(":") ? "[\(h)]" : h) + ":\(p)"
        }
    }
}

/// Writes order sheets as JSON Lines (one object per line) to a file or socket, on its
/// own queue: `write` returns at once, and no order vanishes.
///
/// Lines wait in order until the sink takes them in full. When the sink fails (nothing
/// listening, refused, reset, the peer closed, a send stalled more than
/// ``stallSeconds``, disk full, a bad path) the writer reports it once through
/// `onStatus` (down, with why and how many wait), keeps the undelivered lines, and tries
/// again with backoff (``retryDelays``); when the sink is back it re-delivers them in
/// order and reports it (up). A socket is reconnected; a line cut short in a file is
/// cut off again before it is written anew. Every line handed in full to the sink is
/// reported through `onDelivered` with the tag it was written with (the seq of its
/// `order.issued`). "Delivered" means handed to the kernel: a peer that closes without
/// reading what it was sent loses it. Never raises SIGPIPE. A backlog beyond
/// `maxPending` lines is dropped and counted.
public final class OrdersWriter: @unchecked Sendable {
    /// Which order a line is: the seq of its `order.issued`, its unit and incident.
    public struct Tag: Hashable, Sendable {
        public var seq: UInt64
        public var unit: UnitID
        public var incident: IncidentID
        public init(seq: UInt64, unit: UnitID, incident: IncidentID) {
            self.seq = seq
            self.unit = unit
            self.incident = incident
        }
    }

    /// The sink's state as reported to `onStatus`.
    public enum Status: Hashable, Sendable {
        /// Back up; `redelivered` lines that had waited went through.
        case up(redelivered: Int)
        /// Down: why, and how many lines wait.
        case down(reason: String, waiting: Int)
    }

    public let sink: OrdersSink
    public let timeZone: TimeZone
    public let maxPending: Int
    /// A send that makes no progress for this long counts as a failed sink.
    public let stallSeconds: Int
    /// Waits before the 1st, 2nd, ... retry of a failed sink; the last one repeats.
    public let retryDelays: [Double]
    private let queue = DispatchQueue(label: "watchroom.orders")
    private let onStatus: @Sendable (Status) -> Void
    private let onDelivered: @Sendable (Tag) -> Void
    private let lock = NSLock()
    private var pending = 0
    private var droppedCount = 0
    private var writtenCount = 0
    private var downNow = false
    // Touched only on `queue`.
    private var fd: Int32 = -1
    private var closed = false
    private var backlog: [(bytes: [UInt8], tag: Tag?)] = []
    private var down: String?
    private var retries = 0
    private var retryScheduled = false

    /// - Parameters:
    ///   - onStatus: the sink went down or came back (called on the writer's queue).
    ///   - onDelivered: a line written with a tag was handed in full to the sink.
    public init(sink: OrdersSink, timeZone: TimeZone, maxPending: Int = 10_000, stallSeconds: Int = 5,
                retryDelays: [Double] = [0.25, 0.5, 1, 2, 4, 8],
                onStatus: @escaping @Sendable (Status) -> Void = { _ in },
                onDelivered: @escaping @Sendable (Tag) -> Void = { _ in }) {
        self.sink = sink
        self.timeZone = timeZone
        self.maxPending = maxPending
        self.stallSeconds = max(1, stallSeconds)
        self.retryDelays = retryDelays.isEmpty ? [1] : retryDelays
        self.onStatus = onStatus
        self.onDelivered = onDelivered
    }

    deinit {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Lines written so far / dropped (backlog full, or closed before delivery).
    public var written: Int { lock.withLock { writtenCount } }
    public var dropped: Int { lock.withLock { droppedCount } }
    /// Lines not yet delivered.
    public var waiting: Int { lock.withLock { pending } }
    /// Whether the sink is down now.
    public var isDown: Bool { lock.withLock { downNow } }

    /// Opens the sink now, so that a sink that is down shows before the first order.
    public func connect() {
        queue.async { [self] in pump() }
    }

    /// Queues one sheet; with `seq` (of its `order.issued`) its delivery comes back through `onDelivered`.
    public func write(_ sheet: DispatchOrderSheet, seq: UInt64? = nil) {
        guard let json = try? DispatchOrderSheet.json(sheet, timeZone: timeZone) else {
            lock.withLock { droppedCount += 1 }
            return
        }
        write(line: json, tag: seq.map { Tag(seq: $0, unit: sheet.unit, incident: sheet.incident) })
    }

    /// Queues one line (a newline is added).
    public func write(line: String, tag: Tag? = nil) {
        let accepted: Bool = lock.withLock {
            guard pending < maxPending else { droppedCount += 1; return false }
            pending += 1
            return true
        }
        guard accepted else { return }
        let bytes = Array((line + "\n").utf8)
        queue.async { [self] in
            guard !closed else { lock.withLock { pending -= 1; droppedCount += 1 }; return }
            backlog.append((bytes, tag))
            // While down, the retry timer delivers.
            if down == nil { pump() }
        }
    }

    /// Waits until every queued line has been tried once (a down sink keeps them).
    public func flush() { queue.sync {} }

    /// Closes the sink; lines still waiting are counted as dropped.
    public func close() {
        queue.sync {
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
            closed = true
            lock.withLock {
                droppedCount += backlog.count
                pending -= backlog.count
            }
            backlog.removeAll()
        }
    }

    // MARK: - On the queue

    /// Delivers the backlog in order until it is empty or the sink fails.
    private func pump() {
        guard !closed else { return }
        let waitedBefore = down != nil ? backlog.count : 0
        var delivered = 0
        var freshConnection = false
        while true {
            if fd < 0 {
                switch open() {
                case .success(let f):
                    fd = f
                    freshConnection = true
                case .failure(let e):
                    goDown(e.message)
                    return
                }
            }
            if let why = peerGone() {
                // A peer that hung up before reading: reconnect once, else it is down.
                _ = Glibc.close(fd)
                fd = -1
                if freshConnection { goDown(why); return }
                continue
            }
            if down != nil {
                // Back: say so before the re-delivery.
                down = nil
                retries = 0
                lock.withLock { downNow = false }
                onStatus(.up(redelivered: waitedBefore))
            }
            guard let line = backlog.first else { return }
            if let why = send(line.bytes) {
                goDown(why)
                return
            }
            backlog.removeFirst()
            delivered += 1
            lock.withLock {
                pending -= 1
                writtenCount += 1
            }
            if let tag = line.tag { onDelivered(tag) }
        }
    }

    private func goDown(_ reason: String) {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
        if down == nil {
            down = reason
            lock.withLock { downNow = true }
            onStatus(.down(reason: reason, waiting: backlog.count))
        }
        guard !retryScheduled, !closed else { return }
        retryScheduled = true
        let delay = retryDelays[min(retries, retryDelays.count - 1)]
        retries += 1
        queue.asyncAfter(deadline: .now() + delay) { [self] in
            retryScheduled = false
            pump()
        }
    }

    /// Writes one whole line; the reason it failed, or `nil`. A line cut short in a file
    /// is cut off again, so the file only ever holds whole lines.
    private func send(_ bytes: [UInt8]) -> String? {
        var fileStart: off_t = -1
        if case .file = sink { fileStart = lseek(fd, 0, SEEK_END) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                if case .file = sink { return Glibc.write(fd, base + offset, bytes.count - offset) }
                return Glibc.send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let code = errno
                if fileStart >= 0 { _ = ftruncate(fd, fileStart) }
                if n < 0 && (code == EAGAIN || code == EWOULDBLOCK) {
                    return "orders to \(sink): stalled, nothing taken for \(stallSeconds) s"
                }
                return "orders to \(sink): write failed: " + (n == 0 ? "nothing written" : String(cString: strerror(code)))
            }
            offset += n
        }
        return nil
    }

    /// Why a socket's peer is gone (closed or reset), or `nil`: looked at before each
    /// line, so a line is not sent into a connection that is already dead.
    private func peerGone() -> String? {
        if case .file = sink { return nil }
        var p = pollfd(fd: fd, events: Int16(POLLIN) | 0x2000 /* POLLRDHUP */, revents: 0)
        guard poll(&p, 1, 0) > 0 else { return nil }
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        if n == 0 { return "orders to \(sink): the peer closed the connection" }
        if n < 0, errno != EAGAIN, errno != EWOULDBLOCK { return "orders to \(sink): connection \(String(cString: strerror(errno)))" }
        if n > 0 {
            // The peer talks back: read and ignore it.
            var buf = [UInt8](repeating: 0, count: 4096)
            _ = recv(fd, &buf, buf.count, Int32(MSG_DONTWAIT))
        }
        return nil
    }

    private func open() -> Result<Int32, CommandError> {
        func err(_ what: String) -> CommandError { CommandError("orders to \(sink): \(what): \(String(cString: strerror(errno)))") }
        switch sink {
        case .file(let path):
            let f = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            return f >= 0 ? .success(f) : .failure(err("cannot open"))
        case .unix(let path):
            let s = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard s >= 0 else { return .failure(err("socket")) }
            setTimeout(s)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
                _ = Glibc.close(s)
                return .failure(CommandError("orders to \(sink): socket path too long"))
            }
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                for (i, b) in bytes.enumerated() { raw[i] = b }
                raw[bytes.count] = 0
            }
            let r = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(s, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard r == 0 else { let e = err("cannot connect"); _ = Glibc.close(s); return .failure(e) }
            return .success(s)
        case .tcp(let host, let port):
            if host == "::1" {
                let s = socket(AF_INET6, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                guard s >= 0 else { return .failure(err("socket")) }
                setTimeout(s)
                var addr = sockaddr_in6()
                addr.sin6_family = sa_family_t(AF_INET6)
                addr.sin6_port = port.bigEndian
                addr.sin6_addr = in6addr_loopback
                let r = withUnsafePointer(to: &addr) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(s, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
                }
                guard r == 0 else { let e = err("cannot connect"); _ = Glibc.close(s); return .failure(e) }
                return .success(s)
            }
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard s >= 0 else { return .failure(err("socket")) }
            setTimeout(s)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = port.bigEndian
            addr.sin_addr = in_addr(s_addr: UInt32(0x7f00_0001).bigEndian)
            let r = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard r == 0 else { let e = err("cannot connect"); _ = Glibc.close(s); return .failure(e) }
            return .success(s)
        }
    }

    /// A peer that stops reading makes a write fail after ``stallSeconds`` instead of hanging the queue.
    private func setTimeout(_ s: Int32) {
        var tv = timeval(tv_sec: stallSeconds, tv_usec: 0)
        _ = setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }
}
