import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomTestSupport
import XCTest

/// Issue 17 item 2: the `:` line takes the Chinese command words, `:help` and the replies
/// come in Chinese on a Chinese console, and scripts, logs and the wire keep the English.
final class ChineseCommandTests: XCTestCase {
    func testChineseCommandWordsReadAsTheEnglishOnes() throws {
        XCTAssertEqual(CommandWords.english("派警 C16"), "dispatch C16")
        XCTAssertEqual(CommandWords.english("派警 I0007 C16 F03"), "dispatch I0007 C16 F03")
        XCTAssertEqual(CommandWords.english("一键派警"), "dispatch")
        XCTAssertEqual(CommandWords.english("增援 I0007 2"), "reinforce I0007 2")
        XCTAssertEqual(CommandWords.english("自动\u{3000}开"), "auto on", "an ideographic space is a space")
        XCTAssertEqual(CommandWords.english("：转到 永平门街 18"), ":goto 永平门街 18", "places stay as typed")
        XCTAssertEqual(CommandWords.english("结警 I0007 20 \"到场 开 关\""), "close I0007 20 \"到场 开 关\"", "quoted text stays")
        XCTAssertEqual(CommandWords.english("接警 纠纷 P1 地点 永平门街 18 “持刀 威胁” 持械"),
                       "new dispute P1 at 永平门街 18 “持刀 威胁” weapon")
        XCTAssertEqual(CommandWords.english("状态 C16 到场"), "status C16 OnScene")
        XCTAssertEqual(CommandWords.english("背景核查 电话 13800000000"), "lookup phone 13800000000")
        XCTAssertEqual(CommandWords.english("dispatch I0007 C16"), "dispatch I0007 C16", "English is unchanged")
        XCTAssertEqual(CommandWords.english("goto 到场"), "goto OnScene",
                       "a keyword after the verb is read as one (a place named like a keyword goes in quotes)")
        // Every Chinese verb reads as a verb the parser knows, and parses.
        let verbs = Set(CommandParser.usage.map(\.verb))
        for zh in ["派警", "增援", "结警", "状态", "监控", "背景核查", "选中", "速度", "暂停", "继续", "转到", "汇总", "帮助", "自动", "推荐", "路线", "退出"] {
            let verb = CommandWords.english(zh)
            XCTAssertTrue(verbs.contains(verb), "\(zh) → \(verb)")
            XCTAssertEqual(CommandWords.chinese(forVerb: verb).contains(zh), true)
        }
        XCTAssertEqual(try CommandParser.parse(CommandWords.english("派警 I0007 C16")).get(),
                       .dispatch(incident: IncidentRef("I0007"), units: ["C16"]))
        XCTAssertEqual(try CommandParser.parse(CommandWords.english("增援")).get(), .reinforce(incident: nil, count: nil))
        XCTAssertEqual(try CommandParser.parse(CommandWords.english("自动 关")).get(), .auto(false))
    }

    func testHelpInChineseKeepsTheSyntaxAndNamesTheChineseWords() throws {
        let en = try XCTUnwrap(CommandParser.helpLines())
        let zh = try XCTUnwrap(CommandParser.helpLines(topic: nil, in: .simplifiedChinese))
        XCTAssertEqual(CommandParser.helpLines(topic: nil, in: .english), en)
        for u in CommandParser.usage {
            XCTAssertTrue(zh.contains { $0.hasPrefix(u.syntax) }, "syntax of \(u.verb) as scripts type it")
            let key = u.syntax.hasPrefix("lookup incident") ? "cmd.lookupIncident" : "cmd." + u.verb
            for language in InterfaceLanguage.allCases {
                XCTAssertTrue(InterfaceText.has(key, in: language), "\(key) missing in \(language.rawValue)")
            }
            XCTAssertTrue(zh.contains("    " + InterfaceLanguage.simplifiedChinese.t(key) + (u.consoleOnly ? "（仅控制台）" : "")), u.verb)
        }
        XCTAssertTrue(zh.contains("dispatch [INCIDENT] [UNIT...]    派警 一键派警"), zh.joined(separator: "\n"))
        XCTAssertTrue(zh.contains("      20  现场处置完毕"))
        for code in DispositionCode.all {
            XCTAssertEqual(InterfaceText.string("disposition." + code.code, in: .english), code.label, "the English table holds the code's label")
            XCTAssertTrue(InterfaceText.has("disposition." + code.code, in: .simplifiedChinese))
        }
        // One command, by its English or its Chinese word.
        let one = try XCTUnwrap(CommandParser.helpLines(topic: "派警", in: .simplifiedChinese))
        XCTAssertEqual(one.first, "dispatch [INCIDENT] [UNIT...]    派警 一键派警")
        XCTAssertNil(CommandParser.helpLines(topic: "frobnicate", in: .simplifiedChinese))
        // Hints above the `:` line: the syntax and the Chinese words; disposition labels in Chinese.
        XCTAssertEqual(CommandParser.hints(for: "派警 ", in: .simplifiedChinese), ["dispatch [INCIDENT] [UNIT...]    派警 一键派警"])
        XCTAssertTrue(CommandParser.hints(for: "结警 I0007 ", in: .simplifiedChinese).contains("20  现场处置完毕"))
        XCTAssertEqual(CommandParser.hints(for: "close I0007 ", in: .english), CommandParser.hints(for: "close I0007 "))
    }

    func testRepliesAreEnglishForScriptsAndChineseOnAChineseConsole() throws {
        let map = try TestMaps.jiangbei()
        let h = DispatchHarness(map: map)
        h.register("C1", .car, at: Point(x: -260, y: -300))
        h.register("C2", .car, at: Point(x: 0, y: -784))
        h.register("F21", .officerOnFoot, at: Point(x: -300, y: -700))
        let new = try h.run("new dispute P1 at \"永平门街 18\" \"knife\" weapon")
        XCTAssertTrue(new.message.hasSuffix(" P1 dispute at 永平门街 (Yongping Gate Street) 18"), new.message)
        XCTAssertTrue(new.text(.simplifiedChinese).hasSuffix(" P1 纠纷，地点 永平门街 (Yongping Gate Street) 18"), new.text(.simplifiedChinese))
        let sent = try h.run("dispatch")
        XCTAssertTrue(sent.message.hasPrefix("dispatched "), sent.message)
        XCTAssertTrue(sent.message.hasSuffix("(response plan: 2 units, at least 1 car)"), sent.message)
        XCTAssertTrue(sent.text(.simplifiedChinese).hasPrefix("已派警 "), sent.text(.simplifiedChinese))
        XCTAssertTrue(sent.text(.simplifiedChinese).hasSuffix("（按预案：2 个警力，至少 1 辆车）"), sent.text(.simplifiedChinese))
        let rec = try h.run("recommend 2")
        guard case .showLines(let shown)? = rec.action,
              case .unitsRecommended(let ranked)? = rec.events.first else { return XCTFail("recommend shows lines") }
        XCTAssertTrue(shown[0].hasPrefix("Fastest available units for 2026-"), shown[0])
        XCTAssertNotNil(shown[1].range(of: #"^\S+  ETA \d+ s  \d+ m  \d+ m off road  \d+ m straight line$"#, options: .regularExpression), shown[1])
        let zhLines = CommandExecutor.recommendationLines("I0001", ranked.ranked, in: .simplifiedChinese)
        XCTAssertEqual(zhLines.count, shown.count)
        XCTAssertNotNil(zhLines[1].range(of: #"^\S+  用时 \d+ 秒  路程 \d+ m  离路 \d+ m  直线 \d+ m$"#, options: .regularExpression), zhLines[1])
        // The dispatch event carries the English note (the recording is language-neutral).
        if case .dispatch(let order)? = h.log.last(where: { if case .dispatch = $0.event { return true }; return false })?.event {
            XCTAssertEqual(order.note, "response plan: 2 units, at least 1 car")
        } else {
            XCTFail("no dispatch event")
        }
        let again = h.executor.execute(line: "dispatch", state: h.state, context: CommandContext(now: h.time, selectedIncident: h.selected))
        guard case .failure(let error) = again else { return XCTFail("a second dispatch is refused") }
        XCTAssertTrue(error.message.hasSuffix("; use reinforce to send more"), error.message)
        XCTAssertTrue(error.text(.simplifiedChinese).hasSuffix("；再派请用增援"), error.text(.simplifiedChinese))
        let unknown = CommandParser.parse("frobnicate")
        guard case .failure(let e2) = unknown else { return XCTFail() }
        XCTAssertTrue(e2.message.hasPrefix("unknown command 'frobnicate'; one of: dispatch"), e2.message)
        XCTAssertTrue(e2.text(.simplifiedChinese).hasPrefix("没有命令“frobnicate”"), e2.text(.simplifiedChinese))
        guard case .failure(let e3) = CommandParser.parse("speed") else { return XCTFail() }
        XCTAssertEqual(e3.message, "give one number, e.g. speed 10; usage: speed N")
        XCTAssertEqual(e3.text(.simplifiedChinese), "请写一个数，例如 speed 10；写法：speed N")
        guard case .failure(let e4) = CommandParser.parse("new fire P7 at x") else { return XCTFail() }
        XCTAssertEqual(e4.text(.simplifiedChinese).components(separatedBy: "；").first, "级别只能是 P1、P2 或 P3，不能是“P7”")
        // The shift summary: English by default (replay --headless prints it), Chinese on a Chinese console,
        // its columns lined up by terminal width (a Chinese character takes two).
        let summary = ShiftSummary.compute(state: h.state)
        let english = summary.table(timeZone: h.timeZone)
        XCTAssertTrue(english.hasPrefix("Incident        Call +08:00     Category"), english)
        let wide: (String) -> Int = { $0.reduce(0) { $0 + ($1.unicodeScalars.first.map { $0.value >= 0x2E80 ? 2 : 1 } ?? 0) } }
        let chinese = summary.table(timeZone: h.timeZone, language: .simplifiedChinese, columns: wide)
        let lines = chinese.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("警情            接警 +08:00     类别"), chinese)
        XCTAssertTrue(lines[1].contains("纠纷") && lines[1].contains("（未结）"), chinese)
        XCTAssertTrue(lines.contains { $0.hasPrefix("中位数") } && lines.last?.hasPrefix("60 秒内派警：") == true, chinese)
        let p = lines[0].firstIndex(of: "P").map { wide(String(lines[0][..<$0])) }
        XCTAssertEqual(p, 49, "the P column where the English has it")
        XCTAssertEqual(ResponsePlan.plan(category: .noise, priority: 3, weapon: false).summaryPhrase.text(.simplifiedChinese),
                       "1 个警力，5 分钟内可达则派步巡")
    }
}
