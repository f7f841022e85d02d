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

/// Writes order sheets as JSON Lines (one object per line, flushed per line) to a file or
/// socket, on its own queue: `write` returns at once. A sink that fails (cannot open, peer
/// gone) is reported once through `onFailure` and dropped; later writes are discarded.
/// Never raises SIGPIPE. A backlog beyond `maxPending` lines is dropped and counted.
public final class OrdersWriter: @unchecked Sendable {
    public let sink: OrdersSink
    public let timeZone: TimeZone
    public let maxPending: Int
    private let queue = DispatchQueue(label: "watchroom.orders")
    private let onFailure: @Sendable (String) -> Void
    private let lock = NSLock()
    private var pending = 0
    private var droppedCount = 0
    private var writtenCount = 0
    // Touched only on `queue`.
    private var fd: Int32 = -1
    private var failed = false

    public init(sink: OrdersSink, timeZone: TimeZone, maxPending: Int = 10_000,
                onFailure: @escaping @Sendable (String) -> Void = { _ in }) {
        self.sink = sink
        self.timeZone = timeZone
        self.maxPending = maxPending
        self.onFailure = onFailure
    }

    deinit {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Lines written so far / dropped (backlog full or sink failed).
    public var written: Int { lock.withLock { writtenCount } }
    public var dropped: Int { lock.withLock { droppedCount } }

    /// Queues one sheet.
    public func write(_ sheet: DispatchOrderSheet) {
        guard let json = try? DispatchOrderSheet.json(sheet, timeZone: timeZone) else {
            lock.withLock { droppedCount += 1 }
            return
        }
        write(line: json)
    }

    /// Queues one line (a newline is added).
    public func write(line: String) {
        let accepted: Bool = lock.withLock {
            guard pending < maxPending else { droppedCount += 1; return false }
            pending += 1
            return true
        }
        guard accepted else { return }
        let bytes = Array((line + "\n").utf8)
        queue.async { [self] in
            let ok = send(bytes)
            lock.withLock {
                pending -= 1
                if ok { writtenCount += 1 } else { droppedCount += 1 }
            }
        }
    }

    /// Waits until every queued line is written (or dropped).
    public func flush() { queue.sync {} }

    /// Flushes and closes the sink.
    public func close() {
        queue.sync {
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
            failed = true
        }
    }

    // MARK: - On the queue

    private func send(_ bytes: [UInt8]) -> Bool {
        guard !failed else { return false }
        if fd < 0 {
            switch open() {
            case .success(let f): fd = f
            case .failure(let e):
                fail(e.message)
                return false
            }
        }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                if case .file = sink { return Glibc.write(fd, base + offset, bytes.count - offset) }
                return Glibc.send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                fail("orders to \(sink): write failed: \(String(cString: strerror(errno)))")
                return false
            }
            if n == 0 {
                fail("orders to \(sink): nothing written")
                return false
            }
            offset += n
        }
        return true
    }

    private func fail(_ message: String) {
        failed = true
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
        onFailure(message + "; orders are no longer sent there")
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
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
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
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
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
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard r == 0 else { let e = err("cannot connect"); _ = Glibc.close(s); return .failure(e) }
            return .success(s)
        }
    }

    /// A peer that stops reading makes a write fail after 2 s instead of hanging the queue.
    private func setTimeout(_ s: Int32) {
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        _ = setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }
}
