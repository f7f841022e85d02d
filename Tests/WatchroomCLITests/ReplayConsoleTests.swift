import Foundation
import WatchroomTestSupport
import XCTest

/// `watchroom replay SHIFT` in the console, in tmux, on the busy-night fixture imported to a
/// shift file.
final class ReplayConsoleTests: XCTestCase {
    private var dir = ""
    private var logPath = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "watchroom-replay-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        logPath = dir + "/watchroom.log"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// busy-night.jsonl imported with `watchroom shift import` (12 hours from 2026-03-14T20:00+08:00).
    private func busyNightShift() throws -> String {
        let fixture = CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl").path
        let path = dir + "/busy-night.shift"
        let out = try CLIRunner.run(["shift", "import", fixture, "-o", path], timeout: 120)
        XCTAssertEqual(out.status, 0, out.stderr)
        return path
    }

    private func replay(_ shift: String, _ extra: [String] = [], width: Int = 120, height: Int = 36) throws -> TmuxSession {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        return try TmuxSession(command: [binary, "replay", shift, "--log", logPath] + extra, width: width, height: height,
                               environment: ["XDG_DATA_HOME": dir + "/data", "XDG_STATE_HOME": dir + "/state"],
                               holdAfterExit: true)
    }

    /// The clock in the status bar (`21:02:03`).
    private func clock(_ t: TmuxSession) -> String {
        let top = t.capture().first ?? ""
        return top.range(of: #"\b\d\d:\d\d:\d\d\b"#, options: .regularExpression).map { String(top[$0]) } ?? ""
    }

    /// Seconds since 20:00 of a clock on the night shift (after midnight counts on).
    private func night(_ clock: String) -> Int {
        let p = clock.split(separator: ":").compactMap { Int($0) }
        guard p.count == 3 else { return -1 }
        let s = p[0] * 3600 + p[1] * 60 + p[2] - 20 * 3600
        return s < 0 ? s + 86_400 : s
    }

    /// The fixture's last event as a clock (`07:59:56`).
    private func lastClock() throws -> String {
        let fixture = CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl")
        let text = try String(contentsOf: fixture, encoding: .utf8)
        let last = try XCTUnwrap(text.split(separator: "\n").last)
        let range = try XCTUnwrap(last.range(of: #"T\d\d:\d\d:\d\d"#, options: .regularExpression))
        return String(last[range].dropFirst())
    }

    private func command(_ t: TmuxSession, _ text: String) {
        t.sendKeys(":")
        t.sendText(text)
        t.sendKeys("Enter")
    }

    func testReplayPlaysPausesStepsJumpsAndStaysReadOnly() throws {
        let shift = try busyNightShift()
        let before = try Data(contentsOf: URL(fileURLWithPath: shift))
        let t = try replay(shift, ["--speed", "5"])
        XCTAssertTrue(t.waitFor("REPLAY", timeout: 20), t.screen())
        XCTAssertTrue(t.waitFor("5x"), t.screen())
        XCTAssertTrue(t.screen().contains("北城路"), "the same map: \(t.screen())")
        // The timeline with the shift's start and end, 24-hour with offset.
        XCTAssertTrue(t.screen().contains("2026-03-14T20:00+08:00"), t.screen())
        let end = try lastClock()
        XCTAssertTrue(t.screen().contains("2026-03-15T\(end.prefix(5))+08:00"), t.screen())
        XCTAssertTrue(clock(t).hasPrefix("20:0"), clock(t))
        // Playing: the clock moves on.
        let first = clock(t)
        XCTAssertTrue(t.waitUntil(timeout: 8) { _ in self.clock(t) != first }, "clock stuck at \(first)")

        t.sendKeys("Space")
        XCTAssertTrue(t.waitFor("PAUSED"), t.screen())
        let paused = clock(t)
        usleep(1_500_000)
        XCTAssertEqual(clock(t), paused, "paused: the clock stands still")

        t.sendKeys(".")
        XCTAssertTrue(t.waitFor("Step: #"), t.screen())
        XCTAssertTrue(t.screen().contains("PAUSED"))

        command(t, "goto 23:30")
        XCTAssertTrue(t.waitUntil { _ in self.clock(t) == "23:30:00" }, t.screen())
        XCTAssertTrue(t.screen().contains("At 2026-03-14T23:30:00.000+08:00"), t.screen())
        command(t, "goto +30m")
        XCTAssertTrue(t.waitUntil { _ in self.clock(t) == "00:00:00" }, t.screen())

        t.sendKeys("n")
        XCTAssertTrue(t.waitFor("Incident "), t.screen())
        let atIncident = night(clock(t))
        XCTAssertGreaterThan(atIncident, night("00:00:00"), "the next incident is later: \(clock(t))")
        t.sendKeys("N")
        XCTAssertTrue(t.waitUntil { _ in (0..<atIncident).contains(self.night(self.clock(t))) }, "earlier: \(t.screen())")

        t.sendKeys("]")
        XCTAssertTrue(t.waitUntil { _ in self.clock(t) == end }, t.screen())
        XCTAssertTrue(t.screen().contains("End of the shift"), t.screen())
        t.sendKeys("[")
        XCTAssertTrue(t.waitUntil { _ in self.clock(t) == "20:00:00" }, t.screen())

        t.sendKeys(">")
        XCTAssertTrue(t.waitFor("Replay speed 10x"), t.screen())
        t.sendKeys("<", "<")
        XCTAssertTrue(t.waitFor("Replay speed 2x"), t.screen())

        // Nothing changes the world.
        command(t, "dispatch I0001")
        XCTAssertTrue(t.waitFor("Replay is read-only: dispatch is not available"), t.screen())
        command(t, "goto 1:00")
        XCTAssertTrue(t.waitUntil { _ in self.clock(t) == "01:00:00" }, t.screen())
        t.sendKeys("d")
        XCTAssertTrue(t.waitFor("Replay is read-only: dispatch is not available"), t.screen())
        // A place still centres the map.
        command(t, "goto 永平门街 18")
        XCTAssertTrue(t.waitFor("centred on"), t.screen())

        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0, t.screen())
        XCTAssertFalse(t.screen().contains("REPLAY"), "terminal restored: \(t.screen())")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: shift)), before, "the replayed file is never written")
        XCTAssertFalse(FileManager.default.fileExists(atPath: shift + "-wal"))
    }

    func testOpensAtATimeAndOnAnotherMapWarnsThenReplays() throws {
        let shift = try busyNightShift()
        let other = dir + "/other.wrmap"
        let gen = try CLIRunner.run(["map", "generate", "--intersections", "300", "--seed", "7", "-o", other])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let t = try replay(shift, ["--map", other, "--at", "02:15", "--observer"])
        XCTAssertTrue(t.waitFor("REPLAY", timeout: 20), t.screen())
        XCTAssertTrue(t.waitFor("MAP: recorded on jiangbei-city"), t.screen())
        XCTAssertTrue(t.screen().contains("PAUSED") || clock(t).hasPrefix("02:1"), t.screen())
        XCTAssertTrue(clock(t).hasPrefix("02:1"), clock(t))
        XCTAssertTrue(t.screen().contains("OBSERVER"), t.screen())
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
        // The warning was printed before the console took the screen; it is there again after.
        XCTAssertTrue(t.screen().contains("was recorded on map 'jiangbei-city'"), t.screen())
    }

    func testBadLinesAreListedBeforeTheConsoleOpensOneALineWithTheTotal() throws {
        let fixture = CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl")
        var lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n").prefix(2000).map(String.init)
        for k in 0..<25 { lines.insert("not json \(k)", at: 100 + 50 * k) }
        let path = dir + "/bad-lines.jsonl"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        // No terminal here: the warnings come first, then the refusal to open a console.
        let out = try CLIRunner.run(["replay", path])
        XCTAssertEqual(out.status, 1)
        let warnings = out.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: \(path):") }
        XCTAssertEqual(warnings.count, 26, out.stderr)
        XCTAssertTrue(warnings[0].contains("\(path):101:"), String(warnings[0]))
        XCTAssertEqual(warnings.last.map(String.init), "warning: \(path): 25 bad lines skipped in all", out.stderr)
        XCTAssertTrue(out.stderr.contains("--headless"), out.stderr)
    }

    func testBadFilesAreOneClearErrorAndNoConsole() throws {
        let garbage = dir + "/garbage.jsonl"
        try Data("not a shift\n{\"v\":9}\n".utf8).write(to: URL(fileURLWithPath: garbage))
        let g = try CLIRunner.run(["replay", garbage])
        XCTAssertEqual(g.status, 1)
        // Either "no events to replay" after the bad lines, or the loader's own "no line reads as an event".
        XCTAssertTrue(g.stderr.contains("no events to replay") || g.stderr.contains("no line reads as an event"), g.stderr)
        XCTAssertTrue(g.stderr.contains("garbage.jsonl:1:") || g.stderr.contains("line 1"), "bad lines named: \(g.stderr)")
        // Text in a file named .shift is read as a (damaged) shift file, never as JSON Lines.
        let text = dir + "/text.shift"
        try Data("not a shift, and long enough to hold a whole SQLite header of one hundred bytes, had it been one.\n".utf8)
            .write(to: URL(fileURLWithPath: text))
        let textOut = try CLIRunner.run(["replay", text])
        XCTAssertEqual(textOut.status, 1)
        XCTAssertEqual(textOut.stderr, "Error: cannot replay \(text) is not a shift file (not SQLite or damaged: it does not start with the SQLite header)\n")
        XCTAssertEqual(g.stderr.split(separator: "\n").filter { $0.hasPrefix("Error") }.count, 1, g.stderr)
        XCTAssertTrue(g.stdout.isEmpty)

        let fakeSQLite = dir + "/fake.shift"
        try Data("SQLite format 3\0".utf8 + Data(repeating: 0xAB, count: 4096)).write(to: URL(fileURLWithPath: fakeSQLite))
        let f = try CLIRunner.run(["replay", fakeSQLite])
        XCTAssertEqual(f.status, 1)
        XCTAssertTrue(f.stderr.contains("cannot replay \(fakeSQLite)"), f.stderr)

        let missing = try CLIRunner.run(["replay", dir + "/nothing.shift"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no such file"), missing.stderr)

        let speed = try CLIRunner.run(["replay", garbage, "--speed", "5000"])
        XCTAssertNotEqual(speed.status, 0)
        XCTAssertTrue(speed.stderr.contains("--speed"), speed.stderr)

        // In tmux: the error is on the screen and no console ever opened.
        guard TmuxSession.isAvailable else { return }
        let t = try replay(garbage)
        XCTAssertEqual(t.waitForExit(timeout: 10), 1, t.screen())
        XCTAssertTrue(t.capture().joined().contains("garbage.jsonl"), t.screen())
        XCTAssertFalse(t.screen().contains("REPLAY"))

        // A good file with a bad --at is refused before the console too.
        let shift = try busyNightShift()
        let at = try CLIRunner.run(["replay", shift, "--at", "half past nine"])
        XCTAssertEqual(at.status, 1)
        XCTAssertTrue(at.stderr.contains("--at half past nine"), at.stderr)
    }
}
