import Foundation
import WatchroomTestSupport
import XCTest

/// `watchroom shift generate|import|export|info` through the real binary.
final class ShiftCommandTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("watchroom-shift-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    private func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> CLIRunner.Output {
        let out = try CLIRunner.run(arguments, timeout: 120)
        XCTAssertFalse(out.timedOut, "timed out: \(arguments)", file: file, line: line)
        return out
    }

    private func data(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    private func digest(_ infoOutput: String) -> String? {
        infoOutput.split(separator: "\n").first { $0.hasPrefix("state digest: ") }
            .map { String($0.dropFirst("state digest: ".count).prefix(16)) }
    }

    func testGenerateImportExportRoundTripIsByteEqual() throws {
        let dir = try temporaryDirectory().path
        let jsonl = dir + "/g.jsonl", shift = dir + "/g.shift", back = dir + "/back.jsonl"
        let generate = ["shift", "generate", "--seed", "5", "--hours", "1", "--profile", "busy",
                        "--map", CLIRunner.defaultMapPath, "--start", "2026-03-14T20:00:00+08:00"]
        let gen = try run(generate + ["-o", jsonl])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let imported = try run(["shift", "import", jsonl, "-o", shift])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("events/s"), imported.stdout)
        let exported = try run(["shift", "export", shift, "-o", back])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        XCTAssertEqual(try data(back), try data(jsonl), "export gives back what generate wrote")
        let toStdout = try run(["shift", "export", shift])
        XCTAssertEqual(Data(toStdout.stdout.utf8), try data(jsonl))

        // The same seed gives the same bytes.
        let again = try run(generate + ["-o", dir + "/again.jsonl"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try data(dir + "/again.jsonl"), try data(jsonl))

        // Import never overwrites; export refuses too without --force.
        let before = try data(shift)
        let twice = try run(["shift", "import", jsonl, "-o", shift])
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.stderr.contains("already exists"), twice.stderr)
        XCTAssertEqual(try data(shift), before)
        XCTAssertEqual(try run(["shift", "export", shift, "-o", back]).status, 1)
    }

    func testInfoPrintsCountsForBothForms() throws {
        let dir = try temporaryDirectory().path
        let jsonl = dir + "/g.jsonl", shift = dir + "/g.shift"
        XCTAssertEqual(try run(["shift", "generate", "--seed", "9", "--hours", "0.5", "--profile", "busy",
                                "--map", CLIRunner.defaultMapPath, "-o", jsonl]).status, 0)
        XCTAssertEqual(try run(["shift", "import", jsonl, "-o", shift]).status, 0)
        let lineCount = String(decoding: try data(jsonl), as: UTF8.self).split(separator: "\n").count
        let info = try run(["shift", "info", shift])
        XCTAssertEqual(info.status, 0, info.stderr)
        for needle in ["map: jiangbei-city", "time zone: Asia/Shanghai", "events: \(lineCount)", "unit.position",
                       "shift.started        1", "incidents: ", "units: 14", "duration: 30:00",
                       "first event: 2026-03-14T20:00:00.000+08:00"] {
            XCTAssertTrue(info.stdout.contains(needle), "\(needle) in:\n\(info.stdout)")
        }
        let jsonlInfo = try run(["shift", "info", jsonl])
        XCTAssertEqual(jsonlInfo.status, 0, jsonlInfo.stderr)
        XCTAssertTrue(jsonlInfo.stdout.contains("events: \(lineCount)"), jsonlInfo.stdout)
        XCTAssertNotNil(digest(info.stdout))
        XCTAssertEqual(digest(info.stdout), digest(jsonlInfo.stdout))
    }

    func testVerifyPassesASoundFileAndNamesTheDamageInABadOne() throws {
        let dir = try temporaryDirectory().path
        let jsonl = dir + "/g.jsonl", shift = dir + "/g.shift"
        XCTAssertEqual(try run(["shift", "generate", "--seed", "4", "--hours", "0.5", "--profile", "busy",
                                "--map", CLIRunner.defaultMapPath, "-o", jsonl]).status, 0)
        XCTAssertEqual(try run(["shift", "import", jsonl, "-o", shift]).status, 0)
        let lineCount = String(decoding: try data(jsonl), as: UTF8.self).split(separator: "\n").count
        let sound = try run(["shift", "verify", shift])
        XCTAssertEqual(sound.status, 0, sound.stderr)
        XCTAssertTrue(sound.stdout.contains("ok, schema 2, \(lineCount) events"), sound.stdout)
        // info lists the one session that wrote it, closed cleanly.
        let info = try run(["shift", "info", shift])
        XCTAssertTrue(info.stdout.contains("recorded in 1 session:"), info.stdout)
        XCTAssertNotNil(info.stdout.range(of: #"create 2\d{3}-\d\d-\d\dT[^ ]+[+-]\d\d:\d\d pid \d+ Watchroom [^ ]+, from seq 1 to \d+, closed 2\d{3}-"#,
                                          options: .regularExpression), info.stdout)

        // Damage in the middle of the file: a clear one-line error, and the file left as it was.
        var bytes = try data(shift)
        let middle = bytes.count / 2 / 4096 * 4096
        for i in middle..<min(bytes.count, middle + 4096) { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
        try bytes.write(to: URL(fileURLWithPath: shift))
        let damaged = try run(["shift", "verify", shift])
        XCTAssertEqual(damaged.status, 1)
        XCTAssertTrue(damaged.stderr.contains(shift), damaged.stderr)
        XCTAssertEqual(damaged.stderr.split(separator: "\n").count, 1, damaged.stderr)
        XCTAssertEqual(try data(shift), bytes, "verify never writes")
    }

    func testImportReportsBadLinesWithFileAndLine() throws {
        let dir = try temporaryDirectory().path
        let fixture = CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/quiet-day.jsonl")
        let head = String(decoding: try Data(contentsOf: fixture).prefix(20_000), as: UTF8.self)
            .split(separator: "\n").dropLast().prefix(20).map(String.init)
        var lines = head
        lines[4] = "{\"v\":1,\"seq\":5,\"time\":\"2026-03-14 08:00\",\"type\":\"clock.tick\"}"
        lines[7] = "not json"
        let bad = dir + "/bad.jsonl", shift = dir + "/bad.shift"
        try (lines.joined(separator: "\n") + "\n").write(toFile: bad, atomically: true, encoding: .utf8)
        let out = try run(["shift", "import", bad, "-o", shift])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("\(bad):5: time"), out.stderr)
        XCTAssertTrue(out.stderr.contains("\(bad):8: not a JSON object"), out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: shift), "nothing written")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["bad.jsonl"])

        let skipping = try run(["shift", "import", bad, "-o", shift, "--skip-bad-lines"])
        XCTAssertEqual(skipping.status, 0, skipping.stderr)
        XCTAssertTrue(skipping.stdout.contains("18 events"), skipping.stdout)

        let garbage = dir + "/garbage.shift"
        try Data(repeating: 0x5A, count: 5000).write(to: URL(fileURLWithPath: garbage))
        let info = try run(["shift", "info", garbage])
        XCTAssertEqual(info.status, 1)
        let export = try run(["shift", "export", dir + "/bad.shift", "-o", dir + "/x.jsonl"])
        XCTAssertEqual(export.status, 0, export.stderr)
    }

    /// The fixtures are reproducible, and replaying the imported shift reaches the same state.
    func testBusyNightFixtureIsReproducibleAndImportsToTheSameState() throws {
        let dir = try temporaryDirectory().path
        let fixture = CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl").path
        let regenerated = dir + "/busy-night.jsonl"
        let gen = try run(["shift", "generate", "--seed", "2", "--hours", "12", "--profile", "busy",
                           "--start", "2026-03-14T20:00:00+08:00", "--position-interval", "6",
                           "--foot-position-interval", "12", "--map", CLIRunner.defaultMapPath, "-o", regenerated])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        XCTAssertTrue(try data(regenerated) == data(fixture), "Fixtures/shifts/busy-night.jsonl is out of date: see Fixtures/shifts/README.md")

        let shift = dir + "/busy-night.shift"
        XCTAssertEqual(try run(["shift", "import", fixture, "-o", shift]).status, 0)
        let fromFixture = try run(["shift", "info", fixture])
        let fromShift = try run(["shift", "info", shift])
        XCTAssertEqual(fromFixture.status, 0, fromFixture.stderr)
        XCTAssertEqual(fromShift.status, 0, fromShift.stderr)
        XCTAssertNotNil(digest(fromShift.stdout))
        XCTAssertEqual(digest(fromShift.stdout), digest(fromFixture.stdout))
        let incidents = fromShift.stdout.split(separator: "\n").first { $0.hasPrefix("incidents: ") }
        XCTAssertGreaterThanOrEqual(Int(incidents?.dropFirst("incidents: ".count) ?? "") ?? 0, 60, "a busy night")
    }
}
