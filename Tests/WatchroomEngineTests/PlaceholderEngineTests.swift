import XCTest
final class PlaceholderEngineTests: XCTestCase { func testPlaceholder() { XCTAssertEqual(1 + 1, 2) } }
