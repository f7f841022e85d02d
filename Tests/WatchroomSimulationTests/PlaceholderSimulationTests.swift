import XCTest
final class PlaceholderSimulationTests: XCTestCase { func testPlaceholder() { XCTAssertEqual(1 + 1, 2) } }
