import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomUI
import XCTest

/// A call raised to P1 by an `incident.updated` is followed like a new P1: the map comes to
/// it at the same zoom and the bell rings once. The real loop on a test backend.
final class FollowTests: XCTestCase {
    private typealias Console = ConsoleKeysTests.Console

    /// The edge arrows on the map panel, by the role they are drawn in.
    private func edgeArrows(_ c: Console) -> [StyleRole] {
        let rect = ConsoleLayout(width: c.backend.screen.width, height: c.backend.screen.height).map
        var out: [StyleRole] = []
        for y in rect.y..<rect.y + rect.height {
            for x in rect.x..<rect.x + rect.width where ["⇑", "⇒", "⇓", "⇐"].contains(c.backend.screen[x, y].text) {
                if x == rect.x || y == rect.y || x == rect.x + rect.width - 1 || y == rect.y + rect.height - 1 {
                    out.append(c.backend.screen[x, y].style.role)
                }
            }
        }
        return out
    }

    private func scale(_ c: Console) -> String? {
        let title = c.backend.lines[1]
        return title.range(of: #"\d+ m/col"#, options: .regularExpression).map { String(title[$0]) }
    }

    func testAP2RaisedToP1BringsTheMapToItAndRingsOnce() throws {
        let c = try Console()
        // Zoomed in and panned to the west edge: the P2 in the middle is out of view.
        try c.press(.character("+"), .character("+"), .character("+"), .character("+"))
        for _ in 0..<12 { try c.press(.left) }
        XCTAssertEqual(edgeArrows(c), [.incidentP2], c.screen)
        let zoom = scale(c)
        XCTAssertNotNil(zoom)
        let bells = c.backend.bells

        // An update that only adds a note: nothing moves.
        c.setup.shift.publish(.incidentUpdated(IncidentUpdated(id: c.incident, note: "still shouting")))
        try c.settle()
        XCTAssertEqual(edgeArrows(c), [.incidentP2], c.screen)
        XCTAssertEqual(c.backend.bells, bells)

        // Raised to P1: the map follows at the same zoom, the bell rings.
        c.setup.shift.publish(.incidentUpdated(IncidentUpdated(id: c.incident, priority: 1, note: "a knife now")))
        try c.settle()
        XCTAssertEqual(edgeArrows(c), [], "the P1 is in view: \(c.screen)")
        XCTAssertEqual(scale(c), zoom)
        XCTAssertEqual(c.backend.bells, bells + 1)

        // Panned away again, the same P1 restated does not pull the map back or ring again.
        for _ in 0..<12 { try c.press(.left) }
        XCTAssertEqual(edgeArrows(c), [.incidentP1], c.screen)
        c.setup.shift.publish(.incidentUpdated(IncidentUpdated(id: c.incident, priority: 1)))
        try c.settle()
        XCTAssertEqual(edgeArrows(c), [.incidentP1], c.screen)
        XCTAssertEqual(c.backend.bells, bells + 1)
    }
}
