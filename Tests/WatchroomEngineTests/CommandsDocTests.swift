import Foundation
import WatchroomEngine
import XCTest

/// Keeps docs/commands.md and `:help` in step: both come from `CommandParser.usage`.
final class CommandsDocTests: XCTestCase {
    /// Every syntax in the "## Commands" table of docs/commands.md (a row may hold two,
    /// joined by ` / `).
    private func documentedSyntaxes() throws -> [String] {
        let url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/commands.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let start = text.range(of: "\n## Commands\n") else { throw XCTSkip("no ## Commands section") }
        let section = text[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        var out: [String] = []
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.replacingOccurrences(of: "\\|", with: "\u{1}").split(separator: "|")
            guard let first = cells.first else { continue }
            let cell = String(first)
            let regex = try NSRegularExpression(pattern: "`([^`]+)`")
            for m in regex.matches(in: cell, range: NSRange(cell.startIndex..., in: cell)) {
                guard let r = Range(m.range(at: 1), in: cell) else { continue }
                out.append(cell[r].replacingOccurrences(of: "\u{1}", with: "|"))
            }
        }
        return out
    }

    func testTheDocsTableListsExactlyTheCommandsOfTheHelpTable() throws {
        let documented = try documentedSyntaxes()
        let table = CommandParser.usage.flatMap { $0.syntax.components(separatedBy: " | ") }
        XCTAssertEqual(Set(documented), Set(table),
                       "only in docs: \(Set(documented).subtracting(table)); only in the table: \(Set(table).subtracting(documented))")
        XCTAssertEqual(documented.count, Set(documented).count, "a command documented twice")
    }

    func testHelpListsEveryCommandWithItsSyntaxAndHelpVerbOne() throws {
        let all = try XCTUnwrap(CommandParser.helpLines())
        for entry in CommandParser.usage {
            XCTAssertTrue(all.contains(entry.syntax), entry.syntax)
            XCTAssertTrue(all.contains { $0.contains(entry.what) }, entry.what)
        }
        for verb in ["speed", "pause", "report", "dispatch", "zoom", "follow", "auto"] {
            XCTAssertTrue(all.contains { $0.hasPrefix(verb) }, verb)
        }
        let new = try XCTUnwrap(CommandParser.helpLines(topic: "NEW"))
        XCTAssertEqual(new.first, CommandParser.usage.first { $0.verb == "new" }?.syntax)
        XCTAssertFalse(new.contains { $0.hasPrefix("dispatch") })
        let close = try XCTUnwrap(CommandParser.helpLines(topic: "close"))
        for code in DispositionCode.all { XCTAssertTrue(close.contains { $0.contains("\(code.code)  \(code.label)") }, code.code) }
        XCTAssertNil(CommandParser.helpLines(topic: "frobnicate"))
        // A script's unknown command lists what a script may use (not the console's zoom).
        let message = CommandParser.parse("dispach I1").failure?.description ?? ""
        XCTAssertTrue(message.contains("dispatch"), message)
        XCTAssertFalse(message.contains("zoom"), message)
    }

    func testTheCommandLineOffersSyntaxAndDispositionCodes() {
        XCTAssertEqual(CommandParser.hints(for: ""), [])
        XCTAssertEqual(CommandParser.hints(for: "spe"), ["speed N"])
        XCTAssertEqual(CommandParser.hints(for: "d "), ["dispatch [INCIDENT] [UNIT...]"])
        let close = CommandParser.hints(for: "close I0002 ")
        XCTAssertEqual(close.count, DispositionCode.all.count + 1)
        XCTAssertTrue(close.contains("11  Arrest made"), "\(close)")
        XCTAssertEqual(CommandParser.hints(for: "close I0002 1").dropFirst().map { String($0.prefix(2)) }, ["10", "11", "12"])
        XCTAssertEqual(CommandParser.hints(for: "close I0002 arr").dropFirst().first, "11  Arrest made")
        XCTAssertTrue(CommandParser.hints(for: "close I0002 zz")[1].contains("no code matches"))
        XCTAssertEqual(CommandParser.hints(for: "close I0002 11 "), [])
    }
}

private extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
