import Foundation
import XCTest
import WatchroomCore
import WatchroomDrill

/// The report's numbers, histogram and exports on hand-made rows where every number is known.
final class AfterActionReportTests: XCTestCase {
    let tz = TimeZone(identifier: "Asia/Shanghai")!
    let t0 = Date(timeIntervalSince1970: 1_773_489_600) // 2026-03-14T20:00:00+08:00

    typealias R = AfterActionReport

    private func response(_ call: Double, _ afterCall: Double, _ units: [(String, Double?)], by: String = "trainee") -> R.Response {
        R.Response(dispatchedAt: t0.addingTimeInterval(call + afterCall), callToDispatch: afterCall, by: by,
                   units: units.map { R.UnitETA(unit: UnitID($0.0), seconds: $0.1) })
    }

    private func row(_ n: Int, call: Double, outcome: R.Outcome, trainee: R.Response?, day: R.Response?, best: [(String, Double?)],
                     place: String = "永平门街 23") -> R.Row {
        R.Row(incident: IncidentID("I000\(n)"), recordedIncident: IncidentID("I000\(n)"), number: "2026-0314-000\(n)",
              priority: n == 1 ? 1 : 2, category: n == 1 ? .dispute : .theft, place: place, calledAt: t0.addingTimeInterval(call),
              outcome: outcome, trainee: trainee, day: day, best: best.map { R.UnitETA(unit: UnitID($0.0), seconds: $0.1) })
    }

    /// Four calls dispatched by the trainee after 20, 40, 70 and 100 s, one missed.
    private func sample(finished: Bool = true) -> R {
        let rows = [
            row(1, call: 0, outcome: .dispatched, trainee: response(0, 20, [("C11", 100), ("F21", 160)]),
                day: response(0, 30, [("C12", 200)], by: "auto"), best: [("C11", 100), ("F21", 150)]),
            row(2, call: 600, outcome: .dispatched, trainee: response(600, 40, [("C12", 300)]),
                day: response(600, 50, [("C12", 300)], by: "auto"), best: [("C13", 120)], place: "江北城, \"北\" gate"),
            row(3, call: 1200, outcome: .dispatched, trainee: response(1200, 70, [("C13", nil)]),
                day: response(1200, 45, [("C13", 90)], by: "auto"), best: [("C13", 90)]),
            row(4, call: 1800, outcome: .dispatched, trainee: response(1800, 100, [("F22", 200)]),
                day: response(1800, 80, [("F22", 250)], by: "auto"), best: [("F22", 200)]),
            row(5, call: 2400, outcome: finished ? .missed : .pending, trainee: nil,
                day: response(2400, 25, [("C14", 60)], by: "auto"), best: [("C14", 60)]),
        ]
        return R(source: "busy-night.jsonl", timeZone: tz, start: t0, now: t0.addingTimeInterval(3600), finished: finished, rows: rows)
    }

    func testTotalsMediansPercentilesAndTheSixtySecondShare() {
        let t = sample().totals
        XCTAssertEqual(t.calls, 5)
        XCTAssertEqual(t.dispatched, 4)
        XCTAssertEqual(t.missed, 1)
        XCTAssertEqual(t.pending, 0)
        // Trainee call to dispatch 20, 40, 70, 100: median (40+70)/2, p90 at rank 2.7 = 70 + 0.7*30.
        XCTAssertEqual(t.traineeCallToDispatch.count, 4)
        XCTAssertEqual(t.traineeCallToDispatch.median, 55)
        XCTAssertEqual(t.traineeCallToDispatch.p90!, 91, accuracy: 1e-9)
        // Day 30, 50, 45, 80, 25 -> sorted 25 30 45 50 80: median 45, p90 at rank 3.6 = 50 + 0.6*30.
        XCTAssertEqual(t.dayCallToDispatch.median, 45)
        XCTAssertEqual(t.dayCallToDispatch.p90!, 68, accuracy: 1e-9)
        // First ETAs: trainee 100, 300, (none), 200 -> median 200; best 100, 120, 90, 200, 60 -> median 100.
        XCTAssertEqual(t.traineeFirstArrival.count, 3)
        XCTAssertEqual(t.traineeFirstArrival.median, 200)
        XCTAssertEqual(t.bestFirstArrival.median, 100)
        // Call to first arrival: trainee 120, 340, 300 -> median 300.
        XCTAssertEqual(t.traineeResponse.median, 300)
        XCTAssertEqual(t.dayResponse.median, 230, "230 (C12 30+200), 350, 135, 330, 85 -> 230")
        // Within 60 s: 20 and 40 of four dispatched plus one missed.
        XCTAssertEqual(t.traineeWithinTarget, 2)
        XCTAssertEqual(t.traineeTargetBase, 5)
        XCTAssertEqual(t.traineeWithinTargetShare!, 0.4, accuracy: 1e-9)
        XCTAssertEqual(t.dayWithinTarget, 4)
        XCTAssertEqual(t.dayTargetBase, 5)
    }

    func testAPendingCallCountsAgainstTheShareOnlyOnceSixtySecondsHavePassed() {
        let running = sample(finished: false)
        XCTAssertEqual(running.totals.pending, 1)
        XCTAssertEqual(running.totals.traineeTargetBase, 5, "called 2400 s in, 3600 s now: overdue")
        var early = running
        early = R(source: early.source, timeZone: tz, start: t0, now: t0.addingTimeInterval(2430), finished: false, rows: early.rows)
        XCTAssertEqual(early.totals.traineeTargetBase, 4, "30 s after the call it may still make it")
    }

    func testHistogramBinsAndWidth() {
        let lines = R.histogram([20, 40, 70, 100, 100, 1000], bins: R.dispatchBins, title: "Call to dispatch", width: 60)
        XCTAssertEqual(lines.first, "Call to dispatch")
        XCTAssertEqual(lines.count, 1 + R.dispatchBins.count + 1)
        func count(_ label: String) -> Int? {
            lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label + " ") }
                .flatMap { $0.split(separator: " ").last }.flatMap { Int($0) }
        }
        XCTAssertEqual(count("0–15 s"), 0)
        XCTAssertEqual(count("15–30 s"), 1)
        XCTAssertEqual(count("30–45 s"), 1)
        XCTAssertEqual(count("60–90 s"), 1)
        XCTAssertEqual(count("90–120 s"), 2)
        XCTAssertEqual(count("> 180 s"), 1)
        for line in lines { XCTAssertLessThanOrEqual(line.count, 60, line) }
        // The biggest bin fills the room; a bin of one gets half of it.
        let bars = lines.map { $0.filter { $0 == "█" }.count }
        let top = bars.max() ?? 0
        XCTAssertEqual(top, 60 - 9 - 1 - 6, "label \"120–180 s\" (9), count (1), margins")
        XCTAssertEqual(bars[lines.firstIndex { $0.contains("15–30 s") }!], top / 2 + top % 2)
        let narrow = R.histogram([20, 40], bins: R.dispatchBins, title: "x", width: 20, ascii: true)
        XCTAssertTrue(narrow.allSatisfy { $0.allSatisfy(\.isASCII) })
        XCTAssertTrue(narrow.contains { $0.contains("#") })
        XCTAssertEqual(R.histogram([], bins: [60], title: "none", width: 40), ["none", "  (no values yet)"])
    }

    func testTextLinesShowEveryCallAndTheMissedOnes() {
        let lines = sample().lines(width: 100)
        let text = lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("After-action report: busy-night.jsonl"))
        XCTAssertTrue(text.contains("Drill over at 2026-03-14T21:00:00.000+08:00"), text)
        XCTAssertTrue(text.contains("trainee 40% (2 of 5)"), text)
        XCTAssertTrue(text.contains("not met"))
        XCTAssertTrue(text.contains("Missed (1): 2026-0314-0005"), text)
        for n in 1...5 { XCTAssertTrue(text.contains("2026-0314-000\(n)")) }
        XCTAssertTrue(text.contains("C11 01:40, F21 02:40 / C12 03:20 / C11 01:40, F21 02:30"), text)
        XCTAssertTrue(text.contains("Call to dispatch, trainee"))
    }

    func testJSONParsesBackWithSortedKeysAndOffsetTimes() throws {
        let json = try sample().json()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object.keys.sorted(), ["calls", "finished", "generatedAt", "source", "start", "totals", "trainee"])
        XCTAssertTrue(object["trainee"] is NSNull)
        // Keys written in sorted order: stable output.
        let positions = ["\"calls\"", "\"finished\"", "\"generatedAt\"", "\"source\"", "\"start\""].map { json.range(of: $0)!.lowerBound }
        XCTAssertEqual(positions, positions.sorted())
        XCTAssertEqual(object["start"] as? String, "2026-03-14T20:00:00.000+08:00")
        let calls = try XCTUnwrap(object["calls"] as? [[String: Any]])
        XCTAssertEqual(calls.count, 5)
        let first = calls[0]
        XCTAssertEqual(first["callTime"] as? String, "2026-03-14T20:00:00.000+08:00")
        let trainee = try XCTUnwrap(first["trainee"] as? [String: Any])
        XCTAssertEqual(trainee["callToDispatch"] as? Double, 20)
        XCTAssertEqual(trainee["dispatchedAt"] as? String, "2026-03-14T20:00:20.000+08:00")
        XCTAssertEqual(trainee["firstEta"] as? Double, 100)
        XCTAssertTrue(calls[4]["trainee"] is NSNull)
        XCTAssertEqual(calls[4]["outcome"] as? String, "missed")
        let totals = try XCTUnwrap(object["totals"] as? [String: Any])
        let within = try XCTUnwrap(totals["within60s"] as? [String: Any])
        XCTAssertEqual((within["trainee"] as? [String: Any])?["share"] as? Double, 0.4)
        let c2d = try XCTUnwrap((totals["callToDispatch"] as? [String: Any])?["trainee"] as? [String: Any])
        XCTAssertEqual(c2d["median"] as? Double, 55)
        XCTAssertEqual(c2d["p90"] as? Double, 91)
        XCTAssertEqual(try sample().json(), json, "the same report writes the same bytes")
    }

    /// RFC 4180 fields of one CSV text.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if quoted {
                if c == "\"" {
                    let n = text.index(after: i)
                    if n < text.endIndex, text[n] == "\"" { field.append("\""); i = n } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(field); field = ""
            } else if c == "\r\n" || c == "\n" { row.append(field); rows.append(row); row = []; field = ""
            } else { field.append(c) }
            i = text.index(after: i)
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    func testCSVHasAColumnForEveryHeaderOnEveryLine() throws {
        let rows = Self.parseCSV(sample().csv())
        XCTAssertEqual(rows.count, 6)
        XCTAssertEqual(rows[0], R.csvColumns)
        for r in rows { XCTAssertEqual(r.count, R.csvColumns.count, "\(r)") }
        let col = { (name: String) in R.csvColumns.firstIndex(of: name)! }
        XCTAssertEqual(rows[1][col("trainee_call_to_dispatch_s")], "20")
        XCTAssertEqual(rows[1][col("trainee_units")], "C11 F21")
        XCTAssertEqual(rows[1][col("trainee_etas_s")], "100 160")
        XCTAssertEqual(rows[1][col("call_time")], "2026-03-14T20:00:00.000+08:00")
        XCTAssertEqual(rows[2][col("place")], "江北城, \"北\" gate", "a comma and quotes survive")
        XCTAssertEqual(rows[3][col("trainee_etas_s")], "", "no route: empty")
        XCTAssertEqual(rows[5][col("outcome")], "missed")
        XCTAssertEqual(rows[5][col("trainee_dispatch_time")], "")
        XCTAssertEqual(rows[5][col("day_call_to_dispatch_s")], "25")
        XCTAssertEqual(rows[1][col("fastest_unit")], "C11", "the fastest of the plan's units when no ranking is given")
        XCTAssertEqual(rows[1][col("fastest_eta_s")], "100")
    }

    func testMarkdownHasTheTablesAndFormatIsChosenByExtension() throws {
        let md = sample().markdown()
        XCTAssertTrue(md.hasPrefix("# After-action report: busy-night.jsonl\n"))
        XCTAssertTrue(md.contains("| Call to dispatch | 00:55 | 01:31 | 00:45 | 01:08 | -- | -- |"), md)
        XCTAssertTrue(md.contains("## Missed calls"))
        XCTAssertTrue(md.contains("江北城, \"北\" gate"))
        XCTAssertTrue(md.contains("```\nCall to dispatch, trainee"))
        // Every call row has as many cells as the header.
        let table = md.components(separatedBy: "## Calls\n\n")[1].components(separatedBy: "\n\n")[0].split(separator: "\n")
        let cells = { (l: Substring) in l.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count }
        for line in table { XCTAssertEqual(cells(line), cells(table[0]), String(line)) }
        XCTAssertEqual(R.Format.of(path: "out/report.MD"), .markdown)
        XCTAssertEqual(R.Format.of(path: "r.csv"), .csv)
        XCTAssertEqual(R.Format.of(path: "r.json"), .json)
        XCTAssertNil(R.Format.of(path: "r.txt"))
    }
}
