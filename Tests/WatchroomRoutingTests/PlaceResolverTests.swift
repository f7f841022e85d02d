import XCTest
import WatchroomCore
@testable import WatchroomRouting

final class PlaceResolverTests: XCTestCase {
    let map = HandmadeMaps.crossroads()
    lazy var car = PlaceResolver(map: map, profile: .car)
    lazy var foot = PlaceResolver(map: map, profile: .foot)

    private func seg(_ key: String) -> Int { HandmadeMaps.segment(map, key) }

    func testAddresses() throws {
        for text in ["永平门街 18", "永平门街18号", "永平门街 18 号", "18 Yongping Gate Street", "18 yongping gate street",
                     "YONGPING GATE STREET 18", "No. 18 Yongping Gate St".replacingOccurrences(of: " St", with: " Street")] {
            let p = try car.resolve(text)
            XCTAssertEqual(p.label, "永平门街 (Yongping Gate Street) 18", text)
            XCTAssertEqual(p.point, Point(x: 8, y: 40), text)
            // Snapped to its own street (ab), not the nearer-looking service road.
            XCTAssertEqual(p.position.segment, seg("ab"), text)
            XCTAssertEqual(p.position.fraction, 0.4, accuracy: 1e-9, text)
        }
        let dashed = try car.resolve("新华路 3-1")
        XCTAssertEqual(dashed.position.segment, seg("ef"))
        XCTAssertEqual(dashed.position.fraction, 0.5, accuracy: 1e-9)
    }

    func testPointsPartWayAlongASegment() throws {
        // bg runs b (0,100) → (0,150) → g (-100,160): 50 m, then about 100.5 m.
        let p = try car.resolve("bg@0.25")
        XCTAssertEqual(p.position, RoadPosition(segment: seg("bg"), fraction: 0.25))
        let total = 50 + Point(x: 0, y: 150).distance(to: Point(x: -100, y: 160))
        XCTAssertEqual(p.point.x, 0, accuracy: 1e-9)
        XCTAssertEqual(p.point.y, 100 + total * 0.25, accuracy: 1e-9, "measured from the first node along the shape")
        XCTAssertEqual(try car.resolve("ab@0").point, Point(x: 0, y: 0))
        XCTAssertEqual(try car.resolve("ab@1").point, Point(x: 0, y: 100))
        // A footway for a car: the nearest road a car may use.
        let walkway = try car.resolve("cfoot@0.5")
        XCTAssertNotEqual(walkway.position.segment, seg("cfoot"))
        XCTAssertEqual(try foot.resolve("cfoot@0.5").position, RoadPosition(segment: seg("cfoot"), fraction: 0.5))
        XCTAssertThrowsError(try car.resolve("ab@1.01")) { XCTAssertEqual($0 as? PlaceError, .badFraction("ab@1.01")) }
        XCTAssertThrowsError(try car.resolve("ab@nan")) { XCTAssertEqual($0 as? PlaceError, .badFraction("ab@nan")) }
        XCTAssertThrowsError(try car.resolve("zz@0.5")) { XCTAssertEqual($0 as? PlaceError, .unknownSegment("zz")) }
    }

    func testUnknownHouseNumberListsKnownOnes() {
        XCTAssertThrowsError(try car.resolve("永平门街 99")) { error in
            XCTAssertEqual(error as? PlaceError, .unknownNumber(street: "永平门街 (Yongping Gate Street)", number: "99", known: ["18", "20"]))
            XCTAssertEqual("\(error)", "永平门街 (Yongping Gate Street) has no number 99; known numbers: 18, 20")
        }
    }

    func testLandmarks() throws {
        let school = try car.resolve("江北城小学")
        XCTAssertEqual(school.label, "江北城小学 (Jiangbeicheng Primary School)")
        XCTAssertEqual(school.point, Point(x: 60, y: 90))
        XCTAssertEqual(school.position.segment, seg("bd"))
        XCTAssertEqual(school.position.fraction, 0.6, accuracy: 1e-9)
        XCTAssertEqual(try car.resolve("jiangbeicheng  PRIMARY school").label, school.label)
        XCTAssertEqual(try car.resolve("primary").label, school.label)
        XCTAssertEqual(try car.resolve("永平门").label, "永平门 (Yongping Gate)")
        XCTAssertEqual(try car.resolve("Jiangbeicheng Police Station").label, "江北城派出所 (Jiangbeicheng Police Station)")
        XCTAssertThrowsError(try car.resolve("school")) { error in
            XCTAssertEqual(error as? PlaceError, .ambiguous("school", candidates: [
                "江北城小学 (Jiangbeicheng Primary School)", "江北城中学 (Jiangbeicheng Middle School)"]))
            XCTAssertEqual("\(error)", "\"school\" is ambiguous: it could be 江北城小学 (Jiangbeicheng Primary School), "
                + "江北城中学 (Jiangbeicheng Middle School); type more of the name")
        }
    }

    func testNodeIds() throws {
        let b = try car.resolve("b")
        XCTAssertEqual(b.label, "永平门街 (Yongping Gate Street) & 江北城大街 (Jiangbeicheng Avenue) & 小路 (b)")
        XCTAssertEqual(b.point, Point(x: 0, y: 100))
        let s = map.segments[b.position.segment]
        XCTAssertEqual(b.position.fraction == 0 ? s.from : s.to, 1)
        XCTAssertEqual(try car.resolve("E").point, Point(x: 0, y: 200))
    }

    func testIntersectionsByStreetNames() throws {
        for text in ["永平门街 & 江北城大街", "永平门街/江北城大街", "Yongping Gate Street and Jiangbeicheng Avenue",
                     "yongping gate street & 江北城大街"] {
            let p = try car.resolve(text)
            XCTAssertEqual(p.point, Point(x: 0, y: 100), text)
            XCTAssertEqual(p.label, "永平门街 (Yongping Gate Street) & 江北城大街 (Jiangbeicheng Avenue)", text)
        }
        XCTAssertEqual(try car.resolve("新华路 & 永平门街").point, Point(x: 0, y: 200))
        XCTAssertThrowsError(try car.resolve("新华路 & 小路")) { error in
            XCTAssertEqual(error as? PlaceError, .streetsDoNotMeet("新华路 (Xinhua Road)", "小路"))
            XCTAssertEqual("\(error)", "新华路 (Xinhua Road) and 小路 do not meet")
        }
        XCTAssertThrowsError(try car.resolve("新华路 & 长江路")) { error in
            XCTAssertEqual("\(error)", "no street called \"长江路\" on this map")
        }
    }

    func testCoordinatesSnapToTheProfilesRoads() throws {
        let p = try car.resolve("100, 8")
        XCTAssertEqual(p.label, "100,8")
        XCTAssertEqual(p.point, Point(x: 100, y: 8))
        // The footway c–a is nearest to (-45,50), but cars cannot use it.
        let nearFootway = Point(x: -45, y: 50)
        XCTAssertEqual(foot.snap(nearFootway)?.segment, seg("cfoot"))
        XCTAssertNotEqual(car.snap(nearFootway)?.segment, seg("cfoot"))
        XCTAssertEqual(try car.resolve("-45,50").position.segment, seg("ab2"))
        XCTAssertEqual(try car.resolve("12.5,-3").label, "12.5,-3")
    }

    func testNoMatchAndEmpty() {
        XCTAssertThrowsError(try car.resolve("foo")) { error in
            XCTAssertEqual(error as? PlaceError, .noMatch("foo"))
            XCTAssertEqual("\(error)", "no place matches \"foo\"; try an address like \"永平门街 18\", a landmark, a node id, \"street & street\" or x,y")
        }
        XCTAssertThrowsError(try car.resolve("   ")) { XCTAssertEqual($0 as? PlaceError, .empty) }
        XCTAssertThrowsError(try PlaceResolver.resolve("火星", map: map, profile: .foot)) {
            XCTAssertEqual($0 as? PlaceError, .noMatch("火星"))
        }
    }

    func testSnapMatchesBruteForceOnAGeneratedCity() {
        let city = CityGenerator.generate(intersections: 2_500, seed: 5)
        let resolver = PlaceResolver(map: city, profile: .car)
        var rng = SplitMix64(seed: 9)
        let bounds = city.bounds
        for _ in 0..<300 {
            let p = Point(x: bounds.min.x - 200 + rng.nextUnit() * (bounds.width + 400),
                          y: bounds.min.y - 200 + rng.nextUnit() * (bounds.height + 400))
            let best = city.segments.indices.map { Polyline.project(p, onto: city.polyline(ofSegment: $0)).distance }.min() ?? 0
            guard let hit = resolver.snap(p) else { return XCTFail("no snap") }
            let got = Polyline.project(p, onto: city.polyline(ofSegment: hit.segment)).distance
            XCTAssertEqual(got, best, accuracy: 1e-6)
        }
    }
}
