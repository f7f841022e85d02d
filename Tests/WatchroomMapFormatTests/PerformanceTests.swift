import Foundation
import WatchroomCore
import WatchroomMapFormat
import XCTest

/// Large-input timings. Skipped unless WATCHROOM_PERF=1; run them in release:
///
///     WATCHROOM_PERF=1 swift test -c release --scratch-path .build-mapformat \
///         --filter WatchroomMapFormatTests.PerformanceTests
final class PerformanceTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["WATCHROOM_PERF"] == "1", "set WATCHROOM_PERF=1")
    }

    func time<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let start = Date()
        let value = try body()
        print(String(format: "PERF %@: %.3f s", label, Date().timeIntervalSince(start)))
        return value
    }

    /// 1,000,000 nodes, 2,000,000 segments (a 1000 x 1000 grid).
    func testMillionNodeGrid() throws {
        let side = 1000
        let text = time("generate text") { gridMap(side: side) }
        let bytes = Array(text.utf8)
        print("PERF file size: \(bytes.count / 1_000_000) MB")
        let r = time("check 1M nodes / 2M segments") { MapFormat.check(bytes: bytes, file: "grid") }
        XCTAssertEqual(r.errorCount, 0, render(r))
        let map = try XCTUnwrap(r.map)
        XCTAssertEqual(map.intersections.count, side * side)
        XCTAssertEqual(map.segments.count, 2 * side * (side - 1))
        let written = time("write") { MapFormat.write(map) }
        XCTAssertEqual(written.utf8.count > 0, true)
        _ = time("summary") { MapSummary(map: map).text }
        _ = time("geojson") { GeoJSONExport.export(map) }
    }

    /// The same grid with many horizontal segments one-way east (no traps: the vertical streets are two-way).
    func testMillionNodeGridWithOneWays() throws {
        let text = gridMap(side: 1000).replacingOccurrences(of: "street=h from=n1", with: "street=h oneway=yes from=n1")
        let r = time("check one-way grid") { MapFormat.check(bytes: Array(text.utf8), file: "grid") }
        print("PERF one-way grid: \(r.errorCount) errors, \(r.warningCount) warnings")
    }

    func testGarbage50MB() {
        var rng = SeededRandom(seed: 1)
        var bytes = [UInt8](repeating: 0, count: 50_000_000)
        for i in stride(from: 0, to: bytes.count, by: 8) {
            let v = rng.next()
            for k in 0..<8 where i + k < bytes.count { bytes[i + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
        }
        let r = time("check 50 MB random bytes") { MapFormat.check(bytes: bytes, file: "garbage") }
        XCTAssertTrue(r.hasErrors)
        print("PERF garbage: \(r.errorCount) errors")
    }

    func testSingle10MBLine() {
        let line = "node a at=1,1 name=\"" + String(repeating: "永", count: 3_300_000) + "\"\n"
        let r = time("check one 10 MB line") { check(header + line + tail) }
        XCTAssertTrue(r.hasErrors)
        let words = header + "node a at=1,1 " + String(repeating: "x=1 ", count: 2_500_000) + "\n" + tail
        let r2 = time("check 10 MB line of 2.5M bad keys") { check(words) }
        XCTAssertEqual(r2.errorCount, 2_500_000)
    }
}
