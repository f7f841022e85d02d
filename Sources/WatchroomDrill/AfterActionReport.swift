import Foundation
import WatchroomCore
import WatchroomEngine

/// How a drill went, per recorded call and in total: the trainee's call-to-dispatch time
/// and the ETAs of the units chosen, against what was done on the day and against the best
/// the routing engine finds at the moment of the call; medians, 90th percentiles and the
/// share of calls dispatched within NFPA 1225's 60 seconds; histograms; exports as
/// Markdown, CSV and JSON (docs/drills.md). Pure.
public struct AfterActionReport: Hashable, Sendable {
    /// A unit sent (or to send) and its travel time to the scene in seconds (`nil`: no
    /// route came, e.g. no road leads there).
    public struct UnitETA: Hashable, Sendable {
        public var unit: UnitID
        public var seconds: Double?
        public init(unit: UnitID, seconds: Double?) {
            self.unit = unit
            self.seconds = seconds
        }
    }

    /// A first dispatch: when, how long after the call, who gave it, which units.
    public struct Response: Hashable, Sendable {
        public var dispatchedAt: Date
        public var callToDispatch: TimeInterval
        public var by: String
        public var units: [UnitETA]

        public init(dispatchedAt: Date, callToDispatch: TimeInterval, by: String, units: [UnitETA]) {
            self.dispatchedAt = dispatchedAt
            self.callToDispatch = callToDispatch
            self.by = by
            self.units = units
        }

        /// The ETA of the first unit to arrive.
        public var firstArrival: TimeInterval? { units.compactMap(\.seconds).min() }
        /// From the call to the first unit's planned arrival.
        public var response: TimeInterval? { firstArrival.map { callToDispatch + $0 } }
    }

    public enum Outcome: String, Hashable, Sendable, CaseIterable {
        /// The trainee dispatched it.
        case dispatched
        /// Not dispatched yet; the drill goes on.
        case pending
        /// Dispatched on the day, never by the trainee (the drill is over).
        case missed
        /// Nobody was dispatched on the day either (a cancelled or duplicate call).
        case notDispatchedOnTheDay

        public var label: String {
            switch self {
            case .dispatched: return "dispatched"
            case .pending: return "not yet dispatched"
            case .missed: return "MISSED"
            case .notDispatchedOnTheDay: return "none sent on the day"
            }
        }
    }

    public struct Row: Hashable, Sendable {
        /// The incident's id in the drill and in the recording (they differ only when a
        /// trainee's own incident took the id first).
        public var incident: IncidentID
        public var recordedIncident: IncidentID
        public var number: String?
        public var priority: Int
        public var category: IncidentCategory
        public var place: String
        public var calledAt: Date
        public var outcome: Outcome
        public var trainee: Response?
        /// Units the trainee sent after the first dispatch.
        public var reinforcements: [UnitID]
        public var day: Response?
        /// The response plan's units at the call, fastest first, with their ETAs.
        public var best: [UnitETA]
        /// The fastest assignable unit at the call, whatever the plan says (an officer on
        /// foot may be the plan's choice for a minor call while a car is faster).
        public var fastest: UnitETA?

        public init(incident: IncidentID, recordedIncident: IncidentID, number: String?, priority: Int,
                    category: IncidentCategory, place: String, calledAt: Date, outcome: Outcome, trainee: Response?,
                    reinforcements: [UnitID] = [], day: Response?, best: [UnitETA], fastest: UnitETA? = nil) {
            self.incident = incident
            self.recordedIncident = recordedIncident
            self.number = number
            self.priority = priority
            self.category = category
            self.place = place
            self.calledAt = calledAt
            self.outcome = outcome
            self.trainee = trainee
            self.reinforcements = reinforcements
            self.day = day
            self.best = best
            self.fastest = fastest ?? best.filter { $0.seconds != nil }.min { ($0.seconds ?? 0) < ($1.seconds ?? 0) }
        }

        /// The best first arrival: the fastest unit of the plan, dispatched at the call.
        public var bestFirstArrival: TimeInterval? { best.compactMap(\.seconds).min() }
    }

    /// Count, median and 90th percentile of a measure (linear interpolation between
    /// closest ranks, as the shift summary).
    public struct Stat: Hashable, Sendable {
        public var count: Int
        public var median: Double?
        public var p90: Double?

        public init(_ values: [Double]) {
            let v = values.filter(\.isFinite).sorted()
            count = v.count
            median = ShiftSummary.percentile(v, 50)
            p90 = ShiftSummary.percentile(v, 90)
        }
    }

    public struct Totals: Hashable, Sendable {
        public var calls: Int
        public var dispatched: Int
        public var pending: Int
        public var missed: Int
        public var notDispatchedOnTheDay: Int
        public var traineeCallToDispatch: Stat
        public var dayCallToDispatch: Stat
        public var traineeFirstArrival: Stat
        public var dayFirstArrival: Stat
        public var bestFirstArrival: Stat
        public var traineeResponse: Stat
        public var dayResponse: Stat
        /// Calls dispatched within 60 s of the call, and the calls that count: every call
        /// dispatched, missed, or pending for more than 60 s already.
        public var traineeWithinTarget: Int
        public var traineeTargetBase: Int
        public var dayWithinTarget: Int
        public var dayTargetBase: Int

        public var traineeWithinTargetShare: Double? { traineeTargetBase > 0 ? Double(traineeWithinTarget) / Double(traineeTargetBase) : nil }
        public var dayWithinTargetShare: Double? { dayTargetBase > 0 ? Double(dayWithinTarget) / Double(dayTargetBase) : nil }
    }

    /// NFPA 1225: 90 % of calls dispatched within 60 s.
    public static let targetSeconds: TimeInterval = ShiftSummary.dispatchTargetSeconds
    public static let targetShare = ShiftSummary.dispatchTargetShare

    public var source: String
    /// The trainee's name, if given.
    public var trainee: String?
    public var timeZone: TimeZone
    /// When the recording starts; the moment of the report.
    public var start: Date
    public var now: Date
    public var finished: Bool
    public var rows: [Row]
    public var totals: Totals

    public init(source: String, timeZone: TimeZone, start: Date, now: Date, finished: Bool, rows: [Row]) {
        self.source = source
        self.timeZone = timeZone
        self.start = start
        self.now = now
        self.finished = finished
        self.rows = rows
        totals = Self.totals(rows, now: now)
    }

    static func totals(_ rows: [Row], now: Date) -> Totals {
        let trainee = rows.compactMap(\.trainee)
        let day = rows.compactMap(\.day)
        let target = targetSeconds
        let overdue = rows.filter { $0.outcome == .pending && now.timeIntervalSince($0.calledAt) > target }.count
        let missed = rows.filter { $0.outcome == .missed }.count
        return Totals(
            calls: rows.count, dispatched: trainee.count, pending: rows.filter { $0.outcome == .pending }.count,
            missed: missed, notDispatchedOnTheDay: rows.filter { $0.outcome == .notDispatchedOnTheDay }.count,
            traineeCallToDispatch: Stat(trainee.map(\.callToDispatch)), dayCallToDispatch: Stat(day.map(\.callToDispatch)),
            traineeFirstArrival: Stat(trainee.compactMap(\.firstArrival)), dayFirstArrival: Stat(day.compactMap(\.firstArrival)),
            bestFirstArrival: Stat(rows.compactMap(\.bestFirstArrival)),
            traineeResponse: Stat(trainee.compactMap(\.response)), dayResponse: Stat(day.compactMap(\.response)),
            traineeWithinTarget: trainee.filter { $0.callToDispatch <= target }.count,
            traineeTargetBase: trainee.count + missed + overdue,
            dayWithinTarget: day.filter { $0.callToDispatch <= target }.count, dayTargetBase: day.count)
    }

    // MARK: - Formatting helpers

    func time(_ d: Date) -> String { ISOTime.format(d, timeZone: timeZone) }
    /// A duration as `MM:SS` (or `--`).
    static func mmss(_ t: Double?) -> String { t.map(DurationText.clock) ?? "--" }
    /// Seconds to a tenth.
    static func tenth(_ t: Double) -> Double { (t * 10).rounded() / 10 }
    static func percent(_ share: Double?) -> String { share.map { "\(Int(($0 * 100).rounded()))%" } ?? "--" }
    static func units(_ list: [UnitETA]) -> String {
        list.isEmpty ? "--" : list.map { "\($0.unit.rawValue) \(mmss($0.seconds))" }.joined(separator: ", ")
    }

    // MARK: - Histogram

    /// Upper bounds (seconds) of the histogram bins; the last bin takes everything above.
    public static let responseBins: [Double] = [60, 120, 180, 240, 300, 420, 600]
    public static let dispatchBins: [Double] = [15, 30, 45, 60, 90, 120, 180]

    /// A histogram as text lines for a terminal `width` columns wide: a title, one line per
    /// bin (`  60–120 s │████████ 5`), bars scaled to the largest bin. ASCII draws `#` and `|`.
    public static func histogram(_ values: [Double], bins: [Double], title: String, width: Int,
                                 ascii: Bool = false) -> [String] {
        let values = values.filter(\.isFinite)
        var counts = [Int](repeating: 0, count: bins.count + 1)
        for v in values { counts[bins.firstIndex { v <= $0 } ?? bins.count] += 1 }
        func secs(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
        var labels: [String] = []
        for (k, upper) in bins.enumerated() {
            labels.append(k == 0 ? "0–\(secs(upper)) s" : "\(secs(bins[k - 1]))–\(secs(upper)) s")
        }
        labels.append("> \(secs(bins.last ?? 0)) s")
        if ascii { labels = labels.map { $0.replacingOccurrences(of: "–", with: "-") } }
        let labelWidth = labels.map(\.count).max() ?? 0
        let countWidth = String(counts.max() ?? 0).count
        let barRoom = max(1, width - labelWidth - countWidth - 6)
        let top = max(1, counts.max() ?? 1)
        let bar = ascii ? "#" : "█", rule = ascii ? "|" : "│"
        var out = [String(title.prefix(max(1, width)))]
        if values.isEmpty {
            out.append("  (no values yet)")
            return out
        }
        for (k, c) in counts.enumerated() {
            let len = c == 0 ? 0 : max(1, Int((Double(c) / Double(top) * Double(barRoom)).rounded()))
            let label = String(repeating: " ", count: labelWidth - labels[k].count) + labels[k]
            out.append("  \(label) \(rule)\(String(repeating: bar, count: len)) \(c)")
        }
        return out
    }

    /// The two histograms of the report: the trainee's call-to-dispatch times (the NFPA
    /// 1225 measure) and the responses (call to the first unit's planned arrival).
    public func histograms(width: Int, ascii: Bool = false) -> [String] {
        let trainee = rows.compactMap(\.trainee)
        return Self.histogram(trainee.map(\.callToDispatch), bins: Self.dispatchBins,
                              title: "Call to dispatch, trainee (NFPA 1225: 90% within 60 s)", width: width, ascii: ascii)
            + [""]
            + Self.histogram(trainee.compactMap(\.response), bins: Self.responseBins,
                             title: "Response, call to first planned arrival, trainee", width: width, ascii: ascii)
    }

    // MARK: - Text (console overlay and CLI)

    /// The report as plain lines for the console's overlay or standard output.
    public func lines(width: Int = 100, ascii: Bool = false) -> [String] {
        let t = totals
        var out: [String] = []
        out.append("After-action report: \(source)" + (trainee.map { ", trainee \($0)" } ?? ""))
        out.append("\(finished ? "Drill over" : "Drill running") at \(time(now)); recording from \(time(start))")
        out.append("Calls \(t.calls): dispatched \(t.dispatched), missed \(t.missed), not yet dispatched \(t.pending), none sent on the day \(t.notDispatchedOnTheDay)")
        out.append("")
        out.append("                       Trainee          On the day       Best (routing)")
        out.append("                       median   p90     median   p90     median   p90")
        func stat(_ name: String, _ a: Stat?, _ b: Stat?, _ c: Stat?) -> String {
            func col(_ s: Stat?) -> String {
                guard let s else { return pad("", 16) }
                return pad(Self.mmss(s.median), 9) + pad(Self.mmss(s.p90), 8)
            }
            return pad(name, 23) + col(a) + col(b) + col(c)
        }
        out.append(stat("Call to dispatch", t.traineeCallToDispatch, t.dayCallToDispatch, nil))
        out.append(stat("First unit ETA", t.traineeFirstArrival, t.dayFirstArrival, t.bestFirstArrival))
        out.append(stat("Call to first arrival", t.traineeResponse, t.dayResponse, t.bestFirstArrival))
        out.append("Dispatched within 60 s: trainee \(Self.percent(t.traineeWithinTargetShare)) (\(t.traineeWithinTarget) of \(t.traineeTargetBase)), "
                   + "on the day \(Self.percent(t.dayWithinTargetShare)) (\(t.dayWithinTarget) of \(t.dayTargetBase)); NFPA 1225 target 90%: "
                   + ((t.traineeWithinTargetShare ?? 0) >= Self.targetShare && t.traineeTargetBase > 0 ? "met" : "not met"))
        out.append("")
        // Times of day as `19:48:05` under a header naming the offset once (`Call +08:00`);
        // a row on another offset (daylight saving changed) carries its own.
        let callOffset = rows.first.map { ISOTime.offset($0.calledAt, timeZone: timeZone) }
        func call(_ t: Date) -> String {
            ISOTime.offset(t, timeZone: timeZone) == callOffset ? ISOTime.clock(t, timeZone: timeZone) : ISOTime.clockWithOffset(t, timeZone: timeZone)
        }
        out.append(pad("Incident", 16) + pad("Call " + (callOffset ?? ""), 16) + pad("P", 3) + pad("Category", 17) + pad("Trainee", 9)
                   + pad("Day", 9) + "Units (trainee / day / best)")
        for r in rows {
            let number = r.number ?? r.incident.rawValue
            var line = pad(number, 16) + pad(call(r.calledAt), 16) + pad("\(r.priority)", 3)
                + pad(r.category.words, 17)
            line += pad(r.trainee.map { Self.mmss($0.callToDispatch) } ?? r.outcome.label, 9)
            line += pad(r.day.map { Self.mmss($0.callToDispatch) } ?? "--", 9)
            line += Self.units(r.trainee?.units ?? []) + " / " + Self.units(r.day?.units ?? []) + " / " + Self.units(r.best)
            out.append(line)
        }
        let missed = rows.filter { $0.outcome == .missed || $0.outcome == .pending }
        if !missed.isEmpty {
            out.append("")
            let names = missed.map { $0.number ?? $0.incident.rawValue }
            out.append((finished ? "Missed (\(names.count)): " : "Not yet dispatched (\(names.count)): ") + names.prefix(12).joined(separator: ", ")
                       + (names.count > 12 ? ", and \(names.count - 12) more" : ""))
        }
        out.append("")
        out += histograms(width: width, ascii: ascii)
        return out.map { Sanitizer.inert($0) }
    }

    // MARK: - Exports

    public enum Format: String, CaseIterable, Sendable {
        case markdown, csv, json

        /// The format a file name asks for: `.md`, `.csv` or `.json`.
        public static func of(path: String) -> Format? {
            switch (path as NSString).pathExtension.lowercased() {
            case "md", "markdown": return .markdown
            case "csv": return .csv
            case "json": return .json
            default: return nil
            }
        }
    }

    public func export(_ format: Format) throws -> String {
        switch format {
        case .markdown: return markdown()
        case .csv: return csv()
        case .json: return try json()
        }
    }

    /// Markdown: a heading, the totals as a table, one table row per call, the missed
    /// calls and the histograms in a code block.
    public func markdown() -> String {
        func cell(_ s: String) -> String { Sanitizer.inert(s).replacingOccurrences(of: "|", with: "\\|") }
        let t = totals
        var md = "# After-action report: \(cell(source))\n\n"
        if let trainee { md += "- Trainee: \(cell(trainee))\n" }
        md += "- Recording from \(time(start)); report at \(time(now)) (\(finished ? "drill over" : "drill running"))\n"
        md += "- Calls: \(t.calls); dispatched by the trainee: \(t.dispatched); missed: \(t.missed); not yet dispatched: \(t.pending); none sent on the day: \(t.notDispatchedOnTheDay)\n"
        md += "- Dispatched within 60 s (NFPA 1225 target 90%): trainee \(Self.percent(t.traineeWithinTargetShare)) (\(t.traineeWithinTarget) of \(t.traineeTargetBase)), on the day \(Self.percent(t.dayWithinTargetShare)) (\(t.dayWithinTarget) of \(t.dayTargetBase))\n\n"
        md += "## Totals\n\n| Measure | Trainee median | Trainee p90 | Day median | Day p90 | Best median | Best p90 |\n|---|---|---|---|---|---|---|\n"
        func row(_ name: String, _ a: Stat, _ b: Stat, _ c: Stat?) -> String {
            "| \(name) | \(Self.mmss(a.median)) | \(Self.mmss(a.p90)) | \(Self.mmss(b.median)) | \(Self.mmss(b.p90)) | \(Self.mmss(c?.median)) | \(Self.mmss(c?.p90)) |\n"
        }
        md += row("Call to dispatch", t.traineeCallToDispatch, t.dayCallToDispatch, nil)
        md += row("First unit ETA", t.traineeFirstArrival, t.dayFirstArrival, t.bestFirstArrival)
        md += row("Call to first arrival", t.traineeResponse, t.dayResponse, t.bestFirstArrival)
        md += "\n## Calls\n\n| Incident | Call | P | Category | Place | Outcome | Trainee dispatch | Call to dispatch | Trainee units (ETA) | Day call to dispatch | Day units (ETA) | Best units (ETA) | Fastest unit (ETA) |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        for r in rows {
            md += "| \(cell(r.number ?? r.incident.rawValue)) | \(time(r.calledAt)) | \(r.priority) | \(r.category.words) | \(cell(r.place)) | \(r.outcome.label) | "
            md += "\(r.trainee.map { time($0.dispatchedAt) } ?? "--") | \(Self.mmss(r.trainee?.callToDispatch)) | \(cell(Self.units(r.trainee?.units ?? []))) | "
            md += "\(Self.mmss(r.day?.callToDispatch)) | \(cell(Self.units(r.day?.units ?? []))) | \(cell(Self.units(r.best))) | "
            md += "\(cell(Self.units(r.fastest.map { [$0] } ?? []))) |\n"
        }
        let missed = rows.filter { $0.outcome == .missed || $0.outcome == .pending }
        if !missed.isEmpty {
            md += "\n## \(finished ? "Missed calls" : "Calls not yet dispatched")\n\n"
            for r in missed { md += "- \(cell(r.number ?? r.incident.rawValue)) at \(time(r.calledAt)): \(r.category.words), P\(r.priority), \(cell(r.place))\n" }
        }
        md += "\n## Histograms\n\n```\n" + histograms(width: 72).joined(separator: "\n") + "\n```\n"
        return md
    }

    /// The CSV columns, in order.
    public static let csvColumns = [
        "incident", "recorded_incident", "number", "priority", "category", "place", "call_time", "outcome",
        "trainee_dispatch_time", "trainee_call_to_dispatch_s", "trainee_units", "trainee_etas_s", "trainee_first_eta_s",
        "trainee_call_to_arrival_s", "trainee_reinforcements",
        "day_dispatch_time", "day_call_to_dispatch_s", "day_units", "day_etas_s", "day_first_eta_s", "day_call_to_arrival_s",
        "best_units", "best_etas_s", "best_first_eta_s", "fastest_unit", "fastest_eta_s",
    ]

    /// CSV (RFC 4180): a header, then one line per call; units and ETAs within a field are
    /// separated by spaces; seconds to a tenth; empty when unknown.
    public func csv() -> String {
        func q(_ s: String) -> String {
            let clean = Sanitizer.inert(s)
            guard clean.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return clean }
            return "\"" + clean.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        func n(_ v: Double?) -> String { v.map { Self.number(Self.tenth($0)) } ?? "" }
        func ids(_ l: [UnitETA]) -> String { l.map(\.unit.rawValue).joined(separator: " ") }
        func etas(_ l: [UnitETA]) -> String { l.map { n($0.seconds) }.joined(separator: " ") }
        var out = Self.csvColumns.joined(separator: ",") + "\r\n"
        for r in rows {
            let fields: [String] = [
                r.incident.rawValue, r.recordedIncident.rawValue, r.number ?? "", String(r.priority), r.category.rawValue,
                r.place, time(r.calledAt), r.outcome.rawValue,
                r.trainee.map { time($0.dispatchedAt) } ?? "", n(r.trainee?.callToDispatch), ids(r.trainee?.units ?? []),
                etas(r.trainee?.units ?? []), n(r.trainee?.firstArrival), n(r.trainee?.response),
                r.reinforcements.map(\.rawValue).joined(separator: " "),
                r.day.map { time($0.dispatchedAt) } ?? "", n(r.day?.callToDispatch), ids(r.day?.units ?? []),
                etas(r.day?.units ?? []), n(r.day?.firstArrival), n(r.day?.response),
                ids(r.best), etas(r.best), n(r.bestFirstArrival), r.fastest?.unit.rawValue ?? "", n(r.fastest?.seconds),
            ]
            out += fields.map(q).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }

    /// JSON: an object with sorted keys (`calls`, `finished`, `generatedAt`, `source`,
    /// `start`, `totals`); times ISO 8601 with offset, durations in seconds to a tenth,
    /// `null` when unknown.
    public func json() throws -> String {
        func n(_ v: Double?) -> Any { v.map { Self.tenth($0) as Any } ?? NSNull() }
        func units(_ l: [UnitETA]) -> [[String: Any]] { l.map { ["unit": $0.unit.rawValue, "seconds": n($0.seconds)] } }
        func response(_ r: Response?) -> Any {
            guard let r else { return NSNull() }
            return ["dispatchedAt": time(r.dispatchedAt), "callToDispatch": n(r.callToDispatch), "by": r.by,
                    "units": units(r.units), "firstEta": n(r.firstArrival), "callToArrival": n(r.response)] as [String: Any]
        }
        func stat(_ s: Stat) -> [String: Any] { ["count": s.count, "median": n(s.median), "p90": n(s.p90)] }
        let t = totals
        let object: [String: Any] = [
            "source": source, "start": time(start), "generatedAt": time(now), "finished": finished,
            "trainee": trainee.map { $0 as Any } ?? NSNull(),
            "calls": rows.map { r -> [String: Any] in
                ["incident": r.incident.rawValue, "recordedIncident": r.recordedIncident.rawValue,
                 "number": r.number as Any? ?? NSNull(), "priority": r.priority, "category": r.category.rawValue,
                 "place": r.place, "callTime": time(r.calledAt), "outcome": r.outcome.rawValue,
                 "trainee": response(r.trainee), "reinforcements": r.reinforcements.map(\.rawValue),
                 "day": response(r.day), "best": units(r.best), "bestFirstEta": n(r.bestFirstArrival),
                 "fastest": r.fastest.map { units([$0])[0] as Any } ?? NSNull()]
            },
            "totals": [
                "calls": t.calls, "dispatched": t.dispatched, "pending": t.pending, "missed": t.missed,
                "notDispatchedOnTheDay": t.notDispatchedOnTheDay,
                "callToDispatch": ["trainee": stat(t.traineeCallToDispatch), "day": stat(t.dayCallToDispatch)],
                "firstEta": ["trainee": stat(t.traineeFirstArrival), "day": stat(t.dayFirstArrival), "best": stat(t.bestFirstArrival)],
                "callToArrival": ["trainee": stat(t.traineeResponse), "day": stat(t.dayResponse)],
                "within60s": ["targetShare": Self.targetShare,
                              "trainee": ["within": t.traineeWithinTarget, "of": t.traineeTargetBase,
                                          "share": t.traineeWithinTargetShare.map { $0 as Any } ?? NSNull()],
                              "day": ["within": t.dayWithinTarget, "of": t.dayTargetBase,
                                      "share": t.dayWithinTargetShare.map { $0 as Any } ?? NSNull()]],
            ] as [String: Any],
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Pads (or cuts) to `width` characters, counting East Asian wide characters as two columns.
func pad(_ s: String, _ width: Int) -> String {
    var out = ""
    var cols = 0
    for ch in s {
        let w = ch.unicodeScalars.first.map { $0.value >= 0x1100 && ($0.value <= 0x115F || (0x2E80...0xA4CF).contains($0.value)
            || (0xAC00...0xD7A3).contains($0.value) || (0xF900...0xFAFF).contains($0.value) || (0xFF00...0xFF60).contains($0.value)) ? 2 : 1 } ?? 1
        if cols + w > width - 1 { break }
        out.append(ch)
        cols += w
    }
    return out + String(repeating: " ", count: max(1, width - cols))
}
