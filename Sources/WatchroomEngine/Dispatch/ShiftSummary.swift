import Foundation
import WatchroomCore

/// Response times of a shift, per incident and overall, against NFPA 1225's target of
/// dispatching 90% of calls within 60 seconds.
public struct ShiftSummary: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public var incident: IncidentID
        public var number: String?
        public var category: IncidentCategory
        public var priority: Int
        public var reportedAt: Date
        public var callToDispatch: TimeInterval?
        public var dispatchToArrival: TimeInterval?
        public var callToArrival: TimeInterval?
        public var disposition: Disposition?
        public var open: Bool
    }

    /// Median and 90th percentile of one measure, over the incidents that have it.
    public struct Stat: Hashable, Sendable {
        public var count: Int
        public var median: TimeInterval?
        public var p90: TimeInterval?
    }

    public static let dispatchTargetSeconds: TimeInterval = 60
    public static let dispatchTargetShare = 0.9

    public var rows: [Row]
    public var callToDispatch: Stat
    public var dispatchToArrival: Stat
    public var callToArrival: Stat
    /// Dispatched incidents dispatched within 60 s, over all dispatched incidents (`nil` with none).
    public var dispatchedWithinTargetShare: Double?
    public var meetsNFPA1225: Bool? { dispatchedWithinTargetShare.map { $0 >= Self.dispatchTargetShare } }

    /// The summary of every incident in `state`, in the order they were reported.
    public static func compute(state: PrecinctState) -> ShiftSummary {
        let rows = state.incidentsInOrder.map { inc in
            Row(incident: inc.id, number: inc.number, category: inc.category, priority: inc.priority, reportedAt: inc.reportedAt,
                callToDispatch: inc.dispatchedAt.map { $0.timeIntervalSince(inc.reportedAt) },
                dispatchToArrival: inc.dispatchedAt.flatMap { d in inc.arrivedAt.map { $0.timeIntervalSince(d) } },
                callToArrival: inc.responseSeconds, disposition: inc.disposition, open: inc.isOpen)
        }
        let c2d = rows.compactMap(\.callToDispatch)
        let within = c2d.filter { $0 <= dispatchTargetSeconds }.count
        return ShiftSummary(rows: rows, callToDispatch: stat(c2d), dispatchToArrival: stat(rows.compactMap(\.dispatchToArrival)),
                            callToArrival: stat(rows.compactMap(\.callToArrival)),
                            dispatchedWithinTargetShare: c2d.isEmpty ? nil : Double(within) / Double(c2d.count))
    }

    static func stat(_ values: [TimeInterval]) -> Stat {
        let v = values.sorted()
        return Stat(count: v.count, median: percentile(v, 50), p90: percentile(v, 90))
    }

    /// The `p`th percentile of sorted values by linear interpolation between closest ranks
    /// (the median of an even count is the mean of the middle two), or `nil` for none.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = (p / 100) * Double(sorted.count - 1)
        let lo = Int(rank.rounded(.down)), hi = Int(rank.rounded(.up))
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - Double(lo))
    }

    /// A plain-text table: one line per incident, then medians, 90th percentiles and the
    /// NFPA 1225 line. Times of day in `timeZone`, durations as `MM:SS`. The console shows it
    /// in its `language`, padded by `columns` (the terminal's width of a text: Chinese takes two).
    public func table(timeZone: TimeZone, language: InterfaceLanguage = .english,
                      columns: (String) -> Int = { $0.count }) -> String {
        let lang = language
        func d(_ t: TimeInterval?) -> String { t.map(DurationText.clock) ?? "--" }
        func pad(_ s: String, _ w: Int) -> String { columns(s) >= w ? s : s + String(repeating: " ", count: w - columns(s)) }
        func rpad(_ s: String, _ w: Int) -> String { columns(s) >= w ? s : String(repeating: " ", count: w - columns(s)) + s }
        // The call's time of day as `19:48:05` under a header that names the offset once
        // (`Call +08:00`); rows on another offset than the first (a daylight-saving change
        // during the shift) carry their own.
        let callOffset = rows.first.map { ISOTime.offset($0.reportedAt, timeZone: timeZone) }
        func call(_ t: Date) -> String {
            ISOTime.offset(t, timeZone: timeZone) == callOffset ? ISOTime.clock(t, timeZone: timeZone) : ISOTime.clockWithOffset(t, timeZone: timeZone)
        }
        var lines: [String] = []
        lines.append(pad(lang.t("summary.incident"), 16) + pad(lang.t("summary.call", callOffset ?? ""), 16) + pad(lang.t("summary.category"), 17)
                     + "P  " + rpad(lang.t("summary.callToDispatch"), 10) + rpad(lang.t("summary.dispatchToArrival"), 10)
                     + rpad(lang.t("summary.callToArrival"), 10) + "  " + lang.t("summary.disposition"))
        for r in rows {
            let disp = r.open ? lang.t("summary.open")
                : (r.disposition.map { d in DispositionCode.find(d).map { "\($0.code) \($0.label(in: lang))" } ?? d.rawValue } ?? "")
            lines.append(pad(r.number ?? r.incident.rawValue, 16) + pad(call(r.reportedAt), 16)
                         + pad(r.category.phrase.text(lang), 17) + "\(r.priority)  " + rpad(d(r.callToDispatch), 10) + rpad(d(r.dispatchToArrival), 10)
                         + rpad(d(r.callToArrival), 10) + "  " + disp)
        }
        lines.append(pad(lang.t("summary.median"), 52) + rpad(d(callToDispatch.median), 10) + rpad(d(dispatchToArrival.median), 10)
                     + rpad(d(callToArrival.median), 10))
        lines.append(pad(lang.t("summary.p90"), 52) + rpad(d(callToDispatch.p90), 10) + rpad(d(dispatchToArrival.p90), 10)
                     + rpad(d(callToArrival.p90), 10))
        if let share = dispatchedWithinTargetShare {
            let pct = Int((share * 100).rounded())
            lines.append(lang.t("summary.share", pct, callToDispatch.count,
                                lang.t(share >= Self.dispatchTargetShare ? "summary.met" : "summary.notMet")))
        } else {
            lines.append(lang.t("summary.none"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
