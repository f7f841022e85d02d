import Foundation
import WatchroomCore
import WatchroomEngine
import XCTest

/// What `:goto` and `--at` accept in a replay.
final class ReplayTimeTests: XCTestCase {
    let zone = TimeZone(identifier: "Asia/Shanghai") ?? .current
    let start = ISOTime.parse("2026-03-14T20:00:00+08:00") ?? Date()
    var end: Date { start + 12 * 3600 }
    var now: Date { start + 3600 }

    func parse(_ s: String) -> Date? { ReplayTime.parse(s, now: now, start: start, end: end, timeZone: zone) }
    func iso(_ s: String) -> Date? { ISOTime.parse(s) }

    func testWallClockTimesLandInsideTheNightShift() {
        XCTAssertEqual(parse("21:30"), iso("2026-03-14T21:30:00+08:00"))
        XCTAssertEqual(parse("02:00"), iso("2026-03-15T02:00:00+08:00"), "after midnight: the next morning")
        XCTAssertEqual(parse("7:59:30"), iso("2026-03-15T07:59:30+08:00"))
        XCTAssertEqual(parse("20:00"), start)
        // Outside the shift: the nearest occurrence (which the replay then refuses).
        XCTAssertEqual(parse("12:00"), iso("2026-03-15T12:00:00+08:00"))
    }

    func testISORelativeAndSinceStart() {
        XCTAssertEqual(parse("2026-03-14T23:15:00+08:00"), iso("2026-03-14T23:15:00+08:00"))
        XCTAssertEqual(parse("2026-03-14T15:15:00Z"), iso("2026-03-14T23:15:00+08:00"))
        XCTAssertEqual(parse("+30m"), now + 1800)
        XCTAssertEqual(parse("-1h"), now - 3600)
        XCTAssertEqual(parse("+1h30m"), now + 5400)
        XCTAssertEqual(parse("+90s"), now + 90)
        XCTAssertEqual(parse("2h"), start + 7200)
        XCTAssertEqual(parse(" 2.5h "), start + 9000)
    }

    func testATimeOutsideTheShiftIsRefusedNamingTheShift() throws {
        let span = "(2026-03-14T20:00:00.000+08:00 to 2026-03-15T08:00:00.000+08:00)"
        let huge = try XCTUnwrap(parse("+999999h"))
        XCTAssertEqual(ReplayTime.outside("+999999h", at: huge, start: start, end: end, timeZone: zone),
                       "+999999h is after the end of the shift \(span)")
        let early = try XCTUnwrap(parse("-2h"))
        XCTAssertEqual(ReplayTime.outside(" -2h ", at: early, start: start, end: end, timeZone: zone),
                       "-2h is before the start of the shift \(span)")
        let noon = try XCTUnwrap(parse("12:00"))
        XCTAssertNotNil(ReplayTime.outside("12:00", at: noon, start: start, end: end, timeZone: zone))
        XCTAssertEqual(ReplayTime.outside("\u{1b}]52;c;x\u{07}+99h", at: huge, start: start, end: end, timeZone: zone)?.contains("\u{1b}"), false,
                       "what was typed comes back inert")
        for inside in ["20:00", "+30m", "2h", "8:00"] {
            let t = try XCTUnwrap(parse(inside))
            XCTAssertNil(ReplayTime.outside(inside, at: t, start: start, end: end, timeZone: zone), inside)
        }
    }

    func testNotATimeIsNil() {
        for s in ["", "永平门街 18", "n12", "24:00", "21:60", "7:48 PM", "+", "+x", "2026-03-14T21:30:00", "1:2:3:4",
                  "+1h30", "12", "--5m", "２１:３０"] {
            XCTAssertNil(parse(s), s)
        }
    }
}
