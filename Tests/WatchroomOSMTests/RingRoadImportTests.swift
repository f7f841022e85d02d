import XCTest
import WatchroomCore
import WatchroomMapFormat
import WatchroomRouting
@testable import WatchroomOSM

/// Fixtures/osm/ring-road.osm: motorways (implied one-way, cars only), links, a closed
/// ring street split where roads attach, and the area kinds the district does not have.
final class RingRoadImportTests: XCTestCase {
    private func imported(buildings: Bool = false) throws -> OSMImportResult {
        try OSMImporter.importFile(path: CLIRunnerPaths.fixture("ring-road.osm"),
                                   options: OSMImportOptions(timeZone: "Asia/Shanghai", buildings: buildings))
    }

    private func seg(_ m: PrecinctMap, _ key: String) throws -> Segment { try XCTUnwrap(m.segments.first { $0.key == key }, key) }
    private func ends(_ m: PrecinctMap, _ s: Segment) -> [String] { [m.intersections[s.from].key, m.intersections[s.to].key] }

    func testMotorwaysAndLinks() throws {
        let m = try imported().map
        XCTAssertEqual(MapFormat.check(text: MapFormat.write(m)).errorCount, 0)
        let g65 = try seg(m, "w20")
        XCTAssertTrue(g65.oneway, "motorway implies oneway")
        XCTAssertEqual(g65.access, .car)
        XCTAssertEqual(g65.speedKmh, 112.65, "70 mph")
        XCTAssertEqual(m.streets[try XCTUnwrap(g65.street)].name, "G65", "ref names an unnamed motorway")
        XCTAssertTrue(try seg(m, "w21").oneway)
        XCTAssertEqual(try seg(m, "w21").roadClass, .motorwayLink)
        XCTAssertEqual(try seg(m, "w21").speedKmh, 50)
        let twoWay = try seg(m, "w23")
        XCTAssertFalse(twoWay.oneway, "oneway=no overrides the motorway's implied one-way")
        XCTAssertEqual(twoWay.access, .car)
        XCTAssertEqual(try seg(m, "w24").roadClass, .trunkLink)
        XCTAssertEqual(try seg(m, "w24").speedKmh, 40)
        XCTAssertEqual(try seg(m, "w24").access, .all, "OpenStreetMap's default: pedestrians may walk a trunk link")
    }

    func testClosedRingSplitsWhereRoadsAttach() throws {
        let m = try imported().map
        let ring = m.segments.filter { $0.key.hasPrefix("w10") }
        XCTAssertEqual(ring.count, 3)
        XCTAssertEqual(Set(ring.map { Set(ends(m, $0)) }), [["n2", "n4"], ["n2", "n3"], ["n3", "n4"]])
        XCTAssertEqual(ring.first { Set(ends(m, $0)) == ["n2", "n4"] }?.shape.count, 1, "node 1 bends the ring")
        let street = m.streets[try XCTUnwrap(ring[0].street)]
        XCTAssertEqual(street.name, "环城路", "name:zh-Hans when there is no name")
        XCTAssertEqual(street.roman, "Huancheng Lu")
    }

    func testMotorwayIsFastOneWayAndNotForOfficersOnFoot() throws {
        let m = try imported().map
        let car = RoadGraph(map: m, profile: .car)
        let query = RouteQuery(graph: car)
        let w = LiveWeights(graph: car)
        let i20 = try XCTUnwrap(m.segments.firstIndex { $0.key == "w20" })
        let forward = try XCTUnwrap(query.fastest(from: RoadPosition(segment: i20, fraction: 0), to: RoadPosition(segment: i20, fraction: 1), weights: w))
        XCTAssertEqual(forward.seconds, m.segments[i20].lengthMeters / (112.65 / 3.6), accuracy: 0.01)
        let back = try XCTUnwrap(query.fastest(from: RoadPosition(segment: i20, fraction: 1), to: RoadPosition(segment: i20, fraction: 0), weights: w))
        XCTAssertGreaterThan(back.meters, m.segments[i20].lengthMeters * 2, "against a motorway cars go round by the links and the ring")
        let foot = RoadGraph(map: m, profile: .foot)
        XCTAssertFalse(foot.isUsable(segment: i20))
    }

    func testAreaKindsAndBuildingsOption() throws {
        let plain = try imported()
        XCTAssertEqual(Set(plain.map.areas.map(\.kind)), [.river, .square, .plaza])
        XCTAssertEqual(plain.map.areas.first { $0.kind == .river }?.name, "钱塘江")
        XCTAssertEqual(plain.report.tally.count(DropReason.buildingsSkipped), 1)
        XCTAssertEqual(plain.report.tally.count(DropReason.highwayArea), 1)
        XCTAssertFalse(plain.map.segments.contains { $0.key.hasPrefix("w33") }, "a pedestrian area is not routed")
        let withBuildings = try imported(buildings: true)
        XCTAssertEqual(Set(withBuildings.map.areas.map(\.kind)), [.river, .square, .plaza, .building])
        XCTAssertEqual(withBuildings.report.tally.count(DropReason.buildingsSkipped), 0)
    }
}
