import Foundation
import WatchroomCore
import WatchroomMapFormat
import XCTest

final class GraphTests: XCTestCase {
    let base = """
    watchroom-map 1
    precinct key=t name="T" timezone=UTC
    street s name="永平门街" roman="Yongping Gate Street" class=residential
    station st name="P" at=0,5
    node a at=0,0
    node b at=100,0

    """  // lines 1-6; body from line 7

    /// The station far from any road, and a station's part holding less than half of what a
    /// profile may use: warnings at the station's `at`, per profile.
    func testStationFarFromTheNetworkAndASmallStationPartAreWarned() {
        let text = """
        watchroom-map 1
        precinct key=t name="T" timezone=UTC
        bounds min=-100,-100 max=2100,500
        station st name="P" at=0,400
        node a at=0,0
        node b at=100,0
        node c at=1000,0
        node d at=2000,0
        segment ab from=a to=b class=residential
        segment cd from=c to=d class=residential

        """
        let r = check(text)
        XCTAssertEqual(r.warningCount, 4, render(r))
        assertDiagnostic(r, 4, 24, "the station's part of the network holds 0.1 km of the 1.1 km cars may use (less than half): the rest cannot be reached from the station and back", severity: .warning)
        assertDiagnostic(r, 4, 24, "the station is 400 m from the nearest road cars may use: every ETA from it includes that walk", severity: .warning)
        assertDiagnostic(r, 4, 24, "the station's part of the network holds 0.1 km of the 1.1 km officers on foot may use (less than half)", severity: .warning)
        assertDiagnostic(r, 4, 24, "the station is 400 m from the nearest road officers on foot may use", severity: .warning)
        // Within 250 m of a road and on the larger part: nothing to say.
        let fine = check(text.replacingOccurrences(of: "at=0,400", with: "at=1500,200"))
        XCTAssertEqual(fine.warningCount, 0, render(fine))
    }

    func testDeadEndOneWay() {
        let body = """
        node c at=200,0
        segment ab street=s from=a to=b
        segment bc street=s from=b to=c oneway=yes

        """
        let r = check(base + body)
        XCTAssertEqual(r.errorCount, 1, render(r))
        assertDiagnostic(r, 9, 40, "one-way trap: node 'c' (line 7) can be entered by car through segment 'bc' on '永平门街' ('Yongping Gate Street') but never left")
    }

    func testBrokenStationRecordStillAnchorsTheGraphChecks() {
        let text = base.replacingOccurrences(of: "station st name=\"P\" at=0,5", with: "station st name=\"P\" at=0,5 bogus=1")
            + "node c at=200,0\nsegment ab street=s from=a to=b\nsegment bc street=s from=b to=c oneway=yes\n"
        let r = check(text)
        assertDiagnostic(r, 4, 28, "unknown key 'bogus'")
        assertDiagnostic(r, 9, 40, "one-way trap: node 'c'")
    }

    func testTrapComponentIsOneDiagnostic() {
        let body = """
        node c at=200,0
        node d at=300,0
        node e at=300,100
        segment ab street=s from=a to=b
        segment bc street=s from=b to=c oneway=yes
        segment cd street=s from=c to=d
        segment de street=s from=d to=e
        segment ec street=s from=e to=c

        """
        let r = check(base + body)
        XCTAssertEqual(r.errorCount, 1, render(r))
        assertDiagnostic(r, 11, 40, "one-way trap: segment 'bc' on '永平门街' ('Yongping Gate Street') takes cars from the station to node 'c' (line 7) and 2 other connected nodes, with no way back")
        // A one-way loop back fixes it.
        let fixed = check(base + body + "segment eb street=s from=e to=b oneway=yes\n")
        XCTAssertFalse(fixed.hasErrors, render(fixed))
    }

    func testOneWayRingIsFine() {
        let body = """
        node c at=100,100
        segment ab street=s from=a to=b oneway=yes
        segment bc street=s from=b to=c oneway=yes
        segment ca street=s from=c to=a oneway=yes

        """
        let r = check(base + body)
        XCTAssertEqual(r.diagnostics, [], render(r))
    }

    func testUnreachableByCarAndFootSummarised() {
        var body = "segment ab street=s from=a to=b\n"  // line 7
        for i in 0..<50 { body += "node x\(i) at=\(1000 + i * 10),500\n" }  // lines 8-57
        for i in 0..<49 { body += "segment xs\(i) street=s from=x\(i) to=x\(i + 1)\n" }
        let r = check(base + body)
        XCTAssertEqual(r.errorCount, 2, render(r))
        assertDiagnostic(r, 8, 1, "node 'x0' and 49 other connected nodes cannot be reached by car from the station")
        assertDiagnostic(r, 8, 1, "node 'x0' and 49 other connected nodes cannot be reached on foot from the station")
    }

    func testOneWayOutOnlyIsUnreachableByCarButFineOnFoot() {
        let body = """
        node x at=-100,0
        segment ab street=s from=a to=b
        segment xa street=s from=x to=a oneway=yes

        """
        let r = check(base + body)
        XCTAssertEqual(r.errorCount, 1, render(r))
        assertDiagnostic(r, 7, 1, "node 'x' cannot be reached by car from the station")
    }

    func testFootwaysDoNotCountForCars() {
        let body = """
        node p at=0,-100
        node q at=100,-100
        segment ab street=s from=a to=b
        segment ap from=a to=p class=footway
        segment pq from=p to=q class=steps

        """
        let r = check(base + body)
        XCTAssertEqual(r.diagnostics, [], render(r))
        // A footway island is unreachable on foot only.
        let island = check(base + "segment ab street=s from=a to=b\nnode p at=0,-100\nnode q at=100,-100\nsegment pq from=p to=q class=footway\n")
        XCTAssertEqual(island.errorCount, 1, render(island))
        assertDiagnostic(island, 8, 1, "node 'p' and 1 other connected node cannot be reached on foot")
    }

    func testMotorwayIsCarOnly() {
        let body = """
        node m at=500,0
        segment ab street=s from=a to=b
        segment bm from=b to=m class=motorway

        """
        let r = check(base + body)
        XCTAssertEqual(r.diagnostics, [], render(r))
        XCTAssertEqual(r.map?.segments.last?.access, .car, "nodes only a motorway touches are not part of the foot network")
    }

    /// A 100,000-node one-way ring plus a long tail: a recursive DFS would overflow the stack.
    func testDeepGraphsAreIterative() {
        let n = 100_000
        var s = "watchroom-map 1\nprecinct key=r name=\"R\" timezone=UTC\nstation st name=\"P\" at=0,0\n"
        s.reserveCapacity(n * 60)
        for i in 0..<n { s += "node n\(i) at=\(i),\(i % 2)\n" }
        for i in 0..<n - 1 { s += "segment e\(i) from=n\(i) to=n\(i + 1) class=service oneway=yes\n" }
        let closed = s + "segment back from=n\(n - 1) to=n0 class=service oneway=yes\n"
        let r = check(closed)
        XCTAssertEqual(r.errorCount, 0, render(r))
        // Without the closing segment everything after n0 is a trap, reported once.
        let open = check(s)
        XCTAssertEqual(open.errorCount, 1, render(open))
        assertDiagnostic(open, 100_004, 47, "one-way trap: segment 'e0' on an unnamed road takes cars from the station to node 'n1' (line 5) and 99998 other connected nodes")
    }
}
