import XCTest
final class PlaceholderRecordsTests: XCTestCase { func testPlaceholder() { XCTAssertEqual(1 + 1, 2) } }
