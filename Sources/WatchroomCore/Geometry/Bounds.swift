import Foundation

/// The ranges every number from outside (a typed command, a script, a map file, a
/// recording, a command-line option) must lie in before it is used.
///
/// Swift traps on `Int(hugeDouble)` and on integer overflow, so a coordinate of `1e300`
/// or a wait of `999999999h` must be refused where it enters, with one clear line,
/// never passed on. The checks return that line as a ``Bounds/Violation``; callers add
/// where the number came from (`FILE:LINE:`, the option name).
public enum Bounds {
    /// How far a place may lie from the map's origin: 10,000 km, in metres.
    public static let maxDistanceFromOrigin: Double = 10_000_000
    /// The longest duration accepted (a `wait`, an `at`, a `goto +…`): 7 days, in seconds.
    public static let maxDuration: TimeInterval = 7 * 86_400
    /// The earliest instant accepted: 1970-01-01T00:00:00Z.
    public static let earliest = Date(timeIntervalSince1970: 0)
    /// The latest instant accepted: 9999-12-31T23:59:59.999Z.
    public static let latest = Date(timeIntervalSince1970: 253_402_300_799.999)
    /// ``earliest`` and ``latest`` as milliseconds since 1970 (the recordings' `time_ms`).
    public static let milliseconds: ClosedRange<Int64> = 0...253_402_300_799_999

    /// Why a number was refused: one line saying what is wrong and what would work.
    public struct Violation: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Refuses a non-finite coordinate or one more than ``maxDistanceFromOrigin`` from the origin.
    public static func check(_ p: Point) throws(Violation) {
        guard p.x.isFinite, p.y.isFinite else {
            throw Violation("coordinates must be finite numbers of metres, not \(text(p.x)),\(text(p.y))")
        }
        guard abs(p.x) <= maxDistanceFromOrigin, abs(p.y) <= maxDistanceFromOrigin,
              p.distance(to: .zero) <= maxDistanceFromOrigin else {
            throw Violation("\(text(p.x)),\(text(p.y)) is more than 10000 km from the map's origin; give metres from the origin, e.g. 120,-45")
        }
    }

    /// Whether `p` passes ``check(_:)``.
    public static func contains(_ p: Point) -> Bool {
        (try? check(p)) != nil
    }

    /// Refuses a duration that is negative, not finite or longer than ``maxDuration``.
    public static func check(duration seconds: TimeInterval) throws(Violation) {
        guard seconds.isFinite else { throw Violation("a duration must be a finite number, not \(text(seconds))") }
        guard seconds >= 0 else { throw Violation("a duration cannot be negative") }
        guard seconds <= maxDuration else {
            throw Violation("\(DurationText.compact(seconds.clamped(to: 0...1e12))) is longer than 7 days; give at most 168h (7 days)")
        }
    }

    /// Refuses an instant before 1970 or after 9999.
    public static func check(time: Date) throws(Violation) {
        let t = time.timeIntervalSince1970
        guard t.isFinite, t >= earliest.timeIntervalSince1970, t <= latest.timeIntervalSince1970 else {
            throw Violation("the time is outside the years 1970 to 9999")
        }
    }

    /// Refuses milliseconds since 1970 outside ``milliseconds``.
    public static func check(milliseconds ms: Int64) throws(Violation) {
        guard milliseconds.contains(ms) else {
            throw Violation("time_ms \(ms) is outside the years 1970 to 9999 (0 to \(milliseconds.upperBound))")
        }
    }

    /// A number as typed back to the user: `1e+300`, `nan`, `120`, `-45.5`.
    static func text(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return abs(v) < 1e15 ? String(format: "%.1f", v) : String(format: "%g", v)
    }
}

extension Double {
    /// `self` limited to `range`; NaN becomes the lower bound.
    public func clamped(to range: ClosedRange<Double>) -> Double {
        guard !isNaN else { return range.lowerBound }
        return Swift.min(range.upperBound, Swift.max(range.lowerBound, self))
    }
}
