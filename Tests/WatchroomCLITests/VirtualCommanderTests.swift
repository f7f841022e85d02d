import Foundation
import WatchroomTestSupport
import XCTest

/// The virtual commander hands over (issue 10, item 3): it dispatches through the
/// commander's desk (response plan, order sheets), only calls the commander has not
/// touched, and stops for good once the commander dispatches, reinforces or closes.
final class VirtualCommanderTests: XCTestCase {
    private func script(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "watchroom-auto-\(UUID().uuidString).script"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func events(_ out: String) -> [[String: Any]] {
        out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    private func data(_ e: [String: Any]) -> [String: Any] { e["data"] as? [String: Any] ?? [:] }
    private func type(_ e: [String: Any]) -> String { e["type"] as? String ?? "" }

    /// Each `dispatch` is followed by one `order.issued` per unit; `reinforcement` is true
    /// exactly for the orders of a reinforcement, never on an incident's first order.
    private func checkOrders(_ all: [[String: Any]], file: StaticString = #filePath, line: UInt = #line) {
        var pending: [String] = []
        var reinforcing = false
        var firstOrderSeen: Set<String> = []
        for e in all {
            switch type(e) {
            case "dispatch":
                XCTAssertTrue(pending.isEmpty, "orders missing for \(pending)", file: file, line: line)
                pending = data(e)["units"] as? [String] ?? []
                reinforcing = (data(e)["note"] as? String) == "reinforcement"
            case "order.issued":
                let d = data(e)
                let unit = d["unit"] as? String ?? "", incident = d["incident"] as? String ?? ""
                XCTAssertEqual(pending.first, unit, "orders in dispatch order", file: file, line: line)
                pending.removeFirst(min(1, pending.count))
                XCTAssertEqual(d["reinforcement"] as? Bool, reinforcing, "\(unit) on \(incident)", file: file, line: line)
                if firstOrderSeen.insert(incident).inserted {
                    XCTAssertEqual(d["reinforcement"] as? Bool, false, "first order of \(incident)", file: file, line: line)
                }
            default: break
            }
        }
        XCTAssertTrue(pending.isEmpty, "orders missing for \(pending)", file: file, line: line)
    }

    func testAutoDispatchIssuesOrdersLikeTheCommander() throws {
        let path = try script("wait 45m\n")
        let out = try CLIRunner.run(["run", "--script", path, "--auto-dispatch", "--profile", "busy", "--seed", "3", "--jsonl"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let all = events(out.stdout)
        let dispatches = all.filter { type($0) == "dispatch" }.map(data)
        XCTAssertGreaterThanOrEqual(dispatches.count, 3, "the virtual commander dispatched")
        XCTAssertTrue(dispatches.allSatisfy { $0["by"] as? String == "auto" })
        // It follows the response plan, like the one-key dispatch.
        let first = dispatches.filter { ($0["note"] as? String) != "reinforcement" }
        XCTAssertTrue(first.allSatisfy { ($0["note"] as? String ?? "").hasPrefix("response plan:") }, "\(first)")
        XCTAssertGreaterThan(all.filter { type($0) == "order.issued" }.count, dispatches.count - 1)
        checkOrders(all)
    }

    func testTheCommandersOwnCallIsNeverAutoDispatchedAndTheirDispatchHandsOver() throws {
        let intake = """
            wait 15m
            new dispute P1 at "永平门街 23" "the commander's own call" weapon
            """
        // The call's id, from the same run up to the intake (the simulation goes on reporting calls).
        let probe = try CLIRunner.run(["run", "--script", try script(intake), "--auto-dispatch", "--profile", "busy", "--seed", "2", "--jsonl"])
        let reported = try XCTUnwrap(events(probe.stdout).last { type($0) == "incident.reported" })
        let id = try XCTUnwrap(data(reported)["id"] as? String)
        let path = try script(intake + """

            wait 2m
            dispatch \(id)
            expect virtual commander off
            wait 1m
            reinforce \(id) 1
            wait 40m
            auto on
            wait 40m
            """)
        let out = try CLIRunner.run(["run", "--script", path, "--auto-dispatch", "--profile", "busy", "--seed", "2", "--jsonl"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let all = events(out.stdout)
        let own = try XCTUnwrap(all.first { type($0) == "incident.reported" && data($0)["summary"] as? String == "the commander's own call" })
        let ownID = try XCTUnwrap(data(own)["id"] as? String)
        let ownSeq = try XCTUnwrap(own["seq"] as? Int)
        let dispatches = all.filter { type($0) == "dispatch" }
        // Before the commander's own call the virtual commander was dispatching.
        XCTAssertTrue(dispatches.contains { data($0)["by"] as? String == "auto" && ($0["seq"] as? Int ?? 0) < ownSeq })
        // It never touched the commander's call, though it stayed undispatched for 2 minutes.
        let onOwn = dispatches.filter { data($0)["incident"] as? String == ownID }
        XCTAssertEqual(onOwn.map { data($0)["by"] as? String }, ["commander", "commander"], "\(onOwn)")
        let commanderFirst = try XCTUnwrap(onOwn.first?["seq"] as? Int)
        // After the commander's dispatch: nothing from the virtual commander until `auto on`.
        let autoOn = try XCTUnwrap(all.first { ($0["seq"] as? Int ?? 0) > commanderFirst
            && (($0["time"] as? String) ?? "") >= "2026-03-14T20:28:00" })
        let afterHandOver = dispatches.filter { ($0["seq"] as? Int ?? 0) > commanderFirst && ($0["seq"] as? Int ?? 0) < (autoOn["seq"] as? Int ?? 0) }
        XCTAssertTrue(afterHandOver.allSatisfy { data($0)["by"] as? String == "commander" }, "\(afterHandOver)")
        // The reports kept coming meanwhile, and `auto on` hands the waiting calls back.
        let afterAutoOn = dispatches.filter { ($0["seq"] as? Int ?? 0) > (autoOn["seq"] as? Int ?? 0) }
        XCTAssertTrue(afterAutoOn.contains { data($0)["by"] as? String == "auto" }, "auto on dispatches again")
        checkOrders(all)
    }

    func testAutoWordIsParsedAndRefusedWithUsage() throws {
        let path = try script("auto maybe\n")
        let out = try CLIRunner.run(["run", "--script", path])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("usage: auto on|off"), out.stderr)
    }

    func testAutoInTheStatusBarAndHandOverInTheLiveConsole() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let dir = NSTemporaryDirectory() + "watchroom-auto-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let orders = dir + "/orders.jsonl"
        let t = try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--seed", "21", "--profile", "quiet",
                                          "--log", dir + "/w.log", "--records-db", dir + "/r.sqlite", "--orders", orders,
                                          "--shift", dir + "/s.shift"],
                                width: 150, height: 40, holdAfterExit: true)
        func statusBar() -> String { t.capture().first ?? "" }
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        XCTAssertTrue(t.waitUntil(timeout: 5) { _ in statusBar().contains(" AUTO ") }, statusBar())
        t.sendKeys(":"); t.sendText("auto off"); t.sendKeys("Enter")
        XCTAssertTrue(t.waitUntil(timeout: 5) { _ in !statusBar().contains(" AUTO ") }, statusBar())
        t.sendKeys(":"); t.sendText("auto on"); t.sendKeys("Enter")
        XCTAssertTrue(t.waitUntil(timeout: 5) { _ in statusBar().contains(" AUTO ") }, statusBar())
        // A call the commander takes in: at 60x the virtual commander would send units
        // within a second; it must not.
        t.sendKeys(":"); t.sendText("speed 60"); t.sendKeys("Enter")
        t.sendKeys(":"); t.sendText(#"new theft P1 at "永平门街 23" "commander's call""#); t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("P1 theft at", timeout: 5), t.screen())
        usleep(2_500_000)
        t.sendKeys("d")
        XCTAssertTrue(t.waitFor("virtual commander off", timeout: 5), t.screen())
        XCTAssertFalse(statusBar().contains(" AUTO "), statusBar())
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)

        // The recording: the commander's call was dispatched by the commander only, and every
        // order on the phones says whether it is a reinforcement, correctly.
        let export = try CLIRunner.run(["shift", "export", dir + "/s.shift"])
        XCTAssertEqual(export.status, 0, export.stderr)
        let all = events(export.stdout)
        let own = try XCTUnwrap(all.first { type($0) == "incident.reported" && data($0)["summary"] as? String == "commander's call" })
        let ownID = data(own)["id"] as? String
        let onOwn = all.filter { type($0) == "dispatch" && data($0)["incident"] as? String == ownID }
        XCTAssertEqual(onOwn.map { data($0)["by"] as? String }, ["commander"], "\(onOwn)")
        checkOrders(all)
        let sheets = (try String(contentsOfFile: orders, encoding: .utf8)).split(separator: "\n")
        XCTAssertEqual(sheets.count, all.filter { type($0) == "order.issued" }.count, "every order went to the phones")
    }
}
