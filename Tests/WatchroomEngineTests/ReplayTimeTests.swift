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
        // Outside the shift: the nearest occurrence (the cursor clamps it).
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

    func testNotATimeIsNil() {
        for s in ["", "永平门街 18", "n12", "24:00", "21:60", "7:48 PM", "+", "+x", "2026-03-14T21:30:00", "1:2:3:4",
                  "+1h30", "12", "--5m", "２１:３０"] {
            XCTAssertNil(parse(s), s)
        }
    }
}
