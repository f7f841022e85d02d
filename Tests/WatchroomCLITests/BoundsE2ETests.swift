import Foundation
import WatchroomTestSupport
import XCTest

/// Numbers from outside are bounded where they enter (issue 10, item 7): each crash the
/// issue names is reproduced here and must now be one clear line, with the process alive.
final class BoundsE2ETests: XCTestCase {
    func testGotoFarAwayAndIntakeFarAwayAreRefusedInTheLiveConsole() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let dir = NSTemporaryDirectory() + "watchroom-bounds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let t = try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--seed", "14", "--no-auto-dispatch",
                                          "--profile", "quiet", "--log", dir + "/w.log", "--records-db", dir + "/r.sqlite", "--no-record"],
                                width: 140, height: 40, holdAfterExit: true)
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        t.sendKeys(":")
        t.sendText("goto 1e300,0")
        t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("more than 10000 km from the map's origin", timeout: 5), t.screen())
        t.sendKeys(":")
        t.sendText("goto nan,0")
        t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("must be finite numbers", timeout: 5), t.screen())
        t.sendKeys(":")
        t.sendText("new theft P3 at 5,1e300")
        t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("5,1e+300 is more than 10000 km", timeout: 5), t.screen())

        // The intake form: the same refusal, and the form stays open to fix the place.
        t.sendKeys("n")
        XCTAssertTrue(t.waitFor("New incident"), t.screen())
        t.sendKeys("Tab", "Tab")
        t.sendText("5,1e300")
        t.sendKeys("Tab")
        t.sendText("Bicycle stolen")
        t.sendKeys("C-s")
        XCTAssertTrue(t.waitFor("more than 10000 km", timeout: 5), t.screen())
        XCTAssertFalse(t.screen().contains("Fatal error"), t.screen())
        XCTAssertFalse(t.screen().contains("Backtracing"), t.screen())
        // Still alive and working: a good place goes through.
        t.sendKeys("Escape")
        t.sendKeys(":")
        t.sendText("goto 100,100")
        t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("map centred on 100,100", timeout: 5), t.screen())
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }

    func testRouteFromFarAwayIsOneLine() throws {
        for (from, needle) in [("1e300,5", "more than 10000 km"), ("nan,5", "must be finite"), ("inf,0", "must be finite"),
                               ("10000001,0", "more than 10000 km")] {
            let r = try CLIRunner.run(["route", "--from", from, "--to", "n1"])
            XCTAssertEqual(r.status, 1, from)
            XCTAssertTrue(r.stderr.contains("--from: ") && r.stderr.contains(needle), r.stderr)
            XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
        // Just inside the bound: no crash; no road near it is one line too.
        let r = try CLIRunner.run(["route", "--from", "9999999,0", "--to", "n1"])
        XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
    }

    func testScriptWaitsAndPlacesAreBounded() throws {
        let dir = NSTemporaryDirectory() + "watchroom-bounds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func script(_ text: String) throws -> String {
            let path = dir + "/\(UUID().uuidString).script"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let wait = try script("# long\nwait 999999999h\nsummary\n")
        let r1 = try CLIRunner.run(["run", "--script", wait], timeout: 20)
        XCTAssertFalse(r1.timedOut, "wait 999999999h must not run the clock")
        XCTAssertEqual(r1.status, 1)
        XCTAssertTrue(r1.stderr.contains(":2: wait 999999999h") && r1.stderr.contains("longer than 7 days"), r1.stderr)

        let at = try script("at 169h\n")
        let r2 = try CLIRunner.run(["run", "--script", at], timeout: 20)
        XCTAssertEqual(r2.status, 1)
        XCTAssertTrue(r2.stderr.contains(":1: at 169h") && r2.stderr.contains("longer than 7 days"), r2.stderr)

        let ok = try script("wait 168h\n")
        let r3 = try CLIRunner.run(["run", "--script", ok, "--profile", "quiet", "--until", "1s"], timeout: 20)
        XCTAssertEqual(r3.status, 0, r3.stderr)

        let place = try script("new dispute P1 at 5,1e300\n")
        let r4 = try CLIRunner.run(["run", "--script", place], timeout: 20)
        XCTAssertEqual(r4.status, 1)
        XCTAssertTrue(r4.stderr.contains(":1: 5,1e+300 is more than 10000 km"), r4.stderr)
        XCTAssertFalse(r4.stderr.contains("Fatal error"), r4.stderr)

        let until = try CLIRunner.run(["run", "--script", ok, "--until", "9999h"], timeout: 20)
        XCTAssertEqual(until.status, 1)
        XCTAssertTrue(until.stderr.contains("--until 9999h: more than 7 days"), until.stderr)
        let start = try CLIRunner.run(["run", "--script", ok, "--start", "1969-12-31T23:59:59Z"], timeout: 20)
        XCTAssertEqual(start.status, 1)
        XCTAssertTrue(start.stderr.contains("outside the years 1970 to 9999"), start.stderr)
    }

    func testMapNodeFarAwayIsNamedByLineAndColumn() throws {
        let text = try String(contentsOfFile: CLIRunner.defaultMapPath, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        let index = try XCTUnwrap(lines.firstIndex(of: "node n3 at=60,1060"))
        lines[index] = "node n3 at=1e300,1060"
        let path = NSTemporaryDirectory() + "watchroom-far-\(UUID().uuidString).wrmap"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["map", "check", path])
        XCTAssertEqual(r.status, 1, r.stdout)
        let all = r.stdout + r.stderr
        XCTAssertTrue(all.contains("\(path):\(index + 1):12: error: 'at': 1e+300,1060 is more than 10000 km"), all)
        XCTAssertFalse(all.contains(": ok"), all)

        lines[index] = "node n3 at=60,nan"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let r2 = try CLIRunner.run(["map", "check", path])
        XCTAssertEqual(r2.status, 1)
        XCTAssertTrue((r2.stdout + r2.stderr).contains("\(path):\(index + 1):"), r2.stdout + r2.stderr)
    }
}
