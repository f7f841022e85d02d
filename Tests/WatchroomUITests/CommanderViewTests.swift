import Foundation
import WatchroomCore
import WatchroomTestSupport
import WatchroomUI
import XCTest

/// Issue 11 items 1 and 2: the whole precinct at start, nothing open out of sight.
final class CommanderViewTests: XCTestCase {
    private func frame(_ map: PrecinctMap, _ state: PrecinctState, ui: ConsoleUIState, width: Int, height: Int,
                       caps: TerminalCapabilities = Fixture.unicodeCaps, blinkPhase: Bool = true) -> Grid {
        var g = Grid(width: width, height: height)
        let input = ConsoleFrameInput(map: map, state: state, ui: ui, now: Fixture.t0, capabilities: caps,
                                      blinkPhase: blinkPhase)
        ConsoleRenderer.render(input, into: &g)
        return g
    }

    private func mapRect(width: Int, height: Int) -> CellRect { ConsoleLayout(width: width, height: height).map }

    func testTheDefaultViewFitsEveryRoadAtEverySize() throws {
        let map = try TestMaps.jiangbei()
        for (w, h) in [(80, 24), (120, 40), (160, 48), (200, 60)] {
            let rect = mapRect(width: w, height: h)
            let context = ConsoleContext(map: map, state: PrecinctState(), width: w, height: h)
            let vp = ConsoleController.currentViewport(ConsoleUIState(), context)
            for node in map.intersections {
                XCTAssertNotNil(vp.cell(of: node.position, width: rect.width, height: rect.height), "\(w)x\(h): \(node.key)")
            }
            // Fitted, not merely small: the roads reach at least one pair of opposite edges.
            let cols = map.intersections.map { vp.column(of: $0.position, width: rect.width) }
            let rows = map.intersections.map { vp.row(of: $0.position, height: rect.height) }
            let spanX = (cols.max() ?? 0) - (cols.min() ?? 0), spanY = (rows.max() ?? 0) - (rows.min() ?? 0)
            XCTAssertTrue(spanX > Double(rect.width) * 0.85 || spanY > Double(rect.height) * 0.85,
                          "\(w)x\(h): \(spanX) of \(rect.width) cols, \(spanY) of \(rect.height) rows")
            let g = frame(map, PrecinctState(), ui: ConsoleUIState(), width: w, height: h)
            XCTAssertTrue(g.lines.contains { $0.contains("whole precinct") }, "\(w)x\(h)")
        }
    }

    func testPanIsAQuarterOfTheViewAndNeverLosesThePrecinct() throws {
        let map = try TestMaps.jiangbei()
        let (w, h) = (160, 48)
        let rect = mapRect(width: w, height: h)
        let context = ConsoleContext(map: map, state: PrecinctState(), width: w, height: h)
        var ui = ConsoleUIState()
        // Zoomed in twice, so there is somewhere to pan.
        for key in [Key.character("+"), .character("+")] { _ = ConsoleController.handle(key, ui: &ui, context: context) }
        let start = try XCTUnwrap(ui.viewport)
        _ = ConsoleController.handle(.right, ui: &ui, context: context)
        let moved = try XCTUnwrap(ui.viewport)
        XCTAssertEqual((moved.centre.x - start.centre.x) / start.metresPerColumn, Double(rect.width / 4), accuracy: 0.01)
        let roads = map.roadBounds()
        for key in [Key.right, .up, .left, .down] {
            for _ in 0..<12 {
                _ = ConsoleController.handle(key, ui: &ui, context: context)
                let vp = try XCTUnwrap(ui.viewport)
                let west = vp.point(atColumn: 0, row: 0, width: rect.width, height: rect.height)
                let east = vp.point(atColumn: rect.width - 1, row: rect.height - 1, width: rect.width, height: rect.height)
                // The view never leaves the roads' box: the precinct fills the panel.
                XCTAssertGreaterThanOrEqual(west.x, roads.min.x - vp.metresPerColumn, "\(key)")
                XCTAssertLessThanOrEqual(east.x, roads.max.x + vp.metresPerColumn, "\(key)")
                XCTAssertLessThanOrEqual(west.y, roads.max.y + vp.metresPerRow, "\(key)")
                XCTAssertGreaterThanOrEqual(east.y, roads.min.y - vp.metresPerRow, "\(key)")
            }
        }
        // Zoomed far out, the whole precinct stays in view wherever it was.
        for _ in 0..<6 { _ = ConsoleController.handle(.character("-"), ui: &ui, context: context) }
        for _ in 0..<6 { _ = ConsoleController.handle(.left, ui: &ui, context: context) }
        let far = try XCTUnwrap(ui.viewport)
        for node in map.intersections {
            XCTAssertNotNil(far.cell(of: node.position, width: rect.width, height: rect.height), node.key)
        }
        _ = ConsoleController.handle(.character("0"), ui: &ui, context: context)
        XCTAssertNil(ui.viewport, "0 returns to the whole precinct")
    }

    private func incidents(_ list: [(String, Int, Point)]) -> PrecinctState {
        Fixture.state(list.map { id, p, point in
            .incidentReported(IncidentReported(id: IncidentID(id), category: .theft, priority: p, summary: "x",
                                               place: "y", point: point))
        })
    }

    func testOpenIncidentsOutOfViewGetEdgeArrowsWithCountsAndPriorityColour() {
        // crossroads at 10 m/col centred on the origin: a 100x30 console's map spans a few hundred metres.
        let state = incidents([("I1", 1, Point(x: 5_000, y: 0)), ("I2", 3, Point(x: 4_000, y: 100)),
                               ("I3", 2, Point(x: 0, y: 4_000)), ("I4", 3, Point(x: 0, y: 0))])
        var ui = ConsoleUIState()
        ui.viewport = MapViewport(centre: .zero, metresPerColumn: 10)
        let (w, h) = (100, 30)
        let rect = mapRect(width: w, height: h)
        let g = frame(crossroads, state, ui: ui, width: w, height: h)
        // East: two incidents, the P1 is the one shown, with the count.
        let eastRow = (rect.y..<rect.y + rect.height).first { y in g[rect.x + rect.width - 1, y].text == "⇒" }
        let ey = try? XCTUnwrap(eastRow, g.lines.joined(separator: "\n"))
        if let ey {
            XCTAssertEqual(g[rect.x + rect.width - 2, ey].text, "2", g.lines[ey])
            XCTAssertEqual(g[rect.x + rect.width - 1, ey].style.role, .incidentP1)
            XCTAssertTrue(g[rect.x + rect.width - 1, ey].style.attributes.contains(.blink))
        }
        // North: one P2, no count, no blink.
        let northX = (rect.x..<rect.x + rect.width).first { x in g[x, rect.y].text == "⇑" }
        if let nx = northX {
            XCTAssertEqual(g[nx, rect.y].style.role, .incidentP2)
            XCTAssertFalse(g[nx, rect.y].style.attributes.contains(.blink))
            XCTAssertNotEqual(g[nx + 1, rect.y].text, "1")
        } else {
            XCTFail("no arrow on the north edge:\n" + g.lines.joined(separator: "\n"))
        }
        // Nothing south or west; the incident in view is drawn where it is.
        XCTAssertFalse((rect.x..<rect.x + rect.width).contains { g[$0, rect.y + rect.height - 1].text == "⇓" })
        XCTAssertFalse((rect.y..<rect.y + rect.height).contains { g[rect.x, $0].text == "⇐" })
        // ASCII and no colour: still there, as letters.
        let a = frame(crossroads, state, ui: ui, width: w, height: h, caps: Fixture.asciiCaps)
        XCTAssertTrue((rect.y..<rect.y + rect.height).contains { a[rect.x + rect.width - 1, $0].text == ">" })
        XCTAssertTrue((rect.x..<rect.x + rect.width).contains { a[$0, rect.y].text == "^" })
        // In the whole-precinct view nothing is out of sight.
        let fitted = frame(crossroads, incidents([("I4", 3, Point(x: 0, y: 0))]), ui: ConsoleUIState(), width: w, height: h)
        XCTAssertFalse(fitted.lines.joined().contains("⇒"))
    }

    func testANewP1OutOfViewPansToItKeepingTheZoomUnlessFollowIsOff() {
        let (w, h) = (100, 30)
        let context = ConsoleContext(map: crossroads, state: PrecinctState(), width: w, height: h)
        var ui = ConsoleUIState()
        ui.viewport = MapViewport(centre: .zero, metresPerColumn: 10)
        let far = Point(x: 2_000, y: -300)
        XCTAssertTrue(ConsoleController.follow(newPriorityOneAt: far, ui: &ui, context: context))
        let rect = mapRect(width: w, height: h)
        let vp = ui.viewport ?? MapViewport(centre: .zero, metresPerColumn: 1)
        XCTAssertEqual(vp.metresPerColumn, 10, "the zoom is kept")
        XCTAssertNotNil(vp.cell(of: far, width: rect.width, height: rect.height))
        // Already in view: nothing moves.
        XCTAssertFalse(ConsoleController.follow(newPriorityOneAt: far, ui: &ui, context: context))
        // :follow off
        _ = ConsoleController.handle(.character(":"), ui: &ui, context: context)
        for c in "follow off" { _ = ConsoleController.handle(.character(c), ui: &ui, context: context) }
        _ = ConsoleController.handle(.enter, ui: &ui, context: context)
        XCTAssertFalse(ui.follow)
        XCTAssertEqual(ui.message?.hasPrefix("Follow off"), true)
        let before = ui.viewport
        XCTAssertFalse(ConsoleController.follow(newPriorityOneAt: Point(x: -3_000, y: 0), ui: &ui, context: context))
        XCTAssertEqual(ui.viewport, before)
    }

    /// A P2 raised to P1 by an `incident.updated` is a new P1 as much as one reported so:
    /// the map follows it (and the bell rings) once per incident, never for a closed one.
    func testAnIncidentRaisedToP1IsANewP1Once() {
        let far = Point(x: 2_000, y: -300)
        var watch = PriorityOneWatch()
        let reportedP2 = Event.incidentReported(IncidentReported(id: "I1", category: .theft, priority: 2, summary: "x",
                                                                  place: "y", point: far))
        var state = Fixture.state([reportedP2])
        XCTAssertNil(watch.newPriorityOne(reportedP2, state: state), "a P2 is not followed")
        // An update that says nothing of the priority, or keeps it at 2: nothing.
        XCTAssertNil(watch.newPriorityOne(.incidentUpdated(IncidentUpdated(id: "I1", note: "more")), state: state))
        XCTAssertNil(watch.newPriorityOne(.incidentUpdated(IncidentUpdated(id: "I1", priority: 2)), state: state))
        // Raised to P1 (the update carries no point): the incident's own point, once.
        let raised = Event.incidentUpdated(IncidentUpdated(id: "I1", priority: 1))
        state = Fixture.state([reportedP2, raised])
        XCTAssertEqual(watch.newPriorityOne(raised, state: state), far)
        XCTAssertNil(watch.newPriorityOne(raised, state: state), "the same P1 again is not new")
        // Reported as P1: once too, and an update restating P1 afterwards is not new.
        let p1 = Event.incidentReported(IncidentReported(id: "I2", category: .theft, priority: 1, summary: "x",
                                                          place: "y", point: Point(x: 5, y: 5)))
        XCTAssertEqual(watch.newPriorityOne(p1, state: Fixture.state([p1])), Point(x: 5, y: 5))
        XCTAssertNil(watch.newPriorityOne(.incidentUpdated(IncidentUpdated(id: "I2", priority: 1)), state: Fixture.state([p1])))
        // A closed incident raised afterwards (a late update): not followed.
        let r3 = Event.incidentReported(IncidentReported(id: "I3", category: .theft, priority: 3, summary: "x",
                                                          place: "y", point: far))
        let closed = Fixture.state([r3, .incidentClosed(IncidentClosed(id: "I3", disposition: .resolved))])
        XCTAssertNil(watch.newPriorityOne(.incidentUpdated(IncidentUpdated(id: "I3", priority: 1)), state: closed))
        // And the follow itself: the raised P1 out of view brings the map to it.
        let (w, h) = (100, 30)
        var ui = ConsoleUIState()
        ui.viewport = MapViewport(centre: .zero, metresPerColumn: 10)
        var fresh = PriorityOneWatch()
        _ = fresh.newPriorityOne(reportedP2, state: state)
        let point = fresh.newPriorityOne(raised, state: state)
        let context = ConsoleContext(map: crossroads, state: state, width: w, height: h)
        XCTAssertTrue(ConsoleController.follow(newPriorityOneAt: point ?? .zero, ui: &ui, context: context))
        let rect = mapRect(width: w, height: h)
        XCTAssertNotNil(ui.viewport?.cell(of: far, width: rect.width, height: rect.height))
    }

    /// The bottom bar's key hints are whole at any width: the `b` hint was cut by the road
    /// under the map's centre at 120 columns ("b backg").
    func testKeyHintsAreNeverCutInHalf() {
        let full = KeyTable.liveHints.map(\.hint)
        for width in 40...140 {
            let text = KeyTable.hintLine(width: width)
            XCTAssertLessThanOrEqual(DisplayWidth.of(text), width, "\(width): \(text)")
            let shown = text.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ")
            for hint in shown { XCTAssertTrue(full.contains(hint), "\(width): '\(hint)' is not a whole hint") }
            XCTAssertEqual(shown.first, "? help", "\(width)")
            XCTAssertEqual(shown.last, "q quit", "\(width)")
            // In their own order.
            XCTAssertEqual(shown, full.filter(shown.contains), "\(width)")
        }
        XCTAssertEqual(KeyTable.hintLine(width: 200).trimmingCharacters(in: .whitespaces).components(separatedBy: "  "), full)
        // At 120 columns with a long road name on the right, `b background` is whole or absent.
        var input = ConsoleFrameInput(map: crossroads, state: PrecinctState(), ui: ConsoleUIState(), now: Fixture.t0,
                                      capabilities: Fixture.unicodeCaps)
        input.roadAtCentre = "望津街 (Wangjin Street) · e91"
        var g = Grid(width: 120, height: 40)
        ConsoleRenderer.render(input, into: &g)
        let bottom = g.lines[39]
        XCTAssertTrue(bottom.contains("⌖ 望津街 (Wangjin Street) · e91"), bottom)
        XCTAssertFalse(bottom.range(of: #"b backg(?!round)|b b?a?$"#, options: .regularExpression) != nil, bottom)
        for hint in ["? help", "d dispatch", "q quit"] { XCTAssertTrue(bottom.contains(hint), bottom) }
    }

    /// A busy night's queue row: a long place keeps its weapon mark, and a romanized name
    /// in brackets is left out whole rather than cut to "(Xidon".
    func testTheQueueKeepsTheWeaponMarkAndNeverCutsARomanizedName() {
        let state = Fixture.state([
            .incidentReported(IncidentReported(id: "I1", category: .dispute, priority: 1, summary: "knife",
                                               place: "溪东小学 (Xidong Primary School)", point: .zero, weapon: true)),
            .incidentReported(IncidentReported(id: "I2", category: .theft, priority: 3, summary: "bike",
                                               place: "溪东小学 (Xidong Primary School)", point: .zero)),
        ])
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            let input = ConsoleFrameInput(map: crossroads, state: state, ui: ConsoleUIState(), now: Fixture.t0,
                                          capabilities: Fixture.unicodeCaps)
            var g = Grid(width: w, height: h)
            ConsoleRenderer.render(input, into: &g)
            let rows = g.lines.filter { $0.contains("溪东小学") }
            XCTAssertEqual(rows.count, 2, g.lines.joined(separator: "\n"))
            for row in rows {
                XCTAssertTrue(row.contains("(Xidong Primary School)") || !row.contains("(Xi"), "\(w)x\(h): \(row)")
            }
            XCTAssertTrue(rows.contains { $0.contains("(weapon)") || $0.contains("溪东小学 ⚠") }, "\(w)x\(h): \(rows)")
        }
        // On an ASCII screen the place arrives transliterated; the map's own romanized
        // name is the one kept.
        let ascii = Fixture.state([
            .incidentReported(IncidentReported(id: "I1", category: .dispute, priority: 1, summary: "knife",
                                               place: "Xi Dong Xiao Xue (Xidong School)", point: .zero, weapon: true)),
        ])
        let input = ConsoleFrameInput(map: crossroads, state: ascii, ui: ConsoleUIState(), now: Fixture.t0,
                                      capabilities: Fixture.asciiCaps)
        var g = Grid(width: 80, height: 24)
        ConsoleRenderer.render(input, into: &g)
        let row = g.lines.first { $0.contains("P1 ") && $0.contains("Xidong") } ?? g.lines.joined(separator: "\n")
        XCTAssertNotNil(row.range(of: #"Xidong S[a-z]* (!|\(weapon\))"#, options: .regularExpression), row)
        XCTAssertFalse(row.contains("Xi Dong Xi"), row)
    }

    /// `b` with nothing on record: a box as large as its line, the map and panels around it
    /// still in sight; a long report still gets the whole screen and scrolls.
    func testAShortOverlayLeavesTheConsoleInSight() {
        var ui = ConsoleUIState()
        ui.summaryScroll = 0
        var input = ConsoleFrameInput(map: crossroads, state: PrecinctState(), ui: ui, now: Fixture.t0,
                                      capabilities: Fixture.unicodeCaps)
        input.summaryTitle = "Background — 星光大道 1 / 138-0000-7409"
        input.summaryLines = ["Nothing on record for 星光大道 1 / 138-0000-7409."]
        var g = Grid(width: 120, height: 40)
        ConsoleRenderer.render(input, into: &g)
        let top = g.lines.firstIndex { $0.contains("Background — 星光大道 1") }
        XCTAssertNotNil(top, g.lines.joined(separator: "\n"))
        let box = g.lines.indices.filter { g.lines[$0].contains("│ Nothing on record") || g.lines[$0].contains("Esc closes") }
        XCTAssertEqual(box.count, 2, g.lines.joined(separator: "\n"))
        XCTAssertTrue(g.lines[0].contains("LIVE"), "the status bar shows: \(g.lines[0])")
        XCTAssertTrue(g.lines.contains { $0.contains("Incidents") }, "the panels show")
        XCTAssertFalse(g.lines.joined().contains("PgDn scroll"), "nothing to scroll")
        // Sixty lines: the whole screen, scrolling offered.
        input.summaryLines = (1...60).map { "line \($0)" }
        var h = Grid(width: 120, height: 40)
        ConsoleRenderer.render(input, into: &h)
        XCTAssertTrue(h.lines[0].contains("Background"), h.lines[0])
        XCTAssertTrue(h.lines[38].contains("lines 1-36 of 60"), h.lines[38])
    }

    // MARK: - Item 6, item 8 (too small)

    func testTheShiftClockReadsAsADurationBesideTheTimeOfDay() {
        XCTAssertEqual(DurationText.hoursMinutes(15 * 60 + 59), "0h15m")
        XCTAssertEqual(DurationText.hoursMinutes(2 * 3600 + 3 * 60), "2h03m")
        XCTAssertEqual(DurationText.hoursMinutes(26 * 3600), "26h00m")
        XCTAssertEqual(DurationText.hoursMinutes(-90), "-0h01m")
        XCTAssertEqual(DurationText.hoursMinutes(.infinity), "--")
        XCTAssertEqual(DurationText.hoursMinutes(1e300).hasSuffix("m"), true, "huge values do not trap")
    }

    func testTooSmallWrapsToFitEverySizeDownTo20x8() {
        for w in stride(from: 20, through: 79, by: 3) {
            for h in stride(from: 8, through: 23, by: 3) {
                var g = Grid(width: w, height: h)
                let input = ConsoleFrameInput(map: crossroads, state: PrecinctState(), ui: ConsoleUIState(), now: Fixture.t0,
                                              capabilities: Fixture.unicodeCaps)
                ConsoleRenderer.render(input, into: &g)
                let words = g.lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let text = words.joined(separator: " ")
                XCTAssertTrue(text.contains("\(w)x\(h)"), "\(w)x\(h): \(g.lines)")
                XCTAssertTrue(text.contains("80x24"), "\(w)x\(h): \(g.lines)")
                XCTAssertTrue(text.lowercased().contains("too small"), "\(w)x\(h): \(g.lines)")
                XCTAssertTrue(text.contains("q"), "\(w)x\(h): \(g.lines)")
            }
        }
    }

    // MARK: - Item 7

    func testRomanizerNeverLeavesANameOutOfASCII() throws {
        XCTAssertEqual(Romanizer.ascii("永平门街 23"), "Yong Ping Men Jie 23")
        XCTAssertEqual(Romanizer.ascii("cam02 永平门街正街口"), "cam02 Yong Ping Men Jie Zheng Jie Kou")
        XCTAssertEqual(Romanizer.ascii("Plain text"), "Plain text")
        XCTAssertEqual(Romanizer.ascii("⚠ knife · 2025"), "! knife - 2025")
        let map = try TestMaps.jiangbei().romanized()
        let names = [map.name] + map.streets.map(\.name) + map.cameras.map(\.name) + map.landmarks.map(\.name)
            + map.addresses.compactMap(\.name) + map.areas.compactMap(\.name)
        for n in names { XCTAssertTrue(n.unicodeScalars.allSatisfy(\.isASCII) && !n.contains("?"), n) }
        // The map's own romanized names win.
        XCTAssertTrue(map.streets.contains { $0.name == "Yongping Gate Street" })
        XCTAssertEqual(map.name, "Jiangbeicheng")
    }
}
