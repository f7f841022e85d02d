import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomTestSupport
import XCTest

/// Response plans, cameras at the scene, timers and alerts, closing codes and the summary.
final class DispatchRulesTests: XCTestCase {
    private let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    private func unit(_ id: UnitID, _ kind: UnitKind, status: UnitStatus = .available) -> UnitRecord {
        var s = PrecinctState()
        s.apply(EventEnvelope(seq: 1, time: t0, event: .unitRegistered(UnitRegistered(id: id, kind: kind, home: .zero, status: status))))
        return s.units[id]!
    }

    private func rec(_ id: UnitID, _ seconds: Double) -> UnitRecommendation {
        UnitRecommendation(unit: id, seconds: seconds, meters: seconds * 10, straightLineMeters: seconds * 5)
    }

    // MARK: - Plans

    func testPlansPerCategoryAndPriority() {
        XCTAssertEqual(ResponsePlan.plan(category: .dispute, priority: 1, weapon: true).units, 2)
        XCTAssertEqual(ResponsePlan.plan(category: .dispute, priority: 3, weapon: true).minCars, 1)
        XCTAssertEqual(ResponsePlan.plan(category: .assault, priority: 1, weapon: false), ResponsePlan(units: 2, minCars: 1))
        let suicide = ResponsePlan.plan(category: .suicideRisk, priority: 2, weapon: false)
        XCTAssertEqual(suicide.units, 2)
        XCTAssertEqual(suicide.minCars, 1)
        let noise = ResponsePlan.plan(category: .noise, priority: 3, weapon: false)
        XCTAssertEqual(noise.units, 1)
        XCTAssertEqual(noise.footWithinSeconds, 300)
        XCTAssertEqual(ResponsePlan.plan(category: .trafficAccident, priority: 1, weapon: false).minCars, 2)
        let fire = ResponsePlan.plan(category: .fire, priority: 2, weapon: false)
        XCTAssertEqual(fire.units, 1)
        XCTAssertEqual(fire.minCars, 1)
        XCTAssertTrue(fire.notes.contains { $0.contains("fire brigade called") })
        for c in IncidentCategory.allCases {
            for p in 1...3 {
                XCTAssertGreaterThanOrEqual(ResponsePlan.plan(category: c, priority: p, weapon: true).units, 2, "\(c) P\(p) with weapon")
            }
        }
        XCTAssertEqual(ResponsePlan(units: 2, minCars: 1).summary, "2 units, at least 1 car")
    }

    func testPlannerHonoursKinds() {
        let units: [UnitID: UnitRecord] = [
            "F1": unit("F1", .officerOnFoot), "F2": unit("F2", .officerOnFoot), "F3": unit("F3", .officerOnFoot),
            "C1": unit("C1", .car), "C2": unit("C2", .car), "X": unit("X", .car, status: .busy),
        ]
        let ranked = [rec("X", 10), rec("F1", 20), rec("F2", 30), rec("C1", 40), rec("F3", 50), rec("C2", 60)]
        // Two with at least one car: the fastest on foot, then the fastest car (not F2).
        XCTAssertEqual(ResponsePlanner.choose(plan: ResponsePlan(units: 2, minCars: 1), ranked: ranked, units: units), ["F1", "C1"])
        // Two cars.
        XCTAssertEqual(ResponsePlanner.choose(plan: ResponsePlan(units: 2, minCars: 2), ranked: ranked, units: units), ["C1", "C2"])
        // Any two.
        XCTAssertEqual(ResponsePlanner.choose(plan: ResponsePlan(units: 2), ranked: ranked, units: units), ["F1", "F2"])
        // Foot within 5 minutes, else a car.
        let noise = ResponsePlan(units: 1, footWithinSeconds: 300)
        XCTAssertEqual(ResponsePlanner.choose(plan: noise, ranked: ranked, units: units), ["F1"])
        let farFoot = [rec("C2", 100), rec("F1", 400)]
        XCTAssertEqual(ResponsePlanner.choose(plan: noise, ranked: farFoot, units: units), ["C2"])
        // Not enough cars: the fastest of the rest fill the plan.
        let onlyOneCar = [rec("F1", 10), rec("F2", 20), rec("C1", 30)]
        XCTAssertEqual(ResponsePlanner.choose(plan: ResponsePlan(units: 3, minCars: 2), ranked: onlyOneCar, units: units), ["F1", "F2", "C1"])
        XCTAssertEqual(ResponsePlanner.choose(plan: ResponsePlan(units: 2, minCars: 1), ranked: [], units: units), [])
        // Reinforcement.
        XCTAssertEqual(ResponsePlanner.nextFastest(count: 2, ranked: ranked, units: units, excluding: ["F1", "C1"]), ["F2", "F3"])
        XCTAssertEqual(ResponsePlanner.nextFastest(count: 9, ranked: ranked, units: units, excluding: []), ["F1", "F2", "C1", "F3", "C2"])
    }

    // MARK: - Cameras

    func testCamerasAtTheSceneInViewAndCone() throws {
        let map = try TestMaps.jiangbei()
        var state = PrecinctState()
        // 永平门街 23 (-277.5, -505.6): seen by cam02 (dome, 11 m) and cam27 (looking north).
        let p = Point(x: -277.5, y: -505.6)
        state.apply(EventEnvelope(seq: 1, time: t0, event: .cameraStatus(CameraStatus(camera: "cam27", online: false))))
        let hits = CameraQuery.forIncident(point: p, map: map, state: state, limit: 5)
        XCTAssertEqual(hits.count, 5)
        XCTAssertEqual(hits.prefix(2).map(\.camera.key), ["cam02", "cam27"])
        XCTAssertEqual(hits.map(\.sees), [true, true, false, false, false])
        XCTAssertEqual(hits[1].online, false)
        XCTAssertTrue(hits[0].online)
        XCTAssertTrue(zip(hits.dropFirst(2), hits.dropFirst(3)).allSatisfy { $0.distance <= $1.distance })
        XCTAssertEqual(hits[0].distance, hits[0].camera.position.distance(to: p), accuracy: 1e-9)

        // What cam27 sees now: a unit and an incident placed in its view, one outside.
        let cam = try XCTUnwrap(map.cameras.first { $0.key == "cam27" })
        state.apply(EventEnvelope(seq: 2, time: t0, event: .unitRegistered(UnitRegistered(id: "in", kind: .car, home: Point(x: -280, y: -520)))))
        state.apply(EventEnvelope(seq: 3, time: t0, event: .unitRegistered(UnitRegistered(id: "behind", kind: .car, home: Point(x: -282, y: -620)))))
        state.apply(EventEnvelope(seq: 4, time: t0, event: .incidentReported(IncidentReported(id: "I1", category: .theft, priority: 2, summary: "", place: "23", point: p))))
        state.apply(EventEnvelope(seq: 5, time: t0, event: .incidentReported(IncidentReported(id: "I2", category: .theft, priority: 2, summary: "", place: "18", point: Point(x: -261.2, y: -594.9)))))
        let view = CameraQuery.inView(camera: cam, state: state)
        XCTAssertEqual(view.units, ["in"])
        XCTAssertEqual(view.incidents, ["I1"])

        // The cone: apex at the camera, arc points at its range, within its field of view.
        let cone = CameraQuery.cone(camera: cam)
        XCTAssertEqual(cone.first, cam.position)
        XCTAssertEqual(cone.count, 1 + 7)
        for q in cone.dropFirst() {
            XCTAssertEqual(q.distance(to: cam.position), cam.range, accuracy: 1e-6)
            XCTAssertTrue(cam.sees(Point(x: cam.position.x + (q.x - cam.position.x) * 0.99, y: cam.position.y + (q.y - cam.position.y) * 0.99)))
        }
        let dome = try XCTUnwrap(map.cameras.first { $0.key == "cam02" })
        let circle = CameraQuery.cone(camera: dome)
        XCTAssertEqual(circle.count, 36)
        XCTAssertFalse(circle.contains(dome.position))
    }

    // MARK: - Alerts and timers

    private func incidentState(_ events: [(Double, Event)]) -> PrecinctState {
        var s = PrecinctState()
        var seq: UInt64 = 0
        for (t, e) in events {
            seq += 1
            s.apply(EventEnvelope(seq: seq, time: t0.addingTimeInterval(t), event: e))
        }
        return s
    }

    private func report(_ id: IncidentID, _ p: Int) -> Event {
        .incidentReported(IncidentReported(id: id, category: .dispute, priority: p, summary: "", place: "x", point: .zero))
    }

    func testAlertsPerPriorityAndTimers() {
        let s = incidentState([
            (0, .unitRegistered(UnitRegistered(id: "C1", kind: .car, home: .zero))),
            (0, report("I1", 1)),              // P1, never dispatched
            (10, report("I2", 1)),             // P1, dispatched at 30 s, nobody on scene
            (30, .dispatch(DispatchOrder(incident: "I2", units: ["C1"], by: "t"))),
            (20, report("I3", 2)),             // P2, 100 s old at the check: within 3 min
            (0, report("I4", 3)),              // P3
        ])
        let alertsAt70 = Alerts.evaluate(state: s, now: t0.addingTimeInterval(70), policy: .standard)
        XCTAssertEqual(alertsAt70, [IncidentAlert(incident: "I1", priority: 1, kind: .notDispatched, overdueBy: 10)])
        let at600 = Alerts.evaluate(state: s, now: t0.addingTimeInterval(600))
        XCTAssertEqual(at600.map(\.incident), ["I1", "I2", "I3"])
        XCTAssertEqual(at600.map(\.kind), [.notDispatched, .notOnScene, .notDispatched])
        XCTAssertEqual(at600[1].overdueBy, 600 - 10 - 480, accuracy: 1e-9)
        XCTAssertEqual(at600[2].overdueBy, 600 - 20 - 180, accuracy: 1e-9)
        // A stricter policy flags earlier.
        var strict = AlertPolicy.standard
        strict.p3 = AlertPolicy.Limits(dispatchWithin: 60, onSceneWithin: 120)
        XCTAssertTrue(Alerts.evaluate(state: s, now: t0.addingTimeInterval(61), policy: strict).contains { $0.incident == "I4" })
        XCTAssertEqual(AlertPolicy.standard.limits(priority: 1).dispatchWithin, 60)
        XCTAssertEqual(AlertPolicy.standard.limits(priority: 1).onSceneWithin, 480)

        let timers = Alerts.timers(state: s, now: t0.addingTimeInterval(100))
        XCTAssertEqual(timers.map(\.incident), ["I1", "I2", "I3", "I4"])
        XCTAssertEqual(timers[1].sinceCall, 90, accuracy: 1e-9)
        XCTAssertEqual(timers[1].sinceDispatch ?? -1, 70, accuracy: 1e-9)
        XCTAssertNil(timers[0].sinceDispatch)
    }

    // MARK: - Closing and summary

    func testDispositionCodes() {
        XCTAssertEqual(DispositionCode.find("11")?.disposition, .arrest)
        XCTAssertEqual(DispositionCode.find("GOA")?.code, "30")
        XCTAssertEqual(DispositionCode.find("gone-on-arrival")?.code, "30")
        XCTAssertEqual(DispositionCode.find("cancelled")?.code, "60")
        XCTAssertEqual(DispositionCode.find(Disposition.report)?.label, "Report taken")
        XCTAssertNil(DispositionCode.find("99"))
        XCTAssertEqual(Set(DispositionCode.all.map(\.code)).count, DispositionCode.all.count)
        XCTAssertTrue(DispositionCode.all.allSatisfy { $0.code.count == 2 })
    }

    func testSummaryMediansPercentilesAndNFPA() throws {
        // Five incidents: dispatched after 30, 45, 50, 90 s and one never; arrivals 200 s after dispatch.
        var events: [(Double, Event)] = []
        let delays: [Double?] = [30, 45, 50, 90, nil]
        for (k, d) in delays.enumerated() {
            let u = UnitID("C\(k)"), i = IncidentID("I\(k)")
            let base = Double(k) * 1000
            events.append((base, .unitRegistered(UnitRegistered(id: u, kind: .car, home: .zero))))
            events.append((base, report(i, 1)))
            if let d {
                events.append((base + d, .dispatch(DispatchOrder(incident: i, units: [u], by: "t"))))
                events.append((base + d + 200, .unitArrived(UnitArrived(unit: u, incident: i))))
                events.append((base + d + 500, .incidentClosed(IncidentClosed(id: i, disposition: .report))))
            }
        }
        let s = incidentState(events)
        let sum = ShiftSummary.compute(state: s)
        XCTAssertEqual(sum.rows.count, 5)
        XCTAssertEqual(sum.callToDispatch.count, 4)
        XCTAssertEqual(sum.callToDispatch.median ?? 0, 47.5, accuracy: 1e-9)
        XCTAssertEqual(sum.callToDispatch.p90 ?? 0, 78, accuracy: 1e-9)   // 50 + 0.7 × 40
        XCTAssertEqual(sum.dispatchToArrival.median ?? 0, 200, accuracy: 1e-9)
        XCTAssertEqual(sum.callToArrival.median ?? 0, 247.5, accuracy: 1e-9)
        XCTAssertEqual(sum.dispatchedWithinTargetShare ?? 0, 0.75, accuracy: 1e-9)
        XCTAssertEqual(sum.meetsNFPA1225, false)
        XCTAssertTrue(sum.rows[4].open)
        XCTAssertNil(sum.rows[4].callToDispatch)
        let table = sum.table(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        XCTAssertTrue(table.contains("Median"), table)
        // The offset once, in the header; the columns still line up under it.
        let tableLines = table.split(separator: "\n").map(String.init)
        XCTAssertTrue(tableLines[0].hasPrefix("Incident        Call +08:00     Category"), table)
        let headerEnd = try XCTUnwrap(tableLines[0].range(of: "Call>Disp")?.upperBound.utf16Offset(in: tableLines[0]))
        let median = try XCTUnwrap(tableLines.first { $0.hasPrefix("Median") })
        XCTAssertEqual(median.count >= headerEnd ? median.prefix(headerEnd).last?.isNumber : nil, true, table)
        XCTAssertTrue(table.contains("90th percentile"), table)
        XCTAssertTrue(table.contains("Dispatched within 60 s: 75% of 4 (NFPA 1225 target 90%: not met)"), table)
        XCTAssertTrue(table.contains("10 Report taken"), table)
        XCTAssertTrue(table.contains("(open)"), table)
        XCTAssertEqual(ShiftSummary.percentile([], 50), nil)
        XCTAssertEqual(ShiftSummary.percentile([7], 90), 7)
        XCTAssertEqual(ShiftSummary.compute(state: PrecinctState()).dispatchedWithinTargetShare, nil)
    }

    // MARK: - Executor errors and console actions

    func testExecutorRefusesClearlyAndReturnsConsoleActions() throws {
        let map = try TestMaps.jiangbei()
        let h = DispatchHarness(map: map)
        h.register("C1", .car, at: Point(x: -260, y: -300))
        func fails(_ line: String) -> String {
            let ctx = CommandContext(now: h.time, selectedIncident: h.selected)
            if case .failure(let e) = h.executor.execute(line: line, state: h.state, context: ctx) { return e.message }
            XCTFail("\(line) succeeded")
            return ""
        }
        XCTAssertTrue(fails("dispatch").contains("no incident selected"))
        XCTAssertTrue(fails("new theft P2 at Nowhere Street 99").contains("no place matches"), fails("new theft P2 at Nowhere Street 99"))
        XCTAssertTrue(fails("new theft P2 at 永平门街 999").contains("has no number 999"))
        try h.run(#"new theft P2 at 江北城大街 & 永平门街 "bag snatched""#)
        XCTAssertEqual(h.state.incidents["I0001"]?.place.contains("&"), true)
        XCTAssertTrue(fails("dispatch I0001 Z9").contains("no unit Z9"))
        XCTAssertTrue(fails("dispatch I9").contains("no incident 'I9'"))
        try h.run("dispatch I0001 C1")
        XCTAssertTrue(fails("dispatch I0001 C1").hasPrefix("C1 already assigned to "))
        XCTAssertTrue(fails("dispatch").contains("use reinforce"))
        XCTAssertTrue(fails("reinforce").contains("no more available units"))
        XCTAssertTrue(fails("traffic s99999 2").contains("no segment"))
        XCTAssertTrue(fails("camera cam99").contains("no camera cam99"))
        XCTAssertTrue(fails("status Z9 Busy").contains("no unit Z9"))
        XCTAssertTrue(fails("select nothing").contains("no incident or unit"))
        XCTAssertTrue(fails("help nothing").contains("no command"))

        let ctx = CommandContext(now: h.time, selectedIncident: h.selected)
        func action(_ line: String) throws -> ConsoleAction? { try h.executor.execute(line: line, state: h.state, context: ctx).get().action }
        XCTAssertEqual(try action("select C1"), .selectUnit("C1"))
        XCTAssertEqual(try action("select #1"), .selectIncident("I0001"))
        XCTAssertEqual(try action("select 2026-1125-0001"), .selectIncident("I0001"))
        XCTAssertEqual(try action("camera cam27"), .showCamera("cam27"))
        XCTAssertTrue(try h.executor.execute(line: "camera cam27", state: h.state, context: ctx).get().message.contains("no video in a terminal"))
        XCTAssertEqual(try action("lookup phone 13800001234"), .lookup(.phone("13800001234")))
        XCTAssertEqual(try action("speed 10"), .setSpeed(10))
        XCTAssertEqual(try action("pause"), .pause)
        XCTAssertEqual(try action("resume"), .resume)
        XCTAssertEqual(try action("summary"), .showSummary)
        if case .goto(let label, _)? = try action("goto 永平门街 18") { XCTAssertTrue(label.hasPrefix("永平门街")) } else { XCTFail() }
        if case .showHelp(let lines)? = try action("help") { XCTAssertEqual(lines, CommandParser.helpLines()) } else { XCTFail() }

        let status = try h.executor.execute(line: "status C1 EnRoute", state: h.state, context: ctx).get()
        XCTAssertEqual(status.events, [.unitStatus(UnitStatusChange(unit: "C1", status: .enRoute, incident: "I0001"))])
        try h.run("close #1 cancelled")
        XCTAssertEqual(h.state.incidents["I0001"]?.disposition, .cancelled)
        XCTAssertTrue(fails("close I0001 11").contains("already closed"))
        XCTAssertTrue(fails("dispatch I0001").contains("is closed"))
        // The next incident gets the next id and number.
        try h.run("new noise P3 at 永平门街 18")
        XCTAssertEqual(h.state.incidents["I0002"]?.number, "2026-1125-0002")
        XCTAssertEqual(h.state.incidents["I0002"]?.summary, "noise")
    }
}
