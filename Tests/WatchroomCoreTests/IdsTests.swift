import Foundation
import XCTest
@testable import WatchroomCore

final class IdsTests: XCTestCase {
    func testIdsCodeAsPlainStringsAndKeys() throws {
        let id: UnitID = "P-12"
        let data = try JSONEncoder().encode([id])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["P-12"]"#)
        XCTAssertEqual(try JSONDecoder().decode([UnitID].self, from: data), [id])

        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let dict: [IncidentID: Int] = ["b": 2, "a": 1]
        XCTAssertEqual(String(decoding: try enc.encode(dict), as: UTF8.self), #"{"a":1,"b":2}"#)
        XCTAssertEqual(try JSONDecoder().decode([IncidentID: Int].self, from: enc.encode(dict)), dict)
    }

    func testIdsCompareByRawValue() {
        XCTAssertLessThan(UnitID("A"), UnitID("B"))
        XCTAssertEqual(["c", "a", "b"].map(SegmentKey.init(rawValue:)).sorted().map(\.rawValue), ["a", "b", "c"])
        XCTAssertEqual(CameraID("cam1").description, "cam1")
    }
}
