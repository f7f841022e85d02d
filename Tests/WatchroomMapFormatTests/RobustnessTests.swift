import Foundation
import WatchroomCore
import WatchroomMapFormat
import XCTest

final class RobustnessTests: XCTestCase {
    /// Every diagnostic points inside the input (or at 1:1 for file-level problems).
    func assertSane(_ r: MapCheckResult, lines: Int, line: UInt = #line) {
        for d in r.diagnostics {
            XCTAssertGreaterThanOrEqual(d.line, 1, d.description, line: line)
            XCTAssertLessThanOrEqual(d.line, max(lines, 1), d.description, line: line)
            XCTAssertGreaterThanOrEqual(d.column, 1, d.description, line: line)
            XCTAssertFalse(d.description.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value <= 0x9F) },
                           "unescaped control character in \(d.description)", line: line)
        }
        XCTAssertEqual(r.totalCount >= r.diagnostics.count, true, line: line)
    }

    func lineCount(_ bytes: [UInt8]) -> Int { bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) } }

    func testRandomBytes() {
        var rng = SeededRandom(seed: 7)
        let alphabet = Array("node segment =\"\\#,.0123456789ab \n\t".utf8)
        for round in 0..<300 {
            let count = Int.random(in: 0...3000, using: &rng)
            var bytes = [UInt8](repeating: 0, count: count)
            for i in 0..<count {
                // Mix raw bytes with format characters so the tokenizer gets exercised.
                let pick = UInt8.random(in: 0...255, using: &rng)
                bytes[i] = round % 2 == 0 ? pick : alphabet[Int(pick) % alphabet.count]
            }
            let r = MapFormat.check(bytes: bytes, file: "fuzz")
            XCTAssertTrue(r.hasErrors, "random input \(round) accepted")
            assertSane(r, lines: lineCount(bytes))
        }
    }

    func testEveryTruncationOfAValidFile() {
        let bytes = Array(docExample.utf8)
        for cut in 0...bytes.count {
            let prefix = Array(bytes[0..<cut])
            let r = MapFormat.check(bytes: prefix, file: "cut")
            assertSane(r, lines: lineCount(prefix))
            if cut < 300 { XCTAssertTrue(r.hasErrors, "truncated at \(cut) but no error") }
        }
    }

    func testRandomLineDeletions() {
        let lines = docExample.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var rng = SeededRandom(seed: 99)
        for _ in 0..<300 {
            let kept = lines.filter { _ in Int.random(in: 0..<4, using: &rng) != 0 }
            let text = kept.joined(separator: "\n")
            let r = check(text)
            assertSane(r, lines: kept.count)
            let missing = { (prefix: String) in !kept.contains { $0.hasPrefix(prefix) } }
            let used = { (needle: String) in kept.contains { ($0 + " ").contains(needle) } }
            var broken = missing("watchroom-map 1") || missing("precinct") || missing("station st")
            broken = broken || (missing("street yp") && used("street=yp"))
            for node in ["a", "b", "c"] where missing("node \(node) ") && (used("from=\(node) ") || used("to=\(node) ")) {
                broken = true
            }
            if broken {
                XCTAssertTrue(r.hasErrors, "deleting an essential line went unnoticed:\n\(text)")
            }
        }
    }

    func testNULBytesAndHugeLine() {
        var bytes = Array(header.utf8)
        bytes += [UInt8](repeating: 0, count: 100_000)
        bytes += [0x0A]
        // One 3 MB line: a bare value far longer than anything sensible.
        bytes += Array("node a at=".utf8) + [UInt8](repeating: 0x31, count: 3_000_000) + [0x0A]
        let r = MapFormat.check(bytes: bytes + Array(tail.utf8), file: "big")
        assertDiagnostic(r, 3, 1, "control character U+0000")
        assertDiagnostic(r, 4, 11, "malformed point")
        XCTAssertLessThan(r.diagnostics.first { $0.line == 4 }?.message.count ?? 0, 400, "quotes are shortened")
    }

    func testFloodOfErrorsOnOneLineIsLinear() {
        let line = String(repeating: "k=1 ", count: 200_000)
        let start = Date()
        let r = check(header + "node a at=1,1 " + line + "\n" + tail)
        XCTAssertEqual(r.errorCount, 200_000, "one unknown key error each, repeated key errors after the first")
        XCTAssertEqual(r.diagnostics.count, MapFormat.storedDiagnosticLimit)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        XCTAssertEqual(r.formatted().split(separator: "\n").count, 201)
    }

    func testDeeplyWrongInputs() {
        let inputs = [
            "\"", "=", "#", "\\", "node", "node \"", "node a at=\"", "segment e from==", "watchroom-map",
            "watchroom-map 1 2", "watchroom-map x", "\u{FEFF}", "\r\n\r\n", "node a at=1,2,3", "node a at=,",
            "area a kind=park points=\"", "street s name=\"\\u{110000}\" class=x", "street s name=\"\\u{FFFFFFFFFFFF}\"",
            String(repeating: "\"", count: 10_000), String(repeating: "node ", count: 10_000),
            String(repeating: "\n", count: 100_000), String(repeating: "a=", count: 5_000),
        ]
        for input in inputs {
            let r = check(input)
            XCTAssertTrue(r.hasErrors, "accepted: \(input.prefix(40))")
            assertSane(r, lines: input.split(separator: "\n", omittingEmptySubsequences: false).count)
        }
    }
}
