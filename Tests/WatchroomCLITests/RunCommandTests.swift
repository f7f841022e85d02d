import Foundation
import WatchroomTestSupport
import XCTest

/// `watchroom run`: scripts of console commands against the simulated precinct, headless.
final class RunCommandTests: XCTestCase {
    private func script(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "watchroom-run-\(UUID().uuidString).script"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func events(_ out: String) -> [[String: Any]] {
        out.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    private static let knife = """
        # The brief's example: a consumer dispute on 永平门街 turns into a woman threatening with a knife.
        wait 10s
        new dispute P1 at "永平门街 23" "Consumer dispute, woman threatening with a knife" caller "Chen Wei" phone 138-0000-0000 weapon
        dispatch last
        wait 2m
        reinforce last 2
        wait 5m
        close last arrest "Knife seized, one arrested"
        summary
        """

    func testKnifeDisputeDispatchTwoReinforceTwoWarningsOnOrders() throws {
        let path = try script(Self.knife)
        let out = try CLIRunner.run(["run", "--map", CLIRunner.defaultMapPath, "--script", path, "--jsonl"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let all = events(out.stdout)
        XCTAssertGreaterThan(all.count, 100)
        let dispatches = all.filter { $0["type"] as? String == "dispatch" }
        XCTAssertEqual(dispatches.count, 2, "first dispatch and reinforcement")
        let first = (dispatches.first?["data"] as? [String: Any])?["units"] as? [String] ?? []
        let second = (dispatches.last?["data"] as? [String: Any])?["units"] as? [String] ?? []
        XCTAssertEqual(first.count, 2, "a weapon in play: at least two")
        XCTAssertEqual(second.count, 2)
        XCTAssertTrue(Set(first).isDisjoint(with: second))
        let orders = all.filter { $0["type"] as? String == "order.issued" }.compactMap { $0["data"] as? [String: Any] }
        XCTAssertEqual(orders.count, 4, "one order per unit")
        for order in orders {
            let warnings = order["warnings"] as? [String] ?? []
            XCTAssertTrue(warnings.contains { $0.contains("knife involved, 2025-03") }, "\(warnings)")
            XCTAssertEqual(order["callerPhone"] as? String, "138-0000-0000")
            let route = order["route"] as? [String: Any]
            XCTAssertNotNil(route?["steps"], "turn by turn")
            XCTAssertNotNil((route?["eta"] as? String)?.range(of: #"\+08:00$"#, options: .regularExpression))
            XCTAssertFalse((order["cameras"] as? [Any] ?? []).isEmpty)
            XCTAssertFalse((order["colleagues"] as? [Any] ?? []).isEmpty)
        }
        // Every unit sent gets there and the incident closes with the disposition.
        let arrived = Set(all.filter { $0["type"] as? String == "unit.arrived" }
            .compactMap { ($0["data"] as? [String: Any])?["unit"] as? String })
        XCTAssertTrue(Set(first).isSubset(of: arrived), "\(arrived)")
        let closed = all.first { $0["type"] as? String == "incident.closed" }?["data"] as? [String: Any]
        XCTAssertEqual(closed?["disposition"] as? String, "arrest")
    }

    /// `traffic STREET from CROSSING to CROSSING`: every segment of the stretch, in order,
    /// the same as naming them one by one; a street that does not meet the crossing is refused.
    func testTrafficAlongAStreetBetweenTwoCrossings() throws {
        let out = try CLIRunner.run(["run", "--map", CLIRunner.defaultMapPath, "--jsonl", "--script", try script("""
            traffic 永平门街 from 正街 to 上横街 closed
            traffic Yongping Gate Street from Zheng Street to Shangheng Street x2
            """)])
        XCTAssertEqual(out.status, 0, out.stderr)
        let changes = events(out.stdout).filter { $0["type"] as? String == "traffic.changed" }
            .compactMap { $0["data"] as? [String: Any] }
        XCTAssertGreaterThanOrEqual(changes.count, 2, out.stdout)
        let closed = changes.filter { $0["closed"] as? Bool == true }.compactMap { $0["segment"] as? String }
        let slowed = changes.filter { ($0["factor"] as? Double) == 2 }.compactMap { $0["segment"] as? String }
        XCTAssertFalse(closed.isEmpty, out.stdout)
        XCTAssertEqual(closed, slowed, "Chinese and romanized names give the same stretch")
        let bad = try CLIRunner.run(["run", "--map", CLIRunner.defaultMapPath, "--script", try script("traffic 永平门街 from 北城路 to 正街 closed\n")])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue((bad.stdout + bad.stderr).contains("does not meet"), bad.stdout + bad.stderr)
    }

    func testHumanOutputAndSummary() throws {
        let out = try CLIRunner.run(["run", "--map", CLIRunner.defaultMapPath, "--script", try script(Self.knife)])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("dispatched"), out.stdout)
        XCTAssertTrue(out.stdout.contains("reinforced"), out.stdout)
        XCTAssertTrue(out.stdout.contains("NFPA 1225"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Median"), out.stdout)
    }

    func testObserverMasksCallerOnOrders() throws {
        let out = try CLIRunner.run(["run", "--map", CLIRunner.defaultMapPath, "--script", try script(Self.knife),
                                     "--jsonl", "--observer"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let orders = events(out.stdout).filter { $0["type"] as? String == "order.issued" }
            .compactMap { $0["data"] as? [String: Any] }
        XCTAssertFalse(orders.isEmpty)
        for order in orders {
            XCTAssertNotEqual(order["callerPhone"] as? String, "138-0000-0000")
            XCTAssertNotEqual(order["callerName"] as? String, "Chen Wei")
        }
    }

    func testScriptErrorsNameTheLineAndFail() throws {
        let bad = try script("wait 5s\nnew robbery P1 at \"永平门街 23\" \"x\"\nwait soon\n")
        let out = try CLIRunner.run(["run", "--map", CLIRunner.defaultMapPath, "--script", bad])
        XCTAssertNotEqual(out.status, 0)
        XCTAssertTrue(out.stderr.contains("\(bad):3:"), out.stderr)
        let parseOK = try script("wait 5s\nnew robbery P1 at \"永平门街 23\" \"x\"\n")
        let out2 = try CLIRunner.run(["run", "--map", CLIRunner.defaultMapPath, "--script", parseOK])
        XCTAssertEqual(out2.status, 1)
        XCTAssertTrue(out2.stderr.contains("\(parseOK):2:"), out2.stderr)
        XCTAssertTrue(out2.stderr.contains("robbery"), out2.stderr)
    }

    func testUntilStopsTheClock() throws {
        let path = try script("wait 3h\n")
        let out = try CLIRunner.run(["run", "--map", CLIRunner.defaultMapPath, "--script", path, "--jsonl", "--until", "30m"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let last = events(out.stdout).last?["time"] as? String ?? ""
        XCTAssertLessThanOrEqual(last, "2026-03-14T20:00:00.000+08:00")
        XCTAssertGreaterThan(last, "2026-03-14T19:55:00.000+08:00")
    }
}
