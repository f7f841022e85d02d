import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomRouting
import WatchroomTestSupport
import XCTest

final class RoutingServiceTests: XCTestCase {
    private var map: PrecinctMap!
    private let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    override func setUpWithError() throws {
        map = try TestMaps.jiangbei()
    }

    private func point(_ node: String) -> Point { map.intersections[TestMaps.node(node, in: map)].position }

    private func envelope(_ seq: UInt64, _ event: Event, after seconds: Double = 0) -> EventEnvelope {
        EventEnvelope(seq: seq, time: t0.addingTimeInterval(seconds), event: event)
    }

    /// Three units around the ends of 石门溪步行桥 (n53 west, n54 east): a car on the west end
    /// must go round by 石门桥 (1550 m, 157.3 s), an officer on foot on the west end crosses
    /// the footbridge (144 m, 102.5 s), a second car waits far north.
    private func scenario() -> [EventEnvelope] {
        [
            envelope(1, .shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: map.timeZone, mode: .live))),
            envelope(2, .unitRegistered(UnitRegistered(id: "car-west", kind: .car, home: point("n53")))),
            envelope(3, .unitRegistered(UnitRegistered(id: "foot-west", kind: .officerOnFoot, home: point("n53")))),
            envelope(4, .unitRegistered(UnitRegistered(id: "car-north", kind: .car, home: point("n1")))),
        ]
    }

    private func incident(_ seq: UInt64, at node: String) -> EventEnvelope {
        envelope(seq, .incidentReported(IncidentReported(
            id: "I1", category: .dispute, priority: 1, summary: "Dispute, knife seen", place: node,
            point: point(node), weapon: true)), after: 10)
    }

    func testRecommendationRanksByTravelTimeNotByDistance() throws {
        var core = RoutingCore(map: map, recommendCount: 5)
        for e in scenario() { XCTAssertEqual(core.handle(e), []) }
        let replies = core.handle(incident(5, at: "n54"))
        guard case .unitsRecommended(let rec)? = replies.first else { return XCTFail("no recommendation: \(replies)") }
        XCTAssertEqual(rec.incident, "I1")
        XCTAssertEqual(rec.ranked.map(\.unit), ["foot-west", "car-west", "car-north"])
        // Hand-checked on the map (Maps/tools/README.md): foot 102.5 s / 144 m over the
        // footbridge, car 157.3 s / 1550 m round by 石门桥.
        XCTAssertEqual(rec.ranked[0].seconds, 102.5, accuracy: 1.0)
        XCTAssertEqual(rec.ranked[0].meters, 144, accuracy: 2)
        XCTAssertEqual(rec.ranked[1].seconds, 157.3, accuracy: 1.5)
        XCTAssertEqual(rec.ranked[1].meters, 1550, accuracy: 10)
        XCTAssertEqual(rec.ranked[1].straightLineMeters, 144, accuracy: 2)
        XCTAssertGreaterThan(rec.ranked[2].straightLineMeters, 500)
        XCTAssertTrue(rec.ranked.map(\.seconds) == rec.ranked.map(\.seconds).sorted())
    }

    func testUnavailableUnitsAreNotRecommended() throws {
        var core = RoutingCore(map: map)
        for e in scenario() { _ = core.handle(e) }
        _ = core.handle(envelope(5, .unitStatus(UnitStatusChange(unit: "foot-west", status: .outOfService))))
        guard case .unitsRecommended(let rec)? = core.handle(incident(6, at: "n54")).first else { return XCTFail() }
        XCTAssertFalse(rec.ranked.contains { $0.unit == "foot-west" })
        XCTAssertEqual(rec.ranked.first?.unit, "car-west")
    }

    func testDispatchGetsARouteWithEtaAndClosureReroutes() throws {
        var core = RoutingCore(map: map)
        for e in scenario() { _ = core.handle(e) }
        _ = core.handle(incident(5, at: "n54"))
        let dispatched = envelope(6, .dispatch(DispatchOrder(incident: "I1", units: ["car-west"], by: "test")), after: 30)
        let replies = core.handle(dispatched)
        guard case .routeAssigned(let route)? = replies.first else { return XCTFail("no route: \(replies)") }
        XCTAssertEqual(route.unit, "car-west")
        XCTAssertEqual(route.seconds, 157.3, accuracy: 1.5)
        XCTAssertEqual(route.eta.timeIntervalSince(dispatched.time), route.seconds, accuracy: 0.001)
        XCTAssertFalse(route.steps.isEmpty)
        XCTAssertTrue(route.steps.contains { $0.contains("石门桥") }, "\(route.steps)")
        _ = core.handle(envelope(7, .routeAssigned(route), after: 30))

        // Close 石门桥: the car must be re-routed over 溪口桥 at the river mouth.
        let bridge = try XCTUnwrap(route.legs.first { leg in
            map.segments.first { $0.key == leg.segment.rawValue }.map { map.streetLabel($0.street).contains("石门桥") } ?? false
        })
        let rerouted = core.handle(envelope(8, .trafficChanged(TrafficChanged(segment: bridge.segment, closed: true)), after: 40))
        guard case .routeAssigned(let detour)? = rerouted.first else { return XCTFail("no re-route: \(rerouted)") }
        XCTAssertFalse(detour.legs.contains { $0.segment == bridge.segment })
        XCTAssertGreaterThan(detour.seconds, route.seconds)
        XCTAssertTrue(detour.steps.contains { $0.contains("溪口桥") }, "\(detour.steps)")
        XCTAssertEqual(detour.reroute, "石门桥 (Shimen Bridge) closed", "a re-route says why")
        XCTAssertNil(route.reroute)

        // Reopening lets the next route use the bridge again.
        _ = core.handle(envelope(9, .trafficChanged(TrafficChanged(segment: bridge.segment, closed: false)), after: 50))
        let again = try XCTUnwrap(core.route("car-west", to: "I1", at: t0))
        XCTAssertEqual(again.seconds, route.seconds, accuracy: 0.01)
    }

    func testCongestionSlowsCarsButNotOfficersOnFoot() throws {
        var core = RoutingCore(map: map)
        for e in scenario() { _ = core.handle(e) }
        _ = core.handle(incident(5, at: "n54"))
        let before = try XCTUnwrap(core.recommendation(for: "I1"))
        var seq: UInt64 = 6
        for segment in map.segments where segment.access.allowsCar {
            _ = core.handle(envelope(seq, .trafficChanged(TrafficChanged(segment: SegmentKey(segment.key), factor: 2))))
            seq += 1
        }
        let after = try XCTUnwrap(core.recommendation(for: "I1"))
        let carBefore = try XCTUnwrap(before.ranked.first { $0.unit == "car-west" })
        let carAfter = try XCTUnwrap(after.ranked.first { $0.unit == "car-west" })
        XCTAssertEqual(carAfter.seconds, carBefore.seconds * 2, accuracy: 1)
        XCTAssertEqual(after.ranked.first { $0.unit == "foot-west" }?.seconds ?? 0,
                       before.ranked.first { $0.unit == "foot-west" }?.seconds ?? -1, accuracy: 0.01)
    }

    func testServiceAnswersOnTheBusOffThePublishingThread() throws {
        let clock = SimulatedClock(start: t0, speed: 1)
        let bus = EventBus(clock: clock)
        // History before start is folded in, not answered.
        for e in scenario() { _ = bus.publish(e.event) }
        let service = RoutingService(map: map, bus: bus)
        service.start()
        defer { service.stop() }
        let answered = expectation(description: "recommendation and route on the bus")
        answered.expectedFulfillmentCount = 2
        let token = bus.subscribe { envelope in
            switch envelope.event {
            case .unitsRecommended, .routeAssigned: answered.fulfill()
            default: break
            }
        }
        defer { token.cancel() }
        let reported = bus.publish(incident(0, at: "n54").event)
        let dispatch = bus.publish(.dispatch(DispatchOrder(incident: "I1", units: ["foot-west"], by: "test")))
        wait(for: [answered], timeout: 10)
        service.drain()
        let log = bus.envelopes(after: 0)
        let recommended = log.filter { if case .unitsRecommended = $0.event { return true }; return false }
        XCTAssertEqual(recommended.count, 1, "history before start must not be answered")
        XCTAssertGreaterThan(recommended[0].seq, reported.seq)
        let routes = log.compactMap { e -> RouteAssigned? in if case .routeAssigned(let r) = e.event { return r }; return nil }
        XCTAssertEqual(routes.map(\.unit), ["foot-west"])
        XCTAssertGreaterThan(log.last?.seq ?? 0, dispatch.seq)
        // The bus's own fold has the route on the unit.
        XCTAssertEqual(bus.state.units["foot-west"]?.route?.incident, "I1")
        XCTAssertEqual(bus.state.incidents["I1"]?.status, .resourcesAssigned)
    }
}
