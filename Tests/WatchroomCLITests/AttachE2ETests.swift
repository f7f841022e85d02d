import Foundation
import WatchroomTestSupport
import XCTest

/// `watchroom attach`: real consoles in tmux on a `watchroom serve` over its real socket.
final class AttachE2ETests: ServedShiftTestCase {
    var consoles: [TmuxSession] = []

    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        try super.setUpWithError()
    }

    override func tearDown() {
        for c in consoles { c.kill() }
        super.tearDown()
    }

    func console(_ role: String, width: Int = 160) throws -> TmuxSession {
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let t = try TmuxSession(command: [binary, "attach", socket, "--role", role, "--map", CLIRunner.defaultMapPath,
                                          "--log", dir + "/\(role)-\(consoles.count).log", "--no-bell"],
                                width: width, height: 40, environment: env, holdAfterExit: true)
        consoles.append(t)
        return t
    }

    /// Types a `:` command and sends it.
    func command(_ t: TmuxSession, _ text: String, enter: Bool = true) {
        t.sendKeys(":")
        t.sendText(text)
        if enter { t.sendKeys("Enter") }
    }

    /// The status bar's counts (`open 1  P1 1  units 3/20 free  cams 17/18`): the folded state as shown.
    func counts(_ t: TmuxSession) -> String? {
        let top = t.capture().first ?? ""
        return top.range(of: #"open \d+ +P1 \d+ +units \d+/\d+ free"#, options: .regularExpression).map { String(top[$0]) }
    }

    /// Waits until every console shows the same counts; the last ones seen.
    func agree(_ all: [TmuxSession], timeout: TimeInterval = 10) -> [String?] {
        let deadline = Date().addingTimeInterval(timeout)
        var seen: [String?] = []
        repeat {
            seen = all.map(counts)
            if seen[0] != nil, Set(seen.map { $0 ?? "" }).count == 1 { return seen }
            usleep(100_000)
        } while Date() < deadline
        return seen
    }

    // MARK: -

    /// Two commanders and a viewer: a dispatch from one shows on the others, the viewer can
    /// change nothing and sees no name or phone, and the same unit sent by both commanders
    /// at once goes once; the other is told where it went.
    func testThreeConsolesOneDispatchAViewerAndARace() throws {
        _ = try serve(["--simulate", "off", "--no-record", "--speed", "5"])
        let setup = dir + "/setup.script"
        try """
            unit add Z16 car at 永平门街 18
            unit add Z17 car at 永平门街 18
            new assault P1 at 永平门街 18 "knife" caller 张伟 phone 13800001234
            """.write(toFile: setup, atomically: true, encoding: .utf8)
        let made = try CLIRunner.run(["run", "--attach", socket, "--script", setup], environment: env, timeout: 60)
        XCTAssertEqual(made.status, 0, made.stderr)

        // No server at a socket: one line that says what to do, at once.
        let none = try CLIRunner.run(["attach", dir + "/none.sock", "--map", CLIRunner.defaultMapPath], environment: env, timeout: 30)
        XCTAssertNotEqual(none.status, 0)
        XCTAssertEqual(none.stderr.split(separator: "\n").count, 1, none.stderr)
        XCTAssertTrue(none.stderr.contains("none.sock: no server listens here; start one with `watchroom serve`"), none.stderr)

        let a = try console("commander"), b = try console("commander"), v = try console("viewer")
        for t in [a, b, v] {
            XCTAssertTrue(t.waitFor("commanders 2  viewers 1", timeout: 20), t.screen())
        }
        XCTAssertTrue(v.screen().contains("OBSERVER"), v.screen())

        // A dispatch from one commander shows on the other and on the viewer.
        command(a, "dispatch I0001 Z16")
        for t in [a, b, v] {
            XCTAssertTrue(t.waitFor("Z16 dispatched to", timeout: 10), t.screen())
        }
        // The viewer is refused by the command's kind, and the shift does not change.
        command(v, "close I0001 resolved")
        XCTAssertTrue(v.waitFor("Viewer is read-only: close is not available", timeout: 5), v.screen())
        command(v, "pause")
        XCTAssertTrue(v.waitFor("Viewer is read-only: pause is not available (the clock is the server's)", timeout: 5), v.screen())
        // The caller on a commander's details panel, never on the viewer's.
        command(a, "select I0001")
        command(v, "select I0001")
        XCTAssertTrue(a.waitFor("13800001234", timeout: 5), a.screen())
        XCTAssertTrue(v.waitFor("永平门街", timeout: 5), v.screen())
        usleep(500_000)
        let viewerScreen = v.screen()
        XCTAssertFalse(viewerScreen.contains("13800001234") || viewerScreen.contains("张伟"), viewerScreen)

        // Both commanders send Z17 at the same moment: one goes, the other is told where.
        command(a, "dispatch I0001 Z17", enter: false)
        command(b, "dispatch I0001 Z17", enter: false)
        XCTAssertTrue(a.waitFor("dispatch I0001 Z17", timeout: 5) && b.waitFor("dispatch I0001 Z17", timeout: 5))
        let both = Locked([a, b])
        DispatchQueue.concurrentPerform(iterations: 2) { both.value[$0].sendKeys("Enter") }
        XCTAssertTrue(a.waitUntil(timeout: 10) { _ in
            [a, b].filter { $0.screen().contains("Z17 already assigned to") }.count == 1
                && [a, b].allSatisfy { !$0.screen().contains("Working:") }
        }, a.screen() + "\n" + b.screen())
        let seen = agree([a, b, v])
        XCTAssertNotNil(seen[0], a.screen())
        XCTAssertEqual(Set(seen.map { $0 ?? "" }).count, 1, "the consoles disagree: \(seen)")

        // A commander's clock command runs on the server, for every console.
        command(b, "pause")
        XCTAssertTrue(b.waitFor("the server's clock", timeout: 5), b.screen())
        for t in [a, v] { XCTAssertTrue(t.waitFor("PAUSED", timeout: 5), t.screen()) }

        a.sendKeys("q", "y")
        XCTAssertEqual(a.waitForExit(timeout: 10), 0, a.screen())
        XCTAssertTrue(b.waitFor("commanders 1  viewers 1", timeout: 10), b.screen())
    }

    /// A stopped console never holds the others up and catches up when continued; the
    /// server killed with -9 shows "connection lost — reconnecting" on every console, and
    /// `serve --resume` brings them all back to the same state.
    func testAStoppedConsoleAndTheServerKilledAndResumed() throws {
        let shift = dir + "/night.shift"
        let first = try serve(["--simulate", "busy", "--speed", "10", "--seed", "5", "--shift", shift])
        let a = try console("commander"), v = try console("viewer"), s = try console("viewer")
        for t in [a, v, s] {
            XCTAssertTrue(t.waitFor("commanders 1  viewers 2", timeout: 20), t.screen())
        }
        // SIGSTOP one console: a command from another is answered at once all the same.
        let stopped = try XCTUnwrap(s.processID)
        kill(stopped, SIGSTOP)
        let asked = Date()
        command(a, "summary")
        XCTAssertTrue(a.waitFor("Shift summary", timeout: 5), a.screen())
        XCTAssertLessThan(Date().timeIntervalSince(asked), 5)
        a.sendKeys("Escape")
        kill(stopped, SIGCONT)
        XCTAssertTrue(s.waitFor("commanders 1  viewers 2", timeout: 10), s.screen())

        first.kill(SIGKILL)
        for t in [a, v, s] {
            XCTAssertTrue(t.waitFor("connection lost — reconnecting", timeout: 10), t.screen())
        }
        let restarted = Date()
        _ = try serve(["--resume", shift, "--simulate", "busy", "--speed", "10"])
        for t in [a, v, s] {
            XCTAssertTrue(t.waitUntil(timeout: 20) { !$0.contains("connection lost") && $0.contains("commanders 1  viewers 2") },
                          t.screen())
        }
        print("attach: consoles back \(Int(Date().timeIntervalSince(restarted) * 1000)) ms after serve --resume was started")
        command(a, "pause")
        XCTAssertTrue(a.waitFor("PAUSED", timeout: 5), a.screen())
        let seen = agree([a, v, s])
        XCTAssertNotNil(seen[0], a.screen())
        XCTAssertEqual(Set(seen.map { $0 ?? "" }).count, 1, "the consoles disagree after the resume: \(seen)")
        for t in [a, v, s] { XCTAssertNotNil(t.processID, "a console died: \(t.screen())") }
    }

    /// Plain `watchroom` is a shift behind an embedded server with its console attached:
    /// `status` finds it on the default socket, and a second console attaches to the same shift.
    func testPlainWatchroomServesItsShiftToAnotherConsole() throws {
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let first = try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--seed", "11", "--no-auto-dispatch",
                                              "--profile", "quiet", "--no-record", "--log", dir + "/plain.log",
                                              "--records-db", dir + "/records.sqlite"],
                                    width: 160, height: 40, environment: env, holdAfterExit: true)
        consoles.append(first)
        XCTAssertTrue(first.waitFor("LIVE", timeout: 15), first.screen())
        XCTAssertFalse(first.screen().contains("commanders"), "alone, no counts: \(first.screen())")
        let status = try CLIRunner.run(["status"], environment: env, timeout: 30)
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("1 commander, 0 viewers"), status.stdout)

        let second = try console("commander")
        for t in [first, second] { XCTAssertTrue(t.waitFor("commanders 2  viewers 0", timeout: 15), t.screen()) }
        command(second, #"new assault P1 at 永平门街 18 "knife""#)
        XCTAssertTrue(first.waitFor("P1 assault reported", timeout: 10), first.screen())
        second.sendKeys("q", "y")
        XCTAssertEqual(second.waitForExit(timeout: 10), 0, second.screen())
        XCTAssertTrue(first.waitUntil(timeout: 10) { !$0.contains("commanders") }, first.screen())
        first.sendKeys("q", "y")
        XCTAssertEqual(first.waitForExit(timeout: 10), 0, first.screen())
        XCTAssertFalse(FileManager.default.fileExists(atPath: socket), "the embedded server removed its socket")
    }
}
