import Foundation
import WatchroomCore
import WatchroomMapFormat
import XCTest

final class SyntaxTests: XCTestCase {
    /// One body line at line 3; the diagnostic must be at exactly line 3, `column`.
    func assertBodyError(_ body: String, _ column: Int, _ text: String, line: UInt = #line) {
        let r = check(header + body + "\n" + tail)
        XCTAssertTrue(r.hasErrors, "no error for \(body)", line: line)
        assertDiagnostic(r, 3, column, text, lineNo: line)
    }

    func testDocExampleHasNoDiagnostics() throws {
        let r = check(docExample)
        XCTAssertEqual(r.diagnostics, [], render(r))
        XCTAssertFalse(r.hasErrors)
        let m = try XCTUnwrap(r.map)
        XCTAssertEqual(m.intersections.count, 3)
        XCTAssertEqual(m.streets.count, 1)
        XCTAssertEqual(m.segments.count, 3)
        XCTAssertEqual(m.cameras.count, 1)
        XCTAssertEqual(m.addresses.count, 1)
        XCTAssertEqual(m.landmarks.count, 1)
        XCTAssertEqual(m.areas.count, 1)
        XCTAssertEqual(m.station?.name, "江北城派出所")
        XCTAssertEqual(m.streets[0].name, "永平门街")
        let e2 = m.segments[1]
        XCTAssertTrue(e2.oneway)
        XCTAssertEqual(e2.shape, [Point(x: 230, y: 60), Point(x: 220, y: 120)])
        XCTAssertEqual(e2.roadClass, .tertiary)
        XCTAssertEqual(e2.speedKmh, 35)
        XCTAssertEqual(e2.lengthMeters, Polyline.length(m.polyline(ofSegment: 1)), accuracy: 1e-9)
        XCTAssertEqual(m.segments[2].roadClass, .service)
        XCTAssertNil(m.segments[2].street)
        XCTAssertEqual(m.segments[2].speedKmh, 15)
    }

    /// The example inside the document itself must stay valid.
    func testExampleInDocumentParses() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/map-format.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        let start = try XCTUnwrap(text.range(of: "## Example\n\n```\n"))
        let rest = text[start.upperBound...]
        let end = try XCTUnwrap(rest.range(of: "```"))
        let r = check(String(rest[..<end.lowerBound]))
        XCTAssertEqual(r.diagnostics, [], render(r))
        XCTAssertEqual(r.map?.segments.count, 3)
    }

    func testUnknownKey() {
        assertBodyError("node a at=1,2 colour=red", 15, "unknown key 'colour' for node")
    }

    func testRepeatedKey() {
        assertBodyError("node a at=1,2 at=3,4", 15, "key 'at' given twice (first at column 8)")
    }

    func testMissingRequiredKey() {
        assertBodyError("node a", 1, "missing required key 'at'")
        assertBodyError("street s name=\"S\"", 1, "missing required key 'class'")
    }

    func testUnknownRecordKind() {
        assertBodyError("nod a at=1,2", 1, "unknown record kind 'nod'")
    }

    func testUnterminatedQuote() {
        assertBodyError("street s name=\"abc class=primary", 15, "unterminated quote")
    }

    func testBadEscape() {
        assertBodyError("street s name=\"a\\qb\" class=primary", 17, "bad escape '\\q'")
        assertBodyError("street s name=\"a\\u{D800}\" class=primary", 17, "bad escape")
        assertBodyError("street s name=\"a\\u{}\" class=primary", 17, "bad escape")
    }

    func testGoodEscapes() throws {
        let r = check(header + "street s name=\"a\\\"b\\\\c\\nd\\te\\u{1F600}\\u{41}\" class=primary\n" + tail)
        let names = r.map?.streets.map(\.name) ?? []
        XCTAssertEqual(names.first, "a\"b\\c\nd\te\u{1F600}A", render(r))
    }

    func testMalformedNumbersAndPoints() {
        assertBodyError("node a at=1,x", 11, "malformed point '1,x'")
        assertBodyError("node a at=1e999,2", 11, "malformed point")
        assertBodyError("node a at=12", 11, "malformed point")
        assertBodyError("node a at=1,2 lat=abc lon=3", 19, "malformed number 'abc'")
        assertBodyError("node a at=1,2 lat=1. lon=3", 19, "malformed number")
        assertBodyError("node a at=1,2 lat=nan lon=3", 19, "malformed number")
        assertBodyError("street s name=\"S\" class=primary speed=-5", 39, "'speed' must be greater than 0")
        assertBodyError("segment e from=z1 to=z2 class=service shape=\"1,1 2,x\"", 50, "malformed point '2,x'")
    }

    func testNumberForms() throws {
        let r = check(header + "node a at=-3.5,1e3\nnode b at=+0.001,12.25E-1\nsegment e from=a to=b class=service\n" + tail)
        let m = try XCTUnwrap(r.map)
        XCTAssertEqual(m.intersections[0].position, Point(x: -3.5, y: 1000))
        XCTAssertEqual(m.intersections[1].position, Point(x: 0.001, y: 1.225))
        XCTAssertEqual(m.intersections[1].position.x, Double("0.001"))
    }

    func testInvalidID() {
        assertBodyError("node 名 at=1,2", 6, "invalid node ID")
        assertBodyError("node a/b at=1,2", 7, "invalid node ID")
        assertBodyError("segment e from=z1 to=\"z 2\" class=service", 24, "invalid ID")
    }

    func testMissingID() {
        assertBodyError("node at=1,2", 6, "missing node ID")
    }

    func testColumnsCountCharactersNotBytes() {
        // "street s name="永平门街" class=" is 27 characters (35 bytes).
        assertBodyError("street s name=\"永平门街\" class=primery", 28, "unknown class 'primery'")
    }

    func testEnumValues() {
        assertBodyError("segment e from=z1 to=z2 class=service oneway=maybe", 46, "'oneway' must be yes or no")
        assertBodyError("segment e from=z1 to=z2 class=service access=bus", 46, "unknown access 'bus'")
        assertBodyError("area r kind=lake points=\"0,0 1,0 1,1\"", 13, "unknown kind 'lake'")
        assertBodyError("area r kind=park points=\"0,0 1,0\"", 25, "at least 3 points")
    }

    func testStrayTokens() {
        assertBodyError("node a at=1,2 = x", 15, "'=' without a key")
        assertBodyError("node a at=\"1,2\"x", 16, "expected a space after the closing quote")
        assertBodyError("node a at=", 11, "missing value after 'at='")
        assertBodyError("node a at=1,2 extra", 15, "expected key=value")
        assertBodyError("node a at==1,2", 11, "unexpected '='")
        assertBodyError("node a at=1\"2\"", 12, "quote a whole value")
        assertBodyError("at=1,2", 1, "expected a record kind")
    }

    func testControlCharactersAndInvalidUTF8() {
        assertBodyError("node a at=1,2\u{01}", 14, "control character U+0001")
        assertBodyError("node a at=1,2 \u{0}", 15, "control character U+0000")
        assertBodyError("street s name=\"S\u{9B}\" class=primary", 17, "control character U+009B")
        var bytes = Array((header + "street s name=\"永").utf8)
        bytes += [0xFF]
        bytes += Array("\" class=primary\n\(tail)".utf8)
        let r = MapFormat.check(bytes: bytes, file: "t.wrmap")
        assertDiagnostic(r, 3, 17, "invalid UTF-8 byte 0xFF")
        // Overlong encoding and a lone continuation byte.
        let r2 = MapFormat.check(bytes: Array((header + "# ").utf8) + [0xC0, 0xAF] + [0x0A] + Array("#x".utf8) + [0x80], file: "t")
        assertDiagnostic(r2, 3, 3, "invalid UTF-8")
        assertDiagnostic(r2, 4, 3, "invalid UTF-8")
    }

    func testCommentsBlankLinesCRLFAndBOM() throws {
        let text = "\u{FEFF}watchroom-map 1 # version\r\n\r\n# a comment\r\n" +
            "precinct key=t name=\"T # not a comment\" timezone=UTC\r\n" + tail.replacingOccurrences(of: "\n", with: "\r\n")
        let r = check(text)
        XCTAssertEqual(r.diagnostics, [], render(r))
        XCTAssertEqual(r.map?.name, "T # not a comment")
    }

    func testHeaderRules() {
        let noHeader = check("precinct key=t name=\"T\" timezone=UTC\n" + tail)
        assertDiagnostic(noHeader, 1, 1, "expected 'watchroom-map 1' as the first record")
        let v2 = check("watchroom-map 2\nprecinct key=t name=\"T\" timezone=UTC\n" + tail)
        assertDiagnostic(v2, 1, 15, "unsupported format version '2'")
        let twice = check(header + "watchroom-map 1\n" + tail)
        assertDiagnostic(twice, 3, 1, "repeated 'watchroom-map' record (first at line 1)")
        let twoPrecincts = check(header + "precinct key=u name=\"U\" timezone=UTC\n" + tail)
        assertDiagnostic(twoPrecincts, 3, 1, "repeated 'precinct' record (first at line 2)")
        let noPrecinct = check("watchroom-map 1\n" + tail)
        assertDiagnostic(noPrecinct, 1, 1, "no 'precinct' record")
        XCTAssertNil(noPrecinct.map)
        let badBounds = check(header + "bounds min=10,10 max=0,20\n" + tail)
        assertDiagnostic(badBounds, 3, 22, "east and north")
        let origin = check(header + "origin lat=95 lon=10\n" + tail)
        assertDiagnostic(origin, 3, 12, "latitude must be between -90 and 90")
    }

    func testUnknownTimeZone() {
        let r = check("watchroom-map 1\nprecinct key=t name=\"T\" timezone=Mars/Olympus\n" + tail)
        assertDiagnostic(r, 2, 34, "unknown time zone 'Mars/Olympus'")
        XCTAssertNotNil(r.map, "a bad zone still yields a best-effort map")
        let r2 = check("watchroom-map 1\nprecinct key=t name=\"T\" timezone=../../etc/passwd\n" + tail)
        assertDiagnostic(r2, 2, 34, "unknown time zone")
    }

    func testEmptyFile() {
        let r = check("")
        XCTAssertEqual(r.diagnostics.count, 1)
        assertDiagnostic(r, 1, 1, "empty file")
        XCTAssertNil(r.map)
        let onlyComments = check("# nothing here\n\n")
        assertDiagnostic(onlyComments, 1, 1, "no records")
    }

    func testEveryProblemIsReportedNotJustTheFirst() {
        let body = """
        node a at=1,x
        node b at=1,2 colour=red
        nod c
        street s name="S" class=primary speed=fast

        """
        let r = check(header + body + tail)
        assertDiagnostic(r, 3, 11, "malformed point")
        assertDiagnostic(r, 4, 15, "unknown key")
        assertDiagnostic(r, 5, 1, "unknown record kind")
        assertDiagnostic(r, 6, 39, "malformed number")
    }

    func testMessagesEscapeControlCharacters() {
        let r = check(header + "node a at=1,2 \"\\u{1B}[31mred\"=1\n" + tail)
        XCTAssertTrue(r.hasErrors)
        let esc = MapFormat.check(bytes: Array((header + "street s name=\"S\" class=\"\\u{1B}]0;pwned\\u{7}\"\n" + tail).utf8), file: "t")
        let text = esc.formatted()
        XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, text)
        XCTAssertTrue(text.contains("\\u{1B}]0;pwned\\u{7}"), text)
        let fileName = Diagnostic(file: "evil\u{1B}[2J.wrmap", line: 1, column: 1, severity: .error, message: "m\u{9B}")
        XCTAssertEqual(fileName.description, "evil\\u{1B}[2J.wrmap:1:1: error: m\\u{9B}")
    }

    func testDiagnosticDescriptionFormat() {
        let d = Diagnostic(file: "x.wrmap", line: 3, column: 7, severity: .warning, message: "hello")
        XCTAssertEqual(d.description, "x.wrmap:3:7: warning: hello")
    }
}
