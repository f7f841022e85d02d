import Foundation
import WatchroomTestSupport
import XCTest

/// The dispatch workflow in the real console, in tmux: intake, one-key dispatch,
/// reinforcement, background, cameras, summary, orders written for the officers' phones.
final class DispatchE2ETests: XCTestCase {
    /// A call typed as x,y in the river at the confluence, about 410 m from any road: the
    /// details flag the scene and show each unit's off-road metres; the order's ETA counts them.
    func testASceneFarFromTheRoadsIsFlaggedAndItsWalkCounted() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let dir = NSTemporaryDirectory() + "watchroom-offroad-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let orders = dir + "/orders.jsonl"
        let t = try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--seed", "11", "--no-auto-dispatch",
                                          "--profile", "quiet", "--log", dir + "/w.log", "--orders", orders,
                                          "--records-db", dir + "/records.sqlite", "--no-record"],
                                width: 160, height: 48, holdAfterExit: true)
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        t.sendKeys(":")
        t.sendText(#"new other P2 at -1350,-1100 "person in the water""#)
        t.sendKeys("Enter")
        XCTAssertTrue(t.waitUntil(timeout: 10) { $0.range(of: #"Scene 4\d\d m from any road"#, options: .regularExpression) != nil },
                      t.screen())
        XCTAssertTrue(t.waitUntil(timeout: 5) { $0.range(of: #"\+4\d\d m off road"#, options: .regularExpression) != nil }, t.screen())
        t.sendKeys("d")
        XCTAssertTrue(t.waitFor("dispatched", timeout: 5), t.screen())
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
        // The order's route: leg + road + leg, so never shorter than the walk from the road.
        let line = try XCTUnwrap((try String(contentsOfFile: orders, encoding: .utf8)).split(separator: "\n").first)
        let order = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let route = try XCTUnwrap(order["route"] as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(route["meters"] as? Double), 400)
        XCTAssertGreaterThan(try XCTUnwrap(route["seconds"] as? Double), 400 / 1.4)
    }

    func testKnifeDisputeFromTheConsole() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let dir = NSTemporaryDirectory() + "watchroom-dispatch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let orders = dir + "/orders.jsonl"
        let t = try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--seed", "11", "--no-auto-dispatch",
                                          "--profile", "quiet", "--log", dir + "/w.log", "--orders", orders,
                                          "--records-db", dir + "/records.sqlite", "--shift", dir + "/s.shift"],
                                width: 160, height: 48, holdAfterExit: true)
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        t.sendKeys(":")
        t.sendText(#"new dispute P1 at "永平门街 23" "Woman threatening with a knife" phone 138-0000-0000 weapon"#)
        t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("永平门街", timeout: 5), t.screen())
        // The new incident is selected: the details show the recommendation and the warning.
        XCTAssertTrue(t.waitFor("knife involved, 2025-03", timeout: 5), t.screen())
        t.sendKeys("d")
        XCTAssertTrue(t.waitFor("dispatched", timeout: 5), t.screen())
        XCTAssertTrue(t.waitFor("en route", timeout: 10), t.screen())
        t.sendKeys("r")
        XCTAssertTrue(t.waitFor("reinforced", timeout: 5), t.screen())
        t.sendKeys("v")
        XCTAssertTrue(t.waitFor("no video in a terminal", timeout: 5), t.screen())
        t.sendKeys("s")
        XCTAssertTrue(t.waitFor("NFPA 1225", timeout: 5), t.screen())
        t.sendKeys("Escape")
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)

        // Four orders went out to the officers' phones, each with the background warning.
        let lines = (try String(contentsOfFile: orders, encoding: .utf8)).split(separator: "\n")
        XCTAssertEqual(lines.count, 4, "two dispatched, two reinforcing")
        for line in lines {
            let order = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertTrue((order["warnings"] as? [String] ?? []).contains("knife involved, 2025-03"))
            XCTAssertNotNil(order["route"])
        }
        // The shift was recorded, the dispatch decisions with it.
        let info = try CLIRunner.run(["shift", "info", dir + "/s.shift"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertNotNil(info.stdout.range(of: #"dispatch\s+2\b"#, options: .regularExpression), info.stdout)
        XCTAssertNotNil(info.stdout.range(of: #"order.issued\s+4\b"#, options: .regularExpression), info.stdout)

        // Every lookup left an audit row in the records database.
        let audit = Process()
        audit.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        audit.arguments = [dir + "/records.sqlite", "select count(*) from audit"]
        let pipe = Pipe()
        audit.standardOutput = pipe
        if (try? audit.run()) != nil {
            audit.waitUntilExit()
            let count = Int(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            XCTAssertGreaterThan(count, 0)
        }
    }

    func testIntakeFormReportsAnIncident() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let dir = NSTemporaryDirectory() + "watchroom-form-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let t = try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--seed", "12", "--no-auto-dispatch",
                                          "--profile", "quiet", "--log", dir + "/w.log", "--records-db", dir + "/r.sqlite", "--no-record"],
                                width: 120, height: 36, holdAfterExit: true)
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        t.sendKeys("n")
        XCTAssertTrue(t.waitFor("New incident"), t.screen())
        t.sendKeys("Tab", "Tab")          // category, priority, place
        t.sendText("文昌街 15")
        t.sendKeys("Tab")
        t.sendText("Caller fears her neighbour will harm herself")
        t.sendKeys("C-s")
        XCTAssertTrue(t.waitFor("P2 dispute at 文昌街", timeout: 5), t.screen())
        XCTAssertTrue(t.waitFor("previous suicide attempt", timeout: 5), "background for the address: \(t.screen())")
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }

    func testADispatchShownAsSentSurvivesKillNine() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let dir = NSTemporaryDirectory() + "watchroom-kill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let shiftFile = dir + "/k.shift"
        let t = try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--seed", "13", "--no-auto-dispatch",
                                          "--profile", "quiet", "--log", dir + "/w.log", "--records-db", dir + "/r.sqlite",
                                          "--shift", shiftFile],
                                width: 120, height: 36, holdAfterExit: true)
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        t.sendKeys(":")
        t.sendText(#"new theft P2 at "永平门街 23" "Bicycle stolen from the courtyard""#)
        t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("P2 theft at", timeout: 5), t.screen())
        t.sendKeys("d")
        XCTAssertTrue(t.waitUntil(timeout: 5) { $0.range(of: #"dispatched [CF]\d+"#, options: .regularExpression) != nil }, t.screen())
        // The newest process naming the file is watchroom itself (tmux's shell started it).
        let pid = try XCTUnwrap(CLIRunner.newestProcess(matching: shiftFile))
        kill(pid, SIGKILL)
        _ = t.waitForExit(timeout: 10)
        let info = try CLIRunner.run(["shift", "info", shiftFile])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertNotNil(info.stdout.range(of: #"dispatch\s+1\b"#, options: .regularExpression), info.stdout)
        XCTAssertNotNil(info.stdout.range(of: #"incident.reported\s+1\b"#, options: .regularExpression), info.stdout)
    }
}
