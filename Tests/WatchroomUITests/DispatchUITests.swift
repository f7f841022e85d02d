import Foundation
import WatchroomCore
import WatchroomUI
import XCTest

/// The dispatch workflow's screen side: details panel, keys, alerts, cone, summary.
final class DispatchUITests: XCTestCase {
    let tz = TimeZone(identifier: "Asia/Shanghai") ?? .current
    static let incident: IncidentID = "2026-1125-0007"

    /// The knife dispute: C11 and C12 sent, P3 and C14 recommended for reinforcement.
    let state = Fixture.state([
        .unitRegistered(UnitRegistered(id: "C11", kind: .car, home: Point(x: 50, y: 0))),
        .unitRegistered(UnitRegistered(id: "C12", kind: .officerOnFoot, home: Point(x: -50, y: 0))),
        .unitRegistered(UnitRegistered(id: "P3", kind: .officerOnFoot, home: Point(x: -20, y: 30))),
        .unitRegistered(UnitRegistered(id: "C14", kind: .car, home: Point(x: 60, y: -30))),
        .incidentReported(IncidentReported(id: DispatchUITests.incident, number: "2026-1125-0007", category: .dispute,
                                           priority: 1, summary: "Consumer dispute, woman threatening with a knife",
                                           place: "永平门街 18", point: Point(x: 30, y: 20), weapon: true)),
        .dispatch(DispatchOrder(incident: DispatchUITests.incident, units: ["C11", "C12"], by: "duty")),
        .unitStatus(UnitStatusChange(unit: "C11", status: .enRoute, incident: DispatchUITests.incident)),
        .unitStatus(UnitStatusChange(unit: "C12", status: .onScene, incident: DispatchUITests.incident)),
    ])

    func model(hostile: Bool = false) -> DispatchPanelModel {
        DispatchPanelModel(
            recommendation: [
                RecommendationRow(unit: "C14", callsign: "C14", kind: .car, etaSeconds: 131, meters: 1240, straightLineMeters: 900),
                RecommendationRow(unit: "P3", callsign: "P3", kind: .officerOnFoot, etaSeconds: 305, meters: 420,
                                  straightLineMeters: 260, isCrowNearest: true),
            ],
            assigned: [
                AssignedRow(unit: "C11", callsign: "C11", status: .enRoute, etaSeconds: 62),
                AssignedRow(unit: "C12", callsign: "C12", status: .onScene),
            ],
            sinceCall: 192, sinceDispatch: 170, alert: nil, plan: "2 units, 1 car (weapon)",
            background: ["⚠ knife involved, 2025-03", "Residents: 2 (household 永平门街 18)",
                         hostile ? "past: \u{1B}[2J\u{1B}]0;pwned\u{07} evil" : "2025-03 dispute, arrest"],
            cameras: [
                CameraRow(camera: "CAM-03", name: "永平门街口", sees: true, meters: 35, online: true),
                CameraRow(camera: "CAM-07", name: "North Rd", sees: false, meters: 120, online: false),
            ],
            orderLines: [hostile ? "order \u{1B}[31mred\u{9B}1m to C11" : "19:48:40 order to C11 and C12, route via 东街"])
    }

    func render(width: Int, height: Int, ui: ConsoleUIState? = nil, dispatch: DispatchPanelModel? = nil,
                alerts: [IncidentID: AlertLevel] = [:], cone: [Point]? = nil, summary: [String]? = nil,
                observer: Bool = false, notice: String? = nil, ticker: [EventEnvelope] = []) -> Grid {
        var u = ui ?? ConsoleUIState(selection: .incident(DispatchUITests.incident))
        if ui == nil { u.viewport = crossroadsView }
        var g = Grid(width: width, height: height)
        let input = ConsoleFrameInput(map: crossroads, state: state, ui: u, now: Fixture.t0 + 200, capabilities: Fixture.unicodeCaps,
                                      precinctTimeZone: tz, ticker: ticker, dispatch: dispatch, alerts: alerts,
                                      cameraCone: cone, summaryLines: summary, observer: observer, notice: notice)
        ConsoleRenderer.render(input, into: &g)
        return g
    }

    /// The text of a rectangle of the grid.
    func region(_ g: Grid, _ r: CellRect) -> [String] {
        (r.y..<(r.y + r.height)).map { y in
            var s = ""
            for x in r.x..<(r.x + r.width) where !g[x, y].isContinuation { s += g[x, y].text }
            return s.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }

    func details(_ g: Grid) -> [String] {
        region(g, ConsoleLayout(width: g.width, height: g.height, expandDetails: true).details)
    }
}

extension DispatchUITests {
    func testDetailsAt80x24KeepWarningsRecommendationAndAssigned() {
        let g = render(width: 80, height: 24, dispatch: model())
        assertLines(details(g), [
            " P1 dispute  2026-1125-0007",
            " 永平门街 18 (weapon) · on scene",
            " ⚠ knife involved, 2025-03",
            " Fastest  ETA    road    crow",
            " C14  ■ 02:11  1.2 km   900 m",
            " P3   ● 05:05   420 m   260 m crow",
            " Assigned 2",
            " C11  ■ en route      ETA 01:02",
            " ▼ 22 more  Tab here, PgDn",
        ])
        // The warning is in the alert role.
        let r = ConsoleLayout(width: 80, height: 24, expandDetails: true).details
        XCTAssertEqual(g[r.x + 1, r.y + 2].style.role, .alert)
    }

    func testDetailsAt160x48ShowEverything() {
        let g = render(width: 160, height: 48, dispatch: model())
        assertLines(details(g), [
            " P1 dispute  2026-1125-0007",
            " 永平门街 18 (weapon) · on scene",
            " ⚠ knife involved, 2025-03",
            " Fastest  ETA    road    crow",
            " C14  ■ 02:11  1.2 km   900 m",
            " P3   ● 05:05   420 m   260 m crow-nearest",
            " Assigned 2",
            " C11  ■ en route      ETA 01:02",
            " C12  ● on scene",
            " * nearest as the crow flies, not the fastest",
            " Call 03:12 ago, dispatched 02:50 ago",
            " Plan: 2 units, 1 car (weapon)",
            " Consumer dispute, woman threatening with a",
            " knife",
            " Cameras",
            " ◉ CAM-03 永平门街口  35 m  sees it",
            "   CAM-07 North Rd  120 m  offline",
            " No video in a terminal: camera positions and",
            " fields of view only.",
            " Latest order",
            "   19:48:40 order to C11 and C12, route via 东街",
            " Background",
            "   Residents: 2 (household 永平门街 18)",
            "   2025-03 dispute, arrest",
            "",
        ])
        let r = ConsoleLayout(width: 160, height: 48, expandDetails: true).details
        // The offline camera is dimmed.
        XCTAssertEqual(g[r.x + 3, r.y + 16].style.role, .cameraOffline)
    }

    /// Off-road legs beside a unit ("+340 m off road"), and a scene far from any road flagged.
    func testDetailsShowOffRoadLegsAndFlagAFarScene() {
        var m = model()
        m.recommendation[0].offRoadMeters = 340
        m.recommendation[1].offRoadMeters = 4   // a few metres: not worth a note
        m.sceneOffRoadMeters = 320
        let g = render(width: 80, height: 24, dispatch: m)
        let lines = details(g)
        XCTAssertTrue(lines.contains(" ⚠ Scene 320 m from any road"), lines.joined(separator: "\n"))
        // No room beside the row at 80 columns: a line under the top three.
        XCTAssertTrue(lines.contains(" C14  ■ 02:11  1.2 km   900 m"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("  C14 +340 m off road"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains(" P3   ● 05:05   420 m   260 m crow"), lines.joined(separator: "\n"))
        // Wide: beside the row.
        let wide = details(render(width: 160, height: 48, dispatch: m))
        XCTAssertTrue(wide.contains(" C14  ■ 02:11  1.2 km   900 m +340 m off road"), wide.joined(separator: "\n"))
        XCTAssertTrue(wide.contains(" P3   ● 05:05   420 m   260 m crow-nearest"), wide.joined(separator: "\n"))
        let r = ConsoleLayout(width: 80, height: 24, expandDetails: true).details
        let row = lines.firstIndex(of: " ⚠ Scene 320 m from any road") ?? 0
        XCTAssertEqual(g[r.x + 1, r.y + row].style.role, .alert)
        // Within 250 m of a road: no flag; narrow panels keep the short note.
        m.sceneOffRoadMeters = 250
        let near = details(render(width: 80, height: 24, dispatch: m))
        XCTAssertFalse(near.contains { $0.contains("from any road") }, near.joined(separator: "\n"))
    }

    func testHostileBackgroundAndOrderTextStaysInert() {
        let g = render(width: 160, height: 48, dispatch: model(hostile: true))
        for c in g.cells {
            XCTAssertFalse(c.text.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) },
                           "raw control in a cell: \(c.text.debugDescription)")
        }
        let text = details(g).joined(separator: "\n")
        XCTAssertTrue(text.contains("evil"), text)
        XCTAssertTrue(text.contains("red"), text)
    }

    func testConeShadesTheMapWithoutHidingAMarker() {
        // A cone around the incident (30, 20) from a camera at the origin.
        let cone = [Point(x: 0, y: 0), Point(x: 60, y: 0), Point(x: 60, y: 45), Point(x: 0, y: 45)]
        let g = render(width: 100, height: 30, dispatch: model(), cone: cone)
        let map = ConsoleLayout(width: 100, height: 30, expandDetails: true).map
        let vp = crossroadsView
        guard let c = vp.cell(of: Point(x: 30, y: 20), width: map.width, height: map.height) else {
            return XCTFail("incident off the map")
        }
        let marker = g[map.x + c.x, map.y + c.y]
        XCTAssertEqual(marker.text, "▲")
        XCTAssertNotEqual(marker.style.role, .cameraCone)
        let shaded = (0..<map.height).flatMap { y in (0..<map.width).map { g[map.x + $0, map.y + y] } }
            .filter { $0.style.role == .cameraCone }
        XCTAssertGreaterThan(shaded.count, 10)
        // Empty ground in the cone has the cone's own glyph: it shows without colour.
        XCTAssertGreaterThan(shaded.filter { $0.text == "∴" }.count, 5)
        XCTAssertFalse(shaded.contains { $0.text == " " })
        // Outside the cone nothing is shaded.
        XCTAssertNotEqual(g[map.x + 1, map.y + map.height - 1].style.role, .cameraCone)
    }

    func testOverdueIncidentIsInAlertRoleAndStatusBarSaysAlert() {
        var ui = ConsoleUIState(viewport: crossroadsView)
        ui.selection = .none
        let g = render(width: 100, height: 30, ui: ui, alerts: [DispatchUITests.incident: .notOnScene(overdueBy: 45)])
        XCTAssertTrue(g.lines[0].contains("ALERT 1"), g.lines[0])
        let rows = ConsoleLayout(width: 100, height: 30).incidents
        let line = region(g, CellRect(x: rows.x, y: rows.y, width: rows.width, height: 1))[0]
        XCTAssertTrue(line.contains("0007"), line)
        XCTAssertEqual(g[rows.x + 1, rows.y].style.role, .alert)
        XCTAssertEqual(g[rows.x + 8, rows.y].style.role, .alert)
        let quiet = render(width: 100, height: 30, ui: ui)
        XCTAssertFalse(quiet.lines[0].contains("ALERT"))
        XCTAssertNotEqual(quiet[rows.x + 8, rows.y].style.role, .alert)
    }

    func testObserverAndNoticeAreShown() {
        let g = render(width: 120, height: 30, observer: true, notice: "C11, C12 dispatched to 2026-1125-0007")
        XCTAssertTrue(g.lines[0].contains("OBSERVER"), g.lines[0])
        XCTAssertTrue(g.lines[29].contains("C11, C12 dispatched to 2026-1125-0007"), g.lines[29])
    }

    func testTickerShowsOrdersCalmly() throws {
        let eta = ISOTime.parse("2026-11-25T19:51:02+08:00") ?? Fixture.t0
        let issued = ISOTime.parse("2026-11-25T19:48:40+08:00") ?? Fixture.t0
        let sheet = DispatchOrderSheet(unit: "C11", callsign: "C11", incident: DispatchUITests.incident, number: "2026-1125-0007",
                                       issued: issued, reinforcement: false, category: .dispute, priority: 1, summary: "knife",
                                       place: "永平门街 18", point: Point(x: 30, y: 20), weapon: true, callerName: nil, callerPhone: nil,
                                       route: OrderRoute(seconds: 142, meters: 900, eta: eta, steps: []), colleagues: [], cameras: [],
                                       traffic: [], warnings: [], notes: [])
        let e = EventEnvelope(seq: 99, time: issued, event: try Event.orderIssued(sheet, timeZone: tz))
        let g = render(width: 160, height: 48, ticker: [e])
        XCTAssertTrue(g.lines.contains { $0.contains("19:48:40 order to C11: 2026-1125-0007 永平门街 18, ETA 19:51:02") },
                      g.lines.joined(separator: "\n"))
    }

    func testSummaryOverlayScrollsAndEscCloses() {
        let lines = (1...60).map { "line \($0)" }
        var ui = ConsoleUIState(selection: .incident(DispatchUITests.incident), viewport: crossroadsView)
        let ctx = ConsoleContext(map: crossroads, state: state, width: 80, height: 24, summaryLineCount: lines.count)
        XCTAssertEqual(ConsoleController.handle(.character("s"), ui: &ui, context: ctx), parsed("summary"))
        XCTAssertEqual(ui.summaryScroll, 0)
        var g = render(width: 80, height: 24, ui: ui, summary: lines)
        XCTAssertTrue(g.lines[0].contains("Shift summary"), g.lines[0])
        XCTAssertTrue(g.lines[1].contains("line 1 "), g.lines[1])
        XCTAssertTrue(g.lines[22].contains("lines 1-20 of 60"), g.lines[22])
        XCTAssertEqual(ConsoleController.handle(.down, ui: &ui, context: ctx), .redraw)
        XCTAssertEqual(ui.summaryScroll, 1)
        _ = ConsoleController.handle(.pageDown, ui: &ui, context: ctx)
        XCTAssertEqual(ui.summaryScroll, 21)
        _ = ConsoleController.handle(.pageDown, ui: &ui, context: ctx)
        _ = ConsoleController.handle(.pageDown, ui: &ui, context: ctx)
        XCTAssertEqual(ui.summaryScroll, 40, "stops at the last page")
        g = render(width: 80, height: 24, ui: ui, summary: lines)
        XCTAssertTrue(g.lines[1].contains("line 41"), g.lines[1])
        _ = ConsoleController.handle(.pageUp, ui: &ui, context: ctx)
        XCTAssertEqual(ui.summaryScroll, 20)
        // Keys do not leak to the console underneath while it is open.
        XCTAssertNotEqual(ConsoleController.handle(.character("d"), ui: &ui, context: ctx), parsed("dispatch 2026-1125-0007"))
        XCTAssertEqual(ConsoleController.handle(.escape, ui: &ui, context: ctx), .redraw)
        XCTAssertNil(ui.summaryScroll)
        XCTAssertEqual(ui.selection, .incident(DispatchUITests.incident), "Esc closes the summary, keeps the selection")
        g = render(width: 80, height: 24, ui: ui, summary: lines)
        XCTAssertFalse(g.lines[0].contains("Shift summary"))
    }

    func testEachDispatchKeysEffect() {
        let ctx = ConsoleContext(map: crossroads, state: state, width: 100, height: 30, dispatch: model())
        func press(_ c: Character, _ ui: inout ConsoleUIState) -> ConsoleEffect {
            ConsoleController.handle(.character(c), ui: &ui, context: ctx)
        }
        var ui = ConsoleUIState(selection: .incident(DispatchUITests.incident))
        XCTAssertEqual(press("d", &ui), parsed("dispatch 2026-1125-0007"))
        XCTAssertEqual(press("r", &ui), parsed("reinforce 2026-1125-0007"))
        XCTAssertEqual(press("b", &ui), parsed("lookup incident 2026-1125-0007"))
        XCTAssertEqual(press("v", &ui), parsed("camera CAM-03"))
        XCTAssertEqual(press("v", &ui), parsed("camera CAM-07"))
        XCTAssertEqual(press("v", &ui), parsed("camera CAM-03"), "v cycles")
        XCTAssertEqual(press("x", &ui), .redraw)
        XCTAssertEqual(ui.commandLine, "close 2026-1125-0007 ")
        ui.overlay = .none
        XCTAssertEqual(press("n", &ui), .redraw)
        XCTAssertEqual(ui.intakeForm, IntakeForm())
        ui.overlay = .none
        XCTAssertEqual(press("s", &ui), parsed("summary"))
        ui.summaryScroll = nil

        // Without an incident selected: a message, nothing run.
        var none = ConsoleUIState()
        for c in "drxvb" {
            XCTAssertEqual(press(c, &none), .redraw, "\(c)")
            XCTAssertEqual(none.message, "Select an incident first (Tab to Incidents, Enter)")
        }
        XCTAssertEqual(press("n", &none), .redraw)
        XCTAssertEqual(none.intakeForm, IntakeForm())
    }

    func testClickOnARecommendationRowOnlySelects() {
        let ctx = ConsoleContext(map: crossroads, state: state, width: 100, height: 30, dispatch: model())
        let r = ConsoleLayout(width: 100, height: 30, expandDetails: true).details
        var ui = ConsoleUIState(selection: .incident(DispatchUITests.incident))
        // Row 4 of the details is the first recommendation (C14).
        let effect = ConsoleController.handle(.mouse(x: r.x + 2, y: r.y + 4, button: 0), ui: &ui, context: ctx)
        XCTAssertEqual(effect, .redraw)
        XCTAssertEqual(ui.selection, .unit("C14"))
    }

    func testEveryNewBindingIsInTheHelp() {
        var ui = ConsoleUIState()
        ui.overlay = .help
        let g = render(width: 80, height: 24, ui: ui)
        let text = g.lines.joined(separator: "\n")
        for key in ["d  r", "n  x", "v  b", "dispatch / reinforce", "new incident", "next camera", "background lookup", "shift summary"] {
            XCTAssertTrue(text.contains(key), "help misses \(key)\n" + text)
        }
        let keys = KeyTable.unicodeBindings.map(\.keys).joined(separator: " ")
        for c in ["d", "r", "n", "x", "v", "b", "s"] {
            XCTAssertTrue(keys.split(separator: " ").contains(Substring(c)), c)
        }
    }

    func testUnitSelectionShowsItsTimelineIn24HourTime() {
        var ui = ConsoleUIState(selection: .unit("C11"), viewport: crossroadsView)
        ui.focus = .map
        let g = render(width: 160, height: 48, ui: ui)
        let text = region(g, ConsoleLayout(width: 160, height: 48).details).joined(separator: "\n")
        XCTAssertTrue(text.contains("Timeline"), text)
        XCTAssertTrue(text.contains("en route 2026-1125-0007"), text)
        XCTAssertTrue(text.range(of: #"\d\d:\d\d:\d\d dispatched 2026-1125-0007"#, options: .regularExpression) != nil, text)
    }
}
