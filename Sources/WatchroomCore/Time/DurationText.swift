import Foundation

/// Elapsed times as text for the console: `03:07`, `1:02:03`, `3m07s`.
public enum DurationText {
    /// `MM:SS` under an hour (`03:07`), `H:MM:SS` from an hour on (`1:02:03`).
    ///
    /// Fractions of a second are dropped (an elapsed time never shows ahead of itself);
    /// negative durations get a leading `-`.
    public static func clock(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite else { return "--:--" }
        let negative = seconds < 0
        let total = Int(abs(seconds).rounded(.down))
        let h = total / 3600, m = total % 3600 / 60, s = total % 60
        let body = h > 0
            ? "\(h):" + ISOTime.pad(m, 2) + ":" + ISOTime.pad(s, 2)
            : ISOTime.pad(m, 2) + ":" + ISOTime.pad(s, 2)
        return negative ? "-" + body : body
    }

    /// Hours and minutes that cannot be read as a time of day: `0h15m`, `2h03m`, `26h00m`.
    /// Seconds are dropped (never ahead of itself); negative durations get a leading `-`.
    public static func hoursMinutes(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite else { return "--" }
        let negative = seconds < 0
        let total = Int(Swift.min(abs(seconds), 1e12).rounded(.down))
        let body = "\(total / 3600)h" + ISOTime.pad(total % 3600 / 60, 2) + "m"
        return negative ? "-" + body : body
    }

    /// A compact form for narrow columns: `45s`, `3m07s`, `1h02m`.
    public static func compact(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite else { return "--" }
        let negative = seconds < 0
        let total = Int(abs(seconds).rounded(.down))
        let h = total / 3600, m = total % 3600 / 60, s = total % 60
        let body: String
        if h > 0 {
            body = "\(h)h" + ISOTime.pad(m, 2) + "m"
        } else if m > 0 {
            body = "\(m)m" + ISOTime.pad(s, 2) + "s"
        } else {
            body = "\(s)s"
        }
        return negative ? "-" + body : body
    }
}
