import Foundation
import WatchroomTestSupport
import XCTest

/// `watchroom replay --headless` on the committed fixtures (the console replay: ReplayConsoleTests).
final class ReplayCommandTests: XCTestCase {
    private var fixture: String { CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl").path }

    private func digest(_ text: String) -> String? {
        text.range(of: #"digest:? [0-9a-f]{16}"#, options: .regularExpression).map { String(text[$0].suffix(16)) }
    }

    func testHeadlessSummaryFoldsToTheSameStateAsShiftInfo() throws {
        let replay = try CLIRunner.run(["replay", fixture, "--headless"])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertTrue(replay.stdout.contains("NFPA 1225"), replay.stdout)
        XCTAssertTrue(replay.stdout.contains("90th percentile"), replay.stdout)
        let info = try CLIRunner.run(["shift", "info", fixture])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertNotNil(digest(replay.stdout))
        XCTAssertEqual(digest(replay.stdout), digest(info.stdout))
    }

    func testToStopsTheFoldAndJSONLinesStayInOrder() throws {
        let out = try CLIRunner.run(["replay", fixture, "--headless", "--to", "1h", "--format", "jsonl"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let lines = out.stdout.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 100)
        var lastSeq = 0
        for line in lines {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let seq = (object["seq"] as? NSNumber)?.intValue ?? -1
            XCTAssertGreaterThan(seq, lastSeq)
            lastSeq = seq
            XCTAssertLessThanOrEqual(object["time"] as? String ?? "", "2026-03-14T21:00:00.000+08:00")
        }
    }

    func testBadInputIsOneClearLine() throws {
        let garbage = NSTemporaryDirectory() + "garbage-\(UUID().uuidString).jsonl"
        try Data("not json\n{\"v\":9}\n".utf8).write(to: URL(fileURLWithPath: garbage))
        let out = try CLIRunner.run(["replay", garbage, "--headless"])
        XCTAssertNotEqual(out.status, 0)
        XCTAssertTrue(out.stderr.contains("no line reads as an event (line 1: not a JSON object"), "the first bad line named: \(out.stderr)")
        XCTAssertEqual(out.stderr.split(separator: "\n").count, 1, out.stderr)
        // The console replay needs a terminal; without one it says to use --headless.
        let console = try CLIRunner.run(["replay", fixture])
        XCTAssertNotEqual(console.status, 0)
        XCTAssertTrue(console.stderr.contains("--headless"), console.stderr)
        XCTAssertTrue(console.stderr.contains("terminal"), console.stderr)
    }
}
