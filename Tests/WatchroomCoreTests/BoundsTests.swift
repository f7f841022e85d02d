import Foundation
@testable import WatchroomCore
import XCTest

final class BoundsTests: XCTestCase {
    func testPoints() {
        XCTAssertTrue(Bounds.contains(Point(x: 120, y: -45)))
        XCTAssertTrue(Bounds.contains(Point(x: 7_000_000, y: 7_000_000)))
        XCTAssertFalse(Bounds.contains(Point(x: 7_100_000, y: 7_100_000)), "corner beyond 10,000 km")
        XCTAssertFalse(Bounds.contains(Point(x: 1e300, y: 0)))
        XCTAssertFalse(Bounds.contains(Point(x: .nan, y: 0)))
        XCTAssertFalse(Bounds.contains(Point(x: 0, y: -.infinity)))
        XCTAssertThrowsError(try Bounds.check(Point(x: 5, y: 1e300))) { error in
            XCTAssertEqual(String(describing: error), "5,1e+300 is more than 10000 km from the map's origin; give metres from the origin, e.g. 120,-45")
        }
    }

    func testDurationsAndTimes() throws {
        XCTAssertNoThrow(try Bounds.check(duration: 7 * 86_400))
        XCTAssertThrowsError(try Bounds.check(duration: 7 * 86_400 + 1))
        XCTAssertThrowsError(try Bounds.check(duration: .nan))
        XCTAssertThrowsError(try Bounds.check(duration: -1))
        XCTAssertThrowsError(try Bounds.check(duration: 1e300)) { XCTAssertTrue("\($0)".contains("longer than 7 days")) }
        XCTAssertNoThrow(try Bounds.check(time: try XCTUnwrap(ISOTime.parse("1970-01-01T00:00:00Z"))))
        XCTAssertNoThrow(try Bounds.check(time: try XCTUnwrap(ISOTime.parse("9999-12-31T23:59:59Z"))))
        XCTAssertThrowsError(try Bounds.check(time: try XCTUnwrap(ISOTime.parse("1969-12-31T23:59:59Z"))))
        XCTAssertThrowsError(try Bounds.check(time: Date(timeIntervalSince1970: 1e300)))
        XCTAssertNoThrow(try Bounds.check(milliseconds: 0))
        XCTAssertThrowsError(try Bounds.check(milliseconds: Int64.max))
        XCTAssertThrowsError(try Bounds.check(milliseconds: -1))
    }
}
