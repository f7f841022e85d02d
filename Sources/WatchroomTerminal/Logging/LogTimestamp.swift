import Foundation

/// Timestamps for the log file: ISO 8601, 24-hour, milliseconds, numeric UTC offset
/// (`2025-03-07T21:04:05.123+08:00`). Written by hand: no formatter, no locale.
public enum LogTimestamp {
    /// The local time of `date` in `timeZone`, with its offset.
    public static func string(from date: Date, timeZone: TimeZone = .current) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        return string(epochMilliseconds: ms, offsetSeconds: timeZone.secondsFromGMT(for: date))
    }

    /// The wall-clock time `offsetSeconds` east of UTC at `epochMilliseconds`.
    public static func string(epochMilliseconds: Int64, offsetSeconds: Int) -> String {
        let local = epochMilliseconds + Int64(offsetSeconds) * 1000
        let (days, msOfDay) = floorDivMod(local, 86_400_000)
        let (y, m, d) = civil(days: days)
        let hour = msOfDay / 3_600_000
        let minute = msOfDay / 60_000 % 60
        let second = msOfDay / 1000 % 60
        let milli = msOfDay % 1000
        let sign = offsetSeconds < 0 ? "-" : "+"
        let off = abs(offsetSeconds)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))."
            + "\(pad(milli, 3))\(sign)\(pad(Int64(off / 3600), 2)):\(pad(Int64(off / 60 % 60), 2))"
    }

    private static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// Proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's algorithm).
    private static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d)
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
