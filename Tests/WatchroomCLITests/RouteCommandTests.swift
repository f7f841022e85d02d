import Foundation
import WatchroomTestSupport
import XCTest

/// `watchroom route` on the default map, checked against routes worked out by hand and by an
/// independent Python Dijkstra (Maps/tools/check_wrmap.py --facts; see Maps/tools/README.md).
final class RouteCommandTests: XCTestCase {
    private func route(_ from: String, _ to: String, profile: String = "car") throws -> [String: Any] {
        let out = try CLIRunner.run(["route", "--map", CLIRunner.defaultMapPath, "--from", from, "--to", to,
                                     "--profile", profile, "--json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any], out.stdout)
    }

    private func number(_ object: [String: Any], _ key: String) -> Double {
        (object[key] as? NSNumber)?.doubleValue ?? -1
    }

    func testCreekForcesCarsRoundByShimenBridgeWhileOfficersOnFootCross() throws {
        // The two ends of 石门溪步行桥 are 144 m apart; cars cross only at 石门桥 or 溪口桥.
        let car = try route("n53", "n54")
        XCTAssertEqual(number(car, "meters"), 1550, accuracy: 5)
        XCTAssertEqual(number(car, "seconds"), 157.3, accuracy: 0.5)
        let streets = (car["steps"] as? [[String: Any]] ?? []).compactMap { $0["street"] as? String }
        XCTAssertTrue(streets.contains { $0.contains("石门桥") }, "\(streets)")
        let foot = try route("n53", "n54", profile: "foot")
        XCTAssertEqual(number(foot, "meters"), 144, accuracy: 2)
        XCTAssertEqual(number(foot, "seconds"), 102.5, accuracy: 0.5)
    }

    func testOneWayStreetIsRespectedByCarsOnly() throws {
        let with = try route("n104", "n107")
        XCTAssertEqual(number(with, "meters"), 656, accuracy: 3)
        XCTAssertEqual(number(with, "seconds"), 94.4, accuracy: 0.5)
        let against = try route("n107", "n104")
        XCTAssertEqual(number(against, "meters"), 984, accuracy: 5)
        XCTAssertEqual(number(against, "seconds"), 101.2, accuracy: 0.5)
        let foot = try route("n107", "n104", profile: "foot")
        XCTAssertEqual(number(foot, "meters"), 656, accuracy: 3)
    }

    func testStepsAreFootOnly() throws {
        let car = try route("n1", "n8")
        XCTAssertEqual(number(car, "meters"), 845, accuracy: 5)
        XCTAssertEqual(number(car, "seconds"), 108.1, accuracy: 0.5)
        let foot = try route("n1", "n8", profile: "foot")
        XCTAssertEqual(number(foot, "meters"), 214, accuracy: 2)
    }

    func testAddressesLandmarksAndCrossingsResolve() throws {
        let byAddress = try route("溪西路 6", "溪东路9号")
        XCTAssertEqual(number(byAddress, "meters"), 1759, accuracy: 10)
        let byRoman = try route("6 Xixi Road", "9 Xidong Road")
        XCTAssertEqual(number(byRoman, "meters"), number(byAddress, "meters"), accuracy: 0.1)
        let station = try route("江北城派出所", "永平门街 23")
        XCTAssertEqual(number(station, "meters"), 159, accuracy: 5)
        let steps = try XCTUnwrap(station["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.last?["turn"] as? String, "arrive")
        XCTAssertNotNil(try? route("永平门街 & 正街", "0,0"))
    }

    func testHumanOutputIsTurnByTurn() throws {
        let out = try CLIRunner.run(["route", "--map", CLIRunner.defaultMapPath, "--from", "n53", "--to", "n54"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("By car: 02:37"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Turn"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Arrive at destination"), out.stdout)
    }

    func testBadPlacesAreOneClearLineAndNonZeroExit() throws {
        for args in [["--from", "nowhere at all", "--to", "n1"], ["--from", "n1", "--to", "n99999"],
                     ["--from", "1e999,0", "--to", "n1"], ["--from", "\u{1B}[2J", "--to", "n1"]] {
            let out = try CLIRunner.run(["route", "--map", CLIRunner.defaultMapPath] + args)
            XCTAssertNotEqual(out.status, 0, args.joined(separator: " "))
            let lines = out.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, out.stderr)
            XCTAssertFalse(out.stderr.contains("\u{1B}"), "escape must be inert")
            XCTAssertFalse(out.stderr.contains("Fatal"), out.stderr)
        }
        let badMap = try CLIRunner.run(["route", "--map", "/nonexistent.wrmap", "--from", "n1", "--to", "n2"])
        XCTAssertNotEqual(badMap.status, 0)
        XCTAssertTrue(badMap.stderr.contains("/nonexistent.wrmap"), badMap.stderr)
    }

    func testConsoleWithoutATerminalIsOneClearError() throws {
        // The test runner gives the binary pipes, not a terminal.
        let out = try CLIRunner.run([], environment: ["WATCHROOM_MAP": CLIRunner.defaultMapPath, "TERM": "xterm-256color"])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("no terminal"), out.stderr)
        XCTAssertEqual(out.stderr.split(separator: "\n").count, 1, out.stderr)
        XCTAssertEqual(out.stdout, "", "nothing may be scribbled on standard output")
    }
}
