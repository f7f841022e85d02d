import Foundation
import WatchroomTestSupport
import XCTest

/// End-to-end tests of `watchroom map ...` against the real binary.
final class MapCommandTests: XCTestCase {
    private func temp(_ name: String, _ bytes: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("watchroom-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testDefaultMapChecksClean() throws {
        let out = try CLIRunner.run(["map", "check", CLIRunner.defaultMapPath])
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        XCTAssertFalse(out.stdout.contains(": error:"), out.stdout)
        XCTAssertTrue(out.stdout.contains("ok"), out.stdout)
    }

    func testBrokenMapReportsFileLineColumnAndFails() throws {
        let text = """
            watchroom-map 1
            precinct key=t name="T" timezone=Asia/Shanghai
            node a at=0,0
            node b at=100,zero
            segment e1 from=a to=nowhere colour=red
            """
        let path = try temp("broken.wrmap", Array(text.utf8))
        let out = try CLIRunner.run(["map", "check", path])
        XCTAssertEqual(out.status, 1)
        let lines = out.stdout.split(separator: "\n").map(String.init)
        // Every diagnostic is FILE:LINE:COLUMN: severity: message.
        let diagnostics = lines.filter { $0.hasPrefix(path + ":") && $0.contains(": error:") }
        XCTAssertGreaterThanOrEqual(diagnostics.count, 3, out.stdout)
        XCTAssertTrue(diagnostics.contains { $0.hasPrefix("\(path):4:") }, "bad point on line 4: \(out.stdout)")
        XCTAssertTrue(diagnostics.contains { $0.hasPrefix("\(path):5:") && $0.contains("nowhere") }, out.stdout)
        XCTAssertTrue(diagnostics.contains { $0.hasPrefix("\(path):5:") && $0.contains("colour") }, out.stdout)
        for d in diagnostics {
            let parts = d.dropFirst(path.count + 1).split(separator: ":", maxSplits: 2)
            XCTAssertNotNil(Int(parts[0]), d)
            XCTAssertNotNil(Int(parts[1]), d)
        }
    }

    func testHostileInputNeverCrashesOrHangs() throws {
        var rng = SystemRandomNumberGenerator()
        let cases: [(String, [UInt8])] = [
            ("empty.wrmap", []),
            ("binary.wrmap", (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }),
            ("nul.wrmap", Array("watchroom-map 1\n\0\0\0node a at=0,0\n".utf8)),
            ("escape.wrmap", Array("watchroom-map 1\nprecinct key=x name=\"\u{1B}[2J\u{1B}]0;pwned\u{07}\" timezone=Nowhere/Else\n".utf8)),
            ("badutf8.wrmap", Array("watchroom-map 1\nnode a at=0,0 ".utf8) + [0xFF, 0xFE, 0xC3] + Array("\n".utf8)),
        ]
        for (name, bytes) in cases {
            let path = try temp(name, bytes)
            let out = try CLIRunner.run(["map", "check", path], timeout: 30)
            XCTAssertFalse(out.timedOut, name)
            XCTAssertEqual(out.status, 1, "\(name) must fail cleanly: \(out.stdout) \(out.stderr)")
            XCTAssertTrue(out.stdout.contains(": error:"), "\(name): \(out.stdout)")
            XCTAssertFalse(out.stdout.contains("\u{1B}"), "escape sequences must be inert: \(name)")
            XCTAssertFalse(out.stderr.contains("Fatal error"), out.stderr)
        }
        let missing = try CLIRunner.run(["map", "check", "/nonexistent/nowhere.wrmap"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stdout.contains("/nonexistent/nowhere.wrmap"), missing.stdout)
    }

    func testInfoSummarisesDefaultMap() throws {
        let out = try CLIRunner.run(["map", "info", CLIRunner.defaultMapPath])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("江北城"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Asia/Shanghai"), out.stdout)
        XCTAssertTrue(out.stdout.contains("江北城派出所"), out.stdout)
    }

    func testEdgesTSVHasHeaderAndParsableRows() throws {
        let out = try CLIRunner.run(["map", "export", CLIRunner.defaultMapPath, "--format", "edges-tsv"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let lines = out.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "from\tto\tseconds\tmeters")
        XCTAssertGreaterThan(lines.count, 150)
        for line in lines.dropFirst() {
            let f = line.split(separator: "\t")
            XCTAssertEqual(f.count, 4, String(line))
            XCTAssertNotNil(Double(f[2]).flatMap { $0 > 0 ? $0 : nil }, String(line))
            XCTAssertNotNil(Double(f[3]).flatMap { $0 > 0 ? $0 : nil }, String(line))
        }
    }

    func testGeoJSONIsValidJSON() throws {
        let out = try CLIRunner.run(["map", "export", CLIRunner.defaultMapPath, "--format", "geojson"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["type"] as? String, "FeatureCollection")
        let features = object?["features"] as? [[String: Any]] ?? []
        XCTAssertGreaterThan(features.count, 100)
    }

    func testWrmapExportRoundTripsThroughCheck() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("watchroom-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("copy.wrmap").path
        let out = try CLIRunner.run(["map", "export", CLIRunner.defaultMapPath, "--format", "wrmap", "-o", path])
        XCTAssertEqual(out.status, 0, out.stderr)
        let check = try CLIRunner.run(["map", "check", path])
        XCTAssertEqual(check.status, 0, check.stdout)
        let a = try CLIRunner.run(["map", "export", CLIRunner.defaultMapPath, "--format", "edges-tsv"])
        let b = try CLIRunner.run(["map", "export", path, "--format", "edges-tsv"])
        XCTAssertEqual(a.stdout, b.stdout)
    }

    func testExportAndGenerateNeverOverwriteWithoutForce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("watchroom-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("mine.wrmap").path
        for args in [["map", "export", CLIRunner.defaultMapPath, "--format", "geojson", "-o", path],
                     ["map", "generate", "--intersections", "300", "--seed", "7", "-o", path]] {
            try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: path))
            let refused = try CLIRunner.run(args)
            XCTAssertEqual(refused.status, 1, args.joined(separator: " "))
            XCTAssertTrue(refused.stderr.contains("\(path) exists: pass --force to overwrite it"), refused.stderr)
            XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "keep me\n", "the file is untouched")
            let forced = try CLIRunner.run(args + ["--force"])
            XCTAssertEqual(forced.status, 0, forced.stderr)
            XCTAssertNotEqual(try String(contentsOfFile: path, encoding: .utf8), "keep me\n")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["mine.wrmap"], "no temporary file left")
        }
    }

    func testVersionAndHelp() throws {
        let version = try CLIRunner.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.contains("0."), version.stdout)
        for args in [["--help"], ["map", "--help"], ["map", "check", "--help"], ["route", "--help"],
                     ["map", "export", "--help"], ["bench", "routing", "--help"]] {
            let out = try CLIRunner.run(args)
            XCTAssertEqual(out.status, 0, args.joined(separator: " "))
            XCTAssertTrue(out.stdout.contains("USAGE"), args.joined(separator: " "))
        }
    }
}
