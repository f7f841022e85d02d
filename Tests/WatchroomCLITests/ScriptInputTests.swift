import Foundation
import WatchroomTestSupport
import XCTest

/// Scripts as editors save them (CRLF, other encodings) and numbers the argument parser
/// reads: each accepted, or refused with a line that says what is wrong.
final class ScriptInputTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "watchroom-script-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func script(_ name: String, _ bytes: Data) throws -> String {
        let path = dir + "/" + name
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }

    private func run(_ arguments: [String]) throws -> CLIRunner.Output {
        try CLIRunner.run(arguments, environment: ["XDG_DATA_HOME": dir + "/data"], timeout: 120)
    }

    func testCRLFScriptsRunLineByLineAndErrorsNameTheLine() throws {
        let lines = ["wait 10s", "status C11 Busy", "wait 5s", "bogus", "status C12 Busy"]
        let crlf = try script("crlf.txt", Data(lines.joined(separator: "\r\n").utf8 + Data("\r\n".utf8)))
        let out = try run(["run", "--script", crlf, "--map", CLIRunner.defaultMapPath])
        XCTAssertEqual(out.status, 1, "the bogus line fails: \(out.stderr)")
        XCTAssertTrue(out.stderr.hasPrefix("\(crlf):4: "), out.stderr)
        XCTAssertEqual(out.stderr.split(separator: "\n").count, 1, out.stderr)
        XCTAssertEqual(out.stdout.split(separator: "\n").filter { $0.contains("C11") || $0.contains("C12") }.count, 2, out.stdout)
    }

    func testANonUTF8ScriptNamesTheLineAndTheByte() throws {
        var bytes = Data("wait 10s\nstatus C11 Busy\nnew theft 2 永平门街 18 \"".utf8)
        bytes.append(contentsOf: [0xC7, 0xEB, 0xB5, 0xBD])  // GBK, not UTF-8
        bytes.append(contentsOf: Data("\"\n".utf8))
        let path = try script("gbk.txt", bytes)
        let out = try run(["run", "--script", path, "--map", CLIRunner.defaultMapPath])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "Error: \(path):3: not UTF-8 text (byte 0xC7 at column 22); save the script as UTF-8\n")
    }

    func testANegativeOrHugeSeedSaysWhatIsWrong() throws {
        let empty = try script("empty.txt", Data("wait 1s\n".utf8))
        for seed in ["-1", "18446744073709551616", "1.5"] {
            let out = try run(["run", "--script", empty, "--map", CLIRunner.defaultMapPath, "--seed", seed])
            XCTAssertNotEqual(out.status, 0)
            XCTAssertFalse(out.stderr.contains("Missing value"), out.stderr)
            XCTAssertTrue(out.stderr.contains("a seed is a whole number from 0 to 18446744073709551615, not \"\(seed)\""), out.stderr)
        }
        XCTAssertEqual(try run(["run", "--script", empty, "--map", CLIRunner.defaultMapPath, "--seed", "18446744073709551615"]).status, 0)
        // Any option given a negative number: its own check speaks, not "Missing value".
        for (arguments, words) in [(["replay", empty, "--speed", "-5"], "--speed must be from 1 to 1000"),
                                   (["shift", "generate", "--hours", "-1", "-o", dir + "/g.jsonl"], "--hours -1.0: give 0 to 48 hours")] {
            let out = try run(arguments)
            XCTAssertNotEqual(out.status, 0)
            XCTAssertTrue(out.stderr.contains(words), out.stderr)
        }
    }
}
