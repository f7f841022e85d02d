import Foundation
import WatchroomCore
import WatchroomUI
import XCTest

final class ControllerTests: XCTestCase {
    let state = Fixture.state([
        .unitRegistered(UnitRegistered(id: "C-01", kind: .car, home: Point(x: 50, y: 0))),
        .unitRegistered(UnitRegistered(id: "P-01", kind: .officerOnFoot, home: Point(x: -50, y: 0))),
        .incidentReported(IncidentReported(id: "I1", category: .dispute, priority: 2, summary: "x", place: "y",
                                           point: Point(x: 30, y: 20))),
        .incidentReported(IncidentReported(id: "I2", category: .theft, priority: 1, summary: "x", place: "y",
                                           point: Point(x: -30, y: -20))),
    ])
    var context: ConsoleContext { ConsoleContext(map: crossroads, state: state, width: 100, height: 30) }

    func press(_ keys: [Key], _ ui: inout ConsoleUIState) -> [ConsoleEffect] {
        keys.map { ConsoleController.handle($0, ui: &ui, context: context) }
    }

    func testPanAndZoomChangeTheViewport() {
        var ui = ConsoleUIState()
        XCTAssertEqual(press([.right], &ui), [.redraw])
        let v1 = ui.viewport
        XCTAssertNotNil(v1)
        XCTAssertGreaterThan(v1?.centre.x ?? 0, 0)
        _ = press([.character("k")], &ui)
        XCTAssertGreaterThan(ui.viewport?.centre.y ?? 0, 0, "k pans north")
        let before = ui.viewport?.metresPerColumn ?? 0
        _ = press([.character("+")], &ui)
        XCTAssertEqual(ui.viewport?.metresPerColumn ?? 0, before / MapViewport.zoomStep, accuracy: 1e-9)
        _ = press([.character("-"), .character("-")], &ui)
        XCTAssertEqual(ui.viewport?.metresPerColumn ?? 0, before * MapViewport.zoomStep, accuracy: 1e-9)
        _ = press([.character("0")], &ui)
        XCTAssertNil(ui.viewport)
    }

    func testTabCyclesFocusBothWays() {
        var ui = ConsoleUIState()
        var seen: [ConsoleUIState.Focus] = []
        for _ in 0..<5 { _ = press([.tab], &ui); seen.append(ui.focus) }
        XCTAssertEqual(seen, [.incidents, .units, .details, .ticker, .map])
        _ = press([.backTab], &ui)
        XCTAssertEqual(ui.focus, .ticker)
    }

    func testQuitAsksFirst() {
        var ui = ConsoleUIState()
        XCTAssertEqual(press([.character("q")], &ui), [.redraw])
        XCTAssertTrue(ui.isConfirmingQuit)
        XCTAssertEqual(press([.character("x")], &ui), [.none])
        XCTAssertEqual(press([.character("y")], &ui), [.quit])
        var ui2 = ConsoleUIState()
        XCTAssertEqual(press([.character("q"), .character("n")], &ui2).last, .redraw)
        XCTAssertEqual(ui2.overlay, .none)
        XCTAssertEqual(press([.character("y")], &ui2), [.none], "y alone does nothing")
        XCTAssertEqual(press([.control("c"), .escape], &ui2).last, .redraw)
        XCTAssertEqual(ui2.overlay, .none)
    }

    func testCommandLine() {
        var ui = ConsoleUIState()
        let typed: [Key] = [.character(":")] + "goto 永平门街 18x".map { Key.character($0) } + [.backspace]
        _ = press(typed, &ui)
        XCTAssertEqual(ui.commandLine, "goto 永平门街 18")
        XCTAssertEqual(press([.enter], &ui), [parsed("goto 永平门街 18")])
        XCTAssertEqual(ui.overlay, .none)
        _ = press([.character(":"), .character("a"), .escape], &ui)
        XCTAssertEqual(ui.overlay, .none)
        XCTAssertEqual(press([.character(":")] + "quit".map { Key.character($0) } + [.enter], &ui).last, .quit)
        _ = press([.character(":")] + "zoom 12".map { Key.character($0) } + [.enter], &ui)
        XCTAssertEqual(ui.viewport?.metresPerColumn, 12)
        // :help is the desk's (the command table), not the key overlay.
        XCTAssertEqual(press([.character(":")] + "help new".map { Key.character($0) } + [.enter], &ui).last, parsed("help new"))
        XCTAssertFalse(ui.isHelpShown)
        XCTAssertEqual(press([.character("?")], &ui), [.redraw])
        XCTAssertTrue(ui.isHelpShown)
        XCTAssertEqual(press([.character("?")], &ui), [.redraw])
        XCTAssertFalse(ui.isHelpShown)
        XCTAssertEqual(press([.character(":")] + "dispatch C-01".map { Key.character($0) } + [.enter], &ui).last,
                       parsed("dispatch C-01"))
    }

    func testHelpToggles() {
        var ui = ConsoleUIState()
        _ = press([.character("?")], &ui)
        XCTAssertTrue(ui.isHelpShown)
        XCTAssertEqual(press([.character("j")], &ui), [.none], "keys are swallowed under help")
        _ = press([.escape], &ui)
        XCTAssertFalse(ui.isHelpShown)
    }

    func testListsMoveTheCursorAndEnterSelectsAndCentres() {
        var ui = ConsoleUIState()
        _ = press([.tab], &ui)                       // incidents: I2 (P1) first, then I1
        _ = press([.down, .enter], &ui)
        XCTAssertEqual(ui.selection, .incident("I1"))
        XCTAssertEqual(ui.viewport?.centre, Point(x: 30, y: 20))
        _ = press([.up, .enter], &ui)
        XCTAssertEqual(ui.selection, .incident("I2"))
        _ = press([.tab, .character("j"), .enter], &ui) // units by id: C-01, P-01
        XCTAssertEqual(ui.selection, .unit("P-01"))
        XCTAssertEqual(ui.viewport?.centre, Point(x: -50, y: 0))
        _ = press([.character("L")], &ui)
        XCTAssertNotNil(ui.showLegend)
        // c centres on the selection after panning away.
        ui.focus = .map
        _ = press([.left, .left, .character("c")], &ui)
        XCTAssertEqual(ui.viewport?.centre, Point(x: -50, y: 0))
        _ = press([.escape, .character("c")], &ui)
        XCTAssertEqual(ui.message, "Nothing selected.")
    }

    func testMouseClickSelectsMarkerAndRow() {
        var ui = ConsoleUIState(viewport: crossroadsView)
        let layout = ConsoleLayout(width: 100, height: 30)
        guard let c = crossroadsView.cell(of: Point(x: 50, y: 0), width: layout.map.width, height: layout.map.height) else {
            return XCTFail("car off the map")
        }
        _ = press([.mouse(x: layout.map.x + c.x, y: layout.map.y + c.y, button: 1)], &ui)
        XCTAssertEqual(ui.selection, .unit("C-01"))
        _ = press([.mouse(x: layout.incidents.x + 3, y: layout.incidents.y + 1, button: 1)], &ui)
        XCTAssertEqual(ui.selection, .incident("I1"))
        XCTAssertEqual(ui.focus, .incidents)
    }

    func testResizeAsksForARedraw() {
        var ui = ConsoleUIState()
        XCTAssertEqual(press([.resize(width: 120, height: 40)], &ui), [.repaint])
    }
}
