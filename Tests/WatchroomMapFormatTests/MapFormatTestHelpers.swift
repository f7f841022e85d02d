import Foundation
import WatchroomCore
import WatchroomMapFormat
import XCTest

/// The Example section of docs/map-format.md, verbatim.
let docExample = """
watchroom-map 1
precinct key=demo name="示例" roman="Demo" timezone=Asia/Shanghai
node a at=0,0
node b at=200,0
node c at=200,150
street yp name="永平门街" roman="Yongping Gate Street" class=tertiary
segment e1 street=yp from=a to=b
segment e2 street=yp from=b to=c oneway=yes shape="230,60 220,120"
segment e3 from=c to=a class=service
station st name="江北城派出所" roman="Jiangbeicheng Police Station" at=20,10
camera cam1 name="永平门街口" at=190,10 facing=270 fov=90 range=120
address a1 street=yp number="18" at=100,8
landmark l1 name="江北城小学" roman="Jiangbeicheng Primary School" kind=school at=60,-15
area r1 kind=river name="嘉陵江" roman="Jialing River" points="-100,-50 300,-50 300,-120 -100,-120"

"""

/// Two header lines; body lines start at line 3.
let header = """
watchroom-map 1
precinct key=t name="T" timezone=UTC

"""

/// A small valid network around the station so body-only tests do not also
/// trip "no station"; appended after the body so line numbers stay put.
let tail = """
node z1 at=0,0
node z2 at=50,0
street zs name="Z" class=residential
segment zz street=zs from=z1 to=z2
station zst name="P" at=0,5

"""

func check(_ text: String) -> MapCheckResult {
    MapFormat.check(bytes: Array(text.utf8), file: "t.wrmap")
}

func render(_ r: MapCheckResult) -> String {
    r.diagnostics.map(\.description).joined(separator: "\n")
}

/// Asserts a diagnostic at exactly `line`:`column` whose message contains `text`.
func assertDiagnostic(_ r: MapCheckResult, _ line: Int, _ column: Int, _ text: String,
                      severity: Severity = .error, file: StaticString = #filePath, lineNo: UInt = #line) {
    let hit = r.diagnostics.contains {
        $0.line == line && $0.column == column && $0.severity == severity && $0.message.contains(text)
    }
    XCTAssertTrue(hit, "expected \(severity) at \(line):\(column) containing \"\(text)\"; got:\n\(render(r))",
                  file: file, line: lineNo)
}

func assertMapsEqual(_ a: PrecinctMap, _ b: PrecinctMap, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.key, b.key, file: file, line: line)
    XCTAssertEqual(a.name, b.name, file: file, line: line)
    XCTAssertEqual(a.roman, b.roman, file: file, line: line)
    XCTAssertEqual(a.timeZone, b.timeZone, file: file, line: line)
    XCTAssertEqual(a.origin, b.origin, file: file, line: line)
    XCTAssertEqual(a.declaredBounds, b.declaredBounds, file: file, line: line)
    XCTAssertEqual(a.intersections, b.intersections, file: file, line: line)
    XCTAssertEqual(a.streets, b.streets, file: file, line: line)
    XCTAssertEqual(a.segments, b.segments, file: file, line: line)
    XCTAssertEqual(a.station, b.station, file: file, line: line)
    XCTAssertEqual(a.cameras, b.cameras, file: file, line: line)
    XCTAssertEqual(a.addresses, b.addresses, file: file, line: line)
    XCTAssertEqual(a.landmarks, b.landmarks, file: file, line: line)
    XCTAssertEqual(a.areas, b.areas, file: file, line: line)
}

/// Deterministic pseudo-random numbers (SplitMix64) so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A square grid of two-way residential streets with the station at a corner:
/// `side * side` nodes and `2 * side * (side - 1)` segments.
func gridMap(side: Int, spacing: Double = 100) -> String {
    var s = "watchroom-map 1\nprecinct key=grid name=\"Grid\" timezone=Asia/Shanghai\n"
    s += "street h name=\"Horizontal\" class=residential\nstreet v name=\"Vertical\" class=secondary\n"
    for y in 0..<side {
        for x in 0..<side { s += "node n\(y * side + x) at=\(Double(x) * spacing),\(Double(y) * spacing)\n" }
    }
    var e = 0
    for y in 0..<side {
        for x in 0..<side {
            let i = y * side + x
            if x + 1 < side { s += "segment s\(e) street=h from=n\(i) to=n\(i + 1)\n"; e += 1 }
            if y + 1 < side { s += "segment s\(e) street=v from=n\(i) to=n\(i + side)\n"; e += 1 }
        }
    }
    s += "station st name=\"Station\" at=1,1\n"
    return s
}
