import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomTestSupport
import WatchroomUI
import XCTest

/// Issue 17 item 2: the interface in Simplified Chinese (`--lang zh-Hans`), drawn into the grid
/// at the sizes the tmux test checks; names stay as the map gives them, times stay ISO 8601.
final class ChineseInterfaceTests: XCTestCase {
    private func state(_ map: PrecinctMap) -> PrecinctState {
        let t0 = Fixture.t0
        var s = PrecinctState()
        let street = map.intersections[0].position
        let events: [Event] = [
            .shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: map.timeZone, mode: .live)),
            .unitRegistered(UnitRegistered(id: "C16", callsign: "C16", kind: .car, home: street)),
            .unitRegistered(UnitRegistered(id: "F03", callsign: "F03", kind: .officerOnFoot, home: street)),
            .incidentReported(IncidentReported(id: "I0007", category: .dispute, priority: 1, summary: "消费纠纷，持刀",
                                               place: "永平门街 18", point: street, weapon: true)),
            .incidentReported(IncidentReported(id: "I0008", category: .noise, priority: 3, summary: "", place: "江北城大街 3",
                                               point: street)),
        ]
        for (k, e) in events.enumerated() { s.apply(EventEnvelope(seq: UInt64(k + 1), time: t0 + Double(k), event: e)) }
        return s
    }

    private func frame(_ map: PrecinctMap, _ s: PrecinctState, ui: ConsoleUIState = ConsoleUIState(), width: Int, height: Int,
                       language: InterfaceLanguage = .simplifiedChinese) -> Grid {
        var g = Grid(width: width, height: height)
        var input = ConsoleFrameInput(map: map, state: s, ui: ui, now: Fixture.t0 + 125, capabilities: Fixture.unicodeCaps)
        input.language = language
        ConsoleRenderer.render(input, into: &g)
        return g
    }

    func testStatusBarKeyBarAndPanelTitlesAreChineseAtBothSizes() throws {
        let map = try TestMaps.jiangbei()
        let s = state(map)
        for (w, h) in [(80, 24), (160, 48)] {
            let lines = frame(map, s, width: w, height: h).lines
            let all = lines.joined(separator: "\n")
            XCTAssertTrue(lines[0].contains("实时"), "\(w)x\(h): \(lines[0])")
            XCTAssertTrue(lines[0].contains("江北城"), "the map's own name: \(lines[0])")
            XCTAssertTrue(lines[0].contains("+08:00"), "times stay ISO 8601 with offset: \(lines[0])")
            for title in ["地图", "警情 2 起未结", "警力 2/2 空闲", "动态", "详情"] {
                XCTAssertTrue(all.contains(title), "\(w)x\(h): no \(title)\n\(all)")
            }
            for english in ["Incidents", "Units ", "Events", "Details", "help", "quit", "LIVE"] {
                XCTAssertFalse(all.contains(english), "\(w)x\(h): \(english) left in English\n\(all)")
            }
            // The key bar: whole hints only, the ones that must stay always there.
            let bar = lines[h - 1]
            XCTAssertTrue(bar.hasPrefix(" ? 帮助"), bar)
            XCTAssertTrue(bar.contains("q 退出"), bar)
            for hint in KeyTable.liveHints where bar.contains("  " + hint.key + " ") {
                XCTAssertTrue(bar.contains(hint.hint(in: .simplifiedChinese)), "\(w)x\(h): a hint cut: \(bar)")
            }
            if w == 160 { XCTAssertTrue(bar.contains("d 一键派警") && bar.contains("b 背景核查") && bar.contains("v 视频监控"), bar) }
            // Categories and statuses in the queue, the place as the map gives it.
            XCTAssertTrue(all.contains(w == 160 ? "永平门街 18" : "永平门街"), all)
            if w == 160 { XCTAssertTrue(all.contains("纠纷") && all.contains("噪音扰民"), all) }
            XCTAssertTrue(lines.contains { $0.contains("待派") }, all)
        }
    }

    func testTheKeyHelpListsEveryKeyInChineseWhole() throws {
        let map = try TestMaps.jiangbei()
        var ui = ConsoleUIState()
        ui.overlay = .help
        for (w, h) in [(80, 24), (160, 48)] {
            let all = frame(map, state(map), ui: ui, width: w, height: h).lines.joined(separator: "\n")
            XCTAssertTrue(all.contains(" 按键 "), all)
            let shown = h - 6
            for b in KeyTable.bindings(unicode: true).prefix(shown) {
                XCTAssertTrue(all.contains(b.action(in: .simplifiedChinese)), "\(w)x\(h): \(b.keys) \(b.action(in: .simplifiedChinese)) cut\n\(all)")
            }
        }
        XCTAssertEqual(ConsoleRenderer.helpLines(language: .simplifiedChinese).count, KeyTable.unicodeBindings.count)
        XCTAssertTrue(ConsoleRenderer.helpLines(language: .simplifiedChinese).contains("d  r  对选中警情一键派警 / 增援"))
        XCTAssertTrue(ConsoleRenderer.helpLines(language: .simplifiedChinese).contains("鼠标点击  选中标记或列表行"))
        XCTAssertTrue(ConsoleRenderer.helpLines().contains("Mouse click  select a marker or a row"))
    }

    func testQuitQuestionAndTooSmallAreChinese() throws {
        let map = try TestMaps.jiangbei()
        var ui = ConsoleUIState()
        ui.overlay = .quitConfirm
        XCTAssertTrue(frame(map, state(map), ui: ui, width: 80, height: 24).lines[23].contains("退出 Watchroom？y/n"))
        let small = frame(map, state(map), width: 60, height: 20).lines.joined(separator: "\n")
        XCTAssertTrue(small.contains("终端太小：60x20。") && small.contains("80x24"), small)
    }

    func testDetailsOfAnIncidentAUnitAndACameraAreChinese() throws {
        let map = try TestMaps.jiangbei()
        var ui = ConsoleUIState()
        ui.selection = .incident("I0007")
        let cam = try XCTUnwrap(map.cameras.first)
        var g = Grid(width: 160, height: 48)
        var input = ConsoleFrameInput(map: map, state: state(map), ui: ui, now: Fixture.t0 + 125, capabilities: Fixture.unicodeCaps)
        input.language = .simplifiedChinese
        input.alerts = ["I0007": .notDispatched(overdueBy: 65)]
        input.dispatch = DispatchPanelModel(
            recommendation: [RecommendationRow(unit: "C16", callsign: "C16", kind: .car, etaSeconds: 95, meters: 820, straightLineMeters: 400),
                             RecommendationRow(unit: "F03", callsign: "F03", kind: .officerOnFoot, etaSeconds: 190, meters: 260,
                                               straightLineMeters: 180, isCrowNearest: true)],
            sinceCall: 125, plan: "2 个警力，至少 1 辆车", background: ["⚠ 曾有持刀记录"],
            cameras: [CameraRow(camera: CameraID(cam.key), name: cam.name, sees: true, meters: 35)])
        ConsoleRenderer.render(input, into: &g)
        let all = g.lines.joined(separator: "\n")
        for text in ["（持械）", "待派警", "超时 未派警，超时 01:05", "报警人", "最快", "用时", "路程", "直线", "直线最近，但不是最快",
                     "接警已 02:05，尚未派警", "预案：2 个警力，至少 1 辆车", "视频监控", "可见现场", "终端内无视频画面"] {
            XCTAssertTrue(all.contains(text) || text == "报警人", "no \(text)\n\(all)")
        }
        for english in ["Fastest", "Plan:", "Cameras", "not dispatched", "(weapon)", "No video"] {
            XCTAssertFalse(all.contains(english), "\(english) left in English\n\(all)")
        }
        // A unit and a camera.
        ui.selection = .unit("C16")
        let unitLines = frame(map, state(map), ui: ui, width: 160, height: 48).lines.joined(separator: "\n")
        XCTAssertTrue(unitLines.contains("C16  巡逻车") && unitLines.contains("状态：空闲"), unitLines)
        ui.selection = .camera(CameraID(cam.key))
        let camLines = frame(map, state(map), ui: ui, width: 160, height: 48).lines.joined(separator: "\n")
        XCTAssertTrue(camLines.contains("在线") && camLines.contains(cam.name), camLines)
        ui.selection = .none
        XCTAssertTrue(frame(map, state(map), ui: ui, width: 80, height: 24).lines.joined().contains("未选中任何对象。"))
    }

    func testTheIntakeFormIsChineseAndFitsAt80x24() throws {
        let map = try TestMaps.jiangbei()
        var ui = ConsoleUIState()
        var form = IntakeForm()
        form.error = IntakeForm.missingMessage
        ui.overlay = .intakeForm(form)
        let lines = frame(map, state(map), ui: ui, width: 80, height: 24).lines
        let all = lines.joined(separator: "\n")
        for text in ["新警情", "类别", "◀ 纠纷 ▶", "级别", "地点", "简要警情", "报警人", "报警电话", "凶器", "[ ] 无",
                     "地址、地标、路口或 x,y", "地点和简要警情必填。", "Ctrl-S 提交"] {
            XCTAssertTrue(all.contains(text), "no \(text)\n\(all)")
        }
        XCTAssertTrue(lines[23].contains("新警情：Tab 下一栏"), lines[23])
        // The box's right edge is one column for every row of the form.
        let rows = lines.filter { $0.contains("│") && ($0.contains("类别") || $0.contains("级别") || $0.contains("凶器")) }
        let edges = Set(rows.map { line -> Int in
            var col = 0, last = 0
            for ch in line { if ch == "│" { last = col }; col += DisplayWidth.of(ch) }
            return last
        })
        XCTAssertEqual(edges.count, 1, rows.joined(separator: "\n"))
    }

    func testTheCommandLineTakesTheChineseWords() throws {
        let map = try TestMaps.jiangbei()
        var ui = ConsoleUIState()
        var context = ConsoleContext(map: map, state: state(map), width: 80, height: 24)
        context.language = .simplifiedChinese
        for key in [Key.character(":")] + "派警 I0007 C16".map({ Key.character($0) }) {
            _ = ConsoleController.handle(key, ui: &ui, context: context)
        }
        XCTAssertEqual(ConsoleController.handle(.enter, ui: &ui, context: context),
                       .command(.dispatch(incident: IncidentRef("I0007"), units: ["C16"])))
        for key in [Key.character(":")] + "跟随 关".map({ Key.character($0) }) + [.enter] {
            _ = ConsoleController.handle(key, ui: &ui, context: context)
        }
        XCTAssertFalse(ui.follow)
        XCTAssertEqual(ui.message, "跟随已关：地图停在原处。")
        for key in [Key.character(":")] + "瞎写".map({ Key.character($0) }) + [.enter] {
            _ = ConsoleController.handle(key, ui: &ui, context: context)
        }
        XCTAssertTrue(ui.message?.hasPrefix("没有命令“瞎写”") == true, ui.message ?? "")
        XCTAssertEqual(ConsoleController.handle(.character("d"), ui: &ui, context: context), .redraw)
        XCTAssertEqual(ui.message, "请先选中一起警情（Tab 到警情列表，Enter）")
    }

    func testTickerLinesAreChineseAndEndOnAWholeName() throws {
        let map = try TestMaps.jiangbei()
        let t0 = Fixture.t0
        let ticker = [
            EventEnvelope(seq: 9, time: t0, event: .incidentReported(IncidentReported(
                id: "I0009", number: "2026-1203-0001", category: .noise, priority: 3, summary: "", place: "下横街 30 (Xiaheng Street)",
                point: map.intersections[0].position))),
            EventEnvelope(seq: 10, time: t0 + 5, event: .dispatch(DispatchOrder(incident: "I0007", units: ["C16"], by: "commander"))),
            EventEnvelope(seq: 11, time: t0 + 9, event: .cameraStatus(CameraStatus(camera: "cam15", online: false))),
            EventEnvelope(seq: 12, time: t0 + 9, event: .routeAssigned(RouteAssigned(unit: "C16", incident: "I0007", seconds: 95,
                                                                                      meters: 820, legs: [], eta: t0 + 104,
                                                                                      reroute: "江北城大街 封闭，绕行"))),
        ]
        for (w, h) in [(80, 24), (160, 48)] {
            var g = Grid(width: w, height: h)
            var input = ConsoleFrameInput(map: map, state: state(map), ui: ConsoleUIState(), now: t0 + 10,
                                          capabilities: Fixture.unicodeCaps, ticker: ticker)
            input.language = .simplifiedChinese
            ConsoleRenderer.render(input, into: &g)
            let all = g.lines.joined(separator: "\n")
            XCTAssertTrue(all.contains("C16 派往 I0007"), all)
            XCTAssertTrue(all.contains("监控 cam15 离线"), all)
            // Never a cut romanized name ("(Xiah"): the bracket whole or left out (80x24 has room for the last three only).
            if let reported = g.lines.first(where: { $0.contains("接警") }) {
                XCTAssertTrue(!reported.contains("(") || reported.contains("(Xiaheng Street)"), "\(w)x\(h): \(reported)")
            }
            if w == 160 { XCTAssertTrue(all.contains("P3 噪音扰民 接警 下横街 30 (Xiaheng Street)"), all) }
            // Chinese wraps between characters, not only at spaces: "按 Enter" is not left alone on a line.
            XCTAssertTrue(all.contains("按 Enter 选中一行"), all)
            // Nor a time or a word cut in the middle: a line ends at a space or after a Chinese character.
            let row = try XCTUnwrap(g.lines.first { $0.contains("改道") }, all)
            let parts = row.components(separatedBy: "│")
            let line = (w == 80 ? parts.last : parts.first)?.trimmingCharacters(in: .whitespaces) ?? ""
            XCTAssertTrue(line.contains("C16 改道"), line)
            if let end = line.last, end.isNumber {
                XCTAssertNotNil(line.range(of: #"\d\d:\d\d:\d\d$"#, options: .regularExpression), "a time cut: \(line)")
            }
        }
    }

    func testEnglishStaysTheDefault() throws {
        let map = try TestMaps.jiangbei()
        let lines = frame(map, state(map), width: 80, height: 24, language: .english).lines
        XCTAssertTrue(lines[0].contains("LIVE"), lines[0])
        XCTAssertFalse(lines.joined().contains("警情"))
    }
}
