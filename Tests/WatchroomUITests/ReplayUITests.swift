import Foundation
import WatchroomCore
import WatchroomUI
import XCTest

/// The replay's screen: the timeline widget, the REPLAY status bar, its keys and help.
final class ReplayUITests: XCTestCase {
    let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? .current
    let start = ISOTime.parse("2026-03-14T20:00:00+08:00") ?? Fixture.t0
    var end: Date { start + 12 * 3600 }

    func model(at fraction: Double) -> TimelineModel {
        func at(_ f: Double) -> Date { start + f * 12 * 3600 }
        return TimelineModel(start: start, end: end, now: at(fraction), marks: [
            .init(time: at(0.10), priority: 2),
            .init(time: at(0.50), priority: 3),
            .init(time: at(0.50), priority: 1),  // the same column: priority 1 wins it
            .init(time: at(0.75), priority: 3),
        ])
    }

    func bar(_ m: TimelineModel, width: Int, unicode: Bool = true) -> Grid {
        var g = Grid(width: width, height: 1)
        TimelineBar.draw(m, rect: CellRect(x: 0, y: 0, width: width, height: 1), timeZone: shanghai, unicode: unicode, into: &g)
        return g
    }

    func testTimelineSnapshotTicksPositionAndEnds() {
        let g = bar(model(at: 0.25), width: 60)
        assertLines(g.lines, [" 20:00+08:00 ━━━│━━━━●────────┃───────│──────── 08:00+08:00"])
        // The bar starts at column 13 and is 34 cells wide: 25% is column 8, 50% column 17.
        XCTAssertEqual(g[13 + 17, 0].style, Style(.incidentP1, [.bold]), "priority 1 highlighted")
        XCTAssertEqual(g[13 + 3, 0].style.role, .incidentP2)
        XCTAssertEqual(g[13 + 25, 0].style.role, .incidentP3)
        XCTAssertEqual(g[13 + 8, 0].style, Style(.cursor, [.bold, .reverse]), "the position marker")
        XCTAssertEqual(g[13 + 9, 0].style.role, .dim, "what is still to come is dim")

        let ascii = bar(model(at: 0.25), width: 60, unicode: false)
        assertLines(ascii.lines, [" 20:00+08:00 ===|====O--------!-------|-------- 08:00+08:00"])
    }

    func testTimelineMovesWithTheClockAndShowsDatesWhenWide() {
        let early = bar(model(at: 0), width: 60).lines[0]
        let late = bar(model(at: 1), width: 60).lines[0]
        XCTAssertTrue(early.hasPrefix(" 20:00+08:00 ●──"), early)
        XCTAssertTrue(late.contains("━━━━●"), late)
        XCTAssertFalse(late.contains("─"), "all played at the end: \(late)")
        let wide = bar(model(at: 0.5), width: 140).lines[0]
        XCTAssertTrue(wide.hasPrefix(" 2026-03-14T20:00+08:00 "), wide)
        XCTAssertTrue(wide.hasSuffix(" 2026-03-15T08:00+08:00 "), wide)
        // Too narrow for labels: the bar alone, never a crash.
        for w in [0, 1, 2, 5, 20, 35] {
            let g = bar(model(at: 0.3), width: w)
            XCTAssertEqual(g.lines.first?.contains("+08:00") ?? false, false, "width \(w)")
        }
        // An instant shift (start == end) and a time outside it stay on the bar.
        let instant = TimelineModel(start: start, end: start, now: start + 99, marks: [.init(time: start, priority: 1)])
        XCTAssertTrue(bar(instant, width: 60).lines[0].contains("●"))
    }

    func frame(_ ui: ConsoleUIState, width: Int = 100, height: Int = 30, timeline: TimelineModel? = nil,
               note: String? = nil) -> Grid {
        var s = PrecinctState()
        s.apply(EventEnvelope(seq: 1, time: start, event: .shiftStarted(ShiftStarted(map: "test", timeZone: "Asia/Shanghai", mode: .live))))
        var input = ConsoleFrameInput(map: crossroads, state: s, ui: ui, now: start + 3723,
                                      capabilities: Fixture.unicodeCaps, precinctTimeZone: shanghai)
        input.timeline = timeline
        input.headerNote = note
        var g = Grid(width: width, height: height)
        ConsoleRenderer.render(input, into: &g)
        return g
    }

    func testReplayStatusBarTimelineRowAndKeyBar() {
        var ui = ConsoleUIState(mode: .replay, speed: 50)
        ui.paused = true
        let g = frame(ui, timeline: model(at: 0.1), note: "MAP: recorded on other-town")
        let status = g.lines[0]
        for needle in ["21:02:03", "REPLAY", "50x", "PAUSED", "MAP: recorded on other-town"] {
            XCTAssertTrue(status.contains(needle), "\(needle) in \(status)")
        }
        XCTAssertTrue(g.lines[28].hasPrefix(" 20:00+08:00 ━"), g.lines[28])
        XCTAssertTrue(g.lines[28].contains("●"))
        XCTAssertTrue(g.lines[29].contains("Space pause"), g.lines[29])
        XCTAssertFalse(g.lines[29].contains("d dispatch"), g.lines[29])
        // The panels end above the timeline.
        let layout = ConsoleLayout(width: 100, height: 30, timeline: true)
        XCTAssertEqual(layout.timeline, CellRect(x: 0, y: 28, width: 100, height: 1))
        for r in [layout.map, layout.incidents, layout.units, layout.details, layout.ticker, layout.divider] {
            XCTAssertLessThanOrEqual(r.y + r.height, 28, "\(r)")
        }
        // Live: no timeline row, no PAUSED, the dispatch keys on the bar.
        let live = frame(ConsoleUIState(), timeline: nil)
        XCTAssertTrue(live.lines[0].contains("LIVE"))
        XCTAssertFalse(live.lines[0].contains("PAUSED"))
        XCTAssertTrue(live.lines[29].contains("d dispatch"), live.lines[29])
        XCTAssertEqual(ConsoleLayout(width: 100, height: 30).timeline, .empty)
    }

    func testReplayHelpListsTheReplayKeysInsteadOfDispatch() {
        var ui = ConsoleUIState(mode: .replay)
        ui.overlay = .help
        let text = frame(ui, width: 100, height: 40).lines.joined(separator: "\n")
        for b in KeyTable.replayBindings {
            XCTAssertTrue(text.contains(b.keys), "help misses \(b.keys)\n\(text)")
            XCTAssertTrue(text.contains(b.action), "help misses \(b.action)")
        }
        XCTAssertFalse(text.contains("dispatch / reinforce"), text)
        XCTAssertEqual(KeyTable.bindings(unicode: true, mode: .live), KeyTable.unicodeBindings)
        XCTAssertTrue(ConsoleRenderer.helpLines(mode: .replay).contains { $0.hasPrefix("Space") })
    }

    func testReplayKeysBecomeControlsAndWorldChangesAreRefused() {
        let context = ConsoleContext(map: crossroads, state: PrecinctState(), width: 100, height: 30)
        var ui = ConsoleUIState(mode: .replay)
        func press(_ k: Key) -> ConsoleEffect { ConsoleController.handle(k, ui: &ui, context: context) }
        XCTAssertEqual(press(.character(" ")), .replay(.togglePause))
        XCTAssertEqual(press(.character("<")), .replay(.slower))
        XCTAssertEqual(press(.character(">")), .replay(.faster))
        XCTAssertEqual(press(.character(".")), .replay(.step))
        XCTAssertEqual(press(.character("n")), .replay(.nextIncident))
        XCTAssertEqual(press(.character("N")), .replay(.previousIncident))
        XCTAssertEqual(press(.character("[")), .replay(.start))
        XCTAssertEqual(press(.character("]")), .replay(.end))
        XCTAssertEqual(press(.home), .replay(.start))
        XCTAssertEqual(press(.end), .replay(.end))
        XCTAssertEqual(ui.overlay, .none, "n does not open the intake form in a replay")
        // d and r give their commands, as live: the replay refuses them by their kind, not
        // by the key (ConsoleKeysTests runs them through the replay feed).
        ui.selection = .incident("I0001")
        XCTAssertEqual(press(.character("d")), parsed("dispatch I0001"))
        XCTAssertEqual(press(.character("r")), parsed("reinforce I0001"))
        ui.selection = .none
        // In a list Home and End still move the cursor.
        ui.focus = .incidents
        XCTAssertNotEqual(press(.home), .replay(.start))
        // The same keys live are what they always were.
        var live = ConsoleUIState()
        XCTAssertEqual(ConsoleController.handle(.character("n"), ui: &live, context: context), .redraw)
        XCTAssertNotNil(live.intakeForm)
        var live2 = ConsoleUIState()
        XCTAssertEqual(ConsoleController.handle(.character(" "), ui: &live2, context: context), .none)
    }
}
