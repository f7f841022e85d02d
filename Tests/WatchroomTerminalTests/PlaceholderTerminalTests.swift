import XCTest
final class PlaceholderTerminalTests: XCTestCase { func testPlaceholder() { XCTAssertEqual(1 + 1, 2) } }
