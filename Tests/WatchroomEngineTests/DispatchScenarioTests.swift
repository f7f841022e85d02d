import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomRouting
import WatchroomTestSupport
import XCTest

/// The knife-dispute example of the mission brief, end to end without a terminal.
final class DispatchScenarioTests: XCTestCase {
    private var map: PrecinctMap!

    override func setUpWithError() throws {
        map = try TestMaps.jiangbei()
    }

    private func roster(_ h: DispatchHarness) {
        // Around 永平门街 18 (-261, -595): officers on foot nearby, cars further out.
        h.register("F21", .officerOnFoot, at: Point(x: -300, y: -700))
        h.register("F22", .officerOnFoot, at: Point(x: -266, y: -450))
        h.register("F23", .officerOnFoot, at: Point(x: -600, y: -520))
        h.register("C1", .car, at: Point(x: -260, y: -300))
        h.register("C2", .car, at: Point(x: 0, y: -784))
        h.register("C3", .car, at: Point(x: -804, y: -236))
        h.register("C4", .car, at: Point(x: 500, y: 800))
        h.register("C5", .car, at: Point(x: 1200, y: 0))
    }

    func testKnifeDisputeDispatchTwoReinforceTwoCloseAndSummarise() throws {
        let h = DispatchHarness(map: map)
        roster(h)
        h.warnings = { _ in ["knife involved, 2025-03 (永平门街 18, resident 李某)"] }

        // 1. The call.
        h.advance(5)
        let new = try h.run(#"new dispute P1 at 永平门街 18 "Consumer dispute, woman threatening with a knife" caller 王女士 phone 13800001234 weapon"#)
        guard case .incidentReported(let report)? = new.events.first else { return XCTFail("\(new.events)") }
        XCTAssertEqual(report.id, "I0001")
        XCTAssertEqual(report.number, "2026-1125-0001")
        XCTAssertTrue(report.place.hasPrefix("永平门街"), report.place)
        XCTAssertTrue(report.weapon)
        XCTAssertNotNil(report.road)
        let incident = try XCTUnwrap(h.state.incidents["I0001"])
        XCTAssertEqual(h.selected, "I0001")

        // 2. The engine's recommendation equals every unit routed one by one.
        XCTAssertFalse(incident.recommendation.isEmpty, "routing core answered the call")
        let brute = h.executor.routing.rankAll(for: "I0001", in: h.state)
        XCTAssertEqual(incident.recommendation.map(\.unit), Array(brute.prefix(5)).map(\.unit))
        let view = RecommendationView.make(incident: "I0001", state: h.state, now: h.time)
        XCTAssertEqual(view.rows.first?.unit, incident.recommendation.first?.unit)
        XCTAssertTrue(view.rows.allSatisfy { $0.eta > h.time })

        // 3. One-key dispatch: the plan for a weapon is two units, at least one car.
        h.advance(40)
        let plan = ResponsePlan.plan(for: incident)
        XCTAssertEqual(plan.units, 2)
        XCTAssertEqual(plan.minCars, 1)
        let dispatched = try h.run("dispatch")
        guard case .dispatch(let order)? = dispatched.events.first else { return XCTFail("\(dispatched.events)") }
        XCTAssertEqual(order.units.count, 2)
        XCTAssertTrue(order.units.contains { h.state.units[$0]?.kind == .car }, "a car among \(order.units)")
        let first = Set(order.units)

        // 4. Orders: one per unit, with route, colleagues, cameras, warnings, masked nothing.
        let sheets = h.sheets(in: dispatched.events)
        XCTAssertEqual(sheets.map(\.unit), order.units)
        for sheet in sheets {
            XCTAssertEqual(sheet.number, "2026-1125-0001")
            XCTAssertEqual(sheet.callerPhone, "13800001234")
            XCTAssertEqual(sheet.category, .dispute)
            XCTAssertTrue(sheet.weapon)
            XCTAssertFalse(sheet.reinforcement)
            let route = try XCTUnwrap(sheet.route)
            XCTAssertGreaterThan(route.steps.count, 1)
            XCTAssertTrue(route.steps.contains { $0.street.contains("永平门街") }, "\(route.steps)")
            XCTAssertEqual(route.eta.timeIntervalSince(h.time), route.seconds, accuracy: 0.001)
            let other = try XCTUnwrap(order.units.first { $0 != sheet.unit })
            XCTAssertEqual(sheet.colleagues.first?.unit, other)
            XCTAssertEqual(sheet.colleagues.first?.assigned, true)
            XCTAssertNotNil(sheet.colleagues.first?.eta)
            XCTAssertTrue(sheet.colleagues.dropFirst().allSatisfy { !$0.assigned && !first.contains($0.unit) })
            // Cameras: those that see the scene first, then by distance; flags honest.
            XCTAssertFalse(sheet.cameras.isEmpty)
            for c in sheet.cameras {
                let cam = try XCTUnwrap(map.cameras.first { $0.key == c.camera.rawValue })
                XCTAssertEqual(c.sees, cam.sees(incident.point))
            }
            XCTAssertEqual(sheet.cameras.first?.camera, "cam27", "永平门街中段 is the nearest camera")
            XCTAssertEqual(sheet.warnings, ["knife involved, 2025-03 (永平门街 18, resident 李某)"])
            XCTAssertTrue(sheet.notes.first?.contains("weapon") == true)
            XCTAssertEqual(sheet.trafficNote, "Traffic normal on the route")
            // The wire form has ISO 8601 times with the precinct's offset.
            let json = try DispatchOrderSheet.json(sheet, timeZone: h.timeZone)
            XCTAssertTrue(json.contains(#""eta":"2026-11-25T19:"#), json)
            XCTAssertTrue(json.contains("+08:00"), json)
        }
        // The engine routed both units; the reducer shows them dispatched with routes.
        for u in order.units {
            XCTAssertEqual(h.state.units[u]?.status, .dispatched)
            XCTAssertNotNil(h.state.units[u]?.route, "route.assigned for \(u)")
        }
        XCTAssertEqual(h.state.anomalies.total, 0, "\(h.state.anomalies.recent)")

        // 5. On scene in under three minutes of game time.
        h.advance(120)
        h.arriveAll(at: "I0001")
        XCTAssertEqual(h.state.incidents["I0001"]?.status, .resourcesOnscene)

        // 6. Reinforcement: the next two fastest, none of the first two.
        h.advance(30)
        let ranking = h.executor.routing.rankAll(for: "I0001", in: h.state)
        let expected = Array(ranking.map(\.unit).prefix(2))
        let reinforce = try h.run("reinforce")
        guard case .dispatch(let second)? = reinforce.events.first else { return XCTFail() }
        XCTAssertEqual(second.units, expected)
        XCTAssertTrue(first.isDisjoint(with: second.units))
        let reinforcementSheets = h.sheets(in: reinforce.events)
        XCTAssertEqual(reinforcementSheets.count, 2)
        XCTAssertTrue(reinforcementSheets.allSatisfy(\.reinforcement))
        // The reinforcement's colleagues include the two on scene (ETA 0).
        for s in reinforcementSheets {
            let onScene = s.colleagues.filter { first.contains($0.unit) }
            XCTAssertEqual(onScene.count, 2)
            XCTAssertTrue(onScene.allSatisfy { $0.seconds == 0 && $0.status == .onScene })
        }
        let inc = try XCTUnwrap(h.state.incidents["I0001"])
        XCTAssertEqual(inc.assignedUnits.count, 4)
        XCTAssertEqual(Set(inc.assignedUnits), first.union(second.units))
        XCTAssertEqual(inc.assignedUnits.compactMap { h.state.units[$0]?.status }.filter { $0 == .onScene }.count, 2)
        XCTAssertEqual(inc.assignedUnits.compactMap { h.state.units[$0]?.status }.filter { $0 == .dispatched }.count, 2)

        // 7. Close with a disposition; units return to Available.
        h.advance(600)
        let close = try h.run(#"close I0001 11 "woman detained, knife secured""#)
        XCTAssertEqual(close.events, [.incidentClosed(IncidentClosed(id: "I0001", disposition: .arrest, note: "woman detained, knife secured"))])
        XCTAssertEqual(h.state.incidents["I0001"]?.status, .closed)
        XCTAssertTrue(first.union(second.units).allSatisfy { h.state.units[$0]?.status == .available })

        // 8. The summary has its row.
        let summary = ShiftSummary.compute(state: h.state)
        let row = try XCTUnwrap(summary.rows.first)
        XCTAssertEqual(row.callToDispatch ?? -1, 40, accuracy: 0.001)
        XCTAssertEqual(row.dispatchToArrival ?? -1, 120, accuracy: 0.001)
        XCTAssertEqual(row.callToArrival ?? -1, 160, accuracy: 0.001)
        XCTAssertEqual(row.disposition, .arrest)
        XCTAssertEqual(summary.dispatchedWithinTargetShare, 1)
        let table = summary.table(timeZone: h.timeZone)
        XCTAssertTrue(table.contains("2026-1125-0001"), table)
        XCTAssertTrue(table.contains("11 Arrest made"), table)
        XCTAssertTrue(table.contains("00:40"), table)
        XCTAssertEqual(h.state.anomalies.total, 0, "\(h.state.anomalies.recent)")
        XCTAssertTrue(h.state.anomalies.recent.isEmpty)
    }

    func testOrderSheetsMaskCallerInObserverModeAndRoundTripOnTheWire() throws {
        let h = DispatchHarness(map: map)
        roster(h)
        try h.run(#"new assault P1 at 永平门街 23 "Fight in the courtyard" caller "张 先生" phone 13912345678"#)
        let ctx = CommandContext(now: h.time, selectedIncident: "I0001", mask: { String(repeating: "*", count: $0.count) })
        let outcome = try h.executor.execute(line: "dispatch", state: h.state, context: ctx).get()
        let sheets = h.sheets(in: outcome.events)
        XCTAssertEqual(sheets.count, 2)
        XCTAssertEqual(sheets.first?.callerPhone, "***********")
        XCTAssertEqual(sheets.first?.callerName, "****")
        // The event line reads back to the same sheet and is not an anomaly in the reducer.
        let codec = EventCodec(timeZone: h.timeZone)
        for e in outcome.events { h.publish(e) }
        let lines = try h.log.suffix(outcome.events.count + 2).map { try codec.encode($0) }
        let back = try lines.map { try EventCodec.decode($0) }
        XCTAssertEqual(back.compactMap(\.event.orderSheet).count, 2)
        XCTAssertEqual(back.compactMap(\.event.orderSheet).first, sheets.first)
        XCTAssertEqual(h.state.anomalies.unknownType, 0)
        // 永平门街 23 is seen by the dome at 永平门街正街口 (11 m) and by 永平门街中段 (looking north):
        // both come first, nearest first.
        XCTAssertEqual(sheets.first?.cameras.prefix(2).map(\.camera), ["cam02", "cam27"])
        XCTAssertEqual(sheets.first?.cameras.prefix(2).map(\.sees), [true, true])
        XCTAssertFalse(sheets[0].lines(timeZone: h.timeZone).isEmpty)
    }

    func testTrafficCommandShowsOnTheNextOrdersRoute() throws {
        let h = DispatchHarness(map: map)
        roster(h)
        try h.run(#"new noise P3 at 永平门街 18 "Loud music""#)
        // Noise P3: one officer on foot within 5 minutes.
        let plan = ResponsePlan.plan(category: .noise, priority: 3, weapon: false)
        let ranked = h.executor.routing.rankAll(for: "I0001", in: h.state)
        let pick = ResponsePlanner.choose(plan: plan, ranked: ranked, units: h.state.units)
        XCTAssertEqual(pick.count, 1)
        XCTAssertEqual(h.state.units[pick[0]]?.kind, .officerOnFoot)
        // Slow one segment of the chosen car's route and dispatch that car by name.
        let car = try XCTUnwrap(ranked.first { h.state.units[$0.unit]?.kind == .car }?.unit)
        let before = try XCTUnwrap(h.executor.routing.route(XCTUnwrap(h.state.units[car]), to: XCTUnwrap(h.state.incidents["I0001"])))
        let seg = try XCTUnwrap(before.segments.dropFirst().first ?? before.segments.first)
        let key = map.segments[seg.segment].key
        let t = try h.run("traffic \(key) 3")
        XCTAssertEqual(t.events, [.trafficChanged(TrafficChanged(segment: SegmentKey(key), factor: 3))])
        let d = try h.run("dispatch I0001 \(car)")
        let sheet = try XCTUnwrap(h.sheets(in: d.events).first)
        if sheet.route.map({ r in r.steps.count }) != nil, let _ = sheet.traffic.first {
            XCTAssertEqual(sheet.traffic.first?.segment.rawValue, key)
            XCTAssertEqual(sheet.traffic.first?.factor, 3)
            XCTAssertTrue(sheet.trafficNote.hasPrefix("Slow:"), sheet.trafficNote)
        } else {
            // The detour avoided the slowed segment entirely: still an honest, empty note.
            XCTAssertEqual(sheet.trafficNote, "Traffic normal on the route")
        }
        try h.run("traffic \(key) open")
        XCTAssertTrue(h.state.traffic.isEmpty)
    }
}
