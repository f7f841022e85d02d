import Foundation
import XCTest
@testable import WatchroomCore

final class EventCodecTests: XCTestCase {
    private let codec = EventCodec(timeZone: Samples.shanghai)

    func testEveryKindRoundTrips() throws {
        XCTAssertEqual(Set(Samples.everyKind.map(\.type)), Set(EventType.all + ["bodycam.started"]), "a kind has no sample")
        for (i, event) in Samples.everyKind.enumerated() {
            let envelope = EventEnvelope(seq: UInt64(i + 1), time: Samples.time(Double(i) * 1.5), event: event)
            let line = try codec.encode(envelope)
            XCTAssertFalse(line.contains("\n"), line)
            let back = try EventCodec.decode(line)
            XCTAssertEqual(back, envelope, line)
            // Encoding is a fixed point: re-encoding what was read gives the same bytes.
            XCTAssertEqual(try codec.encode(back), line)
        }
    }

    func testMinimalPayloadsRoundTrip() throws {
        let events: [Event] = [
            .clockTick(ClockTick()),
            .unitRegistered(UnitRegistered(id: "P-1", kind: .officerOnFoot, home: .zero)),
            .incidentUpdated(IncidentUpdated(id: "I1")),
            .unknown(type: "x.y", json: "{}"),
        ]
        for e in events {
            let env = EventEnvelope(seq: 9, time: Samples.t0, event: e)
            XCTAssertEqual(try EventCodec.decode(try codec.encode(env)), env)
        }
        XCTAssertEqual(try codec.encode(EventEnvelope(seq: 1, time: Samples.t0, event: .clockTick(ClockTick()))),
                       #"{"v":1,"seq":1,"time":"2026-11-25T19:48:11.250+08:00","type":"clock.tick","data":{}}"#)
    }

    /// The exact bytes of one line. If this fails, the wire format changed: update
    /// docs/events.md and think about `v`.
    func testGoldenEncoding() throws {
        let event = Event.incidentReported(IncidentReported(
            id: "I0007", number: "2026-1125-0007", category: .dispute, priority: 1,
            summary: "Knife / \"threat\"", place: "永平门街 12", point: Point(x: 120.5, y: -40),
            road: RoadLocation(segment: "s12", fraction: 0.375), callerPhone: "+86 138 0000 0007", weapon: true))
        let line = try codec.encode(EventEnvelope(seq: 12, time: Samples.t0, event: event))
        let golden = #"{"v":1,"seq":12,"time":"2026-11-25T19:48:11.250+08:00","type":"incident.reported","data":{"#
            + #""callerPhone":"+86 138 0000 0007","category":"dispute","id":"I0007","number":"2026-1125-0007","#
            + #""place":"永平门街 12","point":{"x":120.5,"y":-40},"priority":1,"road":{"fraction":0.375,"segment":"s12"},"#
            + #""summary":"Knife / \"threat\"","weapon":true}}"#
        XCTAssertEqual(line, golden)
    }

    func testGoldenRouteWithEta() throws {
        let event = Event.routeAssigned(RouteAssigned(unit: "car-3", incident: "I0007", seconds: 181.5, meters: 1204,
                                                      legs: [RouteLeg(segment: "s11", forward: true)], eta: Samples.t0 + 181.5))
        XCTAssertEqual(try codec.encode(EventEnvelope(seq: 3, time: Samples.t0, event: event)),
                       #"{"v":1,"seq":3,"time":"2026-11-25T19:48:11.250+08:00","type":"route.assigned","data":{"#
                       + #""eta":"2026-11-25T19:51:12.750+08:00","incident":"I0007","meters":1204,"#
                       + #""seconds":181.5,"segments":[{"forward":true,"segment":"s11"}],"steps":[],"unit":"car-3"}}"#)
    }

    /// Recordings made before `offRoadMeters` existed still read: the legs were 0.
    func testRecommendationWithoutOffRoadMetersReadsAsZero() throws {
        let old = #"{"v":1,"seq":11,"time":"2026-11-25T19:48:21.250+08:00","type":"units.recommended","data":{"#
            + #""incident":"I0007","ranked":[{"meters":130,"seconds":95,"straightLineMeters":110.5,"unit":"P-12"}]}}"#
        guard case .unitsRecommended(let r) = try EventCodec.decode(old).event else { return XCTFail("not a recommendation") }
        XCTAssertEqual(r.ranked, [UnitRecommendation(unit: "P-12", seconds: 95, meters: 130, straightLineMeters: 110.5, offRoadMeters: 0)])
        // Written back, the field is always there.
        let line = try codec.encode(EventEnvelope(seq: 11, time: Samples.t0, event: .unitsRecommended(r)))
        XCTAssertTrue(line.contains(#"{"meters":130,"offRoadMeters":0,"seconds":95,"straightLineMeters":110.5,"unit":"P-12"}"#), line)
    }

    func testEnumSpellingsOnTheWire() throws {
        for status in UnitStatus.allCases {
            let line = try codec.encode(EventEnvelope(seq: 1, time: Samples.t0, event: Samples.status("u", status)))
            XCTAssertTrue(line.contains("\"status\":\"\(status.rawValue)\""), line)
        }
        XCTAssertEqual(UnitStatus.allCases.map(\.rawValue),
                       ["Available", "Dispatched", "EnRoute", "OnScene", "Cleared", "OutOfService", "Busy"])
        XCTAssertEqual(IncidentStatus.allCases.map(\.rawValue),
                       ["Active", "ResourcesAssigned", "ResourcesEnroute", "ResourcesOnscene", "Closed"])
    }

    func testUnknownFieldsAreIgnored() throws {
        let line = #"{"v":1,"seq":5,"time":"2026-11-25T11:48:11.250Z","type":"unit.arrived","#
            + #""future":{"a":1},"data":{"unit":"car-3","incident":"I0007","bodycam":"on","extra":[1,2]}}"#
        let env = try EventCodec.decode(line)
        XCTAssertEqual(env, EventEnvelope(seq: 5, time: Samples.t0, event: .unitArrived(UnitArrived(unit: "car-3", incident: "I0007"))))
    }

    func testUnknownTypesAreCarriedThrough() throws {
        let line = #"{"v":1,"seq":7,"time":"2026-11-25T19:48:11.250+08:00","type":"drone.launched","data":{"z":[1,2.5,null],"a":"x","big":12345678901}}"#
        let env = try EventCodec.decode(line)
        guard case .unknown(let type, let json) = env.event else { return XCTFail("decoded as \(env.event)") }
        XCTAssertEqual(type, "drone.launched")
        XCTAssertEqual(json, #"{"a":"x","big":12345678901,"z":[1,2.5,null]}"#)
        XCTAssertEqual(try codec.encode(env),
                       #"{"v":1,"seq":7,"time":"2026-11-25T19:48:11.250+08:00","type":"drone.launched","data":{"a":"x","big":12345678901,"z":[1,2.5,null]}}"#)
    }

    func testUnknownCategoryReadsAsOther() throws {
        let line = #"{"v":1,"seq":1,"time":"2026-11-25T19:48:11Z","type":"incident.reported","data":{"id":"I1","category":"drone","priority":3,"point":{"x":0,"y":0}}}"#
        guard case .incidentReported(let p) = try EventCodec.decode(line).event else { return XCTFail() }
        XCTAssertEqual(p.category, .other)
        XCTAssertEqual(p.summary, "")
        XCTAssertFalse(p.weapon)
    }

    func testNewerVersionIsRejectedClearly() {
        let line = #"{"v":2,"seq":1,"time":"2026-11-25T19:48:11Z","type":"clock.tick","data":"whatever"}"#
        XCTAssertThrowsError(try EventCodec.decode(line)) { error in
            XCTAssertEqual(error as? EventDecodingError, .unsupportedVersion(found: 2, supported: 1))
            XCTAssertTrue(String(describing: error).contains("newer"), String(describing: error))
        }
    }

    func testBadLinesGiveSpecificErrors() {
        func error(_ line: String) -> EventDecodingError? {
            do { _ = try EventCodec.decode(line); return nil } catch { return error as? EventDecodingError }
        }
        XCTAssertEqual(error(#"{"v":1,"seq":1,"time":"2026-11-25T19:48:11","type":"clock.tick"}"#), .invalidTime("2026-11-25T19:48:11"))
        XCTAssertEqual(error(#"{"v":1,"seq":1,"time":"7:48 PM","type":"clock.tick"}"#), .invalidTime("7:48 PM"))
        XCTAssertEqual(error(#"{"seq":1,"time":"2026-11-25T19:48:11Z","type":"clock.tick"}"#), .missingField("v"))
        XCTAssertEqual(error(#"{"v":1,"seq":1,"time":"2026-11-25T19:48:11Z","type":"unit.arrived","data":{"unit":"u"}}"#),
                       .missingField("data.incident"))
        XCTAssertEqual(error(#"{"v":1,"seq":0,"time":"2026-11-25T19:48:11Z","type":"clock.tick"}"#)?.isInvalidField("seq"), true)
        XCTAssertEqual(error(#"{"v":1,"seq":1,"time":"2026-11-25T19:48:11Z","type":"incident.reported","data":{"id":"I","category":"theft","priority":4,"point":{"x":0,"y":0}}}"#)?.isInvalidField("data.priority"), true)
        XCTAssertEqual(error(#"{"v":1,"seq":1,"time":"2026-11-25T19:48:11Z","type":"unit.status","data":{"unit":"u","status":"AVAILABLE"}}"#)?.isInvalidField("data.status"), true)
        XCTAssertEqual(error(#"{"v":1,"seq":1,"time":"2026-11-25T19:48:11Z","type":"route.assigned","data":{"unit":"u","incident":"i","seconds":1,"meters":1,"eta":"2026-11-25 19:48"}}"#)?.isInvalidField("data.eta"), true)
        if case .invalidJSON? = error("not json") {} else { XCTFail("garbage not reported as invalid JSON") }
        if case .invalidJSON? = error("[1,2]") {} else { XCTFail("array not reported as invalid JSON") }
        if case .invalidJSON? = error(#"{"v":1,"seq":1"#) {} else { XCTFail("truncated line not reported") }
    }

    func testNonFiniteNumbersFailToEncode() {
        let env = EventEnvelope(seq: 1, time: Samples.t0, event: .unitPosition(UnitPosition(unit: "u", point: Point(x: .nan, y: 0))))
        XCTAssertThrowsError(try codec.encode(env))
        let bad = EventEnvelope(seq: 1, time: Samples.t0, event: .unknown(type: "x", json: "[1]"))
        XCTAssertThrowsError(try codec.encode(bad)) { XCTAssertEqual($0 as? EventEncodingError, .unknownPayloadNotAnObject(type: "x")) }
    }

    func testDecodesFromStoredParts() throws {
        for (i, event) in Samples.everyKind.enumerated() {
            let env = EventEnvelope(seq: UInt64(i + 1), time: Samples.time(Double(i)), event: event)
            let back = try EventCodec.decode(seq: env.seq, time: env.time, type: event.type, data: try codec.encodeData(event))
            XCTAssertEqual(back, env)
        }
        XCTAssertThrowsError(try EventCodec.decode(seq: 1, time: Samples.t0, type: "unit.arrived", data: "{]"))
        XCTAssertThrowsError(try EventCodec.decode(seq: 1, time: Samples.t0, type: "unit.arrived", data: #"{},"x":{"#))
        XCTAssertThrowsError(try EventCodec.decode(seq: 1, time: Samples.t0, type: "clock.tick", data: #"{},"seq":99"#))
    }

    func testTypeNamesAreEscaped() throws {
        let env = EventEnvelope(seq: 1, time: Samples.t0, event: .unknown(type: "we\"ird\u{1}", json: "{}"))
        let line = try codec.encode(env)
        XCTAssertTrue(line.contains(#""type":"we\"ird\u0001""#), line)
        XCTAssertEqual(try EventCodec.decode(line), env)
    }
}

extension EventDecodingError {
    func isInvalidField(_ path: String) -> Bool {
        if case .invalidField(let p, _) = self { return p == path }
        return false
    }
}

/// DEL and the C1 controls never leave the codec raw.
final class EventCodecControlEscapingTests: XCTestCase {
    func testC1ControlsAndDELAreEscapedInDataAndEnvelope() throws {
        let codec = EventCodec(timeZone: TimeZone(identifier: "UTC") ?? .current)
        let hostile = "a\u{1B}b\u{7F}c\u{80}d\u{9B}e\u{9C}f\u{9D}g\u{9F}h\u{A0}i"
        let event = Event.incidentClosed(IncidentClosed(id: IncidentID(hostile), disposition: .unfounded, note: hostile))
        let line = try codec.encode(EventEnvelope(seq: 1, time: Date(timeIntervalSince1970: 0), event: event))
        XCTAssertFalse(line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, line)
        XCTAssertTrue(line.contains(#"a\u001bb\u007fc\u0080d\u009be\u009cf\u009dg\u009fh"#), line)
        XCTAssertTrue(line.contains("\u{A0}i"), "U+00A0 is printable and stays")
        XCTAssertEqual(try EventCodec.decode(line).event, event, "the escapes read back as the same text")
        // A row stored raw by an older build is escaped when written out as a line.
        let raw = EventCodec.line(seq: 2, time: "1970-01-01T00:00:00.000Z", type: "incident.closed\u{9B}",
                                  data: #"{"id":"x\#u{9D}y"}"#)
        XCTAssertEqual(raw, #"{"v":1,"seq":2,"time":"1970-01-01T00:00:00.000Z","type":"incident.closed\u009b","data":{"id":"x\u009dy"}}"#)
    }

    func testTimesFarOutsideTheCalendarFormatWithoutTrapping() {
        for seconds in [9.2e15, -9.2e15, Double.greatestFiniteMagnitude, -.infinity, .nan] {
            XCTAssertFalse(ISOTime.format(Date(timeIntervalSince1970: seconds), timeZone: TimeZone(identifier: "UTC") ?? .current).isEmpty)
        }
    }
}
