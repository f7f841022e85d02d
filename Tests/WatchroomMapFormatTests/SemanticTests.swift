import Foundation
import WatchroomCore
import WatchroomMapFormat
import XCTest

final class SemanticTests: XCTestCase {
    func testDuplicateIDs() {
        let body = """
        node a at=0,0
        node a at=5,5
        street s name="S" class=primary
        street s name="S2" class=primary
        segment e street=s from=a to=z1
        segment e street=s from=a to=z2
        camera c name="C" at=1,1 facing=0 fov=90 range=50
        camera c name="C" at=1,1 facing=0 fov=90 range=50

        """
        let r = check(header + body + tail)
        assertDiagnostic(r, 4, 6, "duplicate node ID 'a' (first defined at line 3)")
        assertDiagnostic(r, 6, 8, "duplicate street ID 's' (first defined at line 5)")
        assertDiagnostic(r, 8, 9, "duplicate segment ID 'e' (first defined at line 7)")
        assertDiagnostic(r, 10, 8, "duplicate camera ID 'c' (first defined at line 9)")
        // The same ID in different kinds is fine.
        let ok = check(header + "node zs at=10,10\nsegment x street=zs from=zs to=z1\n" + tail)
        XCTAssertFalse(ok.diagnostics.contains { $0.message.contains("duplicate") }, render(ok))
    }

    func testDanglingReferences() {
        let body = """
        segment e from=z1 to=nowhere class=service
        segment f street=nostreet from=z1 to=z2
        address h street=gone number="1" at=1,1

        """
        let r = check(header + body + tail)
        assertDiagnostic(r, 3, 22, "segment 'e': node 'nowhere' is not defined")
        assertDiagnostic(r, 4, 18, "segment 'f': street 'nostreet' is not defined")
        assertDiagnostic(r, 5, 18, "address 'h': street 'gone' is not defined")
        // Forward references are fine.
        let forward = check(header + "segment e street=later from=z1 to=n9\nnode n9 at=10,10\nstreet later name=\"L\" class=service\n" + tail)
        XCTAssertFalse(forward.hasErrors, render(forward))
        XCTAssertEqual(forward.map?.segments.first?.key, "e")
    }

    func testSelfLoopAndZeroLength() {
        let body = """
        node q at=0,0
        segment loop from=z1 to=z1 class=service
        segment zero from=z1 to=q class=service
        segment ring from=z2 to=z2 class=service shape="60,10 60,-10"

        """
        let r = check(header + body + tail)
        assertDiagnostic(r, 4, 25, "goes from node 'z1' to itself with no shape")
        assertDiagnostic(r, 5, 25, "zero length")
        XCTAssertFalse(r.diagnostics.contains { $0.line == 6 && $0.severity == .error }, render(r))
        XCTAssertEqual(r.map?.segments.map(\.key), ["ring", "zz"])
    }

    func testStationCount() {
        let none = check(header + "node a at=0,0\nnode b at=9,0\nsegment e from=a to=b class=service\n")
        assertDiagnostic(none, 1, 1, "no station")
        let two = check(header + "station st2 name=\"Q\" at=1,1\n" + tail)
        assertDiagnostic(two, 8, 1, "more than one station (the first is at line 3)")
        XCTAssertEqual(two.map?.station?.key, "st2")
    }

    func testOutsideBounds() {
        let body = """
        bounds min=-100,-100 max=100,100
        camera c name="C" at=500,0 facing=0 fov=90 range=50
        landmark l name="L" kind=school at=0,-101
        address a street=zs number="1" at=101,0
        station s2 name="S" at=0,0

        """
        let r = check(header + body + tail)
        assertDiagnostic(r, 4, 22, "camera 'c' lies outside the map bounds (-100..100 × -100..100)")
        assertDiagnostic(r, 5, 36, "landmark 'l' lies outside")
        assertDiagnostic(r, 6, 35, "address 'a' lies outside")
        // Without bounds the extent is the network's box grown by 100 m: z1..z2 is 0..50 x 0..0.
        let implicit = check(header + "camera c name=\"C\" at=151,0 facing=0 fov=90 range=50\n" + tail)
        assertDiagnostic(implicit, 3, 22, "outside the map bounds (-100..150 × -100..100)")
    }

    func testWarnings() {
        let body = """
        node lonely at=10,10
        node far at=3000,0
        street empty name="Empty" class=service
        camera c name="C" at=1,1 facing=0 fov=90 range=600
        segment long from=z2 to=far class=service
        address a street=zs number="8" at=25,105

        """
        let r = check(header + body + tail)
        XCTAssertFalse(r.hasErrors, render(r))
        XCTAssertEqual(r.warningCount, 5, render(r))
        assertDiagnostic(r, 3, 1, "node 'lonely' is not used by any segment", severity: .warning)
        assertDiagnostic(r, 5, 1, "street 'empty' has no segments", severity: .warning)
        assertDiagnostic(r, 6, 48, "camera range 600 m is over 500 m", severity: .warning)
        assertDiagnostic(r, 7, 25, "segment 'long' is 2.95 km long with no shape points", severity: .warning)
        assertDiagnostic(r, 8, 35, "address 'a' is more than 100 m from its street 'Z'", severity: .warning)
        XCTAssertNotNil(try? MapFormat.load(bytes: Array((header + body + tail).utf8), file: "w"), "warnings do not stop a load")
    }

    func testFootOnlySegmentsAndSpeeds() throws {
        let body = """
        node f at=0,-40
        segment walk from=z1 to=f class=footway
        segment fast street=zs from=z2 to=f speed=70
        segment bad from=z1 to=z2 class=steps access=all

        """
        let r = check(header + body + tail)
        assertDiagnostic(r, 6, 46, "lets cars through but class steps has no car speed")
        let m = try XCTUnwrap(r.map)
        let walk = try XCTUnwrap(m.segments.first { $0.key == "walk" })
        XCTAssertEqual(walk.access, .foot)
        XCTAssertEqual(walk.speedKmh, 0)
        let fast = try XCTUnwrap(m.segments.first { $0.key == "fast" })
        XCTAssertEqual(fast.speedKmh, 70)
        XCTAssertEqual(fast.roadClass, .residential)
        let streetSpeed = check(header + "street q name=\"Q\" class=primary speed=45\nsegment e street=q from=z1 to=z2 class=service\n" + tail)
        XCTAssertEqual(streetSpeed.map?.segments.first?.speedKmh, 45, "the street's speed applies before the class default")
        let noClass = check(header + "segment e from=z1 to=z2\n" + tail)
        assertDiagnostic(noClass, 3, 1, "has no street, so it needs class=")
    }

    func testLoadThrowsWithFirstErrorAndCount() {
        let text = header + "node a at=1,x\nnode b at=1,y\n" + tail
        XCTAssertThrowsError(try MapFormat.load(bytes: Array(text.utf8), file: "m.wrmap")) { error in
            guard let e = error as? MapLoadError else { return XCTFail("wrong error \(error)") }
            XCTAssertEqual(e.errorCount, 2)
            XCTAssertTrue(e.description.hasPrefix("m.wrmap:3:11: error: malformed point"), e.description)
            XCTAssertTrue(e.description.hasSuffix("(and 1 more errors)"), e.description)
        }
    }

    func testCheckPathProblems() throws {
        let missing = MapFormat.check(path: "/nonexistent/dir/map.wrmap")
        XCTAssertEqual(missing.diagnostics.count, 1)
        XCTAssertEqual(missing.diagnostics.first?.line, 0)
        XCTAssertEqual(missing.diagnostics.first?.column, 0)
        XCTAssertTrue(missing.hasErrors)
        XCTAssertNil(missing.map)
        let dir = MapFormat.check(path: NSTemporaryDirectory())
        XCTAssertTrue(dir.diagnostics.first?.message.contains("directory") ?? false, render(dir))
        let dev = MapFormat.check(path: "/dev/zero")
        XCTAssertTrue(dev.diagnostics.first?.message.contains("not a regular file") ?? false, render(dev))
        XCTAssertThrowsError(try MapFormat.load(path: "/nonexistent/map.wrmap"))

        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("mf-\(UUID().uuidString).wrmap")
        try Data(docExample.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let map = try MapFormat.load(path: url.path)
        XCTAssertEqual(map.key, "demo")
    }

    func testCapAndFormatting() {
        var text = header
        for i in 0..<300 { text += "node n\(i) at=1,x\n" }
        let r = check(text + tail)
        XCTAssertGreaterThanOrEqual(r.errorCount, 300)
        let lines = r.formatted().split(separator: "\n")
        XCTAssertEqual(lines.count, 201)
        XCTAssertEqual(lines.last.map(String.init), "... and \(r.totalCount - 200) more")
        XCTAssertTrue(lines[0].hasPrefix("t.wrmap:3:"), String(lines[0]))
    }

    func testDiagnosticsAreSortedByLine() {
        let r = check(header + "segment e from=z1 to=nowhere class=service\nnode a at=1,x\n" + tail)
        let lines = r.diagnostics.map(\.line)
        XCTAssertEqual(lines, lines.sorted())
    }

    func testSummary() throws {
        let m = try MapFormat.load(text: docExample)
        let s = MapSummary(map: m)
        XCTAssertEqual(s.nodeCount, 3)
        XCTAssertEqual(s.segmentCount, 3)
        XCTAssertEqual(s.onewaySegmentCount, 1)
        let total = m.segments.reduce(0) { $0 + $1.lengthMeters } / 1000
        XCTAssertEqual(s.carRoadKm, total, accuracy: 1e-12)
        XCTAssertEqual(s.footRoadKm, total, accuracy: 1e-12)
        let text = s.text
        for needle in ["示例 (Demo)", "Asia/Shanghai", "segments:   3 (1 one-way)", "江北城派出所 (Jiangbeicheng Police Station)",
                       "永平门街 (Yongping Gate Street)", "cameras:    1", "430 m x 350 m"] {
            XCTAssertTrue(text.contains(needle), "missing \(needle) in\n\(text)")
        }
        var many = header
        for i in 0..<50 { many += "street s\(i) name=\"Street \(i)\" class=residential\n" }
        let big = MapSummary(map: try XCTUnwrap(check(many + tail).map))
        XCTAssertTrue(big.text.contains("... and 11 more"), big.text)
    }
}
