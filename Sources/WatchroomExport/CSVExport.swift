import Foundation
import WatchroomCore
import WatchroomEngine

/// One row per incident with the NFPA 1225 intervals, as RFC 4180 CSV (comma, double
/// quotes, CRLF, UTF-8 without a byte order mark; pandas and LibreOffice read it as is).
///
/// Intervals are whole seconds: call to dispatch, dispatch to first arrival, call to first
/// arrival (NFPA 1225's alarm processing, travel and total response), and on scene (first
/// arrival to close). Times are ISO 8601 with the shift's offset. Text that a spreadsheet
/// would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`; control
/// characters never reach the file.
public enum CSVExport {
    public static let columns = [
        "incident", "number", "reported", "category", "priority", "place", "latitude", "longitude", "weapon",
        "units", "dispatched", "first_arrival", "closed",
        "call_to_dispatch_s", "dispatch_to_arrival_s", "call_to_arrival_s", "on_scene_s",
        "disposition", "disposition_code", "status",
    ]

    public static func export(_ digest: ShiftDigest, incident: String? = nil) -> String {
        var out = line(columns)
        for inc in digest.incidents(matching: incident) {
            let ll = digest.latLon(inc.point)
            func seconds(_ from: Date?, _ to: Date?) -> String {
                guard let from, let to else { return "" }
                return String(Int(to.timeIntervalSince(from).rounded()))
            }
            let units = inc.respondedUnits.map { digest.state.units[$0]?.callsign ?? $0.rawValue }
            let code = inc.disposition.flatMap { DispositionCode.find($0) }
            out += line([
                text(inc.id.rawValue), text(inc.number ?? ""), digest.iso(inc.reportedAt), inc.category.rawValue,
                "P\(inc.priority)", text(inc.place),
                ll.map { coordinate($0.lat) } ?? "", ll.map { coordinate($0.lon) } ?? "", inc.weapon ? "yes" : "no",
                text(units.joined(separator: " ")),
                inc.dispatchedAt.map(digest.iso) ?? "", inc.arrivedAt.map(digest.iso) ?? "", inc.closedAt.map(digest.iso) ?? "",
                seconds(inc.reportedAt, inc.dispatchedAt), seconds(inc.dispatchedAt, inc.arrivedAt),
                seconds(inc.reportedAt, inc.arrivedAt), seconds(inc.arrivedAt, inc.closedAt),
                text(inc.disposition?.rawValue ?? ""), code?.code ?? "", inc.status.rawValue,
            ])
        }
        return out
    }

    /// Seven decimals: about a centimetre.
    static func coordinate(_ v: Double) -> String { String(format: "%.7f", v) }

    /// Free text: controls made inert, and a formula's first character defused.
    static func text(_ s: String) -> String {
        let t = Sanitizer.inert(s)
        if let first = t.first, "=+-@".contains(first) { return "'" + t }
        return t
    }

    /// One record: a field is quoted when it holds a comma, a quote or a line break.
    static func line(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + "\r\n"
    }
}
