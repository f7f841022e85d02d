import Foundation
import Glibc
import WatchroomTestSupport
import XCTest

/// No order vanishes, in the live console (issue 10, item 4): with the `--orders`
/// listener down the console says so at once (ORDERS DOWN, a ticker line, the log) and
/// keeps working; when the listener is back the orders arrive in order; what never
/// arrived is listed by `shift info`.
final class OrdersDownE2ETests: XCTestCase {
    private func listen(unix path: String) -> Int32 {
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        Glibc.listen(fd, 4)
        return fd
    }

    func testOrdersDownShownKeptAndRedelivered() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let dir = "/tmp/wr-od-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let sock = dir + "/o.sock", log = dir + "/w.log", shift = dir + "/s.shift"
        let t = try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--seed", "31", "--no-auto-dispatch",
                                          "--profile", "quiet", "--log", log, "--records-db", dir + "/r.sqlite",
                                          "--orders", "unix:" + sock, "--shift", shift],
                                width: 160, height: 44, holdAfterExit: true)
        func statusBar() -> String { t.capture().first ?? "" }
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        // Nothing listens: shown at once, before any order.
        XCTAssertTrue(t.waitUntil(timeout: 5) { _ in statusBar().contains("ORDERS DOWN") }, statusBar())
        XCTAssertTrue(t.waitFor("ORDERS DOWN: orders to unix:", timeout: 5), "a ticker line: \(t.screen())")
        // The console keeps working: a call, a one-key dispatch.
        t.sendKeys(":"); t.sendText(#"new theft P2 at "永平门街 23" "bicycle""#); t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("P2 theft at", timeout: 5), t.screen())
        t.sendKeys("d")
        XCTAssertTrue(t.waitUntil(timeout: 5) { $0.range(of: #"dispatched [CF]\d+"#, options: .regularExpression) != nil }, t.screen())
        XCTAssertTrue(statusBar().contains("ORDERS DOWN"), statusBar())

        // The phones' listener comes up: the waiting order arrives, the status bar clears.
        let listener = listen(unix: sock)
        var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        XCTAssertGreaterThan(poll(&p, 1, 15_000), 0, "the console reconnects")
        let conn = accept(listener, nil, nil)
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(conn, &buffer, buffer.count, 0)
        let first = String(decoding: buffer[0..<max(0, n)], as: UTF8.self)
        XCTAssertTrue(first.contains(#""summary":"bicycle""#), first)
        XCTAssertTrue(t.waitUntil(timeout: 5) { _ in !statusBar().contains("ORDERS DOWN") }, statusBar())
        XCTAssertTrue(t.waitFor("orders back up: 1 re-delivered", timeout: 5), t.screen())

        // It goes away for good: the next order is never delivered.
        close(conn)
        close(listener)
        unlink(sock)
        t.sendKeys("r")
        XCTAssertTrue(t.waitFor("reinforced", timeout: 5), t.screen())
        XCTAssertTrue(t.waitUntil(timeout: 5) { _ in statusBar().contains("ORDERS DOWN") }, statusBar())
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)

        let logText = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(logText.contains("ORDERS DOWN"), logText)
        let info = try CLIRunner.run(["shift", "info", shift])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertNotNil(info.stdout.range(of: #"orders never delivered: [12]\n"#, options: .regularExpression), info.stdout)
        XCTAssertNotNil(info.stdout.range(of: #"  seq \d+  \S+  [CF]\d+ to \d{4}-\d{4}-\d{4} \(reinforcement\)"#, options: .regularExpression), info.stdout)
        XCTAssertNotNil(info.stdout.range(of: #"order.delivered\s+1\b"#, options: .regularExpression), info.stdout)
    }
}
