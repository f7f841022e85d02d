import Foundation
import WatchroomTestSupport
import XCTest

/// Text from a recording never reaches standard output as terminal controls, and the
/// replay's warnings come one per line with their total.
final class OutputHardeningTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "watchroom-output-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// The first 3,000 events of the quiet day, with terminal sequences planted in an
    /// incident number, a summary and a disposition, and `bad` garbage lines appended.
    private func hostileRecording(bad: Int = 0) throws -> String {
        let fixture = CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/quiet-day.jsonl")
        var lines = String(decoding: try Data(contentsOf: fixture), as: UTF8.self).split(separator: "\n").prefix(3000).map(String.init)
        for k in lines.indices {
            if lines[k].contains(#""number":"2026-0314-0001""#) {
                lines[k] = lines[k].replacingOccurrences(of: #""number":"2026-0314-0001""#,
                                                         with: #""number":"\u001b]52;c;cm0gLXJmIH4K\u0007\r\b\u009b2J\u009d0;x\u009c""#)
                lines[k] = lines[k].replacingOccurrences(of: #""summary":""#, with: #""summary":"\u009b31m"#)
            }
            if lines[k].contains(#""type":"incident.closed""#) && lines[k].contains(#""id":"I0002""#) {
                lines[k] = lines[k].replacingOccurrences(of: #""note":""#, with: #""note":"\u001b[2J\u0007"#)
            }
        }
        lines += (0..<bad).map { "garbage line \($0)" }
        let path = dir + "/hostile.jsonl"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func assertNoControls(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let bad = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
        XCTAssertTrue(bad.isEmpty, "\(what) holds controls: \(bad.map { String($0.value, radix: 16) })", file: file, line: line)
    }

    func testHeadlessReplayWritesNoTerminalControls() throws {
        let path = try hostileRecording()
        let summary = try CLIRunner.run(["replay", path, "--headless"])
        XCTAssertEqual(summary.status, 0, summary.stderr)
        assertNoControls(summary.stdout, "the summary")
        XCTAssertTrue(summary.stdout.contains(#"\u{1B}]52;c;cm0gLXJmIH4K\u{7}"#), "shown escaped: \(summary.stdout)")

        let jsonl = try CLIRunner.run(["replay", path, "--headless", "--format", "jsonl"])
        XCTAssertEqual(jsonl.status, 0, jsonl.stderr)
        assertNoControls(jsonl.stdout, "the JSON Lines")
        XCTAssertTrue(jsonl.stdout.contains(#"\u001b]52;c;cm0gLXJmIH4K\u0007\r\b\u009b2J\u009d0;x\u009c"#), "escaped as JSON")
        // Still the same events: every line parses, and the number comes back as written.
        let numbered = try XCTUnwrap(jsonl.stdout.split(separator: "\n").first { $0.contains("cm0gLXJmIH4K") })
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(numbered.utf8)) as? [String: Any])
        XCTAssertEqual((object["data"] as? [String: Any])?["number"] as? String, "\u{1B}]52;c;cm0gLXJmIH4K\u{7}\r\u{8}\u{9B}2J\u{9D}0;x\u{9C}")
    }

    func testReplayWarningsComeOnePerLineWithTheTotal() throws {
        let path = try hostileRecording(bad: 150)
        let out = try CLIRunner.run(["replay", path, "--headless"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let lines = out.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 101, out.stderr)
        XCTAssertTrue(lines[0].hasPrefix("\(path):3001: ") && lines[0].hasSuffix("; skipped"), String(lines[0]))
        XCTAssertEqual(lines.last.map(String.init), "\(path): 150 bad lines skipped in all (the first 100 listed)")
    }

    func testShiftCommandsRefuseEmptyFilesDirectoriesAndDevices() throws {
        let empty = dir + "/empty.shift"
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        for (file, words) in [(empty, "is empty"), (dir, "is a directory"), ("/dev/zero", "is a device")] {
            for command in [["shift", "info"], ["shift", "verify"], ["replay", "--headless"]] {
                let out = try CLIRunner.run(command + [file], timeout: 30)
                XCTAssertEqual(out.status, 1, "\(command) \(file)")
                XCTAssertEqual(out.stderr.split(separator: "\n").count, 1, out.stderr)
                XCTAssertTrue(out.stderr.contains("\(file) \(words)"), "\(command) \(file): \(out.stderr)")
            }
        }
    }

    /// Issue 10 item 7: a recording's event with a number out of range is skipped by the
    /// replay and the drill, each with a warning naming its line, and a total.
    func testReplayAndDrillSkipOutOfRangeEventsWithAWarning() throws {
        let fixture = CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl")
        var lines = String(decoding: try Data(contentsOf: fixture), as: UTF8.self).split(separator: "\n").prefix(3000).map(String.init)
        let k = try XCTUnwrap(lines.indices.first { $0 > 100 && lines[$0].contains(#""type":"unit.position""#) })
        lines[k] = lines[k].replacingOccurrences(of: #""x":"#, with: #""x":1e300,"was":"#)
        let path = dir + "/huge.jsonl"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        for command in [["replay", path, "--headless"], ["drill", path, "--script", "-"]] {
            let out = try CLIRunner.run(command, timeout: 120)
            XCTAssertEqual(out.status, 0, "\(command): \(out.stderr)")
            XCTAssertTrue(out.stderr.contains("\(path):\(k + 1): point 1e+300,"), "\(command): \(out.stderr)")
            XCTAssertTrue(out.stderr.contains("\(path): 1 bad line skipped in all"), "\(command): \(out.stderr)")
        }
    }
}
