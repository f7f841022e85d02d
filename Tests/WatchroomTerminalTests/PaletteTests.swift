import WatchroomTerminal
import WatchroomUI
import XCTest

final class PaletteTests: XCTestCase {
    private let modes: [TerminalCapabilities.Colours] = [.many, .eight, .none]

    private func table(_ colours: TerminalCapabilities.Colours) -> [StyleRole: Palette.Entry] {
        Palette.for(TerminalCapabilities(colours: colours, blink: true, unicode: true))
    }

    func testEveryRoleIsMappedInEveryMode() {
        for mode in modes {
            let t = table(mode)
            for role in StyleRole.allCases { XCTAssertNotNil(t[role], "\(role) unmapped in \(mode)") }
        }
    }

    func testColourNumbersFitTheMode() {
        for (mode, limit) in [(TerminalCapabilities.Colours.many, Int16(255)), (.eight, 7), (.none, -1)] {
            for (role, e) in table(mode) {
                XCTAssert((-1...limit).contains(e.foreground), "\(role) fg \(e.foreground) in \(mode)")
                XCTAssert((-1...limit).contains(e.background), "\(role) bg \(e.background) in \(mode)")
            }
        }
    }

    /// A camera's cone must read on a dark and on a light background: not black or white,
    /// not a grey of the 256-colour ramp (232-255, 0, 7, 8, 15, 16, 231), not dimmed.
    func testTheCameraConeReadsOnDarkAndLightTerminals() {
        for mode in [TerminalCapabilities.Colours.many, .eight] {
            let e = try? XCTUnwrap(table(mode)[.cameraCone])
            let fg = e?.foreground ?? -1
            XCTAssertFalse([-1, 0, 7, 8, 15, 16, 231].contains(fg) || (232...255).contains(fg), "cone colour \(fg) in \(mode)")
            XCTAssertFalse(e?.attributes.contains(.dim) ?? true, "cone dimmed in \(mode)")
            XCTAssertNotEqual(table(mode)[.cameraCone], table(mode)[.road], "cone looks like a road in \(mode)")
        }
    }

    /// The cone's 256-colour entry, from xterm's own RGB for it: at least 3:1 (WCAG) against
    /// both a white and a black background, so it reads on light and dark terminals.
    func testTheConeColourHasContrastOnWhiteAndOnBlack() throws {
        let fg = Int(try XCTUnwrap(table(.many)[.cameraCone]).foreground)
        let rgb = try XCTUnwrap(Palette.xtermRGB(fg), "colour \(fg) is themed, its RGB unknown")
        let cone = Palette.relativeLuminance(red: rgb.red, green: rgb.green, blue: rgb.blue)
        let white = Palette.relativeLuminance(red: 255, green: 255, blue: 255)
        let black = Palette.relativeLuminance(red: 0, green: 0, blue: 0)
        XCTAssertGreaterThanOrEqual(Palette.contrastRatio(cone, white), 3, "cone \(fg) \(rgb) on white")
        XCTAssertGreaterThanOrEqual(Palette.contrastRatio(cone, black), 3, "cone \(fg) \(rgb) on black")
        // The arithmetic itself, on known values: white on black is 21:1; xterm 37 (#00afaf)
        // is under 3:1 on white, which is why it is not the cone's colour any more.
        XCTAssertEqual(Palette.contrastRatio(white, black), 21, accuracy: 0.001)
        let teal = try XCTUnwrap(Palette.xtermRGB(37))
        XCTAssertEqual(teal.red, 0); XCTAssertEqual(teal.green, 175); XCTAssertEqual(teal.blue, 175)
        XCTAssertLessThan(Palette.contrastRatio(Palette.relativeLuminance(red: 0, green: 175, blue: 175), white), 3)
        XCTAssertEqual(Palette.xtermRGB(244).map { [$0.red, $0.green, $0.blue] }, [128, 128, 128])
        XCTAssertNil(Palette.xtermRGB(6))
        // And it is not any other map role's colour.
        for role in StyleRole.allCases where role != .cameraCone {
            XCTAssertNotEqual(table(.many)[role]?.foreground, Int16(fg), "cone looks like \(role)")
        }
    }

    /// Where colour costs bytes: the map ignores the bold its views ask for in 256 colours
    /// (an attribute switched on and off resets the whole pen), but keeps what shows.
    func testTheMapIgnoresBoldOnlyWhereColourSaysIt() {
        let t = table(.many)
        for role in [StyleRole.roadMajor, .unitAvailable, .unitDispatched, .unitEnRoute, .unitOnScene, .route] {
            XCTAssertTrue(t[role]?.ignores.contains(.bold) ?? false, "\(role)")
        }
        for (role, e) in t {
            XCTAssertTrue(e.ignores.isDisjoint(with: [.reverse, .underline, .blink]), "\(role) ignores what shows")
        }
        // Units still differ from one another and from the roads without bold.
        let units: [StyleRole] = [.unitAvailable, .unitDispatched, .unitEnRoute, .unitOnScene]
        XCTAssertEqual(Set(units.compactMap { t[$0]?.foreground }).count, units.count)
        for u in units { XCTAssertNotEqual(t[u]?.foreground, t[.road]?.foreground) }
        // Elsewhere nothing is ignored: 8 colours and monochrome need their attributes.
        for mode in [TerminalCapabilities.Colours.eight, .none] {
            for (role, e) in table(mode) { XCTAssertEqual(e.ignores, [], "\(role) in \(mode)") }
        }
    }

    func testIncidentPrioritiesAreDistinguishableInEveryMode() {
        for mode in modes {
            let t = table(mode)
            let p = [StyleRole.incidentP1, .incidentP2, .incidentP3, .incidentClosed].map { t[$0] }
            XCTAssertEqual(Set(p).count, 4, "incident priorities look alike in \(mode)")
            // And none looks like plain text or a road.
            for role in [StyleRole.normal, .road, .label] {
                XCTAssertFalse(p.contains(t[role]), "an incident looks like \(role) in \(mode)")
            }
        }
    }

    func testUnitStatesAreDistinguishableInColour() {
        for mode in [TerminalCapabilities.Colours.many, .eight] {
            let t = table(mode)
            let states: [StyleRole] = [.unitAvailable, .unitDispatched, .unitEnRoute, .unitOnScene, .unitBusy]
            XCTAssertEqual(Set(states.map { t[$0] }).count, states.count, "unit states look alike in \(mode)")
        }
    }

    func testMonochromeUsesAttributesOnlyAndKeepsSelectionVisible() {
        let t = table(.none)
        for (role, e) in t {
            XCTAssertEqual(e.foreground, -1, "\(role)")
            XCTAssertEqual(e.background, -1, "\(role)")
        }
        let selection = t[.selection]
        for role in StyleRole.allCases where ![.selection, .statusBar, .cursor].contains(role) {
            XCTAssertNotEqual(t[role], selection, "selection looks like \(role) in mono")
        }
        XCTAssertTrue(selection?.attributes.contains(.reverse) ?? false)
        XCTAssertTrue(t[.statusBar]?.attributes.contains(.reverse) ?? false)
    }

    func testSelectionAndStatusBarAreReversedInColourToo() {
        for mode in [TerminalCapabilities.Colours.many, .eight] {
            XCTAssertTrue(table(mode)[.selection]?.attributes.contains(.reverse) ?? false)
            XCTAssertTrue(table(mode)[.statusBar]?.attributes.contains(.reverse) ?? false)
        }
    }

    func testColourModeFromEnvironmentAndTerminal() {
        XCTAssertEqual(Palette.colourMode(environment: [:], hasColours: true, colourCount: 256), .many)
        XCTAssertEqual(Palette.colourMode(environment: [:], hasColours: true, colourCount: 88), .eight)
        XCTAssertEqual(Palette.colourMode(environment: [:], hasColours: true, colourCount: 8), .eight)
        XCTAssertEqual(Palette.colourMode(environment: [:], hasColours: false, colourCount: 0), .none)
        XCTAssertEqual(Palette.colourMode(environment: ["NO_COLOR": "1"], hasColours: true, colourCount: 256), .none)
        XCTAssertEqual(Palette.colourMode(environment: ["NO_COLOR": ""], hasColours: true, colourCount: 256), .none)
    }
}
