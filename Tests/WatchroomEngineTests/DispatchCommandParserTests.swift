import Foundation
import WatchroomCore
import WatchroomEngine
import XCTest

final class DispatchCommandParserTests: XCTestCase {
    private func ok(_ line: String, file: StaticString = #filePath, line l: UInt = #line) -> Command? {
        switch CommandParser.parse(line) {
        case .success(let c): return c
        case .failure(let e): XCTFail("\(line): \(e)", file: file, line: l); return nil
        }
    }

    private func err(_ line: String, file: StaticString = #filePath, line l: UInt = #line) -> String {
        switch CommandParser.parse(line) {
        case .success(let c): XCTFail("\(line) parsed as \(c)", file: file, line: l); return ""
        case .failure(let e): return e.message
        }
    }

    func testDispatch() {
        XCTAssertEqual(ok("dispatch"), .dispatch(incident: nil, units: []))
        XCTAssertEqual(ok(":dispatch I0007"), .dispatch(incident: IncidentRef("I0007"), units: []))
        XCTAssertEqual(ok("dispatch I0007 C1 F21"), .dispatch(incident: IncidentRef("I0007"), units: ["C1", "F21"]))
        XCTAssertEqual(ok("dispatch C1 F21"), .dispatch(incident: nil, units: ["C1", "F21"]))
        XCTAssertEqual(ok("DISPATCH #7 C1"), .dispatch(incident: IncidentRef("#7"), units: ["C1"]))
        XCTAssertEqual(ok("dispatch 2026-1125-0007 P-12"), .dispatch(incident: IncidentRef("2026-1125-0007"), units: ["P-12"]))
        XCTAssertEqual(ok("d"), .dispatch(incident: nil, units: []))
    }

    func testReinforce() {
        XCTAssertEqual(ok("reinforce"), .reinforce(incident: nil, count: nil))
        XCTAssertEqual(ok("reinforce 3"), .reinforce(incident: nil, count: 3))
        XCTAssertEqual(ok("reinforce I0001 2"), .reinforce(incident: IncidentRef("I0001"), count: 2))
        XCTAssertTrue(err("reinforce I1 0").contains("1 to 20"))
        XCTAssertTrue(err("reinforce I1 2 3").contains("usage: reinforce"))
        XCTAssertTrue(err("reinforce I1 I2").contains("unexpected 'I2'"))
    }

    func testNew() {
        XCTAssertEqual(ok(#"new dispute P1 at 永平门街 18 "woman with a knife" caller 王女士 phone 13800001234 weapon"#),
                       .new(NewIncident(category: .dispute, priority: 1, place: "永平门街 18", summary: "woman with a knife",
                                        callerName: "王女士", callerPhone: "13800001234", weapon: true)))
        XCTAssertEqual(ok(#"new traffic-accident p2 at "永平门街 & 江北城大街" "two cars""#),
                       .new(NewIncident(category: .trafficAccident, priority: 2, place: "永平门街 & 江北城大街", summary: "two cars")))
        XCTAssertEqual(ok("new noise 3 at 18 Yongping Gate Street"),
                       .new(NewIncident(category: .noise, priority: 3, place: "18 Yongping Gate Street", summary: "")))
        XCTAssertEqual(ok(#"new suicide-risk P1 at 江北城小学 “站在楼顶” weapon caller "Li Ming""#),
                       .new(NewIncident(category: .suicideRisk, priority: 1, place: "江北城小学", summary: "站在楼顶", callerName: "Li Ming", weapon: true)))
        XCTAssertEqual(ok(#"new missingPerson P2 at n12 "child \"Xiao\" missing""#),
                       .new(NewIncident(category: .missingPerson, priority: 2, place: "n12", summary: #"child "Xiao" missing"#)))
        XCTAssertEqual(err("new robery P1 at n1"),
                       "unknown category 'robery'; one of: dispute, theft, assault, traffic-accident, suicide-risk, domestic, noise, missing-person, fire, other")
        XCTAssertTrue(err("new theft P4 at n1").contains("priority must be P1, P2 or P3"))
        XCTAssertTrue(err("new theft P1 n1").contains("at PLACE"))
        XCTAssertTrue(err("new theft P1 at").contains("place after 'at' is missing"))
        XCTAssertTrue(err(#"new theft P1 at n1 "x" extra"#).contains("unexpected 'extra'"))
        XCTAssertTrue(err(#"new theft P1 at n1 "x" phone abc"#).contains("not a phone number"))
        XCTAssertTrue(err(#"new theft P1 at n1 "x" caller"#).contains("caller needs a name"))
        XCTAssertTrue(err("new").contains("usage: new"))
    }

    func testClose() {
        XCTAssertEqual(ok(#"close I0001 11 "knife secured""#), .close(incident: IncidentRef("I0001"), code: DispositionCode.find("11")!, note: "knife secured"))
        XCTAssertEqual(ok("close #3 goa"), .close(incident: IncidentRef("#3"), code: DispositionCode.find("30")!, note: nil))
        XCTAssertEqual(ok("close I1 report"), .close(incident: IncidentRef("I1"), code: DispositionCode.find("10")!, note: nil))
        XCTAssertEqual(ok("close I1 gone-on-arrival no one there"), .close(incident: IncidentRef("I1"), code: DispositionCode.find("30")!, note: "no one there"))
        XCTAssertTrue(err("close I1 99").hasPrefix("unknown disposition '99'; one of: 10 report, 11 arrest"))
        XCTAssertTrue(err("close I1").contains("usage: close"))
    }

    func testStatusCameraLookupTraffic() {
        XCTAssertEqual(ok("status C1 OnScene"), .status(unit: "C1", status: .onScene))
        XCTAssertEqual(ok("status F21 out-of-service"), .status(unit: "F21", status: .outOfService))
        XCTAssertEqual(ok("status F21 busy"), .status(unit: "F21", status: .busy))
        XCTAssertTrue(err("status C1 lunch").hasPrefix("unknown status 'lunch'; one of: Available, Dispatched"))
        XCTAssertTrue(err("status C1").contains("usage: status UNIT STATUS"))
        XCTAssertEqual(ok("camera cam27"), .camera("cam27"))
        XCTAssertTrue(err("camera").contains("usage: camera"))
        XCTAssertEqual(ok("lookup address 永平门街 18"), .lookup(.address("永平门街 18")))
        XCTAssertEqual(ok("lookup phone 13800001234"), .lookup(.phone("13800001234")))
        XCTAssertTrue(err("lookup name 王").contains("by address, phone or incident"))
        XCTAssertEqual(ok("traffic s12 2.5"), .traffic(segment: "s12", setting: .factor(2.5)))
        XCTAssertEqual(ok("traffic s12 x2"), .traffic(segment: "s12", setting: .factor(2)))
        XCTAssertEqual(ok("traffic s12 closed"), .traffic(segment: "s12", setting: .closed))
        XCTAssertEqual(ok("traffic s12 open"), .traffic(segment: "s12", setting: .open))
        XCTAssertTrue(err("traffic s12 fast").contains("factor must be a number"))
        XCTAssertTrue(err("traffic s12 0").contains("factor must be a number"))
    }

    func testConsoleCommands() {
        XCTAssertEqual(ok("select I0001"), .select("I0001"))
        XCTAssertEqual(ok("select C1"), .select("C1"))
        XCTAssertEqual(ok("speed 10"), .speed(10))
        XCTAssertEqual(ok("speed 60x"), .speed(60))
        XCTAssertTrue(err("speed 0").contains("above 0"))
        XCTAssertTrue(err("speed fast").contains("usage: speed N"))
        XCTAssertEqual(ok("pause"), .pause)
        XCTAssertEqual(ok("resume"), .resume)
        XCTAssertTrue(err("pause now").contains("pause takes nothing"))
        XCTAssertEqual(ok("goto 江北城小学"), .goto("江北城小学"))
        XCTAssertEqual(ok("goto 永平门街 18"), .goto("永平门街 18"))
        XCTAssertEqual(ok("summary"), .summary)
        XCTAssertEqual(ok("help"), .help(topic: nil))
        XCTAssertEqual(ok("help dispatch"), .help(topic: "dispatch"))
    }

    func testGeneralErrors() {
        XCTAssertEqual(err(""), "empty command; type help for the list")
        XCTAssertEqual(err(":"), "empty command; type help for the list")
        XCTAssertTrue(err("dispach I1").hasPrefix("unknown command 'dispach'; one of: dispatch, reinforce, new"))
        XCTAssertTrue(err(#"new theft P1 at n1 "unterminated"#).hasPrefix("unterminated quote"))
        // Every verb in the usage table parses in some form.
        XCTAssertEqual(Set(CommandParser.usage.map(\.verb)).count, 23)
        XCTAssertEqual(try CommandParser.parse("auto on").get(), .auto(true))
        XCTAssertEqual(try CommandParser.parse(":AUTO off").get(), .auto(false))
        XCTAssertTrue(err("auto").hasPrefix("say on or off; usage: auto on|off"))
        XCTAssertEqual(try CommandParser.parse("unit add X1 car at e17@0.25").get(), .unitAdd(unit: UnitID("X1"), kind: .car, place: "e17@0.25"))
        XCTAssertEqual(try CommandParser.parse("unit move F21 to 永平门街 18").get(), .unitMove(unit: UnitID("F21"), place: "永平门街 18"))
        XCTAssertEqual(try CommandParser.parse("recommend I0002 3").get(), .recommend(incident: IncidentRef("I0002"), count: 3))
        XCTAssertEqual(try CommandParser.parse("recommend").get(), .recommend(incident: nil, count: nil))
        XCTAssertTrue(err("recommend 99").hasPrefix("N must be one number from 1 to 50"))
        XCTAssertEqual(try CommandParser.parse(#"route --from C11 --to "永平门街 23" --profile foot"#).get(),
                       .route(from: "C11", to: "永平门街 23", profile: .foot))
        XCTAssertTrue(err("unit add x!1 car at n1").hasPrefix("a unit id is up to 16 letters"))
        XCTAssertEqual(try CommandParser.parse("report").get(), .report)
        XCTAssertEqual(try CommandParser.parse(":aar").get(), .report)
        XCTAssertTrue(err("report now").hasPrefix("report takes nothing after it"))
    }

    func testIncidentLookalikes() {
        XCTAssertTrue(CommandParser.looksLikeIncident("I0007"))
        XCTAssertTrue(CommandParser.looksLikeIncident("#7"))
        XCTAssertTrue(CommandParser.looksLikeIncident("2026-1125-0007"))
        XCTAssertFalse(CommandParser.looksLikeIncident("C1"))
        XCTAssertFalse(CommandParser.looksLikeIncident("F21"))
        XCTAssertFalse(CommandParser.looksLikeIncident("P-12"))
        XCTAssertFalse(CommandParser.looksLikeIncident("I"))
    }

    func testLookupIncidentIsACommandOfItsOwn() {
        XCTAssertEqual(ok("lookup incident"), .lookup(.incident(nil)))
        XCTAssertEqual(ok("lookup INCIDENT #7"), .lookup(.incident(IncidentRef("#7"))))
        XCTAssertTrue(err("lookup incident I1 I2").contains("one incident"))
        XCTAssertTrue(err("lookup plate A123").contains("address, phone or incident"))
    }

    /// A replay or a viewer refuses by kind: every command that changes the shift, and
    /// nothing else, is `changesShift`; the refusal names the command.
    func testEachCommandHasAKindAndTheReadOnlyRefusalNamesIt() {
        let changes = ["dispatch I1", "reinforce I1", "new fire P1 at 东门", "close I1 ARR", "status C1 available",
                       "traffic e12 closed", "traffic 永平门街 from 正街 to 上横街 closed", "auto on",
                       "unit add C9 car at 东门", "unit move C9 东门"]
        let others: [(String, Command.Kind)] = [
            ("camera cam01", .reads), ("lookup phone 138", .reads), ("lookup incident", .reads), ("summary", .reads),
            ("report", .reads), ("help", .reads), ("recommend I1", .reads), ("route --from 东门 --to 北门", .reads),
            ("speed 10", .clock), ("pause", .clock), ("resume", .clock), ("select I1", .view), ("goto 东门", .view),
        ]
        for line in changes { XCTAssertEqual(ok(line)?.kind, .changesShift, line) }
        for (line, kind) in others { XCTAssertEqual(ok(line)?.kind, kind, line) }
        XCTAssertEqual(ok("d I1")?.readOnlyRefusal("Replay"), "Replay is read-only: dispatch is not available")
        XCTAssertEqual(ok("traffic e12 2")?.readOnlyRefusal("Viewer"), "Viewer is read-only: traffic is not available")
    }
}
