import XCTest
final class PlaceholderRoutingTests: XCTestCase { func testPlaceholder() { XCTAssertEqual(1 + 1, 2) } }
