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
        let listener = try XCTUnwrap(OrdersSinkFailureTests.Listener(unix: path))

        let eta = Date(timeIntervalSince1970: 1_795_000_000)
        let writer = OrdersWriter(sink: .unix(path), timeZone: tz)
        writer.write(sheet("C1", eta: eta))
        writer.write(sheet("C2", eta: eta))
        let conn = listener.accept()
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
}

final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ s: String) { lock.withLock { list.append(s) } }
    var items: [String] { lock.withLock { list } }
}
