import Foundation

/// A hand-written decoder for the event types that make up almost all of a recorded
/// shift (`unit.position`, `clock.tick`, `unit.status`, `unit.arrived`), reading the
/// canonical `data` JSON that ``EventCodec/encodeData(_:)`` writes straight from its
/// UTF-8 bytes. It exists for replay speed: `JSONDecoder` costs tens of microseconds an
/// event, which is twenty seconds for a busy twelve-hour shift.
///
/// It is strict on purpose: it accepts only the plain shape (no whitespace, no escapes in
/// strings, no `null`, no unknown or repeated keys, numbers it can convert exactly) and
/// answers `nil` for anything else, so the caller falls back to ``EventCodec``. A `nil`
/// is never an error; whatever it does decode equals what ``EventCodec`` decodes
/// (`FastEventDecoderTests` checks every event of the fixtures and the edge cases).
public enum FastEventDecoder {
    /// The instant `ms` milliseconds after 1970, built exactly as ``ISOTime/parse(_:)``
    /// builds it from a time written with milliseconds (whole seconds plus the fraction),
    /// so a row's `time_ms` gives the same `Date` as parsing its `time` text.
    public static func date(millisecondsSince1970 ms: Int64) -> Date {
        var seconds = ms / 1000, part = ms % 1000
        if part < 0 { seconds -= 1; part += 1000 }
        return Date(timeIntervalSince1970: Double(seconds) + Double(part * 1_000_000) / 1_000_000_000)
    }

    /// The event, or `nil` when `type` is not a hot type or `data` is not in the plain
    /// canonical shape (decode it with ``EventCodec`` then).
    public static func decodeData(type: UnsafeBufferPointer<UInt8>, data: UnsafeBufferPointer<UInt8>) -> Event? {
        guard let kind = Kind(type) else { return nil }
        var s = Scanner(data)
        let event: Event?
        switch kind {
        case .unitPosition: event = s.unitPosition().map(Event.unitPosition)
        case .clockTick: event = s.clockTick().map(Event.clockTick)
        case .unitStatus: event = s.unitStatus().map(Event.unitStatus)
        case .unitArrived: event = s.unitArrived().map(Event.unitArrived)
        }
        guard let event, s.atEnd else { return nil }
        return event
    }

    /// ``decodeData(type:data:)`` for strings.
    public static func decodeData(type: String, data: String) -> Event? {
        var type = type, data = data
        return type.withUTF8 { t in data.withUTF8 { d in decodeData(type: t, data: d) } }
    }

    /// An envelope from stored parts: the fast path when it applies, else ``EventCodec``
    /// (which throws ``EventDecodingError`` for a bad payload).
    public static func decode(seq: UInt64, time: Date, type: String, data: String) throws -> EventEnvelope {
        if let event = decodeData(type: type, data: data) {
            return EventEnvelope(seq: seq, time: time, event: event)
        }
        return try EventCodec.decode(seq: seq, time: time, type: type, data: data)
    }

    // MARK: - Types

    enum Kind {
        case unitPosition, clockTick, unitStatus, unitArrived

        // The wire names (EventType), spelled out as static strings for a copy-free compare.
        init?(_ type: UnsafeBufferPointer<UInt8>) {
            if type.is("unit.position") { self = .unitPosition; return }
            if type.is("clock.tick") { self = .clockTick; return }
            if type.is("unit.status") { self = .unitStatus; return }
            if type.is("unit.arrived") { self = .unitArrived; return }
            return nil
        }
    }

    // MARK: - Scanning

    /// 10^n for 0 <= n <= 22, exactly (every intermediate power is a representable `Double`).
    @inline(__always)
    static func exactPower(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<n { p *= 10 }
        return p
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var atEnd: Bool { i == bytes.count }

        mutating func expect(_ b: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == b else { return false }
            i += 1
            return true
        }

        /// Walks `{"key":value,...}`, calling `field` with each key's bytes; `field`
        /// reads the value and answers false to give up. Keys may not repeat.
        mutating func object(_ field: (inout Scanner, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
            guard expect(UInt8(ascii: "{")) else { return false }
            if expect(UInt8(ascii: "}")) { return true }
            while true {
                guard let key = rawString(), expect(UInt8(ascii: ":")), field(&self, key) else { return false }
                if expect(UInt8(ascii: "}")) { return true }
                guard expect(UInt8(ascii: ",")) else { return false }
            }
        }

        /// The bytes between quotes, when there is no escape and no control character.
        mutating func rawString() -> UnsafeBufferPointer<UInt8>? {
            guard expect(UInt8(ascii: "\"")) else { return nil }
            let start = i
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    let s = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    i += 1
                    return s
                }
                if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
                i += 1
            }
            return nil
        }

        /// A string value: valid UTF-8, no escapes.
        mutating func string() -> String? {
            guard let raw = rawString() else { return nil }
            if !raw.contains(where: { $0 >= 0x80 }) { return String(decoding: raw, as: UTF8.self) }
            return String(validating: raw, as: UTF8.self)
        }

        /// A JSON number as a `Double`, when it is valid JSON and finite.
        mutating func number() -> Double? {
            let start = i
            let negative = expect(UInt8(ascii: "-"))
            var mantissa: UInt64 = 0
            var significant = 0
            var exponent = 0
            // Integer part: 0, or a non-zero digit then digits.
            guard i < bytes.count, isDigit(bytes[i]) else { return nil }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                while i < bytes.count, isDigit(bytes[i]) {
                    accumulate(bytes[i], &mantissa, &significant, &exponent, fraction: false)
                    i += 1
                }
            }
            if expect(UInt8(ascii: ".")) {
                guard i < bytes.count, isDigit(bytes[i]) else { return nil }
                while i < bytes.count, isDigit(bytes[i]) {
                    accumulate(bytes[i], &mantissa, &significant, &exponent, fraction: true)
                    i += 1
                }
            }
            if expect(UInt8(ascii: "e")) || expect(UInt8(ascii: "E")) {
                var expNegative = false
                if expect(UInt8(ascii: "-")) { expNegative = true } else { _ = expect(UInt8(ascii: "+")) }
                guard i < bytes.count, isDigit(bytes[i]) else { return nil }
                var e = 0
                while i < bytes.count, isDigit(bytes[i]) {
                    if e < 100_000 { e = e * 10 + Int(bytes[i] - 0x30) }
                    i += 1
                }
                exponent += expNegative ? -e : e
            }
            var value: Double
            if mantissa == 0 {
                value = 0
            } else if significant <= 19, mantissa <= 1 << 53, abs(exponent) <= 22 {
                // Both operands exact: one correctly rounded operation (Clinger's fast path).
                value = exponent >= 0 ? Double(mantissa) * FastEventDecoder.exactPower(exponent)
                    : Double(mantissa) / FastEventDecoder.exactPower(-exponent)
            } else {
                guard let slow = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)),
                      slow.isFinite else { return nil }
                return slow
            }
            if negative { value = -value }
            return value
        }

        private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

        /// Adds a digit to the mantissa; digits past the nineteenth are counted as lost
        /// precision (`significant` goes above 19, which sends the number to the slow path).
        private func accumulate(_ b: UInt8, _ mantissa: inout UInt64, _ significant: inout Int, _ exponent: inout Int,
                                fraction: Bool) {
            let d = UInt64(b - 0x30)
            if mantissa == 0 && d == 0 {
                if fraction { exponent -= 1 }
                return
            }
            significant += 1
            if significant <= 19 {
                mantissa = mantissa * 10 + d
                if fraction { exponent -= 1 }
            } else if !fraction {
                exponent += 1
            }
        }

        mutating func point() -> Point? {
            var x: Double?, y: Double?
            let ok = object { s, key in
                if key.is("x"), x == nil { x = s.number(); return x != nil }
                if key.is("y"), y == nil { y = s.number(); return y != nil }
                return false
            }
            guard ok, let x, let y else { return nil }
            return Point(x: x, y: y)
        }

        mutating func road() -> RoadLocation? {
            var segment: String?, fraction: Double?
            let ok = object { s, key in
                if key.is("segment"), segment == nil { segment = s.string(); return segment != nil }
                if key.is("fraction"), fraction == nil { fraction = s.number(); return fraction != nil }
                return false
            }
            guard ok, let segment, let fraction else { return nil }
            return RoadLocation(segment: SegmentKey(segment), fraction: fraction)
        }

        mutating func unitPosition() -> UnitPosition? {
            var unit: String?, point: Point?, road: RoadLocation?, heading: Double?, speed: Double?
            let ok = object { s, key in
                if key.is("unit"), unit == nil { unit = s.string(); return unit != nil }
                if key.is("point"), point == nil { point = s.point(); return point != nil }
                if key.is("road"), road == nil { road = s.road(); return road != nil }
                if key.is("heading"), heading == nil { heading = s.number(); return heading != nil }
                if key.is("speedKmh"), speed == nil { speed = s.number(); return speed != nil }
                return false
            }
            guard ok, let unit, let point else { return nil }
            return UnitPosition(unit: UnitID(unit), point: point, road: road, heading: heading, speedKmh: speed)
        }

        mutating func clockTick() -> ClockTick? {
            var speed: Double?
            let ok = object { s, key in
                if key.is("speed"), speed == nil { speed = s.number(); return speed != nil }
                return false
            }
            return ok ? ClockTick(speed: speed) : nil
        }

        mutating func unitStatus() -> UnitStatusChange? {
            var unit: String?, status: UnitStatus?, incident: String?, note: String?
            let ok = object { s, key in
                if key.is("unit"), unit == nil { unit = s.string(); return unit != nil }
                if key.is("status"), status == nil { status = s.string().flatMap(UnitStatus.init(rawValue:)); return status != nil }
                if key.is("incident"), incident == nil { incident = s.string(); return incident != nil }
                if key.is("note"), note == nil { note = s.string(); return note != nil }
                return false
            }
            guard ok, let unit, let status else { return nil }
            return UnitStatusChange(unit: UnitID(unit), status: status, incident: incident.map(IncidentID.init),
                                    note: note)
        }

        mutating func unitArrived() -> UnitArrived? {
            var unit: String?, incident: String?
            let ok = object { s, key in
                if key.is("unit"), unit == nil { unit = s.string(); return unit != nil }
                if key.is("incident"), incident == nil { incident = s.string(); return incident != nil }
                return false
            }
            guard ok, let unit, let incident else { return nil }
            return UnitArrived(unit: UnitID(unit), incident: IncidentID(incident))
        }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether these bytes are exactly `name`'s.
    @inline(__always)
    fileprivate func `is`(_ name: StaticString) -> Bool {
        guard count == name.utf8CodeUnitCount else { return false }
        guard let base = baseAddress else { return count == 0 }
        return memcmp(base, name.utf8Start, count) == 0
    }
}
