import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomRouting
import WatchroomTestSupport
import XCTest

/// RoutingCore's one-search ranking against every available unit routed one by one.
final class DispatchRecommendationTests: XCTestCase {
    func testRecommendationMatchesBruteForceOnSeededRandomSituations() throws {
        let map = try TestMaps.jiangbei()
        let bounds = map.bounds
        let checker = DispatchRouting(map: map)
        var situations = 0, compared = 0, offRoad = 0
        for seed in UInt64(1)...60 {
            var rng = SplitMix64(seed: seed &* 0x9E37_79B9)
            var core = RoutingCore(map: map, recommendCount: 6)
            var seq: UInt64 = 0
            let t0 = Date(timeIntervalSince1970: 1_795_000_000)
            func feed(_ e: Event) -> [Event] {
                seq += 1
                return core.handle(EventEnvelope(seq: seq, time: t0.addingTimeInterval(Double(seq)), event: e))
            }
            func randomPoint() -> Point {
                Point(x: bounds.min.x + rng.nextUnit() * bounds.width, y: bounds.min.y + rng.nextUnit() * bounds.height)
            }
            _ = feed(.shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: map.timeZone, mode: .drill, seed: seed)))
            let unitCount = 8 + rng.nextInt(below: 25)
            for k in 0..<unitCount {
                let kind: UnitKind = rng.nextInt(below: 2) == 0 ? .car : .officerOnFoot
                _ = feed(.unitRegistered(UnitRegistered(id: UnitID(String(format: "U%02d", k)), kind: kind, home: randomPoint())))
                if rng.nextInt(below: 6) == 0 {
                    _ = feed(.unitStatus(UnitStatusChange(unit: UnitID(String(format: "U%02d", k)), status: .outOfService)))
                }
            }
            // Some traffic: slowed and closed segments.
            for _ in 0..<rng.nextInt(below: 6) {
                let s = map.segments[rng.nextInt(below: map.segments.count)]
                let closed = rng.nextInt(below: 3) == 0
                _ = feed(.trafficChanged(TrafficChanged(segment: SegmentKey(s.key), factor: closed ? 1 : 1 + rng.nextUnit() * 3, closed: closed)))
            }
            let id = IncidentID("I\(seed)")
            let replies = feed(.incidentReported(IncidentReported(id: id, category: .other, priority: 2, summary: "",
                                                                  place: "random", point: randomPoint())))
            guard case .unitsRecommended(let rec)? = replies.first else { return XCTFail("seed \(seed): no recommendation") }
            let brute = checker.rankAll(for: id, in: core.state)
            let top = Array(brute.prefix(6))
            XCTAssertEqual(rec.ranked.map(\.unit), top.map(\.unit), "seed \(seed)")
            XCTAssertEqual(rec.ranked.map(\.seconds), top.map(\.seconds), "seed \(seed): times")
            for (a, b) in zip(rec.ranked, top) {
                XCTAssertEqual(a.straightLineMeters, b.straightLineMeters, accuracy: 1e-9)
                XCTAssertEqual(a.meters, b.meters, accuracy: 0.5, "seed \(seed) \(a.unit)")
                XCTAssertEqual(a.offRoadMeters, b.offRoadMeters, accuracy: 1e-9, "seed \(seed) \(a.unit)")
                // Legs count: never shorter than the straight line (each rounded to 0.1 m).
                XCTAssertGreaterThanOrEqual(a.meters, a.straightLineMeters - 0.1, "seed \(seed) \(a.unit)")
            }
            offRoad += rec.ranked.filter { $0.offRoadMeters > 20 }.count
            // The one-key dispatch sends what the plan chooses from the full reference ranking.
            let plan = ResponsePlan.plan(for: try XCTUnwrap(core.state.incidents[id]))
            let want = ResponsePlanner.choose(plan: plan, ranked: brute, units: core.state.units)
            let outcome = try CommandExecutor(routing: checker)
                .execute(line: "dispatch \(id)", state: core.state, context: CommandContext(now: t0)).get()
            guard case .dispatch(let order)? = outcome.events.first else { return XCTFail("seed \(seed): no dispatch") }
            XCTAssertEqual(order.units, want, "seed \(seed): dispatch")
            situations += 1
            compared += top.count
        }
        XCTAssertGreaterThanOrEqual(situations, 50)
        XCTAssertGreaterThan(compared, 250)
        XCTAssertGreaterThan(offRoad, 20, "random places should often lie off the road")
    }

    func testViewFlagsWhenTheCrowFliesNearestIsNotTheFastest() throws {
        let map = try TestMaps.jiangbei()
        // The 石门溪 footbridge (n53–n54): a car at its west end is nearest as the crow flies
        // to n54 but must drive round; an officer on foot a little further walks across.
        let n53 = map.intersections[TestMaps.node("n53", in: map)].position
        let n54 = map.intersections[TestMaps.node("n54", in: map)].position
        let h = DispatchHarness(map: map)
        h.register("car-west", .car, at: n53)
        h.register("foot-west", .officerOnFoot, at: Point(x: n53.x - 30, y: n53.y))
        h.publish(.incidentReported(IncidentReported(id: "I1", category: .dispute, priority: 1, summary: "", place: "n54", point: n54)))
        let view = RecommendationView.make(incident: "I1", state: h.state, now: h.time)
        XCTAssertEqual(view.fastest, "foot-west")
        XCTAssertEqual(view.nearestAsCrowFlies, "car-west")
        XCTAssertTrue(view.crowFliesIsNotFastest)
        XCTAssertEqual(view.rows.map(\.rank), [1, 2])
        XCTAssertGreaterThan(view.rows[1].meters, view.rows[1].straightLineMeters * 3)
        // A unit that is no longer available drops out of the view.
        h.publish(.unitStatus(UnitStatusChange(unit: "foot-west", status: .busy)))
        let after = RecommendationView.make(incident: "I1", ranked: h.state.incidents["I1"]?.recommendation ?? [], state: h.state, now: h.time)
        XCTAssertEqual(after.rows.map(\.unit), ["car-west"])
        XCTAssertFalse(after.crowFliesIsNotFastest)
    }
}
