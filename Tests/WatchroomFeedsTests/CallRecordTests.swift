import Foundation
import WatchroomCore
import WatchroomTestSupport
import XCTest
@testable import WatchroomFeeds

final class CallRecordTests: XCTestCase {
    func testReadsACallRecord() throws {
        let line = #"{"received":"2026-11-25T19:48:11+08:00","caller":"张 先生","phone":"+86 139 1234 5678","place":"永平门街18号","category":"traffic accident","priority":1,"summary":"Two cars\u001b[2J, one driver hurt","callTaker":"T07"}"#
        let c = try CallRecordReader.read(line: line)
        XCTAssertEqual(c.received, ISOTime.parse("2026-11-25T19:48:11+08:00"))
        XCTAssertEqual(c.caller, "张 先生")
        XCTAssertEqual(c.phone, "+86 139 1234 5678")
        XCTAssertEqual(c.place, .text("永平门街18号"))
        XCTAssertEqual(c.category, .trafficAccident)
        XCTAssertEqual(c.priority, 1)
        XCTAssertFalse(c.summary.unicodeScalars.contains { Sanitizer.isControl($0) }, c.summary)
        XCTAssertEqual(c.callTaker, "T07")
        let at = try CallRecordReader.read(line: #"{"received":"2026-11-25T19:48:11Z","lat":29.57,"lon":106.58,"summary":"x"}"#)
        XCTAssertEqual(at.place, .latLon(LatLon(lat: 29.57, lon: 106.58)))
        XCTAssertEqual(at.priority, 2, "2 when not given")
        XCTAssertEqual(at.category, .other)
    }

    func testRefusesWithAReason() {
        let cases: [(String, String)] = [
            (#"{"place":"x"}"#, "no received"),
            (#"{"received":"2026-11-25 19:48","place":"x"}"#, "is not ISO 8601"),
            (#"{"received":"1970-01-01T00:00:00Z","place":"x"}"#, "outside 2000 to 2099"),
            (#"{"received":"2026-11-25T19:48:11Z"}"#, "no place"),
            (#"{"received":"2026-11-25T19:48:11Z","lat":29}"#, "lat without lon"),
            (#"{"received":"2026-11-25T19:48:11Z","lat":99,"lon":1}"#, "within ±90"),
            (#"{"received":"2026-11-25T19:48:11Z","place":"x","priority":4}"#, "priority must be 1, 2 or 3"),
            (#"{"received":"2026-11-25T19:48:11Z","place":"x","priority":1.5}"#, "priority must be 1, 2 or 3"),
            (#"{"received":"2026-11-25T19:48:11Z","place":"x","category":"alien"}"#, "category 'alien' is not one of"),
            (#"{"received":"2026-11-25T19:48:11Z","place":"x","phone":"call me"}"#, "not a telephone number"),
            (#"{"received":"2026-11-25T19:48:11Z","place":"x","caller":["a"]}"#, "caller must be a text"),
            ("not json", "is not JSON"),
        ]
        for (line, words) in cases {
            XCTAssertThrowsError(try CallRecordReader.read(line: line), words) { error in
                let text = (error as? FeedError)?.description ?? "\(error)"
                XCTAssertTrue(text.contains(words), "\(text) ≠ \(words)")
            }
        }
        let long = #"{"received":"2026-11-25T19:48:11Z","place":"x","summary":""# + String(repeating: "很", count: 501) + #""}"#
        XCTAssertThrowsError(try CallRecordReader.read(line: long))
    }
}

final class PlaceMatcherTests: XCTestCase {
    static let map = try? TestMaps.jiangbei()

    private func matcher() throws -> PlaceMatcher { PlaceMatcher(map: try XCTUnwrap(Self.map)) }

    func testExactAndNormalisedForms() throws {
        let m = try matcher()
        XCTAssertEqual(m.match("永平门街 18").candidate?.label, "永平门街 18")
        if case .exact = m.match("永平门街 18") {} else { XCTFail("exact") }
        for text in ["永平门街18号", "永平门街１８号", "永平門街 18" /* traditional 門: the same pinyin */, " 永平门街  18 ", "18 Yongping Gate Street",
                     "No. 18, Yongping Gate St", "yongping gate street 18", "Yong Ping Men Jie 18", "yongpingmenjie18"] {
            let r = m.match(text)
            guard case .normalised(let c) = r else { XCTFail("\(text): \(r)"); continue }
            XCTAssertEqual(c.label, "永平门街 18", text)
        }
        XCTAssertEqual(m.match("江北城小学").candidate?.point, Point(x: 8.4, y: 620.7))
        XCTAssertEqual(m.match("jiangbeicheng primary school").candidate?.point, Point(x: 8.4, y: 620.7))
        XCTAssertEqual(m.match("Jiangbeicheng Police Station").candidate?.label, "江北城派出所 (Jiangbeicheng Police Station)")
        XCTAssertEqual(m.match("永平门茶馆").candidate?.label, "永平门街 1 (永平门茶馆)", "an address by its name")
    }

    func testCloseByEditDistanceButNeverAnotherNumber() throws {
        let m = try matcher()
        guard case .close(let c, let edits) = m.match("永平街 18") else { XCTFail("\(m.match("永平街 18"))"); return }
        XCTAssertEqual(c.label, "永平门街 18")
        XCTAssertEqual(edits, 1)
        guard case .close(let school, _) = m.match("Jiangbeicheng Primery School") else { XCTFail("school"); return }
        XCTAssertEqual(school.point, Point(x: 8.4, y: 620.7))
        // 19 is not on the street: never 18 or 23 silently; the street's addresses are offered.
        guard case .unverified(let offered) = m.match("永平门街 19") else { XCTFail("\(m.match("永平门街 19"))"); return }
        XCTAssertFalse(offered.isEmpty)
        XCTAssertEqual(offered.map(\.label), ["永平门街 18", "永平门街 23 (永平门街23号院)", "永平门街 12 (老街面馆)"], "the nearest numbers on the street; 12 and 26 tie, map order")
        // Nothing like it: unverified, with candidates to read out.
        guard case .unverified(let far) = m.match("解放碑步行街 3") else { XCTFail("far"); return }
        XCTAssertEqual(far.count, 3)
        guard case .unverified = m.match("") else { XCTFail("empty"); return }
        guard case .unverified = m.match(String(repeating: "路", count: 10_000)) else { XCTFail("long"); return }
    }

    func testEditDistance() {
        XCTAssertEqual(PlaceMatcher.editDistance("kitten", "sitting", limit: 8), 3)
        XCTAssertEqual(PlaceMatcher.editDistance("", "abc", limit: 8), 3)
        XCTAssertEqual(PlaceMatcher.editDistance("永平门街", "永平街", limit: 8), 1)
        XCTAssertEqual(PlaceMatcher.editDistance("aaaaaaaaaaaa", "bbbbbbbbbbbb", limit: 3), 4, "gives up past the limit")
        XCTAssertEqual(PlaceMatcher.normalize("永平门街１８号"), "永平门街18")
        XCTAssertEqual(PlaceMatcher.normalize("No. 18, Yongping Gate St."), "18yongpinggatestreet", "St is street")
    }
}
