import Foundation
import WatchroomCore
import WatchroomUI
import XCTest

/// A crossroads at (0, 0): a horizontal street (two segments), a street north and a
/// diagonal street south-east.
let crossroads = Fixture.map(
    streets: [("东街", "East St", .residential), ("北路", "North Rd", .residential), ("斜街", "Slant St", .residential)],
    segments: [
        (0, [Point(x: -80, y: 0), Point(x: 0, y: 0)]),
        (0, [Point(x: 0, y: 0), Point(x: 80, y: 0)]),
        (1, [Point(x: 0, y: 0), Point(x: 0, y: 40)]),
        (2, [Point(x: 0, y: 0), Point(x: 40, y: -40)]),
    ])

let crossroadsView = MapViewport(centre: .zero, metresPerColumn: 10)

final class MapSnapshotTests: XCTestCase {
    func testCrossroadsHorizontalVerticalDiagonalAndJunction() {
        let g = renderMap(crossroads, width: 17, height: 7, viewport: crossroadsView)
        assertLines(g.lines, [
            "                 ",
            "        │        ",
            "        │        ",
            "──东街──┼────────",
            "         ╲╲╲斜街 ",
            "           ╲╲    ",
            "                 ",
        ])
        XCTAssertEqual(g[0, 3].style.role, .road)
        XCTAssertEqual(g[2, 3].style.role, .label)
    }

    func testCrossroadsASCIIFallback() {
        let g = renderMap(crossroads, width: 17, height: 7, viewport: crossroadsView, unicode: false)
        assertLines(g.lines, [
            "                 ",
            "        |        ",
            "        |        ",
            "--------+--------",
            " Slant St\\\\\\     ",
            "           \\\\    ",
            "                 ",
        ])
        XCTAssertTrue(g.cells.allSatisfy { $0.text.unicodeScalars.allSatisfy(\.isASCII) })
    }

    func testCornersTeesAndMajorRoads() {
        // An L bend (shape point) and a T junction on a primary road.
        let m = Fixture.map(
            streets: [("大道", nil, .primary), ("小巷", nil, .residential)],
            segments: [
                (0, [Point(x: -60, y: 20), Point(x: 0, y: 20)]),
                (0, [Point(x: 0, y: 20), Point(x: 60, y: 20)]),
                (1, [Point(x: 0, y: 20), Point(x: 0, y: -20), Point(x: 40, y: -20)]),
            ])
        let g = renderMap(m, width: 13, height: 5, viewport: MapViewport(centre: .zero, metresPerColumn: 10))
        assertLines(g.lines, [
            "             ",
            "━大道━┳━━━━━━",
            "      │ 小巷 ",
            "      └────  ",
            "             ",
        ])
        XCTAssertEqual(g[0, 1].style, Style(.roadMajor, [.bold]))
    }

    func testLabelIsNotDrawnUnderAMarker() {
        let m = Fixture.map(streets: [("永平门街", "Yongping Gate Street", .tertiary)],
                            segments: [(0, [Point(x: -80, y: 0), Point(x: 80, y: 0)])])
        let plain = renderMap(m, width: 17, height: 3, viewport: crossroadsView)
        XCTAssertEqual(plain.lines[1], "────永平门街─────")
        // A car parked where the label was: the label gives way, the car shows, no half label.
        let s = Fixture.state([
            .unitRegistered(UnitRegistered(id: "C-01", kind: .car, home: Point(x: -15, y: 0))),
        ])
        let g = renderMap(m, state: s, width: 17, height: 3, viewport: crossroadsView)
        XCTAssertTrue(g.lines[1].contains("■"))
        XCTAssertFalse(g.lines[1].contains("永"))
        XCTAssertFalse(g.lines[1].contains("街"))
    }

    func testCJKLabelIsPlacedWholeAtEveryOffset() {
        let m = Fixture.map(streets: [("永平门街", "Yongping Gate Street", .tertiary)],
                            segments: [(0, [Point(x: -300, y: 0), Point(x: 300, y: 0)])])
        for dx in stride(from: -40.0, through: 40, by: 3.3) {
            for width in [13, 14, 15, 20] {
                let g = renderMap(m, width: width, height: 3, viewport: MapViewport(centre: Point(x: dx, y: 0), metresPerColumn: 7))
                let line = g.lines[1]
                if line.contains("永") || line.contains("街") { XCTAssertTrue(line.contains("永平门街"), "\(width) \(dx): \(line)") }
                XCTAssertFalse(g.cells.contains { $0.width == 2 } && g.cells.filter { $0.width == 0 }.count != g.cells.filter { $0.width == 2 }.count)
            }
        }
        // In ASCII the roman name is used when there is room.
        let a = renderMap(m, width: 30, height: 3, viewport: MapViewport(centre: .zero, metresPerColumn: 10), unicode: false)
        XCTAssertTrue(a.lines[1].contains("Yongping Gate Street"), a.lines[1])
    }

    func testVerticalStreetGetsAVerticalCJKLabel() {
        let m = Fixture.map(streets: [("永平门街", nil, .tertiary)],
                            segments: [(0, [Point(x: 0, y: -100), Point(x: 0, y: 100)])])
        let g = renderMap(m, width: 9, height: 10, viewport: MapViewport(centre: .zero, metresPerColumn: 10))
        let column = g.lines.map { String($0.dropFirst(4).prefix(1)) }
        XCTAssertEqual(column.joined(), "│││永平门街│││")
    }

    func testMarkerSymbols() {
        var m = crossroads
        m.station = Station(key: "st", name: "派出所", position: Point(x: -70, y: 30))
        let facings: [Double] = [0, 45, 90, 135, 180, 225, 270, 315]
        for (k, f) in facings.enumerated() {
            m.cameras.append(Camera(key: "cam\(k)", name: "c\(k)", position: Point(x: -80 + Double(k) * 20, y: -40),
                                    facing: f, fieldOfView: 90, range: 50))
        }
        let s = Fixture.state([
            .unitRegistered(UnitRegistered(id: "P-01", kind: .officerOnFoot, home: Point(x: -50, y: 0))),
            .unitRegistered(UnitRegistered(id: "C-01", kind: .car, home: Point(x: 50, y: 0))),
            .incidentReported(IncidentReported(id: "I1", category: .dispute, priority: 1, summary: "x", place: "y",
                                               point: Point(x: 30, y: 20))),
            .cameraStatus(CameraStatus(camera: "cam7", online: false)),
        ])
        let g = renderMap(m, state: s, width: 17, height: 7, viewport: crossroadsView)
        func cell(_ p: Point) -> Cell {
            let c = crossroadsView.cell(of: p, width: 17, height: 7)
            return g[c?.x ?? -1, c?.y ?? -1]
        }
        XCTAssertEqual(cell(Point(x: -50, y: 0)).text, "●")
        XCTAssertEqual(cell(Point(x: 50, y: 0)).text, "■")
        XCTAssertEqual(cell(Point(x: 50, y: 0)).style.role, .unitAvailable)
        let inc = cell(Point(x: 30, y: 20))
        XCTAssertEqual(inc.text, "▲")
        XCTAssertEqual(inc.style.role, .incidentP1)
        XCTAssertTrue(inc.style.attributes.contains(.blink))
        XCTAssertEqual(cell(Point(x: -70, y: 30)).text, "⌂")
        XCTAssertEqual(g.lines[5], "↑ ↗ → ↘ ↓ ↙╲← ↖  ")  // the diagonal street passes between two cameras
        XCTAssertEqual(cell(Point(x: 60, y: -40)).style, Style(.cameraOffline, [.dim]))
        XCTAssertEqual(cell(Point(x: 0, y: -40)).style.role, .camera)

        let a = renderMap(m, state: s, width: 17, height: 7, viewport: crossroadsView, unicode: false)
        XCTAssertEqual(a.lines[5], "^ > > v v <\\< ^  ")
        let ac = crossroadsView.cell(of: Point(x: -50, y: 0), width: 17, height: 7)
        XCTAssertEqual(a[ac?.x ?? 0, ac?.y ?? 0].text, "o")
        XCTAssertTrue(a.lines.joined().contains("#"))
        XCTAssertTrue(a.lines.joined().contains("@"))
    }

    func testBlinkFallbackAlternatesTheIncidentMarker() {
        let s = Fixture.state([
            .incidentReported(IncidentReported(id: "I1", category: .theft, priority: 2, summary: "x", place: "y",
                                               point: Point(x: 30, y: 20))),
        ])
        let c = crossroadsView.cell(of: Point(x: 30, y: 20), width: 17, height: 7) ?? (0, 0)
        var caps = Fixture.unicodeCaps
        caps.blink = false
        for (phase, glyph) in [(true, "▲"), (false, "△")] {
            var g = Grid(width: 17, height: 7)
            let input = ConsoleFrameInput(map: crossroads, state: s, ui: ConsoleUIState(viewport: crossroadsView), now: Fixture.t0,
                                          capabilities: caps, blinkPhase: phase)
            ConsoleRenderer.renderMapOnly(input, into: &g)
            XCTAssertEqual(g[c.x, c.y].text, glyph)
            XCTAssertEqual(g[c.x, c.y].style.role, .incidentP2)
            XCTAssertTrue(g[c.x, c.y].style.attributes.contains(.blink))
        }
        // A terminal that blinks by itself always gets the solid marker.
        let g = renderMap(crossroads, state: s, width: 17, height: 7, viewport: crossroadsView, blinkPhase: false)
        XCTAssertEqual(g[c.x, c.y].text, "▲")
    }

    func testSelectedIncidentShowsItsUnitsRoutes() {
        let s = Fixture.state([
            .unitRegistered(UnitRegistered(id: "C-01", kind: .car, home: Point(x: -80, y: 0))),
            .incidentReported(IncidentReported(id: "I1", category: .theft, priority: 2, summary: "x", place: "y",
                                               point: Point(x: 0, y: 40))),
            .dispatch(DispatchOrder(incident: "I1", units: ["C-01"], by: "test")),
            .routeAssigned(RouteAssigned(unit: "C-01", incident: "I1", seconds: 60, meters: 120,
                                         legs: [RouteLeg(segment: "e0", forward: true), RouteLeg(segment: "e2", forward: true)],
                                         eta: Fixture.t0 + 60)),
        ])
        let plain = renderMap(crossroads, state: s, width: 17, height: 7, viewport: crossroadsView)
        XCTAssertFalse(plain.cells.contains { $0.style.role == .route })
        let g = renderMap(crossroads, state: s, width: 17, height: 7, viewport: crossroadsView, selection: .incident("I1"))
        XCTAssertEqual(g[1, 3].style.role, .route)   // on e0, west of the junction (the car sits at its west end)
        XCTAssertEqual(g[8, 2].style.role, .route)   // on e2, north
        XCTAssertEqual(g[12, 3].style.role, .road)   // e1 is not on the route
    }

    func testAreasAreShaded() {
        var m = crossroads
        m.areas = [
            Area(key: "r", kind: .river, points: [Point(x: -90, y: -70), Point(x: -40, y: -70), Point(x: -40, y: -30), Point(x: -90, y: -30)]),
            Area(key: "p", kind: .park, points: [Point(x: 40, y: 20), Point(x: 90, y: 20), Point(x: 90, y: 70), Point(x: 90, y: 70), Point(x: 40, y: 70)]),
        ]
        let g = renderMap(m, width: 17, height: 7, viewport: crossroadsView)
        XCTAssertEqual(g[1, 5].text, "≈")
        XCTAssertEqual(g[1, 5].style.role, .river)
        XCTAssertEqual(g[14, 0].text, "·")
        XCTAssertEqual(g[14, 0].style.role, .park)
        let a = renderMap(m, width: 17, height: 7, viewport: crossroadsView, unicode: false)
        XCTAssertEqual(a[1, 5].text, "~")
    }

    func testStaticLayerIsCachedAcrossFrames() {
        let cache = MapRasterCache()
        var g = Grid(width: 17, height: 7)
        var ui = ConsoleUIState(viewport: crossroadsView)
        for phase in [true, false, true] {
            let input = ConsoleFrameInput(map: crossroads, state: PrecinctState(), ui: ui, now: Fixture.t0, blinkPhase: phase)
            ConsoleRenderer.renderMapOnly(input, into: &g, cache: cache)
        }
        XCTAssertEqual(cache.builds, 1)
        ui.viewport = crossroadsView.zoomed(by: 2)
        ConsoleRenderer.renderMapOnly(ConsoleFrameInput(map: crossroads, state: PrecinctState(), ui: ui, now: Fixture.t0),
                                      into: &g, cache: cache)
        XCTAssertEqual(cache.builds, 2)
    }

    func testExtremeZoomsAndHugeCoordinatesDoNotHang() {
        for mpc in [0.5, 1e-9, 5000, 1e12, .nan, .infinity] {
            let g = renderMap(crossroads, width: 40, height: 10, viewport: MapViewport(centre: Point(x: 1e15, y: -1e15), metresPerColumn: mpc))
            XCTAssertEqual(g.width, 40)
            _ = renderMap(crossroads, width: 40, height: 10, viewport: MapViewport(centre: .zero, metresPerColumn: mpc))
        }
    }
}
