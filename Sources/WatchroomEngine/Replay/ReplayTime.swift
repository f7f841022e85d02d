import Foundation
import WatchroomCore

/// The times a replay can jump to, as typed after `:goto` or given to `--at`.
///
/// - `2026-03-14T21:30:00+08:00`: an ISO 8601 instant with offset;
/// - `21:30` or `21:30:15`: that 24-hour wall-clock time in the precinct's zone, on the
///   day that puts it inside the shift (a night shift's `02:00` is the next morning);
/// - `+30m`, `-1h`, `+1h30m`, `+90s`: relative to the playback instant;
/// - `2h`, `90m`: since the start of the shift.
public enum ReplayTime {
    /// The instant `text` names, or `nil` when it is not a time (then it may be a place).
    public static func parse(_ text: String, now: Date, start: Date, end: Date, timeZone: TimeZone) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return nil }
        if let iso = ISOTime.parse(t) { return iso }
        if let first = t.first, first == "+" || first == "-" {
            guard let d = duration(String(t.dropFirst())) else { return nil }
            return now.addingTimeInterval(first == "+" ? d : -d)
        }
        if let d = duration(t) { return start.addingTimeInterval(d) }
        if let seconds = clock(t) { return occurrence(ofSecondOfDay: seconds, start: start, end: end, timeZone: timeZone) }
        return nil
    }

    /// Why a replay cannot go to `date`, typed as `text`: it lies outside the shift
    /// (`start...end`); `nil` when it is inside. A replay refuses such a time rather than
    /// stopping at the start or the end, so a typo never moves it somewhere unasked.
    public static func outside(_ text: String, at date: Date, start: Date, end: Date, timeZone: TimeZone) -> String? {
        guard date < start || date > end else { return nil }
        let span = ISOTime.format(start, timeZone: timeZone) + " to " + ISOTime.format(end, timeZone: timeZone)
        let which = date < start ? "before the start" : "after the end"
        return "\(Sanitizer.inert(text.trimmingCharacters(in: .whitespaces))) is \(which) of the shift (\(span))"
    }

    /// Seconds in `1h30m`, `90m`, `45s`, `2.5h` (at least one number with a unit).
    static func duration(_ text: String) -> TimeInterval? {
        var total = 0.0, number = "", units = 0
        for ch in text.lowercased() {
            if ch.isASCII, ch.isNumber || ch == "." {
                number.append(ch)
                continue
            }
            let factor: Double
            switch ch {
            case "h": factor = 3600
            case "m": factor = 60
            case "s": factor = 1
            default: return nil
            }
            guard let v = Double(number), v.isFinite, v >= 0 else { return nil }
            total += v * factor
            number = ""
            units += 1
        }
        guard number.isEmpty, units > 0, total.isFinite else { return nil }
        return total
    }

    /// Seconds since midnight in `21:30` or `21:30:15` (24-hour), or `nil`.
    static func clock(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isASCII) }),
              let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
        var s = 0
        if parts.count == 3 {
            guard let v = Int(parts[2]), (0...59).contains(v) else { return nil }
            s = v
        }
        return h * 3600 + m * 60 + s
    }

    /// The instant with that wall-clock time in `timeZone` inside `start...end` (the first
    /// one), else the one nearest to the shift.
    static func occurrence(ofSecondOfDay seconds: Int, start: Date, end: Date, timeZone: TimeZone) -> Date {
        let offset = timeZone.secondsFromGMT(for: start)
        let local = Int((start.timeIntervalSince1970 + Double(offset)).rounded(.down))
        let midnight = local - ((local % 86_400) + 86_400) % 86_400
        var best: Date?
        var bestDistance = Double.infinity
        for day in -1...3 {
            let localSeconds = midnight + day * 86_400 + seconds
            // The offset at that instant (daylight saving may differ from the start's).
            let guess = Date(timeIntervalSince1970: Double(localSeconds - offset))
            let candidate = Date(timeIntervalSince1970: Double(localSeconds - timeZone.secondsFromGMT(for: guess)))
            if candidate >= start && candidate <= end { return candidate }
            let distance = candidate < start ? start.timeIntervalSince(candidate) : candidate.timeIntervalSince(end)
            if distance < bestDistance { bestDistance = distance; best = candidate }
        }
        return best ?? start
    }
}
