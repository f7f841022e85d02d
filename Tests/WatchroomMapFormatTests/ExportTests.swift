import Foundation
import WatchroomCore
import WatchroomMapFormat
import XCTest

final class ExportTests: XCTestCase {
    func features(_ json: String) throws -> (top: [String: Any], features: [[String: Any]]) {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let top = try XCTUnwrap(object as? [String: Any])
        XCTAssertEqual(top["type"] as? String, "FeatureCollection")
        let list = try XCTUnwrap(top["features"] as? [[String: Any]])
        return (top, list)
    }

    func kinds(_ list: [[String: Any]]) -> [String: Int] {
        var out: [String: Int] = [:]
        for f in list {
            let props = f["properties"] as? [String: Any]
            out[props?["feature"] as? String ?? "?", default: 0] += 1
        }
        return out
    }

    func testGeoJSONWithoutOrigin() throws {
        let map = try MapFormat.load(text: docExample)
        let (top, list) = try features(GeoJSONExport.export(map))
        XCTAssertEqual(list.count, 8)
        XCTAssertEqual(kinds(list), ["segment": 3, "camera": 1, "station": 1, "landmark": 1, "address": 1, "area": 1])
        XCTAssertEqual((top["properties"] as? [String: Any])?["frame"] as? String, "local-metres")
        let e2 = try XCTUnwrap(list.first { ($0["properties"] as? [String: Any])?["id"] as? String == "e2" })
        let geometry = try XCTUnwrap(e2["geometry"] as? [String: Any])
        XCTAssertEqual(geometry["type"] as? String, "LineString")
        let coords = try XCTUnwrap(geometry["coordinates"] as? [[Double]])
        XCTAssertEqual(coords, [[200, 0], [230, 60], [220, 120], [200, 150]])
        let props = try XCTUnwrap(e2["properties"] as? [String: Any])
        XCTAssertEqual(props["name"] as? String, "永平门街")
        XCTAssertEqual(props["roman"] as? String, "Yongping Gate Street")
        XCTAssertEqual(props["class"] as? String, "tertiary")
        XCTAssertEqual(props["oneway"] as? Bool, true)
        XCTAssertEqual(props["access"] as? String, "all")
        XCTAssertEqual(props["speed"] as? Double, 35)
        let area = try XCTUnwrap(list.first { ($0["geometry"] as? [String: Any])?["type"] as? String == "Polygon" })
        let ring = try XCTUnwrap(((area["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)
        XCTAssertEqual(ring.count, 5, "the ring is closed")
        XCTAssertEqual(ring.first, ring.last)
    }

    func testGeoJSONWithOriginIsLonLat() throws {
        let text = docExample.replacingOccurrences(of: "node a at=0,0", with: "origin lat=29.5717 lon=106.5743\nnode a at=0,0")
        let map = try MapFormat.load(text: text)
        let (top, list) = try features(GeoJSONExport.export(map))
        XCTAssertEqual((top["properties"] as? [String: Any])?["frame"] as? String, "lonlat")
        let station = try XCTUnwrap(list.first { ($0["properties"] as? [String: Any])?["feature"] as? String == "station" })
        let c = try XCTUnwrap((station["geometry"] as? [String: Any])?["coordinates"] as? [Double])
        let expected = LocalProjection(origin: LatLon(lat: 29.5717, lon: 106.5743)).unproject(Point(x: 20, y: 10))
        XCTAssertEqual(c[0], expected.lon, accuracy: 1e-12)
        XCTAssertEqual(c[1], expected.lat, accuracy: 1e-12)
        XCTAssertEqual(c[0], 106.5745, accuracy: 0.001)
    }

    func testGeoJSONEscapesHostileStrings() throws {
        var map = try MapFormat.load(text: docExample)
        map.streets[0].name = "a\"b\\c\u{1B}\u{0}\n\u{2028}"
        map.segments[0].speedKmh = .nan
        let (_, list) = try features(GeoJSONExport.export(map))
        let props = list[0]["properties"] as? [String: Any]
        XCTAssertEqual(props?["name"] as? String, "a\"b\\c\u{1B}\u{0}\n\u{2028}")
        XCTAssertTrue(props?["speed"] is NSNull)
    }
}
