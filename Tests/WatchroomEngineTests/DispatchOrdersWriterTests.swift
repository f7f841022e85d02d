import Foundation
import Glibc
import WatchroomCore
import WatchroomEngine
import XCTest

final class DispatchOrdersWriterTests: XCTestCase {
    private let tz = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    private func sheet(_ unit: UnitID, eta: Date) -> DispatchOrderSheet {
        DispatchOrderSheet(unit: unit, callsign: unit.rawValue, incident: "I0001", number: "2026-1125-0001",
                           issued: eta.addingTimeInterval(-90), reinforcement: false, category: .dispute, priority: 1,
                           summary: "knife", place: "永平门街 18", point: Point(x: -261.2, y: -594.9), weapon: true,
                           callerName: nil, callerPhone: "13800001234",
                           route: OrderRoute(seconds: 90, meters: 420.5, eta: eta,
                                             steps: [OrderStep(instruction: "Head north on 永平门街 (Yongping Gate Street)", street: "永平门街 (Yongping Gate Street)", meters: 420.5, seconds: 90)]),
                           colleagues: [], cameras: [], traffic: [], warnings: ["knife involved, 2025-03"], notes: [])
    }

    private func tempPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wr-orders-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    func testDocsExampleOfOrderIssuedReadsAsASheet() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/events.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("{") && $0.contains(#""type":"order.issued""#) })
        let envelope = try EventCodec.decode(String(line))
        let sheet = try XCTUnwrap(envelope.event.orderSheet)
        XCTAssertEqual(sheet.unit, "C3")
        XCTAssertEqual(sheet.route?.steps.count, 3)
        XCTAssertEqual(sheet.colleagues.first?.unit, "F21")
        XCTAssertEqual(try Event.orderIssued(sheet, timeZone: tz), envelope.event, "the example is what the builder's encoding writes")
        var state = PrecinctState()
        state.apply(envelope)
        XCTAssertEqual(state.anomalies.total, 0)
    }

    func testSinkParsing() {
        XCTAssertEqual(try OrdersSink.parse("/tmp/orders.jsonl").get(), .file("/tmp/orders.jsonl"))
        XCTAssertEqual(try OrdersSink.parse("file:orders.jsonl").get(), .file("orders.jsonl"))
        XCTAssertEqual(try OrdersSink.parse("unix:/run/wr.sock").get(), .unix("/run/wr.sock"))
        XCTAssertEqual(try OrdersSink.parse("tcp:127.0.0.1:9000").get(), .tcp(host: "127.0.0.1", port: 9000))
        XCTAssertEqual(try OrdersSink.parse("tcp:localhost:9000").get(), .tcp(host: "localhost", port: 9000))
        XCTAssertEqual(try OrdersSink.parse("tcp:[::1]:9000").get(), .tcp(host: "::1", port: 9000))
        XCTAssertThrowsError(try OrdersSink.parse("tcp:10.0.0.5:9000").get())
        XCTAssertThrowsError(try OrdersSink.parse("tcp:127.0.0.1:0").get())
        XCTAssertThrowsError(try OrdersSink.parse("tcp:127.0.0.1").get())
        XCTAssertThrowsError(try OrdersSink.parse("").get())
        XCTAssertThrowsError(try OrdersSink.parse("unix:").get())
        XCTAssertEqual(OrdersSink.tcp(host: "::1", port: 9).description, "tcp:[::1]:9")
    }

    func testFileGetsOneJSONObjectPerLineAppended() throws {
        let path = tempPath("orders.jsonl")
        try "previous\n".write(toFile: path, atomically: true, encoding: .utf8)
        let eta = try XCTUnwrap(ISOTime.parse("2026-11-25T19:51:12.750+08:00"))
        let writer = OrdersWriter(sink: .file(path), timeZone: tz)
        writer.write(sheet("C1", eta: eta))
        writer.write(sheet("F21", eta: eta))
        writer.flush()
        XCTAssertEqual(writer.written, 2)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[0], "previous")
        XCTAssertTrue(lines[1].contains(#""eta":"2026-11-25T19:51:12.750+08:00""#), String(lines[1]))
        XCTAssertTrue(lines[1].contains("永平门街"))
        let decoded = try EventCodec.decode(seq: 1, time: eta, type: EventType.orderIssued, data: String(lines[2]))
        XCTAssertEqual(decoded.event.orderSheet?.unit, "F21")
        XCTAssertEqual(decoded.event.orderSheet?.route?.eta, eta)
        writer.close()
    }

    func testUnixSocketListenerReceivesLines() throws {
        let path = tempPath("o.sock")
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(listener, 0)
        defer { close(listener) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(listener, 1), 0)

        let eta = Date(timeIntervalSince1970: 1_795_000_000)
        let writer = OrdersWriter(sink: .unix(path), timeZone: tz)
        writer.write(sheet("C1", eta: eta))
        writer.write(sheet("C2", eta: eta))
        let conn = accept(listener, nil, nil)
        XCTAssertGreaterThanOrEqual(conn, 0)
        defer { close(conn) }
        writer.flush()
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        while received.filter({ $0 == 10 }).count < 2 {
            let n = recv(conn, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            received += buffer[0..<n]
        }
        let lines = String(decoding: received, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].contains(#""unit":"C1""#))
        XCTAssertTrue(lines[1].contains(#""unit":"C2""#))
        XCTAssertEqual(writer.written, 2)
    }

    func testAFailingSinkIsReportedOnceAndDroppedWithoutBlocking() throws {
        let reports = LockedList()
        let writer = OrdersWriter(sink: .unix(tempPath("nobody-listens.sock")), timeZone: tz) { reports.append($0) }
        let start = Date()
        for k in 0..<20 { writer.write(sheet(UnitID("C\(k)"), eta: start)) }
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5, "write must not block the caller")
        writer.flush()
        XCTAssertEqual(reports.items.count, 1, "\(reports.items)")
        XCTAssertTrue(reports.items.first?.contains("cannot connect") == true)
        XCTAssertEqual(writer.written, 0)
        XCTAssertEqual(writer.dropped, 20)

        let closedPort = OrdersWriter(sink: .tcp(host: "127.0.0.1", port: 1), timeZone: tz) { reports.append($0) }
        closedPort.write(line: "{}")
        closedPort.flush()
        XCTAssertEqual(reports.items.count, 2)

        let badFile = OrdersWriter(sink: .file("/nonexistent-dir/orders.jsonl"), timeZone: tz) { reports.append($0) }
        badFile.write(line: "{}")
        badFile.write(line: "{}")
        badFile.flush()
        XCTAssertEqual(reports.items.count, 3)
        XCTAssertEqual(badFile.dropped, 2)
    }

    func testPeerHangingUpDoesNotKillTheProcess() throws {
        let path = tempPath("hangup.sock")
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        listen(listener, 1)
        let reports = LockedList()
        let writer = OrdersWriter(sink: .unix(path), timeZone: tz) { reports.append($0) }
        writer.write(line: "{\"first\":1}")
        let conn = accept(listener, nil, nil)
        writer.flush()
        close(conn)
        close(listener)
        for _ in 0..<50 { writer.write(line: String(repeating: "x", count: 1000)) }
        writer.flush()
        XCTAssertEqual(reports.items.count, 1, "\(reports.items)")
        XCTAssertGreaterThanOrEqual(writer.written, 1)
    }
}

final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ s: String) { lock.withLock { list.append(s) } }
    var items: [String] { lock.withLock { list } }
}
