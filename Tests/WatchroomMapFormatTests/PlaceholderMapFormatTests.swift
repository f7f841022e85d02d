import XCTest
final class PlaceholderMapFormatTests: XCTestCase { func testPlaceholder() { XCTAssertEqual(1 + 1, 2) } }
