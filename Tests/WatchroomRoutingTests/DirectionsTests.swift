import XCTest
import WatchroomCore
@testable import WatchroomRouting

final class DirectionsTests: XCTestCase {
    let map = HandmadeMaps.crossroads()

    private func route(_ from: String, _ f: Double, _ to: String, _ g: Double, profile: RoutingProfile = .car) throws -> Route {
        let graph = RoadGraph(map: map, profile: profile)
        return try XCTUnwrap(RouteQuery(graph: graph).fastest(
            from: RoadPosition(segment: HandmadeMaps.segment(map, from), fraction: f),
            to: RoadPosition(segment: HandmadeMaps.segment(map, to), fraction: g), weights: LiveWeights(graph: graph)))
    }

    func testLeftTurn() throws {
        let r = try route("ab", 0.5, "bc", 0.5)
        XCTAssertEqual(r.steps.map(\.instruction), [
            "Head north on 永平门街 (Yongping Gate Street)",
            "Turn left onto 江北城大街 (Jiangbeicheng Avenue)",
            "Arrive at destination",
        ])
        XCTAssertEqual(r.steps.map(\.turn), [.depart, .left, .arrive])
        XCTAssertEqual(r.steps[0].meters, 50, accuracy: 1e-9)
        XCTAssertEqual(r.steps[1].meters, 50, accuracy: 1e-9)
        XCTAssertEqual(r.meters, 100, accuracy: 1e-9)
        XCTAssertEqual(r.steps[1].location, Point(x: 0, y: 100))
        XCTAssertEqual(r.polyline, [Point(x: 0, y: 50), Point(x: 0, y: 100), Point(x: -50, y: 100)])
    }

    func testRightTurn() throws {
        let r = try route("ab", 0, "bd", 1)
        XCTAssertEqual(r.steps.map(\.instruction), [
            "Head north on 永平门街 (Yongping Gate Street)",
            "Turn right onto 江北城大街 (Jiangbeicheng Avenue)",
            "Arrive at destination",
        ])
        XCTAssertEqual(r.seconds, r.steps.reduce(0) { $0 + $1.seconds }, accuracy: 0.0011)
    }

    func testSameStreetMergesAndStraightContinues() throws {
        let r = try route("ab", 0, "ef", 0.5)
        XCTAssertEqual(r.segments.count, 3)
        XCTAssertEqual(r.steps.map(\.instruction), [
            "Head north on 永平门街 (Yongping Gate Street)",
            "Continue onto 新华路 (Xinhua Road)",
            "Arrive at destination",
        ])
        XCTAssertEqual(r.steps[0].meters, 200, accuracy: 1e-9)
        XCTAssertEqual(r.steps[1].meters, 50, accuracy: 1e-9)
    }

    func testTurnAnglesComeFromShapePoints() throws {
        // b → g leaves b heading north (its first shape point is straight ahead), though g lies north-west.
        let r = try route("ab", 0.5, "bg", 1)
        XCTAssertEqual(r.steps.map(\.turn), [.depart, .straight, .arrive])
        XCTAssertEqual(r.steps[1].instruction, "Continue onto 小路")
        XCTAssertEqual(r.polyline, [Point(x: 0, y: 50), Point(x: 0, y: 100), Point(x: 0, y: 150), Point(x: -100, y: 160)])
        // Coming back from g, the heading at b is south, so turning onto 江北城大街 towards d is a left.
        let back = try route("bg", 1, "bd", 1)
        XCTAssertEqual(back.steps.map(\.turn), [.depart, .left, .arrive])
        XCTAssertEqual(back.steps[0].instruction, "Head east on 小路")
    }

    func testHeadingWordsAndUnnamedRoads() throws {
        let r = try route("bc", 1, "ab2", 0.5)
        XCTAssertEqual(r.steps.first?.instruction, "Head east on 江北城大街 (Jiangbeicheng Avenue)")
        XCTAssertEqual(r.steps.last?.streetName, "unnamed road")
        XCTAssertEqual(Turn.classify(headingChange: 0), .straight)
        XCTAssertEqual(Turn.classify(headingChange: -45), .slightLeft)
        XCTAssertEqual(Turn.classify(headingChange: 135), .sharpRight)
        XCTAssertEqual(Turn.classify(headingChange: 180), .uTurn)
        XCTAssertEqual(Directions.compassWord(44), "northeast")
        XCTAssertEqual(Directions.compassWord(359), "north")
        XCTAssertEqual(Directions.compassWord(225), "southwest")
    }

    func testSamePlaceIsAnEmptyRoute() throws {
        let r = try route("ab", 0.3, "ab", 0.3)
        XCTAssertEqual(r.millis, 0)
        XCTAssertEqual(r.meters, 0)
        XCTAssertEqual(r.steps.map(\.turn), [.depart, .arrive])
    }
}
