import Foundation
import WatchroomCore
import WatchroomUI
import XCTest

final class IntakeFormTests: XCTestCase {
    func context(width: Int = 80, height: Int = 24) -> ConsoleContext {
        ConsoleContext(map: crossroads, state: PrecinctState(), width: width, height: height)
    }

    @discardableResult
    func press(_ keys: [Key], _ ui: inout ConsoleUIState) -> [ConsoleEffect] {
        keys.map { ConsoleController.handle($0, ui: &ui, context: context()) }
    }

    func type(_ text: String) -> [Key] { text.map { Key.character($0) } }

    func render(_ ui: ConsoleUIState, width: Int = 80, height: Int = 24, unicode: Bool = true) -> Grid {
        var g = Grid(width: width, height: height)
        let input = ConsoleFrameInput(map: crossroads, state: PrecinctState(), ui: ui, now: Fixture.t0,
                                      capabilities: unicode ? Fixture.unicodeCaps : Fixture.asciiCaps)
        ConsoleRenderer.render(input, into: &g)
        return g
    }

    /// Splits a command line the way docs/commands.md quotes text: words by spaces,
    /// `"..."` for text with spaces, `\"` and `\\` inside quotes.
    func words(_ line: String) -> [(text: String, quoted: Bool)] {
        var out: [(String, Bool)] = []
        var cur = "", inWord = false, quoted = false, inQuote = false
        let cs = Array(line)
        var i = 0
        while i < cs.count {
            let c = cs[i]
            if inQuote {
                if c == "\\", i + 1 < cs.count, cs[i + 1] == "\"" || cs[i + 1] == "\\" {
                    cur.append(cs[i + 1]); i += 2; continue
                }
                if c == "\"" { inQuote = false } else { cur.append(c) }
            } else if c == "\"" {
                inQuote = true; inWord = true; quoted = true
            } else if c == " " {
                if inWord { out.append((cur, quoted)) }
                cur = ""; inWord = false; quoted = false
            } else {
                cur.append(c); inWord = true
            }
            i += 1
        }
        XCTAssertFalse(inQuote, "unterminated quote in \(line)")
        if inWord { out.append((cur, quoted)) }
        return out
    }

    func testNOpensTheForm() {
        var ui = ConsoleUIState()
        XCTAssertEqual(press([.character("n")], &ui), [.redraw])
        XCTAssertEqual(ui.intakeForm, IntakeForm())
        XCTAssertEqual(ui.intakeForm?.focus, .category)
        XCTAssertNil(ui.commandLine)
        // The command line still takes `new ...` as typed.
        var cl = ConsoleUIState()
        let effects = press([.character(":")] + type("new fire P1 at 东门") + [.enter], &cl)
        XCTAssertEqual(effects.last, parsed("new fire P1 at 东门"))
    }

    func testFillingTheFormGivesTheExactCommand() {
        var ui = ConsoleUIState()
        press([.character("n")], &ui)
        // Category: → twice, ← once, Space once: dispute → theft → assault → theft → assault.
        press([.right, .right, .left, .character(" ")], &ui)
        XCTAssertEqual(ui.intakeForm?.category, .assault)
        press([.tab], &ui)
        XCTAssertEqual(ui.intakeForm?.focus, .priority)
        press([.left, .left, .left], &ui)
        XCTAssertEqual(ui.intakeForm?.priority, 1, "← stops at P1")
        press([.tab] + type("永平门街 23"), &ui)
        XCTAssertEqual(ui.intakeForm?.place, "永平门街 23")
        press([.tab] + type("Two men fighting, one has a \"knife\""), &ui)
        press([.tab] + type("王女士"), &ui)
        press([.tab] + type("138-0000-1234"), &ui)
        press([.tab], &ui)
        XCTAssertEqual(ui.intakeForm?.focus, .weapon)
        press([.character(" ")], &ui)
        XCTAssertEqual(ui.intakeForm?.weapon, true)
        // Shift-Tab and ↑ go back; ↓ forward again.
        press([.backTab, .up], &ui)
        XCTAssertEqual(ui.intakeForm?.focus, .callerName)
        press([.down, .down], &ui)
        XCTAssertEqual(ui.intakeForm?.focus, .weapon)

        let effect = press([.enter], &ui).last
        let expected = #"new assault P1 at "永平门街 23" "Two men fighting, one has a \"knife\"" caller "王女士" phone 138-0000-1234 weapon"#
        XCTAssertEqual(effect, parsed(expected))
        XCTAssertEqual(ui.overlay, .none)

        // Round trip: the quoted words come back as typed.
        let w = words(expected)
        XCTAssertEqual(w.map(\.text), ["new", "assault", "P1", "at", "永平门街 23", "Two men fighting, one has a \"knife\"",
                                       "caller", "王女士", "phone", "138-0000-1234", "weapon"])
        XCTAssertEqual(w.filter(\.quoted).map(\.text), ["永平门街 23", "Two men fighting, one has a \"knife\"", "王女士"])
    }

    func testEnterMovesOnUntilTheLastFieldAndCtrlSSubmitsAnywhere() {
        var ui = ConsoleUIState()
        press([.character("n"), .enter, .enter] + type("北门") + [.enter] + type("noise"), &ui)
        XCTAssertEqual(ui.intakeForm?.focus, .summary)
        XCTAssertEqual(press([.control("s")], &ui), [parsed(#"new dispute P2 at "北门" "noise""#)])
    }

    func testEveryCategoryWordAndPriorityCycle() {
        var f = IntakeForm()
        var seen: [String] = []
        var ui = ConsoleUIState()
        ui.overlay = .intakeForm(f)
        for _ in 0..<10 {
            f = ui.intakeForm!
            seen.append(IntakeForm.commandWord(f.category))
            press([.character(" ")], &ui)
        }
        XCTAssertEqual(seen, ["dispute", "theft", "assault", "traffic-accident", "suicide-risk", "domestic", "noise",
                              "missing-person", "fire", "other"])
        XCTAssertEqual(ui.intakeForm?.category, .dispute, "wraps round")
        press([.left], &ui)
        XCTAssertEqual(ui.intakeForm?.category, .other)
        XCTAssertEqual(IntakeForm.label(.trafficAccident), "traffic accident")

        press([.tab, .character(" ")], &ui)
        XCTAssertEqual(ui.intakeForm?.priority, 3)
        press([.character(" ")], &ui)
        XCTAssertEqual(ui.intakeForm?.priority, 1)
        press([.character("2")], &ui)
        XCTAssertEqual(ui.intakeForm?.priority, 2)
    }

    func testEmptyPlaceOrSummaryKeepsTheFormOpen() {
        var ui = ConsoleUIState()
        press([.character("n"), .control("s")], &ui)
        XCTAssertEqual(ui.intakeForm?.error, "Place and summary are needed.")
        XCTAssertEqual(ui.intakeForm?.focus, .place, "goes to the empty field")
        XCTAssertTrue(render(ui).lines.contains { $0.contains("Place and summary are needed.") })

        press(type("东门") + [.tab, .tab, .tab, .tab, .enter], &ui)
        XCTAssertEqual(ui.intakeForm?.error, "Place and summary are needed.")
        XCTAssertEqual(ui.intakeForm?.focus, .summary)
        // Blank text counts as empty.
        press(type("   ") + [.control("s")], &ui)
        XCTAssertNotNil(ui.intakeForm)
        press(type("x"), &ui)
        XCTAssertNil(ui.intakeForm?.error, "an edit clears the message")
        XCTAssertEqual(press([.control("s")], &ui), [parsed(#"new dispute P2 at "东门" "x""#)])
    }

    func testPhoneMustBeAPhoneNumber() {
        var form = IntakeForm(place: "东门", summary: "x", callerPhone: "call me")
        XCTAssertNil(form.commandLine())
        XCTAssertEqual(form.problem, IntakeForm.badPhoneMessage)
        form.callerPhone = "+86 138 0000"
        XCTAssertEqual(form.commandLine(), #"new dispute P2 at "东门" "x" phone "+86 138 0000""#)
    }

    func testBackslashesAndEditing() {
        var ui = ConsoleUIState()
        press([.character("n"), .tab, .tab] + type("a\\b"), &ui)
        XCTAssertEqual(ui.intakeForm?.place, "a\\b")
        press([.left, .backspace, .character("X"), .home, .character(">"), .end, .character("<"), .delete], &ui)
        XCTAssertEqual(ui.intakeForm?.place, ">aXb<")
        press([.control("u")] + type("a\\"), &ui)
        press([.tab] + type("s"), &ui)
        XCTAssertEqual(ui.intakeForm?.commandLine(), #"new dispute P2 at "a\\" "s""#)
        XCTAssertEqual(words(ui.intakeForm!.commandLine()!).map(\.text)[4], "a\\")
    }

    func testEscClosesWithoutACommand() {
        var ui = ConsoleUIState()
        press([.character("n")] + type("ab"), &ui)
        XCTAssertEqual(press([.escape], &ui), [.redraw])
        XCTAssertEqual(ui.overlay, .none)
    }

    func testKeysDoNotLeakOutOfTheForm() {
        var ui = ConsoleUIState(selection: .incident("I1"))
        press([.character("n"), .tab, .tab], &ui)
        let effects = press(type("q?:dsxn0+c") + [.control("c")], &ui)
        XCTAssertFalse(effects.contains(.quit))
        XCTAssertFalse(effects.contains { if case .command = $0 { return true } else { return false } })
        XCTAssertEqual(ui.intakeForm?.place, "q?:dsxn0+c")
        XCTAssertEqual(ui.selection, .incident("I1"))
        XCTAssertNil(ui.viewport)
        // Outside text fields letters do nothing (a bell), never quit.
        press([.tab, .tab, .tab, .tab], &ui)
        XCTAssertEqual(ui.intakeForm?.focus, .weapon)
        XCTAssertEqual(press([.character("q")], &ui), [.bell])
        XCTAssertNotNil(ui.intakeForm)
    }

    func testTheFormAt80x24() {
        var ui = ConsoleUIState()
        press([.character("n"), .right, .right, .right, .tab, .left, .tab] + type("永平门街 23"), &ui)
        press([.tab] + type("Car hit a cyclist"), &ui)
        press([.backTab, .left, .left], &ui)
        let g = render(ui)
        let box = (6...17).map { y in
            (10..<70).filter { !g[$0, y].isContinuation }.map { g[$0, y].text }.joined()
        }
        assertLines(box, [
            "┌─ New incident ───────────────────────────────────────────┐",
            "│ Category      traffic accident                           │",
            "│ Priority      P1                                         │",
            "│ Place         永平门街 23                                │",
            "│ Summary       Car hit a cyclist                          │",
            "│ Caller name   optional                                   │",
            "│ Caller phone  optional                                   │",
            "│ Weapon        [ ] no                                     │",
            "│                                                          │",
            "│                                                          │",
            "│ Tab next field  ←/→ choose  Ctrl-S submit  Esc cancel    │",
            "└──────────────────────────────────────────────────────────┘",
        ])
        // The focused field is highlighted and its cursor shown on the character under it.
        let placeRow = 9, valueX = 10 + 2 + 14
        XCTAssertEqual(g[11, placeRow].style.role, .selection)
        XCTAssertEqual(g[valueX + 8, placeRow].text, " ")
        XCTAssertEqual(g[valueX + 9, placeRow].text, "2")
        XCTAssertEqual(g[valueX + 9, placeRow].style, Style(.cursor, [.reverse, .bold]), "cursor two left of the end")
        XCTAssertEqual(g[valueX + 8, placeRow].style, Style(.selection))
        XCTAssertEqual(g[valueX + 4, placeRow].text, "门")
        XCTAssertTrue(g[valueX + 5, placeRow].isContinuation)
        XCTAssertEqual(g[11, 8].style.role, .help)
        XCTAssertTrue(g.lines[23].contains("Ctrl-S submit"), g.lines[23])

        // Focus on a choice: arrows round it; at the end of a text: a block cursor.
        press([.backTab, .backTab], &ui)
        var lines = render(ui).lines
        XCTAssertTrue(lines[7].contains("Category      ◀ traffic accident ▶"), lines[7])
        press([.tab, .tab, .tab], &ui)
        lines = render(ui).lines
        XCTAssertTrue(lines[10].contains("Summary       Car hit a cyclist█"), lines[10])
        // ASCII terminals.
        lines = render(ui, unicode: false).lines
        XCTAssertTrue(lines[16].contains("Tab next field  <-/-> choose  Ctrl-S submit  Esc cancel"), lines[16])
    }

    func testHostileTextIsInertAndLongTextKeepsTheCursorInView() {
        var form = IntakeForm(place: "a\u{1B}[31mred", summary: String(repeating: "长", count: 60), focus: .summary)
        var ui = ConsoleUIState()
        ui.overlay = .intakeForm(form)
        var g = render(ui)
        XCTAssertTrue(g.lines[9].contains("a\\u{1B}[31mred"), g.lines[9])
        XCTAssertTrue(g.lines[10].hasSuffix("长█ │") || g.lines[10].contains("长█"), g.lines[10])
        form.focus = .place
        form.cursor = 0
        ui.overlay = .intakeForm(form)
        g = render(ui)
        XCTAssertFalse(g.lines.joined().contains("\u{1B}"))
        // Typed control characters are refused.
        XCTAssertEqual(ConsoleController.handle(.character("\u{7}"), ui: &ui, context: context()), .bell)
    }

    func testNoCrashAtTinySizes() {
        var ui = ConsoleUIState()
        press([.character("n"), .tab, .tab] + type("永平门街 23"), &ui)
        ui.intakeForm.map { f in var f = f; f.error = "Place and summary are needed."; ui.overlay = .intakeForm(f) }
        for (w, h) in [(20, 5), (0, 0), (1, 1), (3, 2), (8, 3), (12, 4), (20, 5), (40, 10), (79, 23), (61, 13)] {
            let g = render(ui, width: w, height: h)
            XCTAssertEqual(g.lines.count, h)
        }
        let g = render(ui, width: 20, height: 5)
        XCTAssertTrue(g.lines[0].contains("New incident"), g.lines.joined(separator: "\n"))
        XCTAssertTrue(g.lines.contains { $0.contains("Place") }, g.lines.joined(separator: "\n"))
        XCTAssertEqual(ConsoleController.handle(.character("x"), ui: &ui, context: context(width: 20, height: 5)), .redraw)
    }
}
