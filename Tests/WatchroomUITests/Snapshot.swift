import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomUI
import XCTest

/// The effect of a command as the `:` line would give it: `line` read by `CommandParser`.
func parsed(_ line: String, file: StaticString = #filePath, line number: UInt = #line) -> ConsoleEffect {
    switch CommandParser.parse(line) {
    case .success(let command): return .command(command)
    case .failure(let error):
        XCTFail("\(line): \(error)", file: file, line: number)
        return .none
    }
}

/// Compares screen lines and prints a readable diff when they differ.
func assertLines(_ actual: [String], _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
    let trimmedActual = actual.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
    let trimmedExpected = expected.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
    guard trimmedActual != trimmedExpected else { return }
    var report = "Screen differs (- expected, + actual, trailing spaces ignored):\n"
    for k in 0..<max(trimmedActual.count, trimmedExpected.count) {
        let e = k < trimmedExpected.count ? trimmedExpected[k] : "<none>"
        let a = k < trimmedActual.count ? trimmedActual[k] : "<none>"
        if e == a {
            report += "  |\(a)|\n"
        } else {
            report += "- |\(e)|\n+ |\(a)|\n"
        }
    }
    XCTFail(report, file: file, line: line)
}

/// Small hand-made maps and states.
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18T...Z

    /// A blank map: `streets` are (name, roman, class); each segment names its street
    /// and gives its polyline, whose ends become intersections (shared when equal).
    static func map(streets: [(name: String, roman: String?, cls: RoadClass)],
                    segments: [(street: Int, points: [Point])],
                    bounds: Rect = Rect(min: Point(x: -100, y: -50), max: Point(x: 100, y: 50))) -> PrecinctMap {
        var m = PrecinctMap(key: "test", name: "Test", timeZone: "Asia/Shanghai", declaredBounds: bounds)
        func node(_ p: Point) -> Int {
            if let i = m.intersections.firstIndex(where: { $0.position == p }) { return i }
            m.intersections.append(Intersection(key: "n\(m.intersections.count)", position: p))
            return m.intersections.count - 1
        }
        for (k, s) in streets.enumerated() {
            m.streets.append(Street(key: "s\(k)", name: s.name, roman: s.roman, roadClass: s.cls))
        }
        for (k, seg) in segments.enumerated() {
            let cls = streets[seg.street].cls
            let a = node(seg.points[0]), b = node(seg.points[seg.points.count - 1])
            m.segments.append(Segment(key: "e\(k)", street: seg.street, from: a, to: b,
                                      shape: Array(seg.points.dropFirst().dropLast()), roadClass: cls,
                                      speedKmh: cls.defaultSpeedKmh, access: cls.defaultAccess,
                                      lengthMeters: Polyline.length(seg.points)))
        }
        return m
    }

    /// A state built from events, seq and times in order.
    static func state(_ events: [Event], start: Date = t0) -> PrecinctState {
        var s = PrecinctState()
        for (k, e) in events.enumerated() {
            s.apply(EventEnvelope(seq: UInt64(k + 1), time: start + Double(k), event: e))
        }
        return s
    }

    static let unicodeCaps = TerminalCapabilities(colours: .many, blink: true, unicode: true)
    static let asciiCaps = TerminalCapabilities(colours: .none, blink: false, unicode: false)
}

/// Renders just the map of `map` into a `width` x `height` area at a fixed viewport.
func renderMap(_ map: PrecinctMap, state: PrecinctState = PrecinctState(), width: Int, height: Int,
               viewport: MapViewport, unicode: Bool = true, blinkPhase: Bool = true,
               selection: ConsoleUIState.Selection = .none) -> Grid {
    var grid = Grid(width: width, height: height)
    var ui = ConsoleUIState(viewport: viewport)
    ui.selection = selection
    let input = ConsoleFrameInput(map: map, state: state, ui: ui, now: Fixture.t0,
                                  capabilities: unicode ? Fixture.unicodeCaps : Fixture.asciiCaps,
                                  blinkPhase: blinkPhase)
    ConsoleRenderer.renderMapOnly(input, into: &grid)
    return grid
}
