import Foundation
import WatchroomTestSupport
import XCTest

/// `watchroom map import` end to end against the real binary: the summary, refusing to
/// overwrite, errors as FILE:LINE:COLUMN, and an edges-tsv round trip checked against
/// Floyd–Warshall computed here from the fixture's ways.
final class MapImportCLITests: XCTestCase {
    private var fixture: String { CLIRunner.packageRoot.appendingPathComponent("Fixtures/osm/district.osm").path }

    private func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("watchroom-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testImportWritesACheckedMapAndSummarises() throws {
        let out = try tempDir().appendingPathComponent("jiangbei-test.wrmap").path
        let r = try CLIRunner.run(["map", "import", fixture, "--timezone", "Asia/Shanghai", "--name", "江北城", "-o", out])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("station: 江北城派出所"), r.stdout)
        XCTAssertTrue(r.stdout.contains("streets: 11 named"), r.stdout)
        XCTAssertTrue(r.stdout.contains("cameras: 4, addresses: 2, landmarks: 3, areas: 3"), r.stdout)
        XCTAssertTrue(r.stdout.contains("off the largest part cars can drive round"), r.stdout)
        XCTAssertTrue(r.stdout.contains("cars: kept "), r.stdout)
        XCTAssertTrue(r.stdout.contains("on foot: kept "), r.stdout)
        XCTAssertFalse(r.stderr.contains("\r"), "no progress bar when stderr is not a terminal: \(r.stderr.debugDescription)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("watchroom-map 1\nprecinct key=jiangbei-test name=\"江北城\""), text)
        let check = try CLIRunner.run(["map", "check", out])
        XCTAssertEqual(check.status, 0, check.stdout)
        XCTAssertTrue(check.stdout.contains("ok"), check.stdout)
        // Every command takes it like the default map.
        let info = try CLIRunner.run(["map", "info", out])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("江北城派出所"), info.stdout)
        let route = try CLIRunner.run(["route", "--map", out, "--from", "永平门街 18", "--to", "江北城小学"])
        XCTAssertEqual(route.status, 0, route.stderr)
        XCTAssertTrue(route.stdout.contains("By car"), route.stdout)
        XCTAssertTrue(route.stdout.contains("东西街"), route.stdout)
    }

    /// The progress bar appears on a terminal (util-linux `script` gives the binary one).
    func testProgressBarOnlyOnATerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), let bin = CLIRunner.binaryPath() else {
            throw XCTSkip("needs /usr/bin/script")
        }
        let dir = try tempDir()
        // Big enough for more than one 1 MB chunk: the fixture's nodes repeated inside a comment-free body.
        var osm = "<osm>\n"
        for i in 0..<40_000 { osm += "<node id=\"\(i + 1000)\" lat=\"29.57\" lon=\"106.57\" timestamp=\"2024-01-01T00:00:00Z\"/>\n" }
        let body = try String(contentsOfFile: fixture, encoding: .utf8)
        osm += body.components(separatedBy: "<osm version=\"0.6\" generator=\"hand-written for Watchroom tests\">")[1]
        let big = dir.appendingPathComponent("big.osm").path
        try osm.write(toFile: big, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("big.wrmap").path
        let cmd = "\(bin) map import \(big) --timezone UTC -o \(out)"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", cmd, "/dev/null"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardInput = Pipe()
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("\rreading ["), text.debugDescription)
        XCTAssertTrue(text.contains("100%"), text.debugDescription)
    }

    func testRefusesToOverwriteWithoutForce() throws {
        let out = try tempDir().appendingPathComponent("x.wrmap").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: out))
        let r = try CLIRunner.run(["map", "import", fixture, "--timezone", "UTC", "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("--force"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "keep me")
        let forced = try CLIRunner.run(["map", "import", fixture, "--timezone", "UTC", "-o", out, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("watchroom-map 1"))
    }

    func testBadInputGivesFileLineColumnAndWritesNothing() throws {
        let dir = try tempDir()
        let out = dir.appendingPathComponent("broken.wrmap").path
        let broken = CLIRunner.packageRoot.appendingPathComponent("Fixtures/osm/broken-mismatch.osm").path
        let r = try CLIRunner.run(["map", "import", broken, "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\(broken):6:3: error: end tag </node> does not match"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertFalse(r.stderr.contains("Fatal error"))

        let badBox = try CLIRunner.run(["map", "import", fixture, "--bbox", "1,2,3", "-o", out])
        XCTAssertEqual(badBox.status, 1)
        XCTAssertTrue(badBox.stderr.contains("south,west,north,east"), badBox.stderr)
        let badZone = try CLIRunner.run(["map", "import", fixture, "--timezone", "Nowhere/Else", "-o", out])
        XCTAssertEqual(badZone.status, 1)
        XCTAssertTrue(badZone.stderr.contains("unknown time zone"), badZone.stderr)
        let missing = try CLIRunner.run(["map", "import", "/nonexistent/x.osm", "-o", out])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/x.osm"), missing.stderr)
        let pbf = dir.appendingPathComponent("x.osm.pbf").path
        try Data([0, 0, 0, 0x0D, 0x0A, 0x09] + Array("OSMHeader".utf8)).write(to: URL(fileURLWithPath: pbf))
        let p = try CLIRunner.run(["map", "import", pbf, "-o", out])
        XCTAssertEqual(p.status, 1)
        XCTAssertTrue(p.stderr.contains("osmium cat"), p.stderr)
    }

    /// Import, export the car graph as edges-tsv, and compare all-pairs fastest times on
    /// the exported arcs with Floyd–Warshall on the fixture's ways (lengths from lat/lon).
    func testEdgesExportRoundTripMatchesFloydWarshall() throws {
        let out = try tempDir().appendingPathComponent("rt.wrmap").path
        let imp = try CLIRunner.run(["map", "import", fixture, "--timezone", "Asia/Shanghai", "-o", out])
        XCTAssertEqual(imp.status, 0, imp.stderr)
        let exp = try CLIRunner.run(["map", "export", out, "--format", "edges-tsv", "--profile", "car"])
        XCTAssertEqual(exp.status, 0, exp.stderr)
        var arcs: [(String, String, Double)] = []
        for line in exp.stdout.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t")
            arcs.append((String(f[0]), String(f[1]), Double(f[2])! * 1000))
        }
        XCTAssertFalse(arcs.isEmpty)
        let exported = allPairs(arcs)

        // The reference: the fixture's car ways as the import rules read them.
        let coords = try coordinates()
        let ways: [([Int], Double, Bool)] = [
            ([1, 10, 2, 3], 30, false), ([4, 5, 6], 32.19, false), ([7, 8, 9], 60, false), ([1, 4, 7], 40, true),
            ([3, 6, 9], 30, true), ([2, 5, 8], 6, false), ([3, 20, 21, 3], 35, true), ([7, 61], 25, false),
            ([2, 63], 10, false), ([5, 71], 25, false), ([6, 72], 25, false),
        ]
        let origin = try originOf(out)
        var ref: [(String, String, Double)] = []
        for (nodes, kmh, oneway) in ways {
            for (a, b) in zip(nodes, nodes.dropFirst()) {
                let ms = metres(coords[a]!, coords[b]!, origin) / (kmh / 3.6) * 1000
                ref.append(("n\(a)", "n\(b)", ms))
                if !oneway { ref.append(("n\(b)", "n\(a)", ms)) }
            }
        }
        let reference = allPairs(ref)
        var compared = 0
        for a in exported.keys {
            for b in exported.keys {
                let got = exported.time(a, b), want = reference.time(a, b)
                XCTAssertEqual(got, want, accuracy: 10 + want * 1e-4, "\(a) → \(b)")
                compared += 1
            }
        }
        XCTAssertEqual(Set(exported.keys), Set(reference.keys).subtracting(["n10", "n20", "n21"]))
        XCTAssertGreaterThan(compared, 100)
    }

    // MARK: - Reference helpers

    private struct AllPairs {
        var keys: [String]
        var d: [[Double]]
        func time(_ a: String, _ b: String) -> Double { d[keys.firstIndex(of: a)!][keys.firstIndex(of: b)!] }
    }

    private func allPairs(_ arcs: [(String, String, Double)]) -> AllPairs {
        let keys = Array(Set(arcs.flatMap { [$0.0, $0.1] })).sorted()
        let n = keys.count
        var d = [[Double]](repeating: [Double](repeating: .infinity, count: n), count: n)
        for i in 0..<n { d[i][i] = 0 }
        for (a, b, w) in arcs {
            let i = keys.firstIndex(of: a)!, j = keys.firstIndex(of: b)!
            d[i][j] = min(d[i][j], w)
        }
        for k in 0..<n { for i in 0..<n { for j in 0..<n where d[i][k] + d[k][j] < d[i][j] { d[i][j] = d[i][k] + d[k][j] } } }
        return AllPairs(keys: keys, d: d)
    }

    private func coordinates() throws -> [Int: (Double, Double)] {
        let text = try String(contentsOfFile: fixture, encoding: .utf8)
        let re = try NSRegularExpression(pattern: #"<node id="(\d+)" lat="([0-9.]+)" lon="([0-9.]+)""#)
        var out: [Int: (Double, Double)] = [:]
        for m in re.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            func g(_ i: Int) -> String { String(text[Range(m.range(at: i), in: text)!]) }
            if out[Int(g(1))!] == nil { out[Int(g(1))!] = (Double(g(2))!, Double(g(3))!) }
        }
        return out
    }

    private func originOf(_ wrmap: String) throws -> (Double, Double) {
        let text = try String(contentsOfFile: wrmap, encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("origin ") })
        var lat = 0.0, lon = 0.0
        for part in line.split(separator: " ") {
            if part.hasPrefix("lat=") { lat = Double(part.dropFirst(4))! }
            if part.hasPrefix("lon=") { lon = Double(part.dropFirst(4))! }
        }
        return (lat, lon)
    }

    /// Distance in the local equirectangular frame (the same WGS 84 series the format documents).
    private func metres(_ a: (Double, Double), _ b: (Double, Double), _ o: (Double, Double)) -> Double {
        let phi = o.0 * .pi / 180
        let mLat = 111_132.92 - 559.82 * cos(2 * phi) + 1.175 * cos(4 * phi)
        let mLon = 111_412.84 * cos(phi) - 93.5 * cos(3 * phi)
        let dx = (b.1 - a.1) * mLon, dy = (b.0 - a.0) * mLat
        return (dx * dx + dy * dy).squareRoot()
    }
}
