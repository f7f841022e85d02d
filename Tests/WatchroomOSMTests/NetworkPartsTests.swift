import XCTest
import WatchroomCore
import WatchroomMapFormat
@testable import WatchroomOSM

/// Which roads an import keeps per profile: the largest connected part (strongly connected
/// for cars), wherever the station is; OpenStreetMap's default pedestrian access; the summary
/// per profile and its warnings.
final class NetworkPartsTests: XCTestCase {
    /// A small OSM document: nodes at (lat, lon) and ways with tags, written out as XML.
    struct OSM {
        var nodes: [(id: Int, lat: Double, lon: Double, tags: [String: String])] = []
        var ways: [(id: Int, refs: [Int], tags: [String: String])] = []
        private var nextNode = 1, nextWay = 1

        mutating func node(_ lat: Double, _ lon: Double, _ tags: [String: String] = [:]) -> Int {
            defer { nextNode += 1 }
            nodes.append((nextNode, lat, lon, tags))
            return nextNode
        }

        mutating func way(_ refs: [Int], _ tags: [String: String]) {
            ways.append((nextWay, refs, tags))
            nextWay += 1
        }

        /// A `rows` × `cols` grid of two-way roads, `step` degrees apart, from (lat, lon).
        mutating func grid(_ lat: Double, _ lon: Double, rows: Int, cols: Int, step: Double, highway: String = "residential") -> [[Int]] {
            let ids = (0..<rows).map { r in (0..<cols).map { c in node(lat + Double(r) * step, lon + Double(c) * step) } }
            for r in 0..<rows { way(ids[r], ["highway": highway]) }
            for c in 0..<cols { way(ids.map { $0[c] }, ["highway": highway]) }
            return ids
        }

        var bytes: [UInt8] {
            func attrs(_ t: [String: String]) -> String {
                t.sorted { $0.key < $1.key }.map { "<tag k=\"\($0.key)\" v=\"\($0.value)\"/>" }.joined()
            }
            var s = "<osm version=\"0.6\">\n"
            for n in nodes { s += "<node id=\"\(n.id)\" lat=\"\(n.lat)\" lon=\"\(n.lon)\">\(attrs(n.tags))</node>\n" }
            for w in ways { s += "<way id=\"\(w.id)\">" + w.refs.map { "<nd ref=\"\($0)\"/>" }.joined() + attrs(w.tags) + "</way>\n" }
            return Array((s + "</osm>\n").utf8)
        }

        func importMap() throws -> OSMImportResult {
            try OSMImporter.importBytes(bytes, file: "parts.osm", options: OSMImportOptions(name: "Parts", timeZone: "UTC"))
        }
    }

    private func profile(_ r: OSMImportResult, _ p: ImportProfileSummary.Profile) throws -> ImportProfileSummary {
        try XCTUnwrap(r.report.profiles.first { $0.profile == p })
    }

    /// The import: the station at the middle beside a garden path and a short lane of
    /// their own, the city's roads and footways a kilometre away. The city is kept for both
    /// profiles; the garden path and the lane are dropped and counted; the station's distance
    /// is warned about.
    func testTheLargestPartIsKeptNotTheOneNearestTheStation() throws {
        var osm = OSM()
        _ = osm.node(0, 0, ["amenity": "police", "name": "Station"])
        let g1 = osm.node(0.0002, 0.0001), g2 = osm.node(0.0002, 0.00043)          // a 37 m garden path
        osm.way([g1, g2], ["highway": "footway"])
        let l1 = osm.node(-0.0003, 0), l2 = osm.node(-0.0003, 0.0009)            // a 100 m lane
        osm.way([l1, l2], ["highway": "service"])
        let city = osm.grid(0, 0.01, rows: 5, cols: 5, step: 0.002)             // 8.9 km of streets
        for r in 0..<5 {                                                        // footways off the city
            let end = osm.node(Double(r) * 0.002 + 0.001, 0.019)
            osm.way([city[r][4], end], ["highway": "footway"])
        }
        let r = try osm.importMap()
        XCTAssertEqual(MapFormat.check(text: r.text).errorCount, 0, "the result passes map check")
        XCTAssertTrue(r.map.segments.filter(\.access.allowsCar).allSatisfy { $0.roadClass == .residential }, "the city, not the lane")
        XCTAssertFalse(r.map.segments.contains { $0.roadClass == .service }, "the lane is dropped")
        XCTAssertEqual(r.map.segments.count { $0.roadClass == .footway }, 5, "the city's footways, not the garden path")

        let car = try profile(r, .cars), foot = try profile(r, .onFoot)
        XCTAssertEqual(car.keptKm, 8.9, accuracy: 0.1)
        XCTAssertEqual(car.usableKm, car.keptKm + 0.1, accuracy: 0.02, "the lane is the 0.1 km dropped")
        XCTAssertEqual(car.waysDropped, 1)
        XCTAssertEqual(foot.keptKm, 8.9 + 5 * 0.157, accuracy: 0.1)
        XCTAssertEqual(foot.droppedKm, 0.137, accuracy: 0.02, "the lane and the garden path")
        XCTAssertEqual(foot.waysDropped, 2)
        // The station stays where it is, about 1.1 km from both networks: warned, with what to do.
        XCTAssertEqual(try XCTUnwrap(car.stationMeters), 1113, accuracy: 5)
        XCTAssertEqual(r.report.warnings.count, 2, r.report.warnings.joined(separator: "\n"))
        XCTAssertTrue(r.report.warnings.allSatisfy { $0.contains("the station is") && $0.contains("--station") })
        let text = r.report.text
        XCTAssertTrue(text.contains("cars: kept 8.9 km of 9.0 km usable, dropped 0.1 km (1 way)"), text)
        XCTAssertTrue(text.contains("on foot: kept 9.7 km of 9.8 km usable, dropped 0.1 km (2 ways)"), text)
        XCTAssertTrue(text.contains("warning: the station is 1113 m from the nearest road cars may use"), text)
        XCTAssertTrue(text.contains(DropReason.footUnreachableDropped), text)
    }

    /// Three equal towns that no road joins: one is kept (always the same one), and the
    /// summary warns that each profile keeps less than half of what it may use.
    func testKeepingLessThanHalfIsWarned() throws {
        var osm = OSM()
        _ = osm.node(0.0021, 0.0021, ["amenity": "police"])
        for k in 0..<3 { _ = osm.grid(0, Double(k) * 0.02, rows: 3, cols: 3, step: 0.002) }
        let r = try osm.importMap()
        XCTAssertEqual(MapFormat.check(text: r.text).errorCount, 0)
        for p in [ImportProfileSummary.Profile.cars, .onFoot] {
            let s = try profile(r, p)
            XCTAssertEqual(s.keptKm / s.usableKm, 1.0 / 3, accuracy: 0.01, p.rawValue)
            XCTAssertEqual(s.waysDropped, 12, p.rawValue)
        }
        XCTAssertTrue(r.report.warnings.contains { $0.hasPrefix("cars keep only 2.7 km of the 8.0 km usable (less than half)") },
                      r.report.warnings.joined(separator: "\n"))
        XCTAssertTrue(r.report.warnings.contains { $0.hasPrefix("officers on foot keep only") }, r.report.warnings.joined(separator: "\n"))
        XCTAssertEqual(try osm.importMap().text, r.text, "the same part every time")
    }

    /// One-way streets: a car that can get in but never out is not part of the kept network,
    /// however long the trap; the largest part cars can drive round wins.
    func testCarsKeepTheLargestStronglyConnectedPart() throws {
        var osm = OSM()
        _ = osm.node(0, 0, ["amenity": "police"])
        let town = osm.grid(0, 0, rows: 3, cols: 3, step: 0.002)
        // A long one-way road out of town and a one-way loop at its end: enterable, never left.
        let a = osm.node(0, 0.01), b = osm.node(0, 0.03), c = osm.node(0.01, 0.03)
        osm.way([town[0][2], a, b], ["highway": "primary", "oneway": "yes"])
        osm.way([b, c, b], ["highway": "primary", "oneway": "yes"])
        let r = try osm.importMap()
        XCTAssertEqual(MapFormat.check(text: r.text).errorCount, 0, "no one-way trap is left")
        let car = try profile(r, .cars)
        XCTAssertEqual(car.keptKm, 12 * 0.2226, accuracy: 0.05, "the town")
        XCTAssertGreaterThan(car.usableKm, 2 * car.keptKm, "the trap is longer than the town")
        XCTAssertTrue(r.report.warnings.contains { $0.hasPrefix("cars keep only") })
        // Officers on foot ignore one-way rules: the trap is theirs.
        XCTAssertEqual(try profile(r, .onFoot).droppedKm, 0, accuracy: 1e-9)
    }

    /// OpenStreetMap's default pedestrian access: trunks and tracks are walkable, motorways are
    /// not. Footways joined to the city only through a trunk road stay in the foot network.
    func testTrunksAndTracksAreInTheFootNetwork() throws {
        var osm = OSM()
        _ = osm.node(0, 0, ["amenity": "police"])
        let t = (0..<5).map { osm.node(0, Double($0) * 0.002) }
        osm.way(t, ["highway": "trunk"])
        let f = osm.node(0.002, 0.004)
        osm.way([t[2], f], ["highway": "footway"])
        let k = osm.node(-0.002, 0.004)
        osm.way([t[2], k], ["highway": "track"])
        let m1 = osm.node(0.004, 0), m2 = osm.node(0.004, 0.008)
        osm.way([t[0], m1, m2, t[4]], ["highway": "motorway"])
        let r = try osm.importMap()
        XCTAssertEqual(MapFormat.check(text: r.text).errorCount, 0)
        let trunk = try XCTUnwrap(r.map.segments.first { $0.roadClass == .trunk })
        XCTAssertEqual(trunk.access, .all, "officers on foot may walk a trunk road")
        XCTAssertEqual(r.map.segments.first { $0.roadClass == .motorway }?.access, .car)
        XCTAssertEqual(r.map.segments.first { $0.roadClass == .path }?.access, .foot, "the track, on foot")
        XCTAssertEqual(r.map.segments.first { $0.roadClass == .footway }?.access, .foot, "the footway is kept")
        let foot = try profile(r, .onFoot)
        XCTAssertEqual(foot.waysDropped, 0)
        XCTAssertEqual(foot.keptKm, 0.890 + 0.222 + 0.222, accuracy: 0.02)
        XCTAssertTrue(r.report.warnings.isEmpty, r.report.warnings.joined(separator: "\n"))
    }
}
