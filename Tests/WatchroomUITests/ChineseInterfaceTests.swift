import Foundation
import WatchroomCore
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
    }

    func testQuitQuestionAndTooSmallAreChinese() throws {
        let map = try TestMaps.jiangbei()
        var ui = ConsoleUIState()
        ui.overlay = .quitConfirm
        XCTAssertTrue(frame(map, state(map), ui: ui, width: 80, height: 24).lines[23].contains("退出 Watchroom？y/n"))
        let small = frame(map, state(map), width: 60, height: 20).lines.joined(separator: "\n")
        XCTAssertTrue(small.contains("终端太小：60x20。") && small.contains("80x24"), small)
    }

    func testEnglishStaysTheDefault() throws {
        let map = try TestMaps.jiangbei()
        let lines = frame(map, state(map), width: 80, height: 24, language: .english).lines
        XCTAssertTrue(lines[0].contains("LIVE"), lines[0])
        XCTAssertFalse(lines.joined().contains("警情"))
    }
}
