import XCTest
@testable import WatchroomDrill

final class PlaceholderDrillTests: XCTestCase {
    func testModuleLoads() { XCTAssertEqual(String(describing: WatchroomDrill.self), "WatchroomDrill") }
}
