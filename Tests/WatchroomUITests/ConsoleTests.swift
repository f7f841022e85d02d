import Foundation
import WatchroomCore
import WatchroomTestSupport
import WatchroomUI
import XCTest

final class ConsoleRenderTests: XCTestCase {
    let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? .current

    func frame(_ map: PrecinctMap, _ state: PrecinctState = PrecinctState(), ui: ConsoleUIState = ConsoleUIState(),
               now: Date = Fixture.t0, width: Int, height: Int, unicode: Bool = true,
               ticker: [EventEnvelope] = []) -> Grid {
        var g = Grid(width: width, height: height)
        let input = ConsoleFrameInput(map: map, state: state, ui: ui, now: now,
                                      capabilities: unicode ? Fixture.unicodeCaps : Fixture.asciiCaps,
                                      precinctTimeZone: shanghai, ticker: ticker)
        ConsoleRenderer.render(input, into: &g)
        return g
    }

    func testStatusBarShowsClockWithSecondsShiftModeSpeedAndCounts() {
        // 2026-11-25T19:48:11+08:00
        let now = ISOTime.parse("2026-11-25T19:48:11.250+08:00") ?? Fixture.t0
        let start = now - (2 * 3600 + 13 * 60 + 5)
        var s = PrecinctState()
        s.apply(EventEnvelope(seq: 1, time: start, event: .shiftStarted(ShiftStarted(map: "test", timeZone: "Asia/Shanghai", mode: .drill))))
        s.apply(EventEnvelope(seq: 2, time: start, event: .incidentReported(IncidentReported(
            id: "I1", category: .dispute, priority: 1, summary: "x", place: "永平门街 18", point: .zero))))
        var ui = ConsoleUIState()
        ui.mode = .drill
        ui.speed = 10
        let g = frame(crossroads, s, ui: ui, now: now, width: 100, height: 30)
        let bar = g.lines[0]
        XCTAssertTrue(bar.contains("19:48:11+08:00"), bar)
        XCTAssertTrue(bar.contains("on shift 2h13m"), bar)
        // At 80 columns the offset is still there, whole.
        let narrow = frame(crossroads, s, ui: ui, now: now, width: 80, height: 24).lines[0]
        XCTAssertTrue(narrow.contains("19:48:11+08:00"), narrow)
        // In a zone west of UTC the sign is a minus, and daylight saving is the offset of the instant.
        let ny = TimeZone(identifier: "America/New_York")!
        XCTAssertEqual(ISOTime.clockWithOffset(now, timeZone: ny), "06:48:11-05:00")
        XCTAssertEqual(ISOTime.clockWithOffset(now + 200 * 86_400, timeZone: ny).suffix(6), "-04:00")
        XCTAssertTrue(bar.contains("DRILL"), bar)
        XCTAssertTrue(bar.contains("10x"), bar)
        XCTAssertTrue(bar.contains("open 1"), bar)
        XCTAssertTrue(bar.contains("P1 1"), bar)
        XCTAssertTrue(g.lines.contains { $0.contains("P1 0001") || $0.contains("P1 I1") })
    }

    func testTooSmallSaysHowBigAndTheCurrentSize() {
        let g = frame(crossroads, width: 79, height: 23)
        let text = g.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("Terminal too small: 79x23."), text)
        XCTAssertTrue(text.contains("at least 80x24"), text)
        let ok = frame(crossroads, width: 80, height: 24)
        XCTAssertFalse(ok.lines.joined().contains("too small"))
    }

    func testAnySizeRendersWithoutCrashing() throws {
        let map = try TestMaps.jiangbei()
        let state = ConsoleBench.sampleState(map: map, units: 30, incidents: 5)
        var sizes = [(0, 0), (1, 1), (1000, 5), (10000, 3), (80, 24), (300, 90), (2, 200), (81, 25), (119, 40), (120, 40)]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<15 { sizes.append((Int.random(in: 0...260, using: &rng), Int.random(in: 0...80, using: &rng))) }
        for (w, h) in sizes {
            for unicode in [true, false] {
                var ui = ConsoleUIState()
                ui.overlay = .help
                let g = frame(map, state, ui: ui, width: w, height: h, unicode: unicode)
                XCTAssertEqual(g.width * g.height, g.cells.count)
                _ = frame(map, state, width: w, height: h, unicode: unicode)
            }
        }
    }

    func testDefaultMapShowsYongpingGateStreetWholeAndTheStation() throws {
        let map = try TestMaps.jiangbei()
        for (w, h) in [(80, 24), (160, 48)] {
            let g = frame(map, width: w, height: h)
            let lines = g.lines
            // The whole precinct at 80x24 leaves no room for that street's label; at 160x48 it shows.
            if w >= 160 {
                XCTAssertTrue(lines.contains { $0.contains("永平门街") }, "\(w)x\(h):\n" + lines.joined(separator: "\n"))
            }
            XCTAssertTrue(lines.contains { $0.contains("⌂") }, "\(w)x\(h): no station")
        }
    }

    func testLargeTerminalUsesTheRoom() throws {
        let map = try TestMaps.jiangbei()
        let state = ConsoleBench.sampleState(map: map, units: 60, incidents: 12)
        let g = frame(map, state, width: 300, height: 90)
        let text = g.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("2026-1125-0012"), "wide incident queue shows full numbers")
        XCTAssertTrue(text.contains("Legend"))
        XCTAssertTrue(text.contains("U-025"), "roster shows many rows")
    }

    func testHostileStringsNeverReachACellRaw() {
        let evil = "\u{1B}[2J\u{07}boom\u{9B}31m\u{85}\u{202E}x"
        let s = Fixture.state([
            .unitRegistered(UnitRegistered(id: "U1", callsign: evil, kind: .car, home: .zero)),
            .incidentReported(IncidentReported(id: "I1", category: .dispute, priority: 1, summary: evil, place: evil,
                                               point: .zero, callerName: evil)),
        ])
        var ui = ConsoleUIState()
        ui.selection = .incident("I1")
        var m = crossroads
        m.streets[0].name = evil
        m.name = evil
        let ticker = [EventEnvelope(seq: 2, time: Fixture.t0, event: .incidentReported(IncidentReported(
            id: "I1", category: .dispute, priority: 1, summary: evil, place: evil, point: .zero)))]
        for sel in [ConsoleUIState.Selection.incident("I1"), .unit("U1")] {
            ui.selection = sel
            let g = frame(m, s, ui: ui, width: 140, height: 40, ticker: ticker)
            for c in g.cells {
                XCTAssertFalse(c.text.unicodeScalars.contains { Sanitizer.isControl($0) || (0x202A...0x202E).contains($0.value) },
                               "raw control in a cell")
            }
            XCTAssertTrue(g.lines.joined().contains("\\u{1B}[2J"), "escape shown inert")
        }
    }

    func testHelpOverlayListsEveryBinding() {
        var ui = ConsoleUIState()
        ui.overlay = .help
        for unicode in [true, false] {
            let g = frame(crossroads, ui: ui, width: 80, height: 24, unicode: unicode)
            let text = g.lines.joined(separator: "\n")
            for b in KeyTable.bindings(unicode: unicode) {
                XCTAssertTrue(text.contains(b.keys), "help misses \(b.keys)\n" + text)
                XCTAssertTrue(text.contains(b.action), "help misses \(b.action)")
            }
            XCTAssertTrue(text.contains("Esc or ? closes"))
        }
    }

    func testBottomBarShowsQuitQuestionAndCommandLine() {
        var ui = ConsoleUIState()
        ui.overlay = .quitConfirm
        XCTAssertTrue(frame(crossroads, ui: ui, width: 80, height: 24).lines[23].contains("Quit Watchroom? y/n"))
        ui.overlay = .commandLine("goto 永平门街")
        XCTAssertTrue(frame(crossroads, ui: ui, width: 80, height: 24).lines[23].hasPrefix(":goto 永平门街█"))
    }

    func testTickerLinesAreShortAndInThePrecinctZone() {
        let now = ISOTime.parse("2026-11-25T19:48:11+08:00") ?? Fixture.t0
        let s = Fixture.state([
            .unitRegistered(UnitRegistered(id: "C-03", kind: .car, home: .zero)),
            .incidentReported(IncidentReported(id: "I7", number: "2026-1125-0007", category: .dispute, priority: 1,
                                               summary: "x", place: "永平门街 18", point: .zero)),
        ], start: now)
        let ticker = [
            EventEnvelope(seq: 2, time: now, event: .incidentReported(IncidentReported(
                id: "I7", number: "2026-1125-0007", category: .dispute, priority: 1, summary: "x", place: "永平门街 18", point: .zero))),
            EventEnvelope(seq: 3, time: now + 29, event: .unitPosition(UnitPosition(unit: "C-03", point: .zero))),
            EventEnvelope(seq: 4, time: now + 29, event: .dispatch(DispatchOrder(incident: "I7", units: ["C-03"], by: "duty"))),
        ]
        let g = frame(crossroads, s, now: now + 30, width: 160, height: 48, ticker: ticker)
        let text = g.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("19:48:11 P1 dispute reported 永平门街 18"), text)
        XCTAssertTrue(text.contains("19:48:40 C-03 dispatched to 2026-1125-0007"), text)
        XCTAssertFalse(text.contains("moved"), "positions stay out of the ticker")
    }
}

final class ASCIIConsoleTests: XCTestCase {
    func testASCIITerminalGetsOnlyASCII() throws {
        let map = try TestMaps.jiangbei()
        let state = ConsoleBench.sampleState(map: map, units: 20, incidents: 4)
        var ui = ConsoleUIState()
        ui.selection = .incident("I0001")
        for (w, h) in [(80, 24), (160, 48)] {
            var g = Grid(width: w, height: h)
            ConsoleRenderer.render(ConsoleFrameInput(map: map, state: state, ui: ui, now: Fixture.t0,
                                                     capabilities: Fixture.asciiCaps), into: &g)
            XCTAssertTrue(g.cells.allSatisfy { $0.width == 1 && $0.text.unicodeScalars.allSatisfy(\.isASCII) })
            XCTAssertTrue(g.lines[0].contains("Jiangbeicheng"), g.lines[0])
            XCTAssertTrue(g.lines.joined().contains("@"), "station")
        }
    }
}
