import Foundation

/// The one time format Watchroom writes and reads: ISO 8601, 24-hour, with milliseconds
/// and an explicit UTC offset, e.g. `2026-11-25T19:48:11.250+08:00`.
///
/// Formatting and parsing are hand-written integer arithmetic over the proleptic
/// Gregorian calendar (no `DateFormatter`), so every function here is pure and safe to
/// call from any thread.
public enum ISOTime {
    /// The time zone named by an IANA identifier such as `Asia/Shanghai` (the map's
    /// `PrecinctMap.timeZone`), or `nil` if the system does not know it.
    public static func timeZone(named identifier: String) -> TimeZone? {
        TimeZone(identifier: identifier)
    }

    /// `2026-11-25T19:48:11.250+08:00`: the instant in `timeZone`'s local time at that
    /// instant (daylight saving included), with milliseconds and the offset.
    ///
    /// Offsets with seconds (historical local mean time) are truncated to whole minutes;
    /// the local time shown is always consistent with the offset written.
    public static func format(_ date: Date, timeZone: TimeZone) -> String {
        format(date, offsetSeconds: timeZone.secondsFromGMT(for: date))
    }

    /// `format(_:timeZone:)` with a fixed offset from UTC in seconds.
    public static func format(_ date: Date, offsetSeconds: Int) -> String {
        let offset = (offsetSeconds / 60) * 60
        let f = Fields(date: date, offsetSeconds: offset)
        var s = ""
        s.reserveCapacity(29)
        s += pad(f.year, 4); s += "-"; s += pad(f.month, 2); s += "-"; s += pad(f.day, 2)
        s += "T"
        s += pad(f.hour, 2); s += ":"; s += pad(f.minute, 2); s += ":"; s += pad(f.second, 2)
        s += "."; s += pad(f.millisecond, 3)
        s += offset < 0 ? "-" : "+"
        let a = abs(offset) / 60
        s += pad(a / 60, 2); s += ":"; s += pad(a % 60, 2)
        return s
    }

    /// `19:48:11`: the 24-hour wall-clock time in `timeZone`, for display.
    public static func clock(_ date: Date, timeZone: TimeZone) -> String {
        let f = Fields(date: date, offsetSeconds: (timeZone.secondsFromGMT(for: date) / 60) * 60)
        return pad(f.hour, 2) + ":" + pad(f.minute, 2) + ":" + pad(f.second, 2)
    }

    /// `19:48:11+08:00`: the 24-hour wall-clock time in `timeZone` with its offset (an ISO 8601
    /// time of day), for display wherever there is room for it.
    public static func clockWithOffset(_ date: Date, timeZone: TimeZone) -> String {
        clock(date, timeZone: timeZone) + offset(date, timeZone: timeZone)
    }

    /// `+08:00`: the offset from UTC of `timeZone` at `date` (daylight saving included), in
    /// whole minutes. Where a column has room only for `clock(_:timeZone:)`, the screen or
    /// table shows this once (a header, the status bar).
    public static func offset(_ date: Date, timeZone: TimeZone) -> String {
        offset(seconds: timeZone.secondsFromGMT(for: date))
    }

    /// `+08:00` for an offset in seconds east of UTC (`+00:00` for UTC), truncated to minutes.
    public static func offset(seconds: Int) -> String {
        let a = abs((seconds / 60) * 60) / 60
        return (seconds < 0 && a > 0 ? "-" : "+") + pad(a / 60, 2) + ":" + pad(a % 60, 2)
    }

    /// `2026-11-25`: the local calendar day in `timeZone`.
    public static func day(_ date: Date, timeZone: TimeZone) -> String {
        let f = Fields(date: date, offsetSeconds: (timeZone.secondsFromGMT(for: date) / 60) * 60)
        return pad(f.year, 4) + "-" + pad(f.month, 2) + "-" + pad(f.day, 2)
    }

    /// The instant written by an ISO 8601 date-time with an offset, or `nil`.
    ///
    /// Accepted: `YYYY-MM-DDTHH:MM:SS`, optionally `.` and 1 to 9 fraction digits, then
    /// `Z`, `±HH:MM` or `±HHMM`. Rejected: anything without an offset (a naive local
    /// time is ambiguous), 12-hour forms (`7:48 PM`), out-of-range fields
    /// (`2026-02-30`, `24:00:00`, leap second `60`), surrounding spaces.
    public static func parse(_ string: String) -> Date? {
        parseWithOffset(string)?.date
    }

    /// `parse(_:)` that also returns the offset the string was written with, in seconds.
    public static func parseWithOffset(_ string: String) -> (date: Date, offsetSeconds: Int)? {
        var p = Scanner(Array(string.utf8))
        guard let year = p.digits(4), p.expect(UInt8(ascii: "-")),
              let month = p.digits(2), p.expect(UInt8(ascii: "-")),
              let day = p.digits(2) else { return nil }
        guard p.expect(UInt8(ascii: "T")) || p.expect(UInt8(ascii: "t")) else { return nil }
        guard let hour = p.digits(2), p.expect(UInt8(ascii: ":")),
              let minute = p.digits(2), p.expect(UInt8(ascii: ":")),
              let second = p.digits(2) else { return nil }
        var nanos = 0
        if p.expect(UInt8(ascii: ".")) || p.expect(UInt8(ascii: ",")) {
            var count = 0
            while let d = p.digit() {
                count += 1
                guard count <= 9 else { return nil }
                nanos = nanos * 10 + d
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanos *= 10 }
        }
        var offset = 0
        if p.expect(UInt8(ascii: "Z")) || p.expect(UInt8(ascii: "z")) {
            offset = 0
        } else {
            let sign: Int
            if p.expect(UInt8(ascii: "+")) { sign = 1 } else if p.expect(UInt8(ascii: "-")) { sign = -1 } else { return nil }
            guard let oh = p.digits(2) else { return nil }
            _ = p.expect(UInt8(ascii: ":"))
            guard let om = p.digits(2), oh <= 23, om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        }
        guard p.atEnd else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let utc = local - Int64(offset)
        let date = Date(timeIntervalSince1970: Double(utc) + Double(nanos) / 1_000_000_000)
        return (date, offset)
    }

    // MARK: - Calendar arithmetic

    /// Local date and time fields of an instant at a fixed offset, to the millisecond.
    struct Fields {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millisecond = 0

        init(date: Date, offsetSeconds: Int) {
            // Round to the nearest millisecond first so 11.2499999 shows as 11.250.
            // Clamped to about ±275,000 years so a date from outside never traps the conversion.
            let raw = (date.timeIntervalSince1970 * 1000).rounded()
            let ms = Int64(raw.isNaN ? 0 : min(max(raw, -8.64e15), 8.64e15)) + Int64(offsetSeconds) * 1000
            let (secs, msPart) = floorDivMod(ms, 1000)
            let (days, secOfDay) = floorDivMod(secs, 86_400)
            let civil = civilFromDays(Int(days))
            year = civil.year; month = civil.month; day = civil.day
            hour = Int(secOfDay / 3600); minute = Int(secOfDay % 3600 / 60); second = Int(secOfDay % 60)
            millisecond = Int(msPart)
        }
    }

    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year y0: Int, month m: Int, day d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01.
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { index == bytes.count }

        mutating func expect(_ b: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == b else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int? {
            guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
            defer { index += 1 }
            return Int(bytes[index] - 0x30)
        }

        mutating func digits(_ n: Int) -> Int? {
            var v = 0
            for _ in 0..<n {
                guard let d = digit() else { return nil }
                v = v * 10 + d
            }
            return v
        }
    }
}
