import XCTest
import WatchroomCore
@testable import WatchroomRouting

final class TrafficTests: XCTestCase {
    func testChangeThenRevertGivesOriginalResults() {
        for seed in 0..<60 as Range<UInt64> {
            let map = TestMaps.random(seed: seed)
            var network = RoadNetwork(map: map)
            var rng = SplitMix64(seed: seed)
            let pairs = (0..<10).map { _ in (TestMaps.randomPosition(map, &rng), TestMaps.randomPosition(map, &rng)) }
            let query = RouteQuery(graph: network.car)
            let before = pairs.map { query.fastest(from: $0.0, to: $0.1, weights: network.carWeights) }
            let touched = (0..<5).map { _ in rng.nextInt(below: map.segments.count) }
            for s in touched {
                network.setCongestion(1 + rng.nextUnit() * 5, onSegment: s)
                if rng.nextUnit() < 0.5 { network.setClosed(true, segment: s) }
            }
            for s in touched {
                network.setCongestion(1, onSegment: s)
                network.setClosed(false, segment: s)
            }
            XCTAssertEqual(network.carWeights.forward, network.car.baseWeight, "seed \(seed)")
            XCTAssertEqual(network.footWeights.forward, network.foot.baseWeight, "seed \(seed)")
            let after = pairs.map { query.fastest(from: $0.0, to: $0.1, weights: network.carWeights) }
            XCTAssertEqual(before, after, "seed \(seed)")
        }
    }

    func testPatchedWeightsEqualFreshlyAppliedTraffic() {
        let map = TestMaps.random(seed: 4242)
        var network = RoadNetwork(map: map)
        var rng = SplitMix64(seed: 1)
        for _ in 0..<200 {
            let s = rng.nextInt(below: map.segments.count)
            if rng.nextUnit() < 0.2 { network.setClosed(rng.nextUnit() < 0.5, segment: s) } else {
                network.setCongestion(0.5 + rng.nextUnit() * 4, onSegment: s)
            }
        }
        let fresh = LiveWeights(graph: network.car, traffic: network.traffic)
        XCTAssertEqual(network.carWeights.forward, fresh.forward)
        XCTAssertEqual(network.carWeights.backward, fresh.backward)
        XCTAssertEqual(network.carWeights.backwardArcs, fresh.backwardArcs)
    }

    func testCongestionSlowsCarsButNotOfficersOnFoot() {
        let map = HandmadeMaps.crossroads()
        var network = RoadNetwork(map: map)
        let ab = HandmadeMaps.segment(map, "ab")
        let from = RoadPosition(segment: ab, fraction: 0.1), to = RoadPosition(segment: ab, fraction: 0.9)
        let car = RouteQuery(graph: network.car), foot = RouteQuery(graph: network.foot)
        let carBefore = car.fastest(from: from, to: to, weights: network.carWeights)?.millis
        let footBefore = foot.fastest(from: from, to: to, weights: network.footWeights)?.millis
        network.setCongestion(3, onSegment: ab)
        let carAfter = car.fastest(from: from, to: to, weights: network.carWeights)?.millis
        XCTAssertEqual(foot.fastest(from: from, to: to, weights: network.footWeights)?.millis, footBefore)
        XCTAssertEqual(carAfter.map(Double.init) ?? 0, 3 * Double(carBefore ?? 0), accuracy: 2)
    }

    func testClosureMakesRouteAvoidSegmentThenUnreachable() throws {
        let map = HandmadeMaps.crossroads()
        var network = RoadNetwork(map: map)
        let ab = HandmadeMaps.segment(map, "ab"), ab2 = HandmadeMaps.segment(map, "ab2"), be = HandmadeMaps.segment(map, "be")
        let bc = HandmadeMaps.segment(map, "bc"), cfoot = HandmadeMaps.segment(map, "cfoot")
        let a = RoadPosition(segment: ab, fraction: 0), e = RoadPosition(segment: be, fraction: 1)
        let query = RouteQuery(graph: network.car)
        let direct = try XCTUnwrap(query.fastest(from: a, to: e, weights: network.carWeights))
        XCTAssertEqual(direct.segments.map(\.segment), [ab, be])

        network.setClosed(true, segment: ab)
        let detour = try XCTUnwrap(query.fastest(from: a, to: e, weights: network.carWeights))
        XCTAssertEqual(detour.segments.map(\.segment), [ab2, be])
        XCTAssertGreaterThan(detour.millis, direct.millis)

        network.setClosed(true, segment: ab2)
        XCTAssertNil(query.fastest(from: a, to: e, weights: network.carWeights))
        // On foot there is still the footway c → a, then c → b.
        let walk = RouteQuery(graph: network.foot).fastest(from: a, to: e, weights: network.footWeights)
        XCTAssertEqual(walk?.segments.map(\.segment), [cfoot, bc, be])

        network.setClosed(false, segment: ab)
        XCTAssertEqual(query.fastest(from: a, to: e, weights: network.carWeights), direct)
    }

    func testOneWayAndSameSegmentDirection() throws {
        let map = HandmadeMaps.crossroads()
        let network = RoadNetwork(map: map)
        let eh = HandmadeMaps.segment(map, "eh")
        let query = RouteQuery(graph: network.car)
        // Along the one-way: straight there.
        let along = try XCTUnwrap(query.fastest(from: RoadPosition(segment: eh, fraction: 0.2),
                                                to: RoadPosition(segment: eh, fraction: 0.8), weights: network.carWeights))
        XCTAssertEqual(along.segments.count, 1)
        XCTAssertEqual(along.meters, 60, accuracy: 1e-9)
        // Against it: h is a dead end for cars, so no way back.
        XCTAssertNil(query.fastest(from: RoadPosition(segment: eh, fraction: 0.8),
                                   to: RoadPosition(segment: eh, fraction: 0.2), weights: network.carWeights))
        // On foot the one-way does not apply.
        let walk = RouteQuery(graph: network.foot).fastest(from: RoadPosition(segment: eh, fraction: 0.8),
                                                           to: RoadPosition(segment: eh, fraction: 0.2), weights: network.footWeights)
        XCTAssertEqual(walk?.meters ?? 0, 60, accuracy: 1e-9)
        XCTAssertEqual(walk?.seconds ?? 0, 60 / RoutingProfile.footSpeedMetersPerSecond, accuracy: 0.001)
        // A car on the footway can only leave it where it ends.
        let cfoot = HandmadeMaps.segment(map, "cfoot")
        XCTAssertNil(query.fastest(from: RoadPosition(segment: cfoot, fraction: 0.5), to: RoadPosition(segment: eh, fraction: 0.5),
                                   weights: network.carWeights))
        XCTAssertNotNil(query.fastest(from: RoadPosition(segment: cfoot, fraction: 0), to: RoadPosition(segment: eh, fraction: 0.5),
                                      weights: network.carWeights))
    }
}

final class NearestUnitsReuseTests: XCTestCase {
    /// The query reuses its unit entries while units and weights stay the same; any change
    /// to either must be seen.
    func testTrafficAndUnitChangesBetweenQueriesAreSeen() {
        for seed in 0..<40 as Range<UInt64> {
            let map = TestMaps.random(seed: seed)
            var network = RoadNetwork(map: map)
            var rng = SplitMix64(seed: seed &+ 5)
            let query = NearestUnitsQuery(graph: network.car)
            var units = (0..<8).map { _ in TestMaps.randomPosition(map, &rng) }
            for step in 0..<12 {
                let incident = TestMaps.randomPosition(map, &rng)
                switch step % 3 {
                case 0: network.setCongestion(1 + rng.nextUnit() * 4, onSegment: rng.nextInt(below: map.segments.count))
                case 1: network.setClosed(rng.nextUnit() < 0.5, segment: rng.nextInt(below: map.segments.count))
                default: units[rng.nextInt(below: units.count)] = TestMaps.randomPosition(map, &rng)
                }
                let reference = Reference(map: map, profile: .car, traffic: network.traffic)
                let expected = units.indices
                    .compactMap { i in reference.fastest(units[i], incident).map { (unit: i, millis: $0) } }
                    .sorted { ($0.millis, $0.unit) < ($1.millis, $1.unit) }
                    .prefix(3)
                for _ in 0..<2 {   // the second run reuses the entries
                    let ranked = query.nearest(3, of: units, to: incident, weights: network.carWeights)
                    XCTAssertEqual(ranked.map(\.unit), expected.map(\.unit), "seed \(seed) step \(step)")
                    XCTAssertEqual(ranked.map { UInt64($0.millis) }, expected.map(\.millis), "seed \(seed) step \(step)")
                }
            }
        }
    }

    func testWeightsVersionChangesWithEveryUpdate() {
        let map = TestMaps.random(seed: 1)
        var network = RoadNetwork(map: map)
        var seen: Set<UInt64> = [network.carWeights.version]
        for s in 0..<min(20, map.segments.count) {
            network.setCongestion(2, onSegment: s)
            XCTAssertTrue(seen.insert(network.carWeights.version).inserted)
        }
        XCTAssertNotEqual(LiveWeights(graph: network.car).version, LiveWeights(graph: network.car).version)
    }
}
