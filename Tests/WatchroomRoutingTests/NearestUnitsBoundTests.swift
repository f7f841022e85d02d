import XCTest
import WatchroomCore
@testable import WatchroomRouting

/// The goal-directed nearest-units search against brute force where its bound could go
/// wrong: few candidate entries (restarts, excluded entries), faster-than-base traffic,
/// segments shorter than the straight line between their ends, maps without usable
/// coordinates, units on the incident's segment, ties, closed roads and one-way streets.
final class NearestUnitsBoundTests: XCTestCase {
    /// Ranks every unit by the reference's time, ties by index.
    private func expected(_ reference: Reference, _ units: [RoadAccess], _ incident: RoadAccess, _ count: Int)
        -> [(unit: Int, millis: UInt64)] {
        Array(units.indices
            .compactMap { i in reference.fastest(units[i], incident).map { (unit: i, millis: $0) } }
            .sorted { ($0.millis, $0.unit) < ($1.millis, $1.unit) }
            .prefix(count))
    }

    private func check(_ map: PrecinctMap, traffic: Traffic, seed: UInt64, limits: [Int], rounds: Int, withLegs: Bool = false,
                       file: StaticString = #filePath, line: UInt = #line) -> Int {
        var rng = SplitMix64(seed: seed &* 31 &+ 5)
        var restarts = 0
        for profile in RoutingProfile.allCases {
            let graph = RoadGraph(map: map, profile: profile)
            let weights = LiveWeights(graph: graph, traffic: traffic)
            let reference = Reference(map: map, profile: profile, traffic: traffic)
            let query = NearestUnitsQuery(graph: graph)
            for _ in 0..<rounds {
                // Off-road legs change every unit's time but not the road part: the bound
                // must stay a lower bound and the candidates' order may differ from the road's.
                let incident = withLegs ? TestMaps.randomAccess(map, &rng) : RoadAccess(position: TestMaps.randomPosition(map, &rng))
                var units = (0..<(1 + rng.nextInt(below: 24))).map { _ in
                    withLegs ? TestMaps.randomAccess(map, &rng) : RoadAccess(position: TestMaps.randomPosition(map, &rng))
                }
                for _ in 0..<rng.nextInt(below: 3) {
                    units.append(RoadAccess(position: RoadPosition(segment: incident.position.segment, fraction: rng.nextUnit()),
                                            offRoadMeters: withLegs ? rng.nextUnit() * 300 : 0))
                }
                if rng.nextUnit() < 0.3 { units.append(incident) }
                if rng.nextUnit() < 0.4, let u = units.first { units.append(u) }   // a tie
                let count = 1 + rng.nextInt(below: 6)
                let want = expected(reference, units, incident, count)
                for limit in limits {
                    query.candidateLimit = limit
                    let ranked = query.nearest(count, of: units, to: incident, weights: weights)
                    XCTAssertEqual(ranked.map(\.unit), want.map(\.unit), "seed \(seed) \(profile) limit \(limit)", file: file, line: line)
                    XCTAssertEqual(ranked.map { UInt64($0.millis) }, want.map(\.millis), "seed \(seed) \(profile) limit \(limit)",
                                   file: file, line: line)
                    restarts += query.restarts
                }
            }
        }
        return restarts
    }

    func testFewCandidatesMatchReference() {
        var restarts = 0
        for seed in 0..<600 as Range<UInt64> {
            let map = TestMaps.random(seed: seed)
            var rng = SplitMix64(seed: seed &+ 4242)
            // Factors from 0.5 (faster than free flow) to 4, and closed roads.
            let traffic = rng.nextUnit() < 0.7 ? TestMaps.randomTraffic(map, &rng) : Traffic(map: map)
            restarts += check(map, traffic: traffic, seed: seed, limits: [1, 2, 3, 8, 32], rounds: 3)
        }
        XCTAssertGreaterThan(restarts, 0, "small candidate limits should make some queries start again")
    }

    /// Units and scenes off the road: a far unit with a short leg must beat a near one with a
    /// long leg, with few candidates (restarts) and with traffic faster than free flow.
    func testOffRoadLegsMatchReference() {
        var restarts = 0
        for seed in 0..<400 as Range<UInt64> {
            let map = TestMaps.random(seed: seed)
            var rng = SplitMix64(seed: seed &+ 8484)
            let traffic = rng.nextUnit() < 0.7 ? TestMaps.randomTraffic(map, &rng) : Traffic(map: map)
            restarts += check(map, traffic: traffic, seed: seed, limits: [1, 2, 8, 32], rounds: 3, withLegs: true)
        }
        XCTAssertGreaterThan(restarts, 0, "small candidate limits should make some queries start again")
    }

    /// Segments whose recorded length is far shorter than the straight line between their
    /// ends (a tunnel drawn from end to end, a bad import): the speed bound must come from the
    /// weights, not from road classes.
    func testSegmentsShorterThanTheirStraightLine() {
        for seed in 0..<300 as Range<UInt64> {
            var map = TestMaps.random(seed: seed)
            var rng = SplitMix64(seed: seed &+ 99)
            for s in map.segments.indices where rng.nextUnit() < 0.25 {
                map.segments[s].lengthMeters = Swift.max(0.5, map.segments[s].lengthMeters * 0.02)
            }
            let traffic = rng.nextUnit() < 0.5 ? TestMaps.randomTraffic(map, &rng) : Traffic(map: map)
            _ = check(map, traffic: traffic, seed: seed, limits: [1, 4, 32], rounds: 3)
        }
    }

    /// Every intersection at one point: no straight-line bound exists, the search is plain.
    func testMapWithoutUsableCoordinates() {
        for seed in 0..<40 as Range<UInt64> {
            var map = TestMaps.random(seed: seed)
            for i in map.intersections.indices { map.intersections[i].position = Point(x: 5, y: 5) }
            _ = check(map, traffic: Traffic(map: map), seed: seed, limits: [1, 32], rounds: 2)
        }
    }

    /// A generated city (one-way streets, arterials) with traffic, some of it faster than
    /// free flow, and closures: the top 5 of 150 units against one route query per unit.
    func testGeneratedCityMatchesRouteQueries() {
        let map = CityGenerator.generate(intersections: 2_500, seed: 7)
        var rng = SplitMix64(seed: 2024)
        var traffic = Traffic(map: map)
        for s in map.segments.indices {
            let r = rng.nextUnit()
            if r < 0.05 { traffic.setFactor(0.6, forSegment: s) } else if r < 0.3 { traffic.setFactor(1 + 2 * rng.nextUnit(), forSegment: s) }
            if rng.nextUnit() < 0.02 { traffic.setClosed(true, segment: s) }
        }
        let graph = RoadGraph(map: map, profile: .car)
        let weights = LiveWeights(graph: graph, traffic: traffic)
        let routes = RouteQuery(graph: graph)
        let query = NearestUnitsQuery(graph: graph)
        let usable = map.segments.indices.filter { graph.isUsable(segment: $0) }
        func position() -> RoadPosition { RoadPosition(segment: usable[rng.nextInt(below: usable.count)], fraction: rng.nextUnit()) }
        var units = (0..<150).map { _ in position() }
        units.append(units[3])                                  // two units at one place
        units.append(RoadPosition(segment: 0, fraction: 0.5))   // possibly closed or one-way
        for round in 0..<12 {
            let incident = position()
            if round % 3 == 0 { units[10] = RoadPosition(segment: incident.segment, fraction: rng.nextUnit()) }
            let want = units.indices
                .compactMap { i in routes.fastest(from: units[i], to: incident, weights: weights).map { (unit: i, millis: $0.millis) } }
                .sorted { ($0.millis, $0.unit) < ($1.millis, $1.unit) }
                .prefix(5)
            for limit in [2, 32] {
                query.candidateLimit = limit
                let ranked = query.nearest(5, of: units, to: incident, weights: weights)
                XCTAssertEqual(ranked.map(\.unit), want.map(\.unit), "round \(round) limit \(limit)")
                XCTAssertEqual(ranked.map(\.millis), want.map(\.millis), "round \(round) limit \(limit)")
                for r in ranked {
                    let route = routes.fastest(from: units[r.unit], to: incident, weights: weights)
                    XCTAssertEqual(route?.millis, r.millis)
                    XCTAssertTrue(r.meters.isFinite && r.meters >= 0)
                }
            }
        }
    }
}
