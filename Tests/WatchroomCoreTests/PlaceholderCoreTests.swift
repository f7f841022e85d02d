import XCTest
final class PlaceholderCoreTests: XCTestCase { func testPlaceholder() { XCTAssertEqual(1 + 1, 2) } }
