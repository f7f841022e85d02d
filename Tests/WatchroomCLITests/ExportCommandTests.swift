import Foundation
import WatchroomTestSupport
import XCTest

/// `watchroom shift export SHIFT --format eido|csv|geojson [--incident ID] -o OUT` on the
/// busy-night fixture, through the real binary.
final class ExportCommandTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "watchroom-export-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private var fixture: String { CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl").path }

    func testEachFormatFromAShiftFileAndFromJSONLines() throws {
        let shift = dir + "/busy.shift"
        let imported = try CLIRunner.run(["shift", "import", fixture, "-o", shift], timeout: 120)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        for (input, formats) in [(shift, ["eido", "csv", "geojson"]), (fixture, ["csv"])] {
            for format in formats {
                let out = dir + "/out-\(format)-\(UUID().uuidString)"
                let r = try CLIRunner.run(["shift", "export", input, "--format", format, "--map", CLIRunner.defaultMapPath, "-o", out],
                                          timeout: 120)
                XCTAssertEqual(r.status, 0, "\(format): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains("exported as \(format)"), r.stderr)
                let data = try Data(contentsOf: URL(fileURLWithPath: out))
                switch format {
                case "csv":
                    let text = String(decoding: data, as: UTF8.self)
                    XCTAssertTrue(text.hasPrefix("incident,number,reported,"), String(text.prefix(80)))
                    XCTAssertGreaterThan(text.components(separatedBy: "\r\n").count, 5)
                case "eido":
                    let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
                    XCTAssertGreaterThan(objects.count, 3)
                    XCTAssertTrue(objects.allSatisfy { $0["eidoVersion"] as? String == "1.0" && $0["incidentComponent"] != nil })
                default:
                    let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                    XCTAssertEqual(root["type"] as? String, "FeatureCollection")
                    XCTAssertGreaterThan((root["features"] as? [Any])?.count ?? 0, 3)
                }
            }
        }
        // The night runs over midnight: 0001 is the number of two calls, and that is said.
        let two = try CLIRunner.run(["shift", "export", shift, "--format", "eido", "--incident", "0001", "--map", CLIRunner.defaultMapPath],
                                    timeout: 120)
        XCTAssertNotEqual(two.status, 0)
        XCTAssertTrue(two.stderr.contains("matches 2 incidents (2026-0314-0001, 2026-0315-0001)"), two.stderr)
        // One incident by its id: a single EIDO object.
        let one = try CLIRunner.run(["shift", "export", shift, "--format", "eido", "--incident", "I0001", "--map", CLIRunner.defaultMapPath],
                                    timeout: 120)
        XCTAssertEqual(one.status, 0, one.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((object["incidentComponent"] as? [String: Any])?["internalIncidentId"] as? String, "I0001")
        XCTAssertTrue(one.stderr.contains("1 incident exported as eido"), one.stderr)
    }

    func testRefusalsAreOneClearLine() throws {
        let noSuch = try CLIRunner.run(["shift", "export", fixture, "--format", "csv", "--incident", "I9999"], timeout: 60)
        XCTAssertNotEqual(noSuch.status, 0)
        XCTAssertTrue(noSuch.stderr.contains("no incident \"I9999\""), noSuch.stderr)
        let jsonlIncident = try CLIRunner.run(["shift", "export", fixture, "--incident", "0001"], timeout: 60)
        XCTAssertNotEqual(jsonlIncident.status, 0)
        XCTAssertTrue(jsonlIncident.stderr.contains("--incident needs --format"), jsonlIncident.stderr)
        let badFormat = try CLIRunner.run(["shift", "export", fixture, "--format", "xml"], timeout: 60)
        XCTAssertNotEqual(badFormat.status, 0)
        // A recording with a broken line: what can be read is exported, the rest named.
        let text = try String(contentsOfFile: fixture, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert("{\"v\":1,\"seq\":\"broken", at: 5)
        let damaged = dir + "/damaged.jsonl"
        try lines.joined(separator: "\n").write(toFile: damaged, atomically: true, encoding: .utf8)
        let partial = try CLIRunner.run(["shift", "export", damaged, "--format", "csv", "--map", CLIRunner.defaultMapPath], timeout: 60)
        XCTAssertEqual(partial.status, 0, partial.stderr)
        XCTAssertTrue(partial.stderr.contains("skipped: ") && partial.stderr.contains(":6:"), partial.stderr)
    }
}
