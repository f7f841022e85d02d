import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomMapFormat
import WatchroomProtocol
import WatchroomTestSupport
import XCTest

final class FrameDecoderTests: XCTestCase {
    func testFramesSplitAtEveryByteComeOutWhole() throws {
        let frames = [Frame(kind: .message, payload: Array("{\"type\":\"bye\"}".utf8)),
                      Frame(kind: .event, payload: Array(repeating: 7, count: 300)),
                      Frame(kind: .message, payload: [])]
        let bytes = frames.flatMap(\.bytes)
        for chunk in [1, 2, 3, 5, 64, bytes.count] {
            var decoder = FrameDecoder(limit: 1024)
            var out: [Frame] = []
            var k = 0
            while k < bytes.count {
                decoder.feed(bytes[k..<min(bytes.count, k + chunk)])
                while let f = try decoder.next() { out.append(f) }
                k += chunk
            }
            XCTAssertEqual(out, frames, "chunk \(chunk)")
            XCTAssertEqual(decoder.buffered, 0)
        }
    }

    func testOversizedLengthFailsBeforeThePayloadArrives() {
        var decoder = FrameDecoder(limit: 100)
        decoder.feed([0, 0, 0, 101])
        XCTAssertThrowsError(try decoder.next()) { XCTAssertEqual($0 as? FrameError, .oversized(length: 101, limit: 100)) }
        // Stays failed: the stream cannot be resynchronised.
        decoder.feed(Frame(kind: .message, payload: [1]).bytes)
        XCTAssertThrowsError(try decoder.next())
    }

    func testZeroLengthAndUnknownKindFail() {
        var a = FrameDecoder()
        a.feed([0, 0, 0, 0, 1])
        XCTAssertThrowsError(try a.next()) { XCTAssertEqual($0 as? FrameError, .empty) }
        var b = FrameDecoder()
        b.feed([0, 0, 0, 2, 9, 0])
        XCTAssertThrowsError(try b.next()) { XCTAssertEqual($0 as? FrameError, .unknownKind(9)) }
    }

    func testLimitIsClampedToTheHardBound() {
        XCTAssertEqual(FrameDecoder(limit: Int.max).limit, Frame.maxLength)
        var d = FrameDecoder(limit: Int.max)
        d.feed([0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertThrowsError(try d.next())
    }
}

final class MessageTests: XCTestCase {
    let codec = WireCodec(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    func testEveryCommandKindRoundTrips() throws {
        let commands: [Command] = [
            .dispatch(incident: IncidentRef("I0003"), units: [UnitID("C16"), UnitID("F02")]),
            .dispatch(incident: nil, units: []),
            .reinforce(incident: nil, count: 3),
            .new(NewIncident(category: .assault, priority: 1, place: "永平门街 18", summary: "knife", callerName: "张伟",
                             callerPhone: "13800001234", weapon: true)),
            .close(incident: IncidentRef("#7"), code: DispositionCode.find("20")!, note: "calm"),
            .status(unit: UnitID("C16"), status: .onScene),
            .camera(CameraID("cam-3")),
            .lookup(.phone("13800001234")),
            .lookup(.address("永平门街 18")),
            .lookup(.incident(IncidentRef("I0002"))), .lookup(.incident(nil)),
            .traffic(segment: SegmentKey("s12"), setting: .factor(2.5)),
            .traffic(segment: SegmentKey("s12"), setting: .closed),
            .trafficAlong(street: "永平门街", from: "正街", to: "上横街", setting: .open),
            .select("I0001"), .speed(10), .pause, .resume, .goto("n12"), .summary, .report, .help(topic: nil),
            .auto(false), .unitAdd(unit: UnitID("X1"), kind: .officerOnFoot, place: "n3"), .unitMove(unit: UnitID("X1"), place: "n4"),
            .recommend(incident: IncidentRef("I0002"), count: 4), .route(from: "C16", to: "n9", profile: .foot),
        ]
        for command in commands {
            let message = ClientMessage.command(CommandRequest(id: 9, command: command, selected: IncidentID("I0001")))
            let frame = try codec.frame(message)
            XCTAssertEqual(try codec.clientMessage(frame), message, "\(command)")
        }
    }

    func testBadCommandsAreErrorsNotTraps() {
        let bad = [
            #"{"type":"command","id":1,"command":{"kind":"launch"}}"#,
            #"{"type":"command","id":1,"command":{"kind":"speed","speed":1e308}}"#,
            #"{"type":"command","id":1,"command":{"kind":"new","category":"assault","priority":9,"place":"x"}}"#,
            #"{"type":"command","id":-1,"command":{"kind":"pause"}}"#,
            #"{"type":"command","id":1,"command":{"kind":"traffic","segment":"s1","setting":1e9}}"#,
            #"{"type":"hello"}"#, "[]", "not json", "",
        ]
        for text in bad {
            XCTAssertThrowsError(try codec.clientMessage(Frame(kind: .message, payload: Array(text.utf8))), text)
        }
    }

    func testSnapshotCarriesTheExactStateAndDigest() throws {
        var state = PrecinctState()
        let t = Date(timeIntervalSince1970: 1_773_489_000.123_456_7)
        state.apply(EventEnvelope(seq: 1, time: t, event: .shiftStarted(ShiftStarted(map: MapKey("jiangbei-city"), timeZone: "Asia/Shanghai", mode: .live, seed: 4))))
        state.apply(EventEnvelope(seq: 2, time: t.addingTimeInterval(0.000_3), event: .unitRegistered(UnitRegistered(id: UnitID("C1"), kind: .car, home: Point(x: 10.1, y: -3.3)))))
        let frame = try codec.frame(ServerMessage.snapshot(Snapshot(seq: 2, state: state, recent: [])))
        guard case .snapshot(let back) = try codec.serverMessage(frame) else { return XCTFail("not a snapshot") }
        XCTAssertEqual(back.state, state)
        XCTAssertEqual(back.state.digest, state.digest)
    }

    func testEventFrameKeepsTheInstantBeyondTheLinesMilliseconds() throws {
        let t = Date(timeIntervalSince1970: 1_773_489_000.123_456_7)
        let envelope = EventEnvelope(seq: 5, time: t, event: .unitPosition(UnitPosition(unit: UnitID("C1"), point: Point(x: 1.5, y: 2.5))))
        let (back, line) = try codec.event(try codec.frame(envelope))
        XCTAssertEqual(back, envelope)
        XCTAssertTrue(line.contains("\"seq\":5"))
        // The same line with an instant a second away is refused.
        var payload = WireCodec.eventPayload(time: t.addingTimeInterval(1), line: line)
        XCTAssertThrowsError(try codec.event(Frame(kind: .event, payload: payload)))
        payload = WireCodec.eventPayload(time: Date(timeIntervalSinceReferenceDate: .nan), line: line)
        XCTAssertThrowsError(try codec.event(Frame(kind: .event, payload: payload)))
        XCTAssertThrowsError(try codec.event(Frame(kind: .event, payload: [1, 2, 3])))
    }

    func testMapDigestTellsMapsApart() throws {
        let map = try TestMaps.jiangbei()
        XCTAssertEqual(MapDigest.of(map), MapDigest.of(map))
        var moved = map
        moved.intersections[0].position.x += 5
        XCTAssertNotEqual(MapDigest.of(moved), MapDigest.of(map))
    }
}

final class ViewerMaskTests: XCTestCase {
    let mask = ViewerMask(name: { $0.isEmpty ? "" : String($0.prefix(1)) + "*" }, phone: { _ in "****" },
                          text: { $0.replacingOccurrences(of: "13800001234", with: "****") })

    func testNoCallerNameOrPhoneReachesAViewer() throws {
        let report = IncidentReported(id: IncidentID("I0001"), number: "n", category: .assault, priority: 1,
                                      summary: "call back 13800001234", place: "p", point: Point(x: 0, y: 0),
                                      callerName: "张伟", callerPhone: "13800001234")
        let tz = TimeZone(identifier: "Asia/Shanghai")!
        let masked = try XCTUnwrap(mask.event(.incidentReported(report), timeZone: tz))
        let line = try EventCodec(timeZone: tz).encode(EventEnvelope(seq: 1, time: Date(), event: masked))
        XCTAssertFalse(line.contains("张伟"))
        XCTAssertFalse(line.contains("13800001234"))
        XCTAssertTrue(line.contains("张*"))

        var state = PrecinctState()
        state.apply(EventEnvelope(seq: 1, time: Date(), event: .incidentReported(report)))
        let shown = mask.state(state)
        XCTAssertEqual(shown.incidents[IncidentID("I0001")]?.callerPhone, "****")
        XCTAssertEqual(shown.incidents[IncidentID("I0001")]?.callerName, "张*")
        // Folding the masked event gives the masked state: a viewer's digest is every viewer's.
        var folded = PrecinctState()
        folded.apply(EventEnvelope(seq: 1, time: state.now!, event: masked))
        XCTAssertEqual(folded.digest, shown.digest)
    }

    func testViewerIsRefusedByKindCommanderIsNot() {
        XCTAssertNotNil(CommandPolicy.refusal(.dispatch(incident: nil, units: []), role: .viewer))
        XCTAssertNotNil(CommandPolicy.refusal(.lookup(.phone("1")), role: .viewer))
        XCTAssertNotNil(CommandPolicy.refusal(.pause, role: .viewer))
        XCTAssertNil(CommandPolicy.refusal(.select("I0001"), role: .viewer))
        XCTAssertNil(CommandPolicy.refusal(.dispatch(incident: nil, units: []), role: .commander))
    }
}
