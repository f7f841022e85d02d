import Foundation
import WatchroomTestSupport
import XCTest

/// Issue 17 item 2: the console in Simplified Chinese, the real binary in tmux at 80x24 and
/// 160x48. tmux lays the double-width text out by its own width table: a character the grid
/// measured otherwise would shift every cell after it, and the checks below would see the
/// panel divider, the title rules and the help box out of line.
final class ChineseConsoleE2ETests: XCTestCase {
    /// What the bottom bar may show, each hint whole (the oracle is written out here, not
    /// taken from the tables under test).
    private static let hints = ["? 帮助", ": 命令", "Tab 面板", "d 一键派警", "r 增援", "n 新警情", "x 结警", "v 视频监控",
                                "b 背景核查", "s 汇总", "q 退出"]

    private func start(width: Int, height: Int, _ extra: [String] = ["--lang", "zh-Hans"],
                       environment: [String: String] = [:]) throws -> TmuxSession {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        let log = NSTemporaryDirectory() + "watchroom-zh-\(UUID().uuidString).log"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: log) }
        return try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--seed", "3", "--log", log, "--no-record"] + extra,
                               width: width, height: height, environment: environment, holdAfterExit: true)
    }

    /// Terminal columns of a character: 2 for the CJK and fullwidth ranges the console uses.
    private static func columns(_ ch: Character) -> Int {
        guard let v = ch.unicodeScalars.first?.value else { return 0 }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
            return 2
        default:
            return 1
        }
    }

    /// The display columns at which `glyph` stands in `line`.
    private static func columns(of glyph: Character, in line: String) -> [Int] {
        var out: [Int] = [], col = 0
        for ch in line {
            if ch == glyph { out.append(col) }
            col += columns(ch)
        }
        return out
    }

    private static func width(_ line: String) -> Int { line.reduce(0) { $0 + columns($1) } }

    /// The layout at one size: status bar, panel titles on one divider, rules to the edge,
    /// the key bar in whole hints, then the key help in a closed box and `:帮助`.
    private func checkLayout(width w: Int, height h: Int) throws {
        let t = try start(width: w, height: h)
        XCTAssertTrue(t.waitFor("实时", timeout: 20), t.screen())
        XCTAssertTrue(t.waitFor("接警", timeout: 15), "a call comes in, in Chinese: \(t.screen())")
        let lines = t.capture()
        let screen = lines.joined(separator: "\n")
        XCTAssertEqual(lines.count, h, screen)
        XCTAssertTrue(lines[0].contains("江北城") && lines[0].contains("值班") && lines[0].contains("+08:00"), lines[0])
        for line in lines { XCTAssertLessThanOrEqual(Self.width(line), w, "a row wider than the terminal: \(line)") }

        // The divider between the map and the lists is one column from the title row to the key bar.
        let divider = try XCTUnwrap(Self.columns(of: "│", in: lines[1]).first, "the title row has the divider: \(lines[1])")
        for y in 1..<(h - 1) {
            XCTAssertTrue(Self.columns(of: "│", in: lines[y]).contains(divider), "\(w)x\(h) row \(y) off the divider at \(divider):\n\(screen)")
        }
        // Each panel title sits right of it, in Chinese, and its rule runs to the last column.
        for title in ["─ 警情", "─ 警力", "─ 详情"] {
            let row = try XCTUnwrap(lines.firstIndex { $0.contains(title) }, "no \(title):\n\(screen)")
            XCTAssertTrue(lines[row].hasSuffix("─"), lines[row])
            XCTAssertEqual(Self.width(lines[row]), w, "\(title) rule short or long: \(lines[row])")
            let at = Self.width(String(lines[row][..<(lines[row].range(of: title)?.lowerBound ?? lines[row].startIndex)]))
            XCTAssertEqual(at, divider + 1, "\(title) not beside the divider: \(lines[row])")
        }
        XCTAssertTrue(lines[1].hasPrefix("─ 地图  江北城"), lines[1])
        XCTAssertTrue(lines.contains { $0.contains("─ 动态 ─") }, screen)
        for english in ["Incidents", "Units ", "Details", "Events", "LIVE", "help", "quit"] {
            XCTAssertFalse(screen.contains(english), "\(english) left in English:\n\(screen)")
        }
        // The key bar: nothing but whole hints, two spaces apart, the ones that always stay,
        // then (the map has the keys) the road under the map's centre, as the map names it.
        let bar = lines[h - 1].trimmingCharacters(in: .whitespaces)
        let shown = bar.components(separatedBy: "  ").filter { !$0.isEmpty && !$0.hasPrefix("⌖") }
        XCTAssertTrue(shown.allSatisfy { Self.hints.contains($0) }, "a hint cut or unknown: \(bar)")
        XCTAssertTrue(shown.contains("? 帮助") && shown.contains("q 退出") && shown.contains("d 一键派警"), bar)
        if w >= 160 { XCTAssertEqual(shown, Self.hints, bar) }

        // The key help: a closed box, both sides on one column each, every line whole.
        t.sendKeys("?")
        XCTAssertTrue(t.waitFor("按键"), t.screen())
        let help = t.capture()
        let top = try XCTUnwrap(help.firstIndex { $0.contains("┌") && $0.contains("按键") }, help.joined(separator: "\n"))
        let left = try XCTUnwrap(Self.columns(of: "┌", in: help[top]).first)
        let right = try XCTUnwrap(Self.columns(of: "┐", in: help[top]).first { $0 > left })
        let bottom = try XCTUnwrap(help.indices.first { $0 > top && Self.columns(of: "└", in: help[$0]).contains(left) },
                                   "the help box has no bottom left corner under its top:\n\(help.joined(separator: "\n"))")
        XCTAssertTrue(Self.columns(of: "┘", in: help[bottom]).contains(right), "the bottom right corner is off:\n\(help.joined(separator: "\n"))")
        for y in (top + 1)..<bottom {
            let bars = Self.columns(of: "│", in: help[y])
            XCTAssertTrue(bars.contains(left) && bars.contains(right), "help row \(y) out of its box:\n\(help.joined(separator: "\n"))")
        }
        let box = help[top...bottom].joined(separator: "\n")
        for text in ["下一个 / 上一个面板", "对选中警情一键派警 / 增援", "新警情（表单）/ 选中警情结警", "Esc 或 ? 关闭"] {
            XCTAssertTrue(box.contains(text), "\(text) not whole in the help:\n\(box)")
        }
        t.sendKeys("Escape")
        XCTAssertTrue(t.waitUntil { !$0.contains("按键") }, t.screen())

        // The `:` line in Chinese: `帮助` is `help`, answered in Chinese with the English syntax.
        t.sendKeys(":")
        t.sendText("帮助")
        t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("派警 一键派警"), t.screen())
        XCTAssertTrue(t.screen().contains("dispatch [INCIDENT] [UNIT...]"), t.screen())
        t.sendKeys("Escape")
        t.sendKeys("q")
        XCTAssertTrue(t.waitFor("退出 Watchroom？y/n"), t.screen())
        t.sendKeys("y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }

    func testChineseLayoutAt80x24() throws { try checkLayout(width: 80, height: 24) }

    func testChineseLayoutAt160x48() throws { try checkLayout(width: 160, height: 48) }

    /// No `--lang`: a zh_CN.UTF-8 locale (not generated on this machine, as on a bare Debian)
    /// gives the Chinese console in UTF-8; `--ascii` gives the English one, since ASCII cannot
    /// show Chinese.
    func testTheLocaleChoosesChineseAndASCIIFallsBackToEnglish() throws {
        let t = try start(width: 100, height: 30, [], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": ""])
        XCTAssertTrue(t.waitFor("实时", timeout: 20), t.screen())
        XCTAssertTrue(t.screen().contains("江北城"), t.screen())
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)

        let a = try start(width: 100, height: 30, ["--lang", "zh-Hans", "--ascii"])
        XCTAssertTrue(a.waitFor("LIVE", timeout: 20), a.screen())
        XCTAssertTrue(a.screen().contains("? help"), a.screen())
        XCTAssertTrue(a.screen().unicodeScalars.allSatisfy(\.isASCII), a.screen())
        a.sendKeys("q", "y")
        XCTAssertEqual(a.waitForExit(timeout: 10), 0)
    }
}
