import Foundation
import XCTest
@testable import WatchroomCore

final class ReducerTests: XCTestCase {
    private let setup: [Event] = [
        .shiftStarted(ShiftStarted(map: "jiangbei-city", timeZone: "Asia/Shanghai", mode: .live)),
        Samples.register("P-1"),
        Samples.register("P-2"),
        Samples.register("car-3", .car, at: Point(x: 50, y: 0)),
        Samples.report("I1", priority: 1),
    ]

    func testFullLifecycle() throws {
        let events = setup + [
            .unitsRecommended(UnitsRecommended(incident: "I1", ranked: [UnitRecommendation(unit: "P-1", seconds: 60, meters: 80, straightLineMeters: 70)])),
            .dispatch(DispatchOrder(incident: "I1", units: ["P-1", "P-2"], by: "commander")),      // 7
            .routeAssigned(RouteAssigned(unit: "P-1", incident: "I1", seconds: 60, meters: 80,
                                         legs: [RouteLeg(segment: "s1", forward: true)], eta: Samples.time(68))),
            Samples.status("P-1", .enRoute, "I1"),                                                    // 9
            .unitPosition(UnitPosition(unit: "P-1", point: Point(x: 40, y: 40), heading: 45)),
            .unitArrived(UnitArrived(unit: "P-1", incident: "I1")),                                   // 11
            .incidentUpdated(IncidentUpdated(id: "I1", priority: 2, note: "calm now")),
            .incidentClosed(IncidentClosed(id: "I1", disposition: .resolved, note: "talked down")),   // 13
        ]
        let envs = Samples.envelopes(events)
        var state = PrecinctState()
        var statuses: [IncidentStatus] = []
        for e in envs {
            reduce(&state, e)
            if let s = state.incidents["I1"]?.status { statuses.append(s) }
        }
        XCTAssertEqual(statuses, [.active, .active, .resourcesAssigned, .resourcesAssigned, .resourcesEnroute, .resourcesEnroute,
                                  .resourcesOnscene, .resourcesOnscene, .closed])
        let inc = try XCTUnwrap(state.incidents["I1"])
        XCTAssertEqual(inc.reportedAt, Samples.time(4))
        XCTAssertEqual(inc.dispatchedAt, Samples.time(6))
        XCTAssertEqual(inc.enRouteAt, Samples.time(8))
        XCTAssertEqual(inc.arrivedAt, Samples.time(10))
        XCTAssertEqual(inc.closedAt, Samples.time(12))
        XCTAssertEqual(inc.responseSeconds, 6)
        XCTAssertEqual(inc.dispatchedBy, "commander")
        XCTAssertEqual(inc.disposition, .resolved)
        XCTAssertEqual(inc.priority, 2)
        XCTAssertEqual(inc.notes, [IncidentNote(time: Samples.time(11), text: "calm now")])
        XCTAssertEqual(inc.recommendation.map(\.unit), ["P-1"])
        XCTAssertEqual(inc.assignedUnits, [])
        XCTAssertEqual(inc.respondedUnits, ["P-1", "P-2"])

        // Closing freed both units.
        for id: UnitID in ["P-1", "P-2"] {
            let u = try XCTUnwrap(state.units[id])
            XCTAssertEqual(u.status, .available, "\(id)")
            XCTAssertNil(u.incident)
            XCTAssertNil(u.route)
            XCTAssertEqual(u.statusSince, Samples.time(12))
        }
        let p1 = try XCTUnwrap(state.units["P-1"])
        XCTAssertEqual(p1.history.map(\.status), [.available, .dispatched, .enRoute, .onScene, .available])
        XCTAssertEqual(p1.position, Point(x: 40, y: 40))
        XCTAssertEqual(p1.positionAt, Samples.time(9))
        XCTAssertEqual(state.lastSeq, 13)
        XCTAssertEqual(state.now, Samples.time(12))
        XCTAssertEqual(state.anomalies.total, 0, "\(state.anomalies.recent)")
        XCTAssertEqual(state.openIncidents.count, 0)
    }

    func testRouteIsKeptWhileCommittedAndDroppedOnArrival() {
        let state = PrecinctState.fold(Samples.envelopes(setup + [
            .dispatch(DispatchOrder(incident: "I1", units: ["car-3"], by: "c")),
            .routeAssigned(RouteAssigned(unit: "car-3", incident: "I1", seconds: 30, meters: 300, legs: [], eta: Samples.time(40))),
        ]))
        XCTAssertEqual(state.units["car-3"]?.route?.meters, 300)
        let arrived = state.applying(EventEnvelope(seq: 8, time: Samples.time(30), event: .unitArrived(UnitArrived(unit: "car-3", incident: "I1"))))
        XCTAssertNil(arrived.units["car-3"]?.route)
        XCTAssertEqual(arrived.units["car-3"]?.status, .onScene)
    }

    func testOutOfOrderAndDuplicateSeqAreIgnoredAndCounted() {
        var envs = Samples.envelopes(setup + [.dispatch(DispatchOrder(incident: "I1", units: ["P-1"], by: "c"))])
        let late = EventEnvelope(seq: 3, time: Samples.time(99), event: .incidentClosed(IncidentClosed(id: "I1", disposition: .resolved)))
        envs.append(late)
        envs.append(envs[5])  // a duplicate of seq 6
        let state = PrecinctState.fold(envs)
        XCTAssertEqual(state.anomalies.outOfOrder, 2)
        XCTAssertEqual(state.incidents["I1"]?.status, .resourcesAssigned)
        XCTAssertEqual(state.lastSeq, 6)
        XCTAssertEqual(state.now, Samples.time(5), "an ignored event must not move time")
        XCTAssertEqual(state.appliedCount, 6)
    }

    func testUnknownIdsAreIgnoredAndCounted() {
        let state = PrecinctState.fold(Samples.envelopes(setup + [
            .unitPosition(UnitPosition(unit: "ghost", point: .zero)),
            Samples.status("ghost", .enRoute),
            .dispatch(DispatchOrder(incident: "I1", units: ["ghost", "P-1"], by: "c")),
            .dispatch(DispatchOrder(incident: "nope", units: ["P-2"], by: "c")),
            .unitArrived(UnitArrived(unit: "P-2", incident: "nope")),
            .incidentUpdated(IncidentUpdated(id: "nope", summary: "x")),
            .incidentClosed(IncidentClosed(id: "nope", disposition: .resolved)),
            Samples.status("P-2", .enRoute, "nope"),
            Samples.report("I1"),
        ]))
        XCTAssertEqual(state.anomalies.unknownUnit, 3)
        XCTAssertEqual(state.anomalies.unknownIncident, 5)
        XCTAssertEqual(state.anomalies.duplicateIncident, 1)
        XCTAssertNil(state.units["ghost"])
        XCTAssertNil(state.incidents["nope"])
        XCTAssertEqual(state.units["P-1"]?.status, .dispatched, "the known unit in a mixed dispatch still goes")
        XCTAssertEqual(state.units["P-2"]?.status, .available)
        XCTAssertEqual(state.incidents["I1"]?.summary, "Bike stolen", "the duplicate report must not overwrite")
        XCTAssertEqual(state.anomalies.recent.count, 9)
    }

    func testActionsOnClosedIncidentAndStaleRoutesAreIgnored() {
        let state = PrecinctState.fold(Samples.envelopes(setup + [
            Samples.report("I2"),
            .dispatch(DispatchOrder(incident: "I1", units: ["P-1"], by: "c")),
            .incidentClosed(IncidentClosed(id: "I1", disposition: .unfounded)),
            .dispatch(DispatchOrder(incident: "I1", units: ["P-2"], by: "c")),
            .unitArrived(UnitArrived(unit: "P-2", incident: "I1")),
            .incidentClosed(IncidentClosed(id: "I1", disposition: .resolved)),
            .dispatch(DispatchOrder(incident: "I2", units: ["P-2"], by: "c")),
            // Routing answered for I1 after P-2 went to I2: stale.
            .routeAssigned(RouteAssigned(unit: "P-2", incident: "I1", seconds: 1, meters: 1, legs: [], eta: Samples.time(20))),
        ]))
        XCTAssertEqual(state.anomalies.closedIncident, 3)
        XCTAssertEqual(state.anomalies.staleRoute, 1)
        XCTAssertEqual(state.incidents["I1"]?.disposition, .unfounded)
        XCTAssertNil(state.units["P-2"]?.route)
        XCTAssertEqual(state.units["P-2"]?.incident, "I2")
    }

    func testReassignmentMovesUnitBetweenIncidents() {
        let state = PrecinctState.fold(Samples.envelopes(setup + [
            Samples.report("I2"),
            .dispatch(DispatchOrder(incident: "I1", units: ["P-1"], by: "c")),
            Samples.status("P-1", .enRoute),                       // no incident: stays with I1
            .dispatch(DispatchOrder(incident: "I2", units: ["P-1"], by: "c")),
        ]))
        XCTAssertEqual(state.incidents["I1"]?.assignedUnits, [])
        XCTAssertEqual(state.incidents["I1"]?.status, .active)
        XCTAssertEqual(state.incidents["I1"]?.enRouteAt, Samples.time(7))
        XCTAssertEqual(state.incidents["I2"]?.assignedUnits, ["P-1"])
        XCTAssertEqual(state.incidents["I2"]?.status, .resourcesAssigned)
        XCTAssertEqual(state.units["P-1"]?.incident, "I2")
    }

    func testReleasingStatusesDetachAndIncidentFollowsTheBestUnit() {
        var state = PrecinctState.fold(Samples.envelopes(setup + [
            .dispatch(DispatchOrder(incident: "I1", units: ["P-1", "P-2"], by: "c")),
            .unitArrived(UnitArrived(unit: "P-1", incident: "I1")),
            Samples.status("P-2", .enRoute, "I1"),
        ]))
        XCTAssertEqual(state.incidents["I1"]?.status, .resourcesOnscene)
        state.apply(EventEnvelope(seq: 9, time: Samples.time(9), event: Samples.status("P-1", .cleared)))
        XCTAssertEqual(state.incidents["I1"]?.status, .resourcesEnroute)
        XCTAssertNil(state.units["P-1"]?.incident)
        XCTAssertEqual(state.units["P-1"]?.status, .cleared)
        state.apply(EventEnvelope(seq: 10, time: Samples.time(10), event: Samples.status("P-2", .outOfService)))
        XCTAssertEqual(state.incidents["I1"]?.status, .active)
        XCTAssertEqual(state.incidents["I1"]?.respondedUnits, ["P-1", "P-2"])
        // Invariant: a unit is tied to an incident only while committed.
        for u in state.units.values where u.incident != nil { XCTAssertTrue(u.status.isCommitted) }
    }

    func testCamerasTrafficAndUnknownTypes() {
        let state = PrecinctState.fold(Samples.envelopes([
            .cameraStatus(CameraStatus(camera: "c1", online: false)),
            .cameraStatus(CameraStatus(camera: "c2", online: false)),
            .cameraStatus(CameraStatus(camera: "c2", online: true)),
            .trafficChanged(TrafficChanged(segment: "s1", factor: 3)),
            .trafficChanged(TrafficChanged(segment: "s2", closed: true)),
            .trafficChanged(TrafficChanged(segment: "s1", factor: 1)),
            .unknown(type: "future.thing", json: "{}"),
        ]))
        XCTAssertFalse(state.isCameraOnline("c1"))
        XCTAssertTrue(state.isCameraOnline("c2"))
        XCTAssertTrue(state.isCameraOnline("never-heard-of"))
        XCTAssertEqual(Array(state.traffic.keys), ["s2"])
        XCTAssertEqual(state.traffic["s2"]?.closed, true)
        XCTAssertEqual(state.anomalies.unknownType, 1)
        XCTAssertEqual(state.lastSeq, 7)
    }

    func testDigestEqualForEqualHistoriesAndDifferentOtherwise() {
        let events = setup + [
            .dispatch(DispatchOrder(incident: "I1", units: ["P-1", "car-3"], by: "c")),
            .unitPosition(UnitPosition(unit: "car-3", point: Point(x: 10.5, y: 3))),
            .cameraStatus(CameraStatus(camera: "c9", online: false)),
            .trafficChanged(TrafficChanged(segment: "s4", factor: 1.5)),
        ]
        let a = PrecinctState.fold(Samples.envelopes(events))
        let b = PrecinctState.fold(Samples.envelopes(events))
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.digest, b.digest)
        XCTAssertEqual(a.digestHex.count, 16)

        // Same contents reached with different dictionary insertion order.
        var shuffled = setup
        shuffled.swapAt(1, 3)
        let c = PrecinctState.fold(Samples.envelopes(shuffled))
        var d = PrecinctState.fold(Samples.envelopes(setup))
        // Registration times differ by the swap; align them to compare insertion order only.
        d.units["P-1"]?.statusSince = c.units["P-1"]?.statusSince ?? .distantPast
        d.units["P-1"]?.history = c.units["P-1"]?.history ?? []
        d.units["car-3"]?.statusSince = c.units["car-3"]?.statusSince ?? .distantPast
        d.units["car-3"]?.history = c.units["car-3"]?.history ?? []
        XCTAssertEqual(c, d)
        XCTAssertEqual(c.digest, d.digest)

        // One differing event changes the digest.
        var changed = events
        changed[changed.count - 3] = .unitPosition(UnitPosition(unit: "car-3", point: Point(x: 10.5, y: 3.001)))
        XCTAssertNotEqual(PrecinctState.fold(Samples.envelopes(changed)).digest, a.digest)
        // So does one differing time.
        var envs = Samples.envelopes(events)
        envs[2].time += 0.001
        XCTAssertNotEqual(PrecinctState.fold(envs).digest, a.digest)
    }

    func testStateSnapshotRoundTripsThroughCodable() throws {
        let state = PrecinctState.fold(Samples.envelopes(Samples.everyKind))
        let data = try JSONEncoder().encode(state)
        let back = try JSONDecoder().decode(PrecinctState.self, from: data)
        XCTAssertEqual(back, state)
        XCTAssertEqual(back.digest, state.digest)
        // Continuing from a restored snapshot equals folding everything at once.
        let more = Samples.envelopes([.clockTick(ClockTick()), Samples.register("P-9")], start: 100)
            .enumerated().map { EventEnvelope(seq: state.lastSeq + UInt64($0.offset) + 1, time: $0.element.time, event: $0.element.event) }
        XCTAssertEqual(PrecinctState.fold(more, from: back).digest,
                       PrecinctState.fold(Samples.envelopes(Samples.everyKind) + more).digest)
    }

    func testEveryKindFoldsWithoutTrouble() {
        // The sample history mentions units before registering them and closes before
        // dispatching: the reducer must take it in stride.
        let state = PrecinctState.fold(Samples.envelopes(Samples.everyKind))
        XCTAssertEqual(state.lastSeq, UInt64(Samples.everyKind.count))
        XCTAssertEqual(state.shift?.mode, .drill)
        XCTAssertEqual(state.timeZone?.identifier, "Asia/Shanghai")
        XCTAssertGreaterThan(state.anomalies.total, 0)
    }
}
