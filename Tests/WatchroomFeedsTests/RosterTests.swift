import Foundation
import WatchroomCore
import XCTest
@testable import WatchroomFeeds

final class RosterTests: XCTestCase {
    func testReadsDevicesUnitsKindsAndCrew() throws {
        let csv = #"""
        device,unit,kind,crew
        356938035643809,C-17,car,王伟;李娜
        # the sergeant's phone
        li/phone,C-17,car,
        "owntracks, old",P-03,foot
        "say ""hi""",P-04,FOOT,"Zhao; Qian"\#r

        """#
        let roster = try Roster(csv: csv, file: "roster.csv")
        XCTAssertEqual(roster.entries.count, 4)
        XCTAssertEqual(roster.entry(forDevice: "356938035643809")?.crew, ["王伟", "李娜"])
        XCTAssertEqual(roster.entry(forDevice: "li/phone")?.unit, "C-17")
        XCTAssertEqual(roster.entry(forDevice: "owntracks, old")?.kind, .officerOnFoot)
        XCTAssertEqual(roster.entry(forDevice: "say \"hi\"")?.crew, ["Zhao", "Qian"])
        XCTAssertEqual(roster.entry(forDevice: "say \"hi\"")?.line, 6)
        XCTAssertNil(roster.entry(forDevice: "stranger"))
    }

    func testErrorsNameTheFileLineAndWhatToDo() {
        let cases: [(String, String)] = [
            ("", "roster.csv:1: empty"),
            ("dev,unit\n", "roster.csv:1: the first line must be the header"),
            ("device,unit,kind,crew\na,C1,bike,\n", "roster.csv:2: kind 'bike' is neither car nor foot"),
            ("device,unit,kind,crew\na,C1,car,\na,C2,car,\n", "roster.csv:3: device 'a' is already on line 2"),
            ("device,unit,kind,crew\na,C1,car,\nb,C1,foot,\n", "roster.csv:3: unit 'C1' is foot here but car on line 2"),
            ("device,unit,kind,crew\na,C1\n", "roster.csv:2: 2 fields"),
            ("device,unit,kind,crew\n\"a,C1,car,\n", "roster.csv:2: a quoted field is not closed"),
            ("device,unit,kind,crew\na\"b,C1,car,\n", "roster.csv:2: a quote inside an unquoted field"),
            ("device,unit,kind,crew\na,,car,\n", "roster.csv:2: unit '' must be 1 to 32"),
            ("device,unit,kind,crew\n\u{1b}[2J,C1,car,\n", "roster.csv:2: the device id"),
            ("device,unit,kind,crew\n" + String(repeating: "x", count: 5000) + "\n", "roster.csv:2: the line is longer than 4096 bytes"),
        ]
        for (csv, words) in cases {
            XCTAssertThrowsError(try Roster(csv: csv, file: "roster.csv"), words) { error in
                let text = (error as? FeedError)?.description ?? "\(error)"
                XCTAssertTrue(text.hasPrefix(words), "\(text) ≠ \(words)")
                XCTAssertFalse(text.unicodeScalars.contains { Sanitizer.isControl($0) }, text)
            }
        }
    }
}
