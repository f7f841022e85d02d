import Foundation
import WatchroomTestSupport
import XCTest

/// `watchroom drill`: headless on the busy-night fixture, its report files, its refusals;
/// and the console in tmux.
final class DrillCommandTests: XCTestCase {
    private var fixture: String { CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl").path }

    private func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "watchroom-drill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    private func run(_ args: [String]) throws -> CLIRunner.Output {
        try CLIRunner.run(args + ["--map", CLIRunner.defaultMapPath], timeout: 120)
    }

    func testHeadlessDrillOnTheBusyNightWritesTheReportFiles() throws {
        let dir = try tempDir()
        let script = dir + "/two.script"
        // I0001 was called in at 20:03:45, the knife dispute I0022 at 22:10:00.
        try """
            # The trainee takes two calls of the busy night.
            at 00:04:10
            dispatch I0001
            expect dispatched
            at 2:10:20
            dispatch I0022
            expect response plan
            wait 3m
            reinforce I0022 2
            expect reinforced
            report
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let out = try run(["drill", fixture, "--script", script, "--until", "150m",
                           "--report", dir + "/r.md", "--report", dir + "/r.csv", "--report", dir + "/r.json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("After-action report: busy-night.jsonl"), out.stdout)
        XCTAssertTrue(out.stdout.contains("20:04:10+08:00  dispatched"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Call +08:00"), out.stdout)
        XCTAssertTrue(out.stdout.contains("reinforced"), out.stdout)

        // JSON: parses back; the numbers the script made.
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json"))) as? [String: Any])
        XCTAssertEqual(json["source"] as? String, "busy-night.jsonl")
        XCTAssertEqual(json["generatedAt"] as? String, "2026-03-14T22:30:00.000+08:00")
        XCTAssertEqual(json["finished"] as? Bool, true, "the drill ended at --until")
        let calls = try XCTUnwrap(json["calls"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: calls.compactMap { c in (c["incident"] as? String).map { ($0, c) } })
        XCTAssertTrue(calls.allSatisfy { ($0["callTime"] as? String ?? "") < "2026-03-14T22:30" }, "only calls so far")
        XCTAssertGreaterThan(calls.count, 20)
        let first = try XCTUnwrap(byID["I0001"]?["trainee"] as? [String: Any])
        XCTAssertEqual(first["callToDispatch"] as? Double, 25)
        XCTAssertEqual(first["dispatchedAt"] as? String, "2026-03-14T20:04:10.000+08:00")
        XCTAssertNotNil(first["firstEta"] as? Double)
        let knife = try XCTUnwrap(byID["I0022"])
        XCTAssertEqual(knife["place"] as? String, "永平门街23号院, 永平门街 23 (Yongping Gate Street)")
        let knifeTrainee = try XCTUnwrap(knife["trainee"] as? [String: Any])
        XCTAssertEqual(knifeTrainee["callToDispatch"] as? Double, 20)
        XCTAssertEqual((knifeTrainee["units"] as? [Any])?.count, 2, "a weapon call: two units")
        XCTAssertEqual((knife["reinforcements"] as? [String])?.count, 2)
        let day = try XCTUnwrap(knife["day"] as? [String: Any])
        XCTAssertEqual(day["callToDispatch"] as? Double, 22, "the virtual commander sent C13 and C12 at 22:10:22")
        XCTAssertEqual(day["by"] as? String, "auto")
        XCTAssertEqual((knife["best"] as? [Any])?.count, 2)
        let totals = try XCTUnwrap(json["totals"] as? [String: Any])
        XCTAssertEqual(totals["dispatched"] as? Int, 2)
        XCTAssertEqual(totals["pending"] as? Int, 0)
        XCTAssertEqual((totals["missed"] as? Int).map { $0 + 2 }, calls.count, "every other call so far is missed")

        // CSV: a column per header on every line, one line per call.
        let csv = try String(contentsOfFile: dir + "/r.csv", encoding: .utf8)
        let rows = csv.split(separator: "\r\n", omittingEmptySubsequences: true)
        XCTAssertEqual(rows.count, calls.count + 1)
        let header = rows[0].split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(header.first, "incident")
        for row in rows {
            // No field of this recording holds a comma or a quote outside quotes: a plain split is exact.
            let unquoted = row.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 0 }.map(\.element).joined()
            let quotedCommas = row.filter { $0 == "," }.count - unquoted.filter { $0 == "," }.count
            XCTAssertEqual(row.filter { $0 == "," }.count - quotedCommas + 1, header.count, String(row))
        }
        XCTAssertTrue(rows.contains { $0.hasPrefix("I0022,I0022,2026-0314-0022,1,dispute,") }, csv)

        // Markdown: the tables and the calls.
        let md = try String(contentsOfFile: dir + "/r.md", encoding: .utf8)
        XCTAssertTrue(md.hasPrefix("# After-action report: busy-night.jsonl"))
        XCTAssertTrue(md.contains("## Totals"))
        XCTAssertTrue(md.contains("| 2026-0314-0022 | 2026-03-14T22:10:00.000+08:00 | 1 | dispute |"), md)
        XCTAssertTrue(md.contains("## Missed calls"))
    }

    func testADrillFromTwentyTwoOClockWithTheTraineesName() throws {
        let dir = try tempDir()
        let script = dir + "/knife.script"
        try "at 2:10:15\ndispatch I0022\nexpect dispatched\n".write(toFile: script, atomically: true, encoding: .utf8)
        let out = try run(["drill", fixture, "--from", "22:05", "--until", "22:20", "--trainee", "Li Na", "--script", script,
                           "--report", dir + "/r.json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("After-action report: busy-night.jsonl, trainee Li Na"), out.stdout)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json"))) as? [String: Any])
        XCTAssertEqual(json["trainee"] as? String, "Li Na")
        let calls = try XCTUnwrap(json["calls"] as? [[String: Any]])
        XCTAssertFalse(calls.isEmpty)
        for c in calls {
            let t = c["callTime"] as? String ?? ""
            XCTAssertTrue(t >= "2026-03-14T22:05" && t < "2026-03-14T22:20", t)
        }
        let knife = try XCTUnwrap(calls.first { $0["incident"] as? String == "I0022" })
        XCTAssertEqual((knife["trainee"] as? [String: Any])?["callToDispatch"] as? Double, 15)

        let early = try run(["drill", fixture, "--from", "2026-03-14T19:00:00+08:00", "--script", script])
        XCTAssertNotEqual(early.status, 0)
        XCTAssertTrue(early.stderr.contains("the recording runs from 2026-03-14T20:00:00.000+08:00"), early.stderr)
        let garbled = try run(["drill", fixture, "--from", "tea time", "--script", script])
        XCTAssertNotEqual(garbled.status, 0)
        XCTAssertTrue(garbled.stderr.contains("--from tea time"), garbled.stderr)
    }

    func testRefusalsAreOneClearLine() throws {
        let dir = try tempDir()
        let missing = try run(["drill", dir + "/nope.jsonl", "--script", "-"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("nope.jsonl"), missing.stderr)

        let badReport = try run(["drill", fixture, "--script", "-", "--report", dir + "/r.txt"])
        XCTAssertNotEqual(badReport.status, 0)
        XCTAssertTrue(badReport.stderr.contains(".md, .csv or .json"), badReport.stderr)

        let noFolder = try run(["drill", fixture, "--script", "-", "--report", dir + "/no/such/r.md"])
        XCTAssertNotEqual(noFolder.status, 0)
        XCTAssertTrue(noFolder.stderr.contains("no such folder"), noFolder.stderr)

        let empty = dir + "/empty.jsonl"
        try Data().write(to: URL(fileURLWithPath: empty))
        let none = try run(["drill", empty, "--script", "-"])
        XCTAssertNotEqual(none.status, 0)
        XCTAssertTrue(none.stderr.contains("Error: \(empty) is empty (0 bytes)"), none.stderr)

        let other = dir + "/other.wrmap"
        XCTAssertEqual(try CLIRunner.run(["map", "generate", "--intersections", "300", "--seed", "7", "-o", other]).status, 0)
        let wrongMap = try CLIRunner.run(["drill", fixture, "--map", other, "--script", "-"])
        XCTAssertNotEqual(wrongMap.status, 0)
        XCTAssertTrue(wrongMap.stderr.contains("recorded on map jiangbei-city, not generated-300"), wrongMap.stderr)

        let script = dir + "/bad.script"
        try "at 00:04:10\ndispatch I9999\n".write(toFile: script, atomically: true, encoding: .utf8)
        let failing = try run(["drill", fixture, "--script", script, "--until", "10m"])
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.stderr.contains("bad.script:2:"), failing.stderr)
    }

    func testTheConsoleSaysWhenTheRecordingHasEnded() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let dir = try tempDir()
        // busy-night ends at 08:00:00; from 07:58 at 10x the recording runs out in about 12 s.
        let t = try TmuxSession(command: [binary, "drill", fixture, "--map", CLIRunner.defaultMapPath, "--from", "07:58",
                                          "--speed", "10", "--no-record", "--log", dir + "/w.log"],
                                width: 160, height: 48, holdAfterExit: true)
        XCTAssertTrue(t.waitFor("DRILL", timeout: 15), t.screen())
        XCTAssertFalse(t.screen().contains("DRILL OVER"), "not before the recording's end: \(t.screen())")
        XCTAssertTrue(t.waitFor("DRILL OVER", timeout: 40), t.screen())
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 15), 0)
    }

    func testDrillInTheConsole() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let dir = try tempDir()
        let report = dir + "/console.json"
        let t = try TmuxSession(command: [binary, "drill", fixture, "--map", CLIRunner.defaultMapPath, "--speed", "40",
                                          "--log", dir + "/w.log", "--report", report, "--record", dir + "/drill.shift"],
                                width: 160, height: 48, holdAfterExit: true)
        XCTAssertTrue(t.waitFor("DRILL", timeout: 15), t.screen())
        // The first recorded call comes in at 20:03:45 (under six seconds at 40x).
        XCTAssertTrue(t.waitFor("0001 dispute", timeout: 20), t.screen())
        t.sendKeys(":")
        t.sendText("select I0001")
        t.sendKeys("Enter")
        // Selected: the details show the response plan.
        XCTAssertTrue(t.waitFor("Plan:", timeout: 10), t.screen())
        t.sendKeys("d")
        XCTAssertTrue(t.waitUntil(timeout: 10) { $0.range(of: #"dispatched [CF]\d+"#, options: .regularExpression) != nil }, t.screen())
        t.sendKeys(":")
        t.sendText("report")
        t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("After-action report", timeout: 10), t.screen())
        XCTAssertTrue(t.waitFor("Call to dispatch", timeout: 5), t.screen())
        t.sendKeys("Escape")
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 15), 0)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        let calls = try XCTUnwrap(json["calls"] as? [[String: Any]])
        let first = try XCTUnwrap(calls.first)
        XCTAssertEqual(first["incident"] as? String, "I0001")
        XCTAssertEqual(first["outcome"] as? String, "dispatched")
        XCTAssertEqual(json["finished"] as? Bool, true, "quitting ends the drill")
        XCTAssertNotNil((first["trainee"] as? [String: Any])?["callToDispatch"] as? Double)
        // The drill was recorded: mode drill, the trainee's dispatch among its events.
        let info = try CLIRunner.run(["shift", "info", dir + "/drill.shift"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("drill"), info.stdout)
        let events = try CLIRunner.run(["replay", dir + "/drill.shift", "--headless", "--format", "jsonl"])
        XCTAssertEqual(events.status, 0, events.stderr)
        XCTAssertTrue(events.stdout.contains("\"type\":\"dispatch\""), "the trainee's dispatch is in the drill's recording")
        XCTAssertTrue(events.stdout.contains("\"mode\":\"drill\""), String(events.stdout.prefix(400)))
    }
}
