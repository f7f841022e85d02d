import Foundation
import WatchroomTestSupport
import XCTest

/// The benchmarks are their own binary, `watchroom-bench`; the product has none of them.
final class BenchBinaryTests: XCTestCase {
    func testTheProductListsNoBenchmarkAndRefusesThem() throws {
        let help = try CLIRunner.run(["--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
        XCTAssertTrue(help.stdout.contains("replay"), help.stdout)
        XCTAssertFalse(help.stdout.contains("bench"), help.stdout)
        XCTAssertFalse(help.stdout.contains("record-soak"), help.stdout)
        let shiftHelp = try CLIRunner.run(["shift", "--help"])
        XCTAssertFalse(shiftHelp.stdout.contains("record-soak"), shiftHelp.stdout)
        for args in [["bench", "routing"], ["shift", "record-soak", "-o", "/tmp/watchroom-no-soak.shift"]] {
            let out = try CLIRunner.run(args)
            XCTAssertNotEqual(out.status, 0, args.joined(separator: " "))
            XCTAssertTrue(out.stderr.hasPrefix("Error:"), out.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/watchroom-no-soak.shift"))
    }

    func testTheBenchBinaryListsEveryBenchmarkAndRunsOne() throws {
        let help = try CLIRunner.run(["--help"], binary: "watchroom-bench")
        XCTAssertEqual(help.status, 0, help.stderr)
        for name in ["routing", "dispatch", "console", "replay", "record", "record-soak"] {
            XCTAssertTrue(help.stdout.contains("  \(name) "), "\(name) in: \(help.stdout)")
        }
        // A small generated city, a few queries: the report is JSON with the C yardstick beside.
        let out = try CLIRunner.run(["routing", "--generate", "400", "--units", "20", "--queries", "5", "--json"],
                                    binary: "watchroom-bench")
        XCTAssertEqual(out.status, 0, out.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any], out.stdout)
        XCTAssertEqual(json["nodes"] as? Int, 400)
        XCTAssertEqual(json["oneToAllAgree"] as? Bool, true, "Swift and the C Dijkstra agree")
        let c = try XCTUnwrap(json["oneToAllC"] as? [String: Any], out.stdout)
        XCTAssertEqual(c["count"] as? Int, 5)
        let bad = try CLIRunner.run(["routing", "--generate", "3"], binary: "watchroom-bench")
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--generate must be between 4 and 20000000"), bad.stderr)
    }
}
