import XCTest
import WatchroomCore
@testable import WatchroomRouting

/// The CSR graph and every query against the naive reference on many small seeded maps.
final class BruteForceTests: XCTestCase {
    static let graphs: UInt64 = 300

    func testFastestMatchesReference() {
        var checked = 0, reachable = 0
        for seed in 0..<Self.graphs {
            let map = TestMaps.random(seed: seed)
            var rng = SplitMix64(seed: seed &* 7919 &+ 1)
            let traffic = rng.nextUnit() < 0.7 ? TestMaps.randomTraffic(map, &rng) : Traffic(map: map)
            for profile in RoutingProfile.allCases {
                let graph = RoadGraph(map: map, profile: profile)
                let weights = LiveWeights(graph: graph, traffic: traffic)
                let reference = Reference(map: map, profile: profile, traffic: traffic)
                let query = RouteQuery(graph: graph)
                for k in 0..<12 {
                    let a = TestMaps.randomPosition(map, &rng)
                    var b = TestMaps.randomPosition(map, &rng)
                    if k % 4 == 0 { b.segment = a.segment }   // same-segment cases
                    let expected = reference.fastest(a, b)
                    let route = query.fastest(from: a, to: b, weights: weights)
                    XCTAssertEqual(route.map { UInt64($0.millis) }, expected, "seed \(seed) \(profile) \(a) → \(b)")
                    if let route { check(route, a, b, map, seed); reachable += 1 }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(reachable, checked / 3, "the random maps should mostly be routable")
    }

    /// A route is a chain of stretches from `a` to `b` whose times and lengths add up.
    private func check(_ route: Route, _ a: RoadPosition, _ b: RoadPosition, _ map: PrecinctMap, _ seed: UInt64) {
        XCTAssertFalse(route.segments.isEmpty)
        XCTAssertEqual(route.segments.reduce(UInt32(0)) { $0 + $1.millis }, route.millis, "seed \(seed)")
        XCTAssertEqual(route.segments.reduce(0.0) { $0 + $1.meters }, route.meters, accuracy: 1e-6, "seed \(seed)")
        func endNode(_ s: RouteSegment) -> Int { s.endFraction >= 1 ? map.segments[s.segment].to : map.segments[s.segment].from }
        func startNode(_ s: RouteSegment) -> Int { s.startFraction >= 1 ? map.segments[s.segment].to : map.segments[s.segment].from }
        for i in route.segments.indices.dropFirst() {
            XCTAssertEqual(endNode(route.segments[i - 1]), startNode(route.segments[i]), "seed \(seed): stretches must meet")
        }
        // The geometry runs from the source's point to the target's (a loop's ends coincide).
        let start = Polyline.point(map.polyline(ofSegment: a.segment), atFraction: a.fraction)
        let end = Polyline.point(map.polyline(ofSegment: b.segment), atFraction: b.fraction)
        if let first = route.polyline.first, let last = route.polyline.last {
            XCTAssertLessThan(first.distance(to: start), 1e-6, "seed \(seed): route starts at the source")
            XCTAssertLessThan(last.distance(to: end), 1e-6, "seed \(seed): route ends at the target")
        }
        XCTAssertEqual(route.steps.first?.turn, .depart)
        XCTAssertEqual(route.steps.last?.turn, .arrive)
        XCTAssertGreaterThanOrEqual(route.polyline.count, 2)
    }

    func testOneToAllMatchesReference() {
        for seed in 0..<Self.graphs {
            let map = TestMaps.random(seed: seed)
            var rng = SplitMix64(seed: seed &+ 1_000_003)
            let traffic = TestMaps.randomTraffic(map, &rng)
            for profile in RoutingProfile.allCases {
                let graph = RoadGraph(map: map, profile: profile)
                let weights = LiveWeights(graph: graph, traffic: traffic)
                let reference = Reference(map: map, profile: profile, traffic: traffic)
                let query = OneToAllQuery(graph: graph)
                for _ in 0..<3 {
                    let p = TestMaps.randomPosition(map, &rng)
                    query.run(from: p, weights: weights)
                    let expected = reference.distances(reference.sources(p)).map { $0 == .max ? UInt32.max : UInt32($0) }
                    XCTAssertEqual(query.distances, expected, "seed \(seed) \(profile) from \(p)")
                    let node = rng.nextInt(below: map.intersections.count)
                    query.run(fromNode: node, weights: weights)
                    let fromNode = reference.distances([(node, 0)]).map { $0 == .max ? UInt32.max : UInt32($0) }
                    XCTAssertEqual(query.distances, fromNode, "seed \(seed) \(profile) from node \(node)")
                }
            }
        }
    }

    func testNearestUnitsMatchesReference() {
        for seed in 0..<Self.graphs {
            let map = TestMaps.random(seed: seed)
            var rng = SplitMix64(seed: seed &+ 77)
            let traffic = rng.nextUnit() < 0.6 ? TestMaps.randomTraffic(map, &rng) : Traffic(map: map)
            for profile in RoutingProfile.allCases {
                let graph = RoadGraph(map: map, profile: profile)
                let weights = LiveWeights(graph: graph, traffic: traffic)
                let reference = Reference(map: map, profile: profile, traffic: traffic)
                let query = NearestUnitsQuery(graph: graph)
                let routes = RouteQuery(graph: graph)
                for _ in 0..<3 {
                    // Units and scenes off the road half the time: leg + road + leg.
                    let incident = TestMaps.randomAccess(map, &rng)
                    var units = (0..<(1 + rng.nextInt(below: 12))).map { _ in TestMaps.randomAccess(map, &rng) }
                    if rng.nextUnit() < 0.5 {
                        units.append(RoadAccess(position: RoadPosition(segment: incident.position.segment, fraction: rng.nextUnit()),
                                                offRoadMeters: rng.nextUnit() < 0.5 ? 0 : rng.nextUnit() * 50))
                    }
                    if rng.nextUnit() < 0.3, let u = units.first { units.append(u) }   // two units at one place
                    let count = 1 + rng.nextInt(below: 5)
                    let expected = units.indices
                        .compactMap { i in reference.fastest(units[i], incident).map { (unit: i, millis: $0) } }
                        .sorted { ($0.millis, $0.unit) < ($1.millis, $1.unit) }
                        .prefix(count)
                    let ranked = query.nearest(count, of: units, to: incident, weights: weights)
                    XCTAssertEqual(ranked.map(\.unit), expected.map(\.unit), "seed \(seed) \(profile)")
                    XCTAssertEqual(ranked.map { UInt64($0.millis) }, expected.map(\.millis), "seed \(seed) \(profile)")
                    // Metres belong to a fastest path: a path no shorter in time than the route's,
                    // plus both legs.
                    for r in ranked {
                        let legs = units[r.unit].offRoadMeters + incident.offRoadMeters
                        XCTAssertEqual(r.offRoadMeters, legs, accuracy: 1e-9, "seed \(seed)")
                        XCTAssertTrue(r.meters.isFinite && r.meters >= legs)
                        let route = routes.fastest(from: units[r.unit].position, to: incident.position, weights: weights)
                        XCTAssertEqual(route.map { UInt64($0.millis) + Reference.leg(units[r.unit].offRoadMeters) + Reference.leg(incident.offRoadMeters) },
                                       UInt64(r.millis))
                        if let route, abs(route.meters + legs - r.meters) > 1e-6 {
                            // Equal-time alternatives may differ in length; both must be real paths.
                            XCTAssertLessThanOrEqual(r.meters - legs, Polyline.length(route.polyline) * 100 + 1e4)
                        }
                    }
                }
            }
        }
    }

    func testGraphShapeMatchesSegments() {
        for seed in 0..<50 as Range<UInt64> {
            let map = TestMaps.random(seed: seed)
            for profile in RoutingProfile.allCases {
                let graph = RoadGraph(map: map, profile: profile)
                let reference = Reference(map: map, profile: profile, traffic: Traffic(map: map))
                XCTAssertEqual(graph.arcCount, reference.arcs.count)
                XCTAssertEqual(graph.nodeCount, map.intersections.count)
                for a in 0..<graph.arcCount {
                    let s = map.segments[graph.segment(ofArc: a)]
                    let forward = graph.isForward(arc: a)
                    XCTAssertEqual(graph.tail(ofArc: a), forward ? s.from : s.to)
                    XCTAssertEqual(Int(graph.head[a]), forward ? s.to : s.from)
                    XCTAssertEqual(graph.arc(segment: graph.segment(ofArc: a), forward: forward), a)
                }
                for b in 0..<graph.arcCount {
                    XCTAssertEqual(graph.backHead[b], UInt32(graph.tail(ofArc: Int(graph.backArc[b]))))
                }
            }
        }
    }
}
