import XCTest
@testable import WatchroomOSM

final class PlaceholderOSMTests: XCTestCase {
    func testModuleLoads() { XCTAssertEqual(String(describing: WatchroomOSM.self), "WatchroomOSM") }
}
