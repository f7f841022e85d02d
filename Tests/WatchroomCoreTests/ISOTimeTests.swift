import Foundation
import XCTest
@testable import WatchroomCore

final class ISOTimeTests: XCTestCase {
    private func zone(_ id: String) throws -> TimeZone {
        try XCTUnwrap(TimeZone(identifier: id), "time zone \(id) missing on this system")
    }

    func testFormatsWithMillisecondsAndOffset() throws {
        XCTAssertEqual(ISOTime.format(Samples.t0, timeZone: try zone("Asia/Shanghai")), "2026-11-25T19:48:11.250+08:00")
        XCTAssertEqual(ISOTime.format(Samples.t0, timeZone: try zone("UTC")), "2026-11-25T11:48:11.250+00:00")
        XCTAssertEqual(ISOTime.format(Samples.t0, timeZone: try zone("Asia/Kathmandu")), "2026-11-25T17:33:11.250+05:45")
        XCTAssertEqual(ISOTime.format(Samples.t0, timeZone: try zone("America/St_Johns")), "2026-11-25T08:18:11.250-03:30")
        XCTAssertEqual(ISOTime.format(Date(timeIntervalSince1970: 0), offsetSeconds: 0), "1970-01-01T00:00:00.000+00:00")
        XCTAssertEqual(ISOTime.format(Date(timeIntervalSince1970: -0.001), offsetSeconds: 0), "1969-12-31T23:59:59.999+00:00")
        XCTAssertEqual(ISOTime.format(Date(timeIntervalSince1970: 951_782_400), offsetSeconds: 0), "2000-02-29T00:00:00.000+00:00")
    }

    func testClockAndDayAreTwentyFourHour() throws {
        let tz = try zone("Asia/Shanghai")
        XCTAssertEqual(ISOTime.clock(Samples.t0, timeZone: tz), "19:48:11")
        XCTAssertEqual(ISOTime.day(Samples.t0, timeZone: tz), "2026-11-25")
        XCTAssertEqual(IncidentNumber.make(day: Samples.t0, timeZone: tz, ordinal: 7), "2026-1125-0007")
    }

    func testRoundTripsAcrossZones() throws {
        let zones = ["Asia/Shanghai", "UTC", "Asia/Kathmandu", "America/New_York", "Europe/London",
                     "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "Pacific/Kiritimati"]
        var rng = SplitMix64(seed: 7)
        for id in zones {
            let tz = try zone(id)
            for _ in 0..<500 {
                // Whole milliseconds between 1990 and 2060.
                let ms = Int64(631_152_000_000) + Int64(rng.next() % 2_208_988_800_000)
                let date = Date(timeIntervalSince1970: Double(ms) / 1000)
                let text = ISOTime.format(date, timeZone: tz)
                let back = try XCTUnwrap(ISOTime.parse(text), text)
                XCTAssertEqual((back.timeIntervalSince1970 * 1000).rounded(), Double(ms), text)
                XCTAssertEqual(ISOTime.format(back, timeZone: tz), text)
                XCTAssertEqual(ISOTime.parseWithOffset(text)?.offsetSeconds, tz.secondsFromGMT(for: date), text)
            }
        }
    }

    func testNewYorkDaylightSavingTransitions() throws {
        let ny = try zone("America/New_York")
        // Spring forward, 2026-03-08: 01:59:59.999 EST is followed by 03:00 EDT.
        let springUTC = try XCTUnwrap(ISOTime.parse("2026-03-08T07:00:00Z"))
        XCTAssertEqual(ISOTime.format(springUTC - 0.001, timeZone: ny), "2026-03-08T01:59:59.999-05:00")
        XCTAssertEqual(ISOTime.format(springUTC, timeZone: ny), "2026-03-08T03:00:00.000-04:00")
        // Fall back, 2026-11-01: 01:30 happens twice, the offset tells them apart.
        let first = try XCTUnwrap(ISOTime.parse("2026-11-01T05:30:00Z"))
        let second = try XCTUnwrap(ISOTime.parse("2026-11-01T06:30:00Z"))
        XCTAssertEqual(ISOTime.format(first, timeZone: ny), "2026-11-01T01:30:00.000-04:00")
        XCTAssertEqual(ISOTime.format(second, timeZone: ny), "2026-11-01T01:30:00.000-05:00")
        XCTAssertEqual(ISOTime.parse("2026-11-01T01:30:00.000-04:00"), first)
        XCTAssertEqual(ISOTime.parse("2026-11-01T01:30:00.000-05:00"), second)
    }

    func testParsesOffsetsAndFractions() throws {
        let expected = Samples.t0
        for s in ["2026-11-25T19:48:11.250+08:00", "2026-11-25T11:48:11.25Z", "2026-11-25T11:48:11.250000000z",
                  "2026-11-25T17:33:11.250+05:45", "2026-11-25T19:48:11.250+0800", "2026-11-25t19:48:11,25+08:00"] {
            XCTAssertEqual(ISOTime.parse(s)?.timeIntervalSince1970 ?? .nan, expected.timeIntervalSince1970, accuracy: 1e-6, s)
        }
        XCTAssertEqual(ISOTime.parse("2026-11-25T11:48:11Z"), Date(timeIntervalSince1970: 1_795_607_291))
        XCTAssertEqual(ISOTime.parseWithOffset("2026-11-25T19:48:11-03:30")?.offsetSeconds, -12_600)
        XCTAssertEqual(ISOTime.parse("2024-02-29T00:00:00Z"), Date(timeIntervalSince1970: 1_709_164_800))
    }

    func testRejectsNaiveTwelveHourAndMalformed() {
        let bad = [
            "2026-11-25T19:48:11",          // naive local time
            "2026-11-25T19:48:11.250",      // naive with fraction
            "2026-11-25 19:48:11+08:00",    // space instead of T
            "7:48 PM", "07:48:11 PM", "2026-11-25T07:48:11 PM+08:00", "2026-11-25T7:48:11+08:00",
            "19:48:11+08:00", "2026-11-25", "", "   ", "garbage",
            "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
            "2026-11-25T24:00:00Z", "2026-11-25T23:60:00Z", "2026-11-25T23:59:60Z",
            "2026-11-25T19:48:11.+08:00", "2026-11-25T19:48:11.1234567890Z",
            "2026-11-25T19:48:11+8:00", "2026-11-25T19:48:11+08:60", "2026-11-25T19:48:11+08",
            " 2026-11-25T19:48:11Z", "2026-11-25T19:48:11Z ", "2026-11-25T19:48:11ZZ", "+2026-11-25T19:48:11Z",
        ]
        for s in bad { XCTAssertNil(ISOTime.parse(s), "accepted \(s)") }
    }

    func testFormatIsThreadSafe() throws {
        let tz = try zone("America/New_York")
        let dates = (0..<200).map { Samples.t0 + Double($0) * 3_600.5 }
        let expected = dates.map { ISOTime.format($0, timeZone: tz) }
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for (d, e) in zip(dates, expected) {
                XCTAssertEqual(ISOTime.format(d, timeZone: tz), e)
                XCTAssertEqual(ISOTime.parse(e), d)
            }
        }
    }

    func testDurationText() {
        XCTAssertEqual(DurationText.clock(187), "03:07")
        XCTAssertEqual(DurationText.clock(187.9), "03:07")
        XCTAssertEqual(DurationText.clock(0), "00:00")
        XCTAssertEqual(DurationText.clock(3599), "59:59")
        XCTAssertEqual(DurationText.clock(3723), "1:02:03")
        XCTAssertEqual(DurationText.clock(36_000), "10:00:00")
        XCTAssertEqual(DurationText.clock(-65), "-01:05")
        XCTAssertEqual(DurationText.clock(.nan), "--:--")
        XCTAssertEqual(DurationText.compact(45), "45s")
        XCTAssertEqual(DurationText.compact(187), "3m07s")
        XCTAssertEqual(DurationText.compact(3723), "1h02m")
    }
}

/// A small deterministic random generator for tests.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func testClockWithOffsetAndOffsetText() {
        let t = ISOTime.parse("2026-11-25T19:48:11.250+08:00")!
        XCTAssertEqual(ISOTime.clockWithOffset(t, timeZone: TimeZone(identifier: "Asia/Shanghai")!), "19:48:11+08:00")
        XCTAssertEqual(ISOTime.clockWithOffset(t, timeZone: TimeZone(identifier: "Asia/Kolkata")!), "17:18:11+05:30")
        XCTAssertEqual(ISOTime.clockWithOffset(t, timeZone: TimeZone(identifier: "UTC")!), "11:48:11+00:00")
        XCTAssertEqual(ISOTime.offset(seconds: -12_600), "-03:30")
        XCTAssertEqual(ISOTime.offset(seconds: -30), "+00:00", "under a minute truncates to zero, never -00:00")
        XCTAssertEqual(ISOTime.offset(seconds: 50_400), "+14:00")
        // The same offset format() writes, so a screen and a file never disagree.
        for zone in ["Asia/Shanghai", "America/St_Johns", "Europe/London", "Pacific/Chatham"] {
            let tz = TimeZone(identifier: zone)!
            XCTAssertTrue(ISOTime.format(t, timeZone: tz).hasSuffix(ISOTime.clockWithOffset(t, timeZone: tz).dropFirst(0).suffix(6)), zone)
            XCTAssertTrue(ISOTime.format(t, timeZone: tz).contains(ISOTime.clock(t, timeZone: tz) + "."), zone)
        }
    }
}
