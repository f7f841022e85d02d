import Foundation
import WatchroomTestSupport
import XCTest

/// `watchroom --shift FILE` on a file that already holds a shift: resume it, replay it, or
/// quit; `--resume` / `--replay` for scripts.
final class ResumeConsoleTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "watchroom-resume-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private var fixture: String { CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl").path }

    private func importedShift() throws -> String {
        let path = dir + "/night.shift"
        let out = try CLIRunner.run(["shift", "import", fixture, "-o", path], timeout: 120)
        XCTAssertEqual(out.status, 0, out.stderr)
        return path
    }

    private var environment: [String: String] { ["XDG_DATA_HOME": dir + "/data", "XDG_STATE_HOME": dir + "/state"] }

    private func console(_ arguments: [String]) throws -> TmuxSession {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        return try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--log", dir + "/log"] + arguments,
                               width: 120, height: 36, environment: environment, holdAfterExit: true)
    }

    /// (seq, type) of every event in a shift file, through `watchroom shift export`.
    private func events(_ shift: String) throws -> [(seq: Int, type: String)] {
        let out = try CLIRunner.run(["shift", "export", shift], timeout: 120)
        XCTAssertEqual(out.status, 0, out.stderr)
        return try out.stdout.split(separator: "\n").map { line in
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return ((object["seq"] as? NSNumber)?.intValue ?? -1, object["type"] as? String ?? "")
        }
    }

    func testResumeContinuesTheSameFileWithSeqGoingOn() throws {
        let shift = try importedShift()
        let before = try events(shift)
        let lastSeq = try XCTUnwrap(before.last?.seq)
        let t = try console(["--shift", shift, "--resume", "--seed", "3", "--speed", "20"])
        XCTAssertTrue(t.waitFor("LIVE", timeout: 20), t.screen())
        // The clock goes on from the recording's end (07:59:56 on the night of 2026-03-14).
        let top = t.capture().first ?? ""
        XCTAssertNotNil(top.range(of: #" 0[78]:\d\d:\d\d(\+08:00)? "#, options: .regularExpression), top)
        XCTAssertTrue(top.contains("shift 1"), "the shift's elapsed time goes on from its start: \(top)")
        // The ticker goes on from the recording's last events: the last one that is not a position.
        let tail = try String(contentsOfFile: fixture, encoding: .utf8).split(separator: "\n").reversed()
        let lastNews = try XCTUnwrap(tail.first { line in
            ["unit.position", "clock.tick", "units.recommended"].allSatisfy { !line.contains("\"\($0)\"") }
        })
        let range = try XCTUnwrap(lastNews.range(of: #"T\d\d:\d\d:\d\d"#, options: .regularExpression))
        let when = String(lastNews[range].dropFirst())
        XCTAssertTrue(t.waitFor(when + " "), "\(when) in the ticker: \(t.screen())")
        sleep(3)
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 15), 0, t.screen())

        let after = try events(shift)
        XCTAssertGreaterThan(after.count, before.count, "the resumed shift appended to the file")
        XCTAssertEqual(Array(after.prefix(before.count)).map(\.seq), before.map(\.seq), "what was there is untouched")
        XCTAssertEqual(after[before.count].seq, lastSeq + 1, "seq continues")
        XCTAssertEqual(after.map(\.seq), after.map(\.seq).sorted())
        XCTAssertEqual(Set(after.map(\.seq)).count, after.count)
        XCTAssertEqual(after.filter { $0.type == "shift.started" }.count, 1, "no second shift.started")
        XCTAssertEqual(after.filter { $0.type == "unit.registered" }.count,
                       before.filter { $0.type == "unit.registered" }.count, "units are not registered again")
        XCTAssertTrue(after[before.count...].contains { $0.type == "unit.position" }, "the simulation runs on")
        // The file notes the resumed session, closed cleanly.
        let info = try CLIRunner.run(["shift", "info", shift])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("recorded in 2 sessions"), info.stdout)
        XCTAssertTrue(info.stdout.contains("  resume "), info.stdout)
        XCTAssertNotNil(info.stdout.range(of: #"  resume [^\n]* Watchroom \d+\.\d+\.\d+, from seq"#, options: .regularExpression),
                        "the resumed session notes the version that resumed it: \(info.stdout)")
        XCTAssertFalse(info.stdout.contains("not closed"), info.stdout)
    }

    func testWithoutAFlagAndNoTerminalToAskOnItSaysWhatToDo() throws {
        let shift = try importedShift()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: shift))
        let out = try CLIRunner.run(["--map", CLIRunner.defaultMapPath, "--shift", shift], environment: environment)
        XCTAssertEqual(out.status, 1)
        XCTAssertNotNil(out.stderr.range(of: "holds a shift recorded 2026-03-14T20:00:00\\.000\\+08:00–2026-03-15T0[78]:[0-5]\\d:[0-5]\\d.000\\+08:00",
                                         options: .regularExpression), out.stderr)
        XCTAssertTrue(out.stderr.contains("\(shift) holds a shift recorded"), out.stderr)
        XCTAssertTrue(out.stderr.contains("events)"), out.stderr)
        XCTAssertTrue(out.stderr.contains("--resume"), out.stderr)
        XCTAssertTrue(out.stderr.contains("--replay"), out.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: shift)), bytes, "nothing written")

        // Not a shift, another map, contradicting flags: one clear line each.
        let text = dir + "/notes.txt"
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: text))
        let notShift = try CLIRunner.run(["--map", CLIRunner.defaultMapPath, "--shift", text, "--resume"], environment: environment)
        XCTAssertEqual(notShift.status, 1)
        XCTAssertTrue(notShift.stderr.contains("is not a shift file"), notShift.stderr)

        let other = dir + "/other.wrmap"
        XCTAssertEqual(try CLIRunner.run(["map", "generate", "--intersections", "300", "--seed", "7", "-o", other]).status, 0)
        let otherMap = try CLIRunner.run(["--map", other, "--shift", shift, "--resume"], environment: environment)
        XCTAssertEqual(otherMap.status, 1)
        XCTAssertTrue(otherMap.stderr.contains("recorded on map 'jiangbei-city'"), otherMap.stderr)
        XCTAssertTrue(otherMap.stderr.contains("watchroom replay"), otherMap.stderr)

        let both = try CLIRunner.run(["--shift", shift, "--resume", "--replay"], environment: environment)
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("--resume and --replay"), both.stderr)
        let alone = try CLIRunner.run(["--resume"], environment: environment)
        XCTAssertNotEqual(alone.status, 0)
        XCTAssertTrue(alone.stderr.contains("need --shift FILE"), alone.stderr)
        let missing = try CLIRunner.run(["--shift", dir + "/none.shift", "--resume"], environment: environment)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("does not exist"), missing.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: shift)), bytes, "still nothing written")
    }

    func testTheOfferOnTheTerminalReplaysOrQuits() throws {
        let shift = try importedShift()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: shift))
        let t = try console(["--shift", shift])
        XCTAssertTrue(t.waitFor("[r]esume, re[p]lay, [q]uit?", timeout: 20), t.screen())
        let unwrapped = t.capture().joined()  // the long temporary path wraps the line
        XCTAssertTrue(unwrapped.contains("holds a shift recorded 2026-03-14T20:00:00.000+08:00"), t.screen())
        t.sendKeys("x", "Enter")
        XCTAssertTrue(t.waitFor("Answer r, p or q."), t.screen())
        t.sendKeys("p", "Enter")
        XCTAssertTrue(t.waitFor("REPLAY", timeout: 20), t.screen())
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0, t.screen())

        let q = try console(["--shift", shift])
        XCTAssertTrue(q.waitFor("[q]uit?", timeout: 20), q.screen())
        q.sendKeys("q", "Enter")
        XCTAssertEqual(q.waitForExit(timeout: 10), 0, q.screen())
        XCTAssertFalse(q.screen().contains("LIVE"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: shift)), bytes, "replaying or quitting never writes")
    }
}
