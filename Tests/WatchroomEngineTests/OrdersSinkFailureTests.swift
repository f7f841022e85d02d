import Foundation
import Glibc
import WatchroomCore
import WatchroomEngine
import XCTest

/// No order vanishes (issue 10, item 4): one test per way an `--orders` sink fails, with
/// real sockets and files. Each time the writer says it is down, keeps the orders, and
/// re-delivers them in order, whole, when the sink is back.
final class OrdersSinkFailureTests: XCTestCase {
    /// What the writer reported, thread-safe.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var statuses: [OrdersWriter.Status] = []
        private var tags: [UInt64] = []
        func add(_ s: OrdersWriter.Status) { lock.withLock { statuses.append(s) } }
        func add(_ t: OrdersWriter.Tag) { lock.withLock { tags.append(t.seq) } }
        var all: [OrdersWriter.Status] { lock.withLock { statuses } }
        var delivered: [UInt64] { lock.withLock { tags } }
        var downReasons: [String] {
            all.compactMap { if case .down(let r, _) = $0 { return r } else { return nil } }
        }
        var ups: [Int] { all.compactMap { if case .up(let n) = $0 { return n } else { return nil } } }
    }

    private func wait(_ what: String, timeout: TimeInterval = 10, _ condition: () -> Bool) {
        let end = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > end { XCTFail("timed out waiting for \(what)"); return }
            usleep(20_000)
        }
    }

    private func writer(_ sink: OrdersSink, _ reports: Reports) -> OrdersWriter {
        OrdersWriter(sink: sink, timeZone: TimeZone(secondsFromGMT: 8 * 3600) ?? .current, retryDelays: [0.05, 0.1, 0.2],
                     onStatus: { reports.add($0) }, onDelivered: { reports.add($0) })
    }

    private func tag(_ k: Int) -> OrdersWriter.Tag { OrdersWriter.Tag(seq: UInt64(k), unit: UnitID("C\(k)"), incident: "I0001") }

    private func line(_ k: Int, pad: Int = 0) -> String { #"{"order":\#(k),"pad":""# + String(repeating: "x", count: pad) + #""}"# }

    private func directory() -> String {
        let dir = NSTemporaryDirectory() + "wr-sink-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    // MARK: - Real listeners

    /// A listening socket (Unix or TCP on 127.0.0.1).
    final class Listener {
        let fd: Int32
        init?(unix path: String) {
            unlink(path)
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                for (i, b) in bytes.enumerated() { raw[i] = b }
                raw[bytes.count] = 0
            }
            let r = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard r == 0, listen(fd, 8) == 0 else { close(fd); return nil }
        }

        init?(tcp port: UInt16) {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var on: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = port.bigEndian
            addr.sin_addr = in_addr(s_addr: UInt32(0x7f00_0001).bigEndian)
            let r = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard r == 0, listen(fd, 8) == 0 else { close(fd); return nil }
        }

        /// A TCP port nobody listens on now.
        static func freePort() -> UInt16 {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(s) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr = in_addr(s_addr: UInt32(0x7f00_0001).bigEndian)
            _ = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
            }
            return UInt16(bigEndian: addr.sin_port)
        }

        /// The next connection, or -1 after `timeout` seconds.
        func accept(timeout: Int32 = 10) -> Int32 {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, timeout * 1000) > 0 else { return -1 }
            return Glibc.accept(fd, nil, nil)
        }

        deinit { close(fd) }
    }

    /// Whole lines read from `conn` until `count` are in or the peer closes (partial tail dropped).
    private func readLines(_ conn: Int32, count: Int = .max, timeout: Int = 10) -> [String] {
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while received.lazy.filter({ $0 == 10 }).count < count {
            let n = recv(conn, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            received += buffer[0..<n]
        }
        var lines = String(decoding: received, as: UTF8.self).components(separatedBy: "\n")
        lines.removeLast()   // after the last newline: empty, or a line cut short
        return lines
    }

    private func orderNumbers(_ lines: [String]) -> [Int] {
        lines.compactMap { l in
            guard let r = l.range(of: #"\{"order":(\d+),"#, options: .regularExpression) else { return nil }
            return Int(l[r].dropFirst(9).dropLast())
        }
    }

    // MARK: - One test per failure

    func testNothingListening() throws {
        let path = directory() + "/o.sock"
        let reports = Reports()
        let w = writer(.unix(path), reports)
        w.connect()
        for k in 1...3 { w.write(line: line(k), tag: tag(k)) }
        wait("down") { !reports.downReasons.isEmpty }
        XCTAssertTrue(reports.downReasons[0].contains("cannot connect"), "\(reports.all)")
        XCTAssertTrue(w.isDown)
        XCTAssertEqual(w.waiting, 3, "kept, not dropped")
        XCTAssertEqual(w.dropped, 0)
        let listener = try XCTUnwrap(Listener(unix: path))
        let conn = listener.accept()
        defer { close(conn) }
        XCTAssertEqual(orderNumbers(readLines(conn, count: 3)), [1, 2, 3], "re-delivered in order")
        wait("delivered") { reports.delivered.count == 3 }
        XCTAssertEqual(reports.delivered, [1, 2, 3])
        XCTAssertEqual(reports.ups, [3])
        XCTAssertFalse(w.isDown)
        XCTAssertEqual(reports.downReasons.count, 1, "reported once, not per retry")
    }

    func testRefused() throws {
        let port = Listener.freePort()
        let reports = Reports()
        let w = writer(.tcp(host: "127.0.0.1", port: port), reports)
        for k in 1...2 { w.write(line: line(k), tag: tag(k)) }
        wait("down") { !reports.downReasons.isEmpty }
        XCTAssertTrue(reports.downReasons[0].contains("refused"), "\(reports.all)")
        let listener = try XCTUnwrap(Listener(tcp: port))
        let conn = listener.accept()
        defer { close(conn) }
        XCTAssertEqual(orderNumbers(readLines(conn, count: 2)), [1, 2])
        wait("delivered") { reports.delivered == [1, 2] }
    }

    func testReset() throws {
        let port = Listener.freePort()
        var listener = try XCTUnwrap(Listener(tcp: port))
        let reports = Reports()
        let w = writer(.tcp(host: "127.0.0.1", port: port), reports)
        w.write(line: line(1), tag: tag(1))
        let first = listener.accept()
        XCTAssertEqual(orderNumbers(readLines(first, count: 1)), [1])
        // The peer resets the connection and stops listening.
        var hard = linger(l_onoff: 1, l_linger: 0)
        setsockopt(first, SOL_SOCKET, SO_LINGER, &hard, socklen_t(MemoryLayout<linger>.size))
        close(first)
        listener = try XCTUnwrap(Listener(tcp: Listener.freePort()))   // the old one closes
        usleep(100_000)
        for k in 2...4 { w.write(line: line(k), tag: tag(k)) }
        wait("down") { !reports.downReasons.isEmpty }
        XCTAssertEqual(w.waiting, 3)
        listener = try XCTUnwrap(Listener(tcp: port))
        let second = listener.accept()
        defer { close(second) }
        XCTAssertEqual(orderNumbers(readLines(second, count: 3)), [2, 3, 4], "on a new connection, in order")
        wait("delivered") { reports.delivered == [1, 2, 3, 4] }
    }

    func testPeerClosed() throws {
        let path = directory() + "/o.sock"
        var listener: Listener? = try XCTUnwrap(Listener(unix: path))
        let reports = Reports()
        let w = writer(.unix(path), reports)
        w.write(line: line(1), tag: tag(1))
        let first = try XCTUnwrap(listener).accept()
        XCTAssertEqual(orderNumbers(readLines(first, count: 1)), [1])
        close(first)
        listener = nil
        unlink(path)
        usleep(100_000)
        w.write(line: line(2), tag: tag(2))
        wait("down") { !reports.downReasons.isEmpty }
        XCTAssertEqual(reports.delivered, [1], "not sent into the closed connection")
        listener = try XCTUnwrap(Listener(unix: path))
        let second = try XCTUnwrap(listener).accept()
        defer { close(second) }
        XCTAssertEqual(orderNumbers(readLines(second, count: 1)), [2])
        wait("delivered") { reports.delivered == [1, 2] }
    }

    func testStalledMoreThanFiveSeconds() throws {
        let path = directory() + "/o.sock"
        let listener = try XCTUnwrap(Listener(unix: path))
        let reports = Reports()
        let w = writer(.unix(path), reports)
        XCTAssertEqual(w.stallSeconds, 5)
        // A peer that accepts and never reads: the kernel's buffers fill, then sends stall.
        let stalled = listener.accept()
        let n = 600
        let started = Date()
        for k in 1...n { w.write(line: line(k, pad: 8000), tag: tag(k)) }
        if stalled < 0 { w.connect() }
        wait("down", timeout: 30) { !reports.downReasons.isEmpty }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 5)
        XCTAssertTrue(reports.downReasons[0].contains("stalled"), "\(reports.all)")
        XCTAssertGreaterThan(w.waiting, 0)
        // The peer wakes up: it reads what the stalled connection holds, then the writer's new one.
        var got = orderNumbers(readLines(stalled >= 0 ? stalled : listener.accept()))
        close(stalled)
        let fresh = listener.accept()
        defer { close(fresh) }
        got += orderNumbers(readLines(fresh, count: n - got.count))
        XCTAssertEqual(got, Array(1...n), "every order once, in order")
        wait("delivered") { reports.delivered.count == n }
    }

    func testDiskFull() throws {
        let dir = directory()
        let mounted = dir + "/tiny"
        try FileManager.default.createDirectory(atPath: mounted, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mounted]
        mount.standardError = FileHandle.nullDevice
        let canMount = (try? mount.run()) != nil && { mount.waitUntilExit(); return mount.terminationStatus == 0 }()
        guard canMount else {
            // Without a tmpfs (no privilege): /dev/full, which never frees up.
            let reports = Reports()
            let w = writer(.file("/dev/full"), reports)
            w.write(line: line(1), tag: tag(1))
            wait("down") { !reports.downReasons.isEmpty }
            XCTAssertTrue(reports.downReasons[0].contains("No space left"), "\(reports.all)")
            XCTAssertEqual(w.waiting, 1)
            throw XCTSkip("cannot mount a tmpfs here; /dev/full checked")
        }
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [mounted]
            try? umount.run()
            umount.waitUntilExit()
        }
        let path = mounted + "/orders.jsonl"
        let reports = Reports()
        let w = writer(.file(path), reports)
        let n = 40   // 40 lines of 4 KB: more than 64 KB
        for k in 1...n { w.write(line: line(k, pad: 4000), tag: tag(k)) }
        wait("down") { !reports.downReasons.isEmpty }
        XCTAssertTrue(reports.downReasons[0].contains("No space left"), "\(reports.all)")
        let before = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(before.hasSuffix("\n"), "only whole lines in the file")
        // Space comes back.
        let grow = Process()
        grow.executableURL = URL(fileURLWithPath: "/bin/mount")
        grow.arguments = ["-o", "remount,size=1m", mounted]
        try grow.run()
        grow.waitUntilExit()
        wait("delivered") { reports.delivered.count == n }
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n").dropLast()
        XCTAssertEqual(orderNumbers(Array(lines)), Array(1...n))
        XCTAssertEqual(reports.ups.count, 1)
    }

    func testBadPath() throws {
        let dir = directory() + "/not-yet"
        let path = dir + "/orders.jsonl"
        let reports = Reports()
        let w = writer(.file(path), reports)
        for k in 1...3 { w.write(line: line(k), tag: tag(k)) }
        wait("down") { !reports.downReasons.isEmpty }
        XCTAssertTrue(reports.downReasons[0].contains("cannot open"), "\(reports.all)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        wait("delivered") { reports.delivered == [1, 2, 3] }
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n").dropLast()
        XCTAssertEqual(orderNumbers(Array(lines)), [1, 2, 3])
        w.close()
    }
}
