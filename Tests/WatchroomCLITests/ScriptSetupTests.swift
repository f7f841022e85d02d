import Foundation
import WatchroomTestSupport
import XCTest

/// Scripts can set up any situation (issue 10, item 6): units added and moved to places
/// such as `e17@0.25`, recommendations printed and published, routes from units, and
/// every example of docs/commands.md runs.
final class ScriptSetupTests: XCTestCase {
    private func script(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "watchroom-setup-\(UUID().uuidString).script"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func events(_ out: String) -> [[String: Any]] {
        out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    private func data(_ e: [String: Any]) -> [String: Any] { e["data"] as? [String: Any] ?? [:] }

    /// The map's polyline of a segment, read from the map file (from node, shape, to node).
    private func polyline(_ segment: String) throws -> [(Double, Double)] {
        let text = try String(contentsOfFile: CLIRunner.defaultMapPath, encoding: .utf8)
        var nodes: [String: (Double, Double)] = [:]
        var line = ""
        for l in text.split(separator: "\n") {
            let w = l.split(separator: " ")
            if w.first == "node", w.count >= 3, let at = w.first(where: { $0.hasPrefix("at=") }) {
                let xy = at.dropFirst(3).split(separator: ",").compactMap { Double($0) }
                nodes[String(w[1])] = (xy[0], xy[1])
            }
            if w.first == "segment", w.count > 1, w[1] == segment { line = String(l) }
        }
        func field(_ k: String) -> String? {
            guard let r = line.range(of: " \(k)=") else { return nil }
            var v = line[r.upperBound...]
            if v.hasPrefix("\"") { v = v.dropFirst(); return String(v.prefix { $0 != "\"" }) }
            return String(v.prefix { $0 != " " })
        }
        let from = try XCTUnwrap(nodes[try XCTUnwrap(field("from"))]), to = try XCTUnwrap(nodes[try XCTUnwrap(field("to"))])
        let shape = (field("shape") ?? "").split(separator: " ").map { p -> (Double, Double) in
            let xy = p.split(separator: ",").compactMap { Double($0) }
            return (xy[0], xy[1])
        }
        return [from] + shape + [to]
    }

    func testUnitsAddedAndMovedThenRecommended() throws {
        let path = try script("""
            unit add X1 car at e17@0.25
            unit add W1 foot at 永平门街 18
            unit move C11 e17@0.5
            new theft P2 at e17@0.75 "bicycle stolen"
            recommend last 3
            recommend
            route --from X1 --to 江北城小学
            """)
        let human = try CLIRunner.run(["run", "--script", path, "--cars", "3", "--foot", "2"])
        XCTAssertEqual(human.status, 0, human.stderr)
        // One line per unit: id, ETA seconds, total metres, off-road metres, straight-line metres.
        let rows = human.stdout.split(separator: "\n").filter { $0.contains(" m off road ") }
        XCTAssertEqual(rows.count, 3 + 5, human.stdout)
        XCTAssertTrue(rows[0].contains("C11  ETA ") && rows[1].contains("X1  ETA "), "C11 stands nearer the scene than X1: \(rows)")
        XCTAssertNotNil(rows[0].range(of: #"^\s+C11  ETA \d+ s  \d+ m  \d+ m off road  \d+ m straight line$"#, options: .regularExpression), "\(rows[0])")
        XCTAssertTrue(human.stdout.contains("X1 to 江北城小学"), human.stdout)
        XCTAssertTrue(human.stdout.contains("Turn"), "turn by turn: \(human.stdout)")

        let out = try CLIRunner.run(["run", "--script", path, "--cars", "3", "--foot", "2", "--jsonl"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let all = events(out.stdout)
        let registered = all.filter { $0["type"] as? String == "unit.registered" }.compactMap { data($0)["id"] as? String }
        XCTAssertEqual(registered.filter { $0.hasPrefix("C") }.count, 3, "--cars 3")
        XCTAssertEqual(registered.filter { $0.hasPrefix("F") }.count, 2, "--foot 2")
        XCTAssertTrue(registered.contains("X1") && registered.contains("W1"))
        // X1 stands a quarter of e17's length from its first node.
        let x1 = try XCTUnwrap(all.first { $0["type"] as? String == "unit.position" && data($0)["unit"] as? String == "X1" })
        let road = try XCTUnwrap(data(x1)["road"] as? [String: Any])
        XCTAssertEqual(road["segment"] as? String, "e17")
        XCTAssertEqual(try XCTUnwrap(road["fraction"] as? Double), 0.25, accuracy: 1e-6)
        let pts = try polyline("e17")
        var lengths: [Double] = []
        for i in 1..<pts.count { lengths.append(hypot(pts[i].0 - pts[i - 1].0, pts[i].1 - pts[i - 1].1)) }
        var left = lengths.reduce(0, +) * 0.25, k = 0
        while left > lengths[k] { left -= lengths[k]; k += 1 }
        let t = left / lengths[k]
        let want = (pts[k].0 + (pts[k + 1].0 - pts[k].0) * t, pts[k].1 + (pts[k + 1].1 - pts[k].1) * t)
        let point = try XCTUnwrap(data(x1)["point"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(point["x"] as? Double), want.0, accuracy: 0.06)
        XCTAssertEqual(try XCTUnwrap(point["y"] as? Double), want.1, accuracy: 0.06)
        // `recommend last 3` and `recommend` (default 5) publish units.recommended with that many entries.
        let recommended = all.filter { $0["type"] as? String == "units.recommended" }.map { data($0)["ranked"] as? [[String: Any]] ?? [] }
        XCTAssertTrue(recommended.contains { $0.count == 3 })
        XCTAssertEqual(recommended.last?.count, 5)
        for entry in recommended.last ?? [] {
            XCTAssertNotNil(entry["offRoadMeters"], "\(entry)")
            XCTAssertGreaterThanOrEqual(entry["meters"] as? Double ?? 0, (entry["straightLineMeters"] as? Double ?? 0) - 0.1)
        }
    }

    func testSetUpMistakesAreOneLine() throws {
        for (line, needle) in [("unit add C11 car at n12", "C11 is already a unit"),
                               ("unit add X1 bike at n12", "a unit is car or foot"),
                               ("unit move X404 n12", "no unit X404"),
                               ("unit move C11 e17@1.5", "the fraction after @ must be a number from 0 to 1"),
                               ("unit move C11 zz9@0.5", "no segment zz9 on this map"),
                               ("recommend", "no incident selected"),
                               ("route --from n1", "give --from and --to")] {
            let out = try CLIRunner.run(["run", "--script", try script(line + "\n")])
            XCTAssertEqual(out.status, 1, line)
            XCTAssertTrue(out.stderr.contains(":1: ") && out.stderr.contains(needle), "\(line): \(out.stderr)")
        }
        let bad = try CLIRunner.run(["run", "--script", try script("wait 1s\n"), "--cars", "501"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("--cars 501: give 0 to 500 units"), bad.stderr)
    }

    func testRouteFromAUnitOfARecordedShift() throws {
        let shift = CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl").path
        let out = try CLIRunner.run(["route", "--shift", shift, "--from", "F21", "--to", "江北城小学", "--json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["profile"] as? String, "foot", "an officer on foot walks")
        XCTAssertTrue(((json["from"] as? [String: Any])?["query"] as? String ?? "").hasPrefix("F21 (e"), "\(json)")
        let car = try CLIRunner.run(["route", "--shift", shift, "--from", "F21", "--to", "江北城小学", "--profile", "car"])
        XCTAssertTrue(car.stdout.contains("By car"), car.stdout + car.stderr)
        let noShift = try CLIRunner.run(["route", "--from", "F21", "--to", "江北城小学"])
        XCTAssertEqual(noShift.status, 1)
        XCTAssertTrue(noShift.stderr.contains("a unit id needs --shift FILE"), noShift.stderr)
    }

    /// Every command example in docs/commands.md runs as a script (the refusals under
    /// "Errors" and the shell synopsis excepted).
    func testEveryExampleInTheCommandsDocRuns() throws {
        let doc = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("docs/commands.md"), encoding: .utf8)
        var heading = "", blocks: [(String, [String])] = []
        var current: [String]?, language = ""
        for line in doc.components(separatedBy: "\n") {
            if current == nil, line.hasPrefix("#") { heading = line }
            if line.hasPrefix("```") {
                if let body = current {
                    if language.isEmpty, !heading.contains("Errors") { blocks.append((heading, body)) }
                    current = nil
                } else {
                    current = []
                    language = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                }
            } else if current != nil {
                current?.append(line)
            }
        }
        XCTAssertGreaterThanOrEqual(blocks.count, 3)
        for (heading, body) in blocks {
            let path = try script(body.joined(separator: "\n") + "\n")
            // The examples' incident numbers are of 2026-11-25.
            let out = try CLIRunner.run(["run", "--script", path, "--start", "2026-11-25T19:30:00+08:00"])
            XCTAssertEqual(out.status, 0, "\(heading):\n\(body.joined(separator: "\n"))\n\(out.stderr)")
        }
    }
}
