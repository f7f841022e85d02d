import Foundation
import XCTest
import WatchroomCore
import WatchroomDrill
import WatchroomEngine
import WatchroomRouting
import WatchroomTestSupport

/// A small recorded shift built by hand on the default map, every time and number known.
enum Recorded {
    static let start = Date(timeIntervalSince1970: 1_773_489_600) // 2026-03-14T20:00:00+08:00

    static func address(_ key: String, _ map: PrecinctMap) -> Point {
        map.addresses.first { $0.key == key }?.position ?? Point(x: 0, y: 0)
    }

    /// The recording: three units, three calls (I0001 and I0002 dispatched on the day,
    /// I0003 cancelled by the caller before anyone was sent), surroundings, one hour.
    static func shift(_ map: PrecinctMap) -> [EventEnvelope] {
        var out: [EventEnvelope] = []
        func at(_ s: Double, _ e: Event) { out.append(EventEnvelope(seq: UInt64(out.count + 1), time: start.addingTimeInterval(s), event: e)) }
        let a06 = address("a06", map), far = map.addresses.max { $0.position.distance(to: a06) < $1.position.distance(to: a06) }?.position ?? a06
        let near = map.addresses.filter { $0.key != "a06" }.min { $0.position.distance(to: a06) < $1.position.distance(to: a06) }?.position ?? a06
        at(0, .shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: map.timeZone, mode: .live, seed: 9)))
        at(0, .unitRegistered(UnitRegistered(id: UnitID("C11"), callsign: "C11", kind: .car, home: near)))
        at(0, .unitRegistered(UnitRegistered(id: UnitID("C12"), callsign: "C12", kind: .car, home: far)))
        at(0, .unitRegistered(UnitRegistered(id: UnitID("F21"), callsign: "F21", kind: .officerOnFoot, home: near)))
        at(10, .cameraStatus(CameraStatus(camera: CameraID("cam02"), online: false)))
        at(20, .trafficChanged(TrafficChanged(segment: SegmentKey(map.segments[0].key), factor: 2)))
        at(60, .incidentReported(IncidentReported(id: IncidentID("I0001"), number: "2026-0314-0001", category: .dispute,
                                                  priority: 2, summary: "argument at a stall", place: "永平门街 23", point: a06)))
        at(61, .unitsRecommended(UnitsRecommended(incident: IncidentID("I0001"), ranked: [])))
        at(100, .dispatch(DispatchOrder(incident: IncidentID("I0001"), units: [UnitID("C11")], by: "commander")))
        at(100, .routeAssigned(RouteAssigned(unit: UnitID("C11"), incident: IncidentID("I0001"), seconds: 150, meters: 900, legs: [],
                                             eta: start.addingTimeInterval(250))))
        at(105, .unitStatus(UnitStatusChange(unit: UnitID("C11"), status: .enRoute, incident: IncidentID("I0001"))))
        at(110, .unitPosition(UnitPosition(unit: UnitID("C11"), point: Point(x: 12345, y: 12345))))
        at(110, .unitPosition(UnitPosition(unit: UnitID("F21"), point: near)))
        at(250, .unitArrived(UnitArrived(unit: UnitID("C11"), incident: IncidentID("I0001"))))
        at(250, .unitStatus(UnitStatusChange(unit: UnitID("C11"), status: .onScene, incident: IncidentID("I0001"))))
        at(300, .incidentReported(IncidentReported(id: IncidentID("I0002"), number: "2026-0314-0002", category: .noise,
                                                  priority: 3, summary: "music", place: "near", point: near)))
        at(400, .incidentClosed(IncidentClosed(id: IncidentID("I0001"), disposition: .resolved)))
        at(420, .incidentReported(IncidentReported(id: IncidentID("I0003"), number: "2026-0314-0003", category: .other,
                                                  priority: 3, summary: "lost cat", place: "near", point: near)))
        at(430, .incidentClosed(IncidentClosed(id: IncidentID("I0003"), disposition: .cancelled)))
        at(500, .unitStatus(UnitStatusChange(unit: UnitID("F21"), status: .busy)))
        at(500, .unitPosition(UnitPosition(unit: UnitID("C12"), point: Point(x: -9999, y: -9999))))
        at(600, .unitStatus(UnitStatusChange(unit: UnitID("F21"), status: .available)))
        at(700, .dispatch(DispatchOrder(incident: IncidentID("I0002"), units: [UnitID("F21")], by: "commander")))
        at(700, .routeAssigned(RouteAssigned(unit: UnitID("F21"), incident: IncidentID("I0002"), seconds: 200, meters: 250, legs: [],
                                             eta: start.addingTimeInterval(900))))
        at(800, .unknown(type: "order.issued", json: "{\"unit\":\"F21\"}"))
        at(800, .unknown(type: "bodycam.started", json: "{\"unit\":\"F21\"}"))
        at(3600, .clockTick(ClockTick()))
        return out
    }
}

final class DrillSourceTests: XCTestCase {
    private func positions(_ envelopes: [EventEnvelope], of unit: String) -> [EventEnvelope] {
        envelopes.filter { if case .unitPosition(let p) = $0.event { return p.unit.rawValue == unit }; return false }
    }

    func testRecordedCallsPlayAndRecordedDecisionsAreWithheld() throws {
        let map = try TestMaps.jiangbei()
        var drill = HeadlessDrill(map: map, recording: Recorded.shift(map), name: "hand-built")
        drill.run(until: Recorded.start.addingTimeInterval(3600))
        let src = drill.source
        XCTAssertTrue(src.isFinished)
        XCTAssertEqual(src.passed, ["unit.registered": 3, "camera.status": 1, "traffic.changed": 1, "incident.reported": 3,
                                    "incident.closed": 1, "unit.position": 2, "unit.status": 2, "bodycam.started": 1])
        XCTAssertEqual(src.withheld, ["shift.started": 1, "units.recommended": 1, "dispatch": 2, "route.assigned": 2,
                                      "unit.status": 2, "unit.position": 1, "unit.arrived": 1, "incident.closed": 1,
                                      "order.issued": 1, "clock.tick": 1])
        let envelopes = drill.envelopes
        // One shift, the drill's own.
        let starts = envelopes.compactMap { e -> ShiftStarted? in if case .shiftStarted(let s) = e.event { return s }; return nil }
        XCTAssertEqual(starts.count, 1)
        XCTAssertEqual(starts.first?.mode, .drill)
        XCTAssertEqual(starts.first?.source, "hand-built")
        // No decision of the day reached the drill.
        XCTAssertFalse(envelopes.contains { if case .dispatch = $0.event { return true }; return false })
        XCTAssertFalse(envelopes.contains { if case .unitArrived = $0.event { return true }; return false })
        // Calls dispatched on the day stay open for the trainee; the cancelled one closes.
        XCTAssertEqual(drill.state.incidents[IncidentID("I0001")]?.isOpen, true)
        XCTAssertEqual(drill.state.incidents[IncidentID("I0002")]?.isOpen, true)
        XCTAssertEqual(drill.state.incidents[IncidentID("I0003")]?.disposition, .cancelled)
        XCTAssertFalse(drill.state.isCameraOnline(CameraID("cam02")))
        XCTAssertEqual(drill.state.traffic[SegmentKey(map.segments[0].key)]?.factor, 2)
        // Busy and back: F21's own status changes play; it stays available for the trainee.
        XCTAssertEqual(drill.state.units[UnitID("F21")]?.history.map(\.status), [.available, .busy, .available])
        XCTAssertEqual(drill.state.units.values.filter { $0.status != .available }.count, 0)
        // The units the day's commander sent were handed to the simulation: their recorded
        // drive (C11 to 12345,12345) is gone, they patrol from where they were.
        XCTAssertEqual(src.handedOver, [UnitID("C11"), UnitID("F21")])
        XCTAssertTrue(src.traineeUnits.isEmpty)
        XCTAssertFalse(positions(envelopes, of: "C11").contains { if case .unitPosition(let p) = $0.event { return p.point.x == 12345 }; return false })
        XCTAssertFalse(positions(envelopes, of: "C11").isEmpty, "the simulation moves C11")
        XCTAssertTrue(positions(envelopes, of: "C12").contains { if case .unitPosition(let p) = $0.event { return p.point.x == -9999 }; return false },
                      "C12's recorded position plays")

        let report = drill.report()
        XCTAssertTrue(report.finished)
        XCTAssertEqual(report.rows.map(\.incident.rawValue), ["I0001", "I0002", "I0003"])
        XCTAssertEqual(report.rows.map(\.outcome), [.missed, .missed, .notDispatchedOnTheDay])
        XCTAssertEqual(report.rows[0].day?.callToDispatch, 40)
        XCTAssertEqual(report.rows[0].day?.units, [AfterActionReport.UnitETA(unit: UnitID("C11"), seconds: 150)])
        XCTAssertEqual(report.rows[0].day?.response, 190)
        XCTAssertEqual(report.rows[1].day?.callToDispatch, 400)
        XCTAssertEqual(report.rows[1].day?.units.first?.seconds, 200)
        XCTAssertNil(report.rows[2].day)
        XCTAssertEqual(report.totals.missed, 2)
        XCTAssertEqual(report.totals.dayWithinTarget, 1)
        XCTAssertEqual(report.totals.dayTargetBase, 2)
        XCTAssertEqual(report.totals.traineeWithinTarget, 0)
        XCTAssertEqual(report.totals.traineeTargetBase, 2, "missed calls count against the trainee's 60 s share")
    }

    func testTheTraineesUnitIsMovedByTheSimulationAndItsIncidentCloses() throws {
        let map = try TestMaps.jiangbei()
        var drill = HeadlessDrill(map: map, recording: Recorded.shift(map), name: "hand-built", seed: 3)
        drill.run(until: Recorded.start.addingTimeInterval(60))
        let atCall = drill.state
        let incident = try XCTUnwrap(atCall.incidents[IncidentID("I0001")])
        // The best at the call, worked out independently: every unit routed one by one.
        let routing = DispatchRouting(map: map)
        let ranked = atCall.assignableUnits
            .compactMap { u in routing.placedRoute(u, to: incident).map { (unit: u.id, seconds: $0.seconds) } }
            .sorted { ($0.seconds, $0.unit) < ($1.seconds, $1.unit) }
        XCTAssertEqual(ranked.count, 3)
        drill.run(until: Recorded.start.addingTimeInterval(85))
        let atDispatch = drill.state
        let expectedETA = try XCTUnwrap(routing.placedRoute(try XCTUnwrap(atDispatch.units[UnitID("C12")]), to: incident)).seconds
        drill.publish(.dispatch(DispatchOrder(incident: incident.id, units: [UnitID("C12")], by: "trainee")), at: drill.time)
        drill.run(until: Recorded.start.addingTimeInterval(3 * 3600))

        let src = drill.source
        XCTAssertEqual(src.traineeUnits, [UnitID("C12")])
        XCTAssertTrue(src.simulates(UnitID("C12")))
        let after = drill.envelopes.filter { $0.time > Recorded.start.addingTimeInterval(85) }
        // The recorded position of C12 (at 500 s) is dropped: the simulation drives it.
        XCTAssertFalse(positions(after, of: "C12").contains { if case .unitPosition(let p) = $0.event { return p.point.x == -9999 }; return false })
        XCTAssertGreaterThan(positions(after, of: "C12").count, 5, "C12 drives")
        let index = RoadPosition.segmentIndex(of: map)
        for e in positions(after, of: "C12") {
            guard case .unitPosition(let p) = e.event, let road = p.road, let s = index[road.segment] else { return XCTFail("no road") }
            XCTAssertTrue(map.segments[s].access.allowsCar)
        }
        let arrived = after.first { if case .unitArrived(let a) = $0.event { return a.unit.rawValue == "C12" }; return false }
        XCTAssertNotNil(arrived, "C12 arrives")
        let closed = after.first { if case .incidentClosed(let c) = $0.event { return c.id == incident.id }; return false }
        XCTAssertNotNil(closed, "the simulation closes the trainee's incident after time on scene")
        if let arrived, let closed { XCTAssertGreaterThan(closed.time, arrived.time) }
        XCTAssertEqual(drill.state.units[UnitID("C12")]?.status, .available, "back on patrol")

        let report = drill.report()
        let row = try XCTUnwrap(report.rows.first)
        XCTAssertEqual(row.outcome, .dispatched)
        XCTAssertEqual(row.trainee?.callToDispatch, 25)
        XCTAssertEqual(row.trainee?.by, "trainee")
        XCTAssertEqual(row.trainee?.units.map(\.unit), [UnitID("C12")])
        XCTAssertEqual(try XCTUnwrap(row.trainee?.units.first?.seconds), expectedETA, accuracy: 0.001)
        // A dispute P2 plan sends one unit: the fastest at the moment of the call.
        XCTAssertEqual(row.best.count, 1)
        XCTAssertEqual(row.best.first?.unit, ranked.first?.unit)
        XCTAssertEqual(try XCTUnwrap(row.bestFirstArrival), ranked[0].seconds, accuracy: 0.001)
        XCTAssertEqual(row.fastest?.unit, ranked[0].unit)
        XCTAssertEqual(row.fastest?.seconds, ranked[0].seconds)
        XCTAssertEqual(row.day?.callToDispatch, 40)
        XCTAssertEqual(report.totals.traineeWithinTarget, 1)
    }

    func testADrillStartedPartWayLeavesOutEarlierCallsAndHandsOverBusyUnits() throws {
        let map = try TestMaps.jiangbei()
        let from = Recorded.start.addingTimeInterval(350)
        var drill = HeadlessDrill(map: map, recording: Recorded.shift(map), name: "hand-built", from: from)
        XCTAssertEqual(drill.time, from)
        // Registrations and each unit's last position so far, no calls.
        XCTAssertTrue(drill.state.incidents.isEmpty)
        XCTAssertEqual(drill.state.units.count, 3)
        XCTAssertEqual(drill.state.units[UnitID("F21")]?.positionAt, from, "F21 where it last was")
        XCTAssertEqual(drill.source.skippedCalls, [IncidentID("I0001"), IncidentID("I0002")])
        drill.run(until: Recorded.start.addingTimeInterval(3600))
        // C11 was on scene at I0001 on the day when the drill started: the simulation has it.
        XCTAssertEqual(drill.source.handedOver, [UnitID("C11"), UnitID("F21")])
        XCTAssertTrue(drill.source.simulates(UnitID("C11")))
        XCTAssertEqual(Set(drill.state.incidents.keys), [IncidentID("I0003")], "only the call made after the start")
        XCTAssertEqual(drill.state.anomalies.unknownIncident, 0, "nothing about the left-out calls reached the drill")
        var scorer = drill.report()
        XCTAssertEqual(scorer.rows.map(\.incident.rawValue), ["I0003"])
        drill.scorer.trainee = "Li Na"
        scorer = drill.report()
        XCTAssertEqual(scorer.trainee, "Li Na")
        XCTAssertTrue(scorer.lines().first?.contains("trainee Li Na") ?? false)
    }

    func testATraineeIncidentThatTakesARecordedIdRenamesTheRecordedCall() throws {
        let map = try TestMaps.jiangbei()
        var drill = HeadlessDrill(map: map, recording: Recorded.shift(map), name: "hand-built")
        drill.run(until: Recorded.start.addingTimeInterval(200))
        // The trainee takes a call of their own: `new` gives I0002, the next free id.
        let executor = CommandExecutor(map: map)
        let outcome = try executor.execute(line: "new theft P3 at \"永平门街 23\" \"bike\"", state: drill.state,
                                           context: CommandContext(now: drill.time)).get()
        for e in outcome.events { drill.publish(e, at: drill.time) }
        XCTAssertEqual(drill.state.incidents[IncidentID("I0002")]?.category, .theft)
        drill.run(until: Recorded.start.addingTimeInterval(3600))
        let renamed = drill.source.aliases.drillID(IncidentID("I0002"))
        XCTAssertEqual(renamed, IncidentID("I0004"))
        XCTAssertEqual(drill.state.incidents[renamed]?.category, .noise, "the recorded call plays under its new id")
        XCTAssertEqual(drill.state.anomalies.duplicateIncident, 0)
        let report = drill.report()
        XCTAssertEqual(report.rows.map(\.incident.rawValue), ["I0001", "I0004", "I0003"], "the trainee's own call is not scored")
        XCTAssertEqual(report.rows[1].recordedIncident, IncidentID("I0002"))
        XCTAssertEqual(report.rows[1].day?.callToDispatch, 400)
    }
}
