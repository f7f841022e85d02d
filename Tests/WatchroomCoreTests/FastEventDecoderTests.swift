import Foundation
import WatchroomCore
import XCTest

/// The fast decoder must never diverge from `EventCodec`: whatever it decodes equals the
/// codec's result, and whatever it cannot decode it leaves to the codec (`nil`).
final class FastEventDecoderTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The codec's envelope for stored parts, and the fast path's (nil: it declined).
    private func both(_ type: String, _ data: String, seq: UInt64 = 7,
                      time: Date = Date(timeIntervalSince1970: 1_795_607_291.25)) -> (codec: Result<EventEnvelope, Error>, fast: Event?) {
        let codec = Result { try EventCodec.decode(seq: seq, time: time, type: type, data: data) }
        return (codec, FastEventDecoder.decodeData(type: type, data: data))
    }

    /// Asserts the fast path either declines or gives exactly the codec's event, and
    /// that `FastEventDecoder.decode` (fast or fallback) always gives the codec's result.
    @discardableResult
    private func assertAgrees(_ type: String, _ data: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let (codec, fast) = both(type, data)
        let combined = Result { try FastEventDecoder.decode(seq: 7, time: Date(timeIntervalSince1970: 1_795_607_291.25),
                                                            type: type, data: data) }
        switch (codec, combined) {
        case (.success(let a), .success(let b)): XCTAssertEqual(a, b, "\(type) \(data)", file: file, line: line)
        case (.failure(let a), .failure(let b)):
            XCTAssertEqual(String(describing: a), String(describing: b), "\(type) \(data)", file: file, line: line)
        default: XCTFail("codec \(codec) but combined \(combined) for \(type) \(data)", file: file, line: line)
        }
        guard let fast else { return false }
        guard case .success(let envelope) = codec else {
            XCTFail("fast path decoded what the codec rejects: \(type) \(data) -> \(fast)", file: file, line: line)
            return true
        }
        XCTAssertEqual(envelope.event, fast, "\(type) \(data)", file: file, line: line)
        // Bit-for-bit, including the sign of zero, for every number.
        XCTAssertEqual(String(reflecting: envelope.event), String(reflecting: fast), file: file, line: line)
        return true
    }

    func testEveryEventOfBothFixturesDecodesAsTheCodecDoes() throws {
        for name in ["busy-night.jsonl", "quiet-day.jsonl"] {
            let url = Self.root.appendingPathComponent("Fixtures/shifts").appendingPathComponent(name)
            let result = try EventLogReader().read(contentsOf: url)
            XCTAssertTrue(result.errors.isEmpty, "\(name): \(result.errors.prefix(3))")
            XCTAssertGreaterThan(result.envelopes.count, 1_000, name)
            let codec = EventCodec(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            var fastCount = 0
            for e in result.envelopes {
                let data = try codec.encodeData(e.event)
                let time = FastEventDecoder.date(millisecondsSince1970: Int64((e.time.timeIntervalSince1970 * 1000).rounded()))
                // time_ms gives the instant the codec parses from the written time.
                XCTAssertEqual(time, ISOTime.parse(ISOTime.format(e.time, timeZone: codec.timeZone)), "\(name) seq \(e.seq)")
                let decoded = try FastEventDecoder.decode(seq: e.seq, time: time, type: e.event.type, data: data)
                XCTAssertEqual(decoded, try EventCodec.decode(seq: e.seq, time: time, type: e.event.type, data: data),
                               "\(name) seq \(e.seq)")
                XCTAssertEqual(decoded.event, e.event, "\(name) seq \(e.seq)")
                if FastEventDecoder.decodeData(type: e.event.type, data: data) != nil { fastCount += 1 }
            }
            // The hot types are nearly the whole shift: the fast path must take them.
            let hot: Set<String> = [EventType.unitPosition, EventType.clockTick, EventType.unitStatus, EventType.unitArrived]
            XCTAssertEqual(fastCount, result.envelopes.filter { hot.contains($0.event.type) }.count, name)
        }
    }

    func testMillisecondInstantsMatchParsedTimes() {
        var rng = SystemRandomNumberGenerator()
        let zones = [0, 8 * 3600, -5 * 3600, 5 * 3600 + 45 * 60]
        for _ in 0..<20_000 {
            let ms = Int64.random(in: -4_000_000_000_000...4_000_000_000_000, using: &rng)
            let date = FastEventDecoder.date(millisecondsSince1970: ms)
            for offset in zones {
                let text = ISOTime.format(date, offsetSeconds: offset)
                XCTAssertEqual(ISOTime.parse(text), date, text)
            }
            XCTAssertEqual(Int64((date.timeIntervalSince1970 * 1000).rounded()), ms)
        }
    }

    func testEdgeCasesEitherMatchTheCodecOrFallBack() {
        let pos = EventType.unitPosition
        // Taken by the fast path.
        for data in [
            #"{"point":{"x":80,"y":-35.5},"unit":"car-3"}"#,
            #"{"heading":90,"point":{"x":80,"y":-35.5},"road":{"fraction":0.5,"segment":"s11"},"speedKmh":32.5,"unit":"car-3"}"#,
            #"{"unit":"C11","point":{"y":1,"x":2}}"#,                         // any key order
            #"{"point":{"x":1e2,"y":-2.5E-3},"unit":"C11"}"#,                 // exponent form
            #"{"point":{"x":1E+2,"y":0.000000000000000000000000001},"unit":"C11"}"#,
            #"{"point":{"x":-0,"y":0.0},"unit":"C11"}"#,                      // negative zero
            #"{"point":{"x":12345678901234567890123,"y":0.1234567890123456789012},"unit":"C11"}"#, // long
            #"{"point":{"x":9007199254740993,"y":1.7976931348623157e308},"unit":"C11"}"#,
            #"{"point":{"x":4.9e-324,"y":2.2250738585072014e-308},"unit":"C11"}"#,
            #"{"point":{"x":0.1,"y":0.30000000000000004},"unit":"永平门街/1"}"#,  // UTF-8, slash
        ] {
            XCTAssertTrue(assertAgrees(pos, data), "should be fast: \(data)")
        }
        XCTAssertTrue(assertAgrees(EventType.clockTick, "{}"))
        XCTAssertTrue(assertAgrees(EventType.clockTick, #"{"speed":10}"#))
        XCTAssertTrue(assertAgrees(EventType.unitStatus, #"{"incident":"I0007","note":"lights on","status":"EnRoute","unit":"car-3"}"#))
        XCTAssertTrue(assertAgrees(EventType.unitStatus, #"{"status":"Available","unit":"car-3"}"#))
        XCTAssertTrue(assertAgrees(EventType.unitArrived, #"{"incident":"I0007","unit":"car-3"}"#))

        // Left to the codec (which decodes or rejects them as it always did).
        for (type, data) in [
            (pos, #"{"point":{"x":1,"y":2},"unit":"C\u0031"}"#),                 // escape
            (pos, #"{"point":{"x":1,"y":2},"unit":"a\"b"}"#),
            (pos, #"{"point":{"x":1,"y":2},"unit":"C11","extra":[1,{"a":null}]}"#), // extra field
            (pos, #"{"point":{"x":1,"y":2,"z":3},"unit":"C11"}"#),
            (pos, #"{"heading":null,"point":{"x":1,"y":2},"unit":"C11"}"#),      // null optional
            (pos, #"{ "point":{"x":1,"y":2},"unit":"C11"}"#),                    // whitespace
            (pos, #"{"point":{"x":1,"y":2},"unit":"C11"} "#),
            (pos, #"{"point":{"x":1,"y":2},"unit":"C11","unit":"C12"}"#),        // repeated key
            (pos, #"{"point":{"x":1,"y":2}}"#),                                  // missing unit
            (pos, #"{"unit":"C11"}"#),                                           // missing point
            (pos, #"{"point":{"x":01,"y":2},"unit":"C11"}"#),                    // not JSON numbers
            (pos, #"{"point":{"x":1.,"y":2},"unit":"C11"}"#),
            (pos, #"{"point":{"x":.5,"y":2},"unit":"C11"}"#),
            (pos, #"{"point":{"x":+1,"y":2},"unit":"C11"}"#),
            (pos, #"{"point":{"x":1e,"y":2},"unit":"C11"}"#),
            (pos, #"{"point":{"x":1e400,"y":2},"unit":"C11"}"#),                 // out of range
            (pos, #"{"point":{"x":"1","y":2},"unit":"C11"}"#),                   // wrong type
            (pos, #"{"point":{"x":1,"y":2},"unit":7}"#),
            (pos, #"{"point":{"x":1,"y":2},"unit":"C11"}{"#),                    // trailing bytes
            (pos, #"{"point":{"x":1,"y":2},"unit":"C11""#),                      // truncated
            (pos, "{\"point\":{\"x\":1,\"y\":2},\"unit\":\"C\u{01}\"}"),             // raw control character
            (pos, "[1]"), (pos, ""), (pos, "null"),
            (EventType.unitStatus, #"{"status":"Lunch","unit":"car-3"}"#),       // unknown status
            (EventType.unitStatus, #"{"status":"Available"}"#),
            (EventType.clockTick, #"{"speed":"fast"}"#),
            (EventType.clockTick, #"{"speed":1,"source":"x"}"#),
            (EventType.incidentReported, #"{"category":"theft","id":"I1","point":{"x":1,"y":2},"priority":2}"#), // not hot
            ("unit.positions", #"{"point":{"x":1,"y":2},"unit":"C11"}"#),        // near-miss type
        ] {
            XCTAssertFalse(assertAgrees(type, data), "should fall back: \(type) \(data)")
        }
    }

    /// Invalid UTF-8 inside a string: the codec decides (it rejects or repairs), never the fast path.
    func testInvalidUTF8FallsBack() {
        var bytes = Array(#"{"point":{"x":1,"y":2},"unit":"C"#.utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(#""}"#.utf8)
        let type = Array(EventType.unitPosition.utf8)
        let fast = type.withUnsafeBufferPointer { t in bytes.withUnsafeBufferPointer { d in FastEventDecoder.decodeData(type: t, data: d) } }
        XCTAssertNil(fast)
    }

    /// Random numbers in every form the codec writes and some it does not: same doubles.
    func testRandomNumbersMatchTheCodecBitForBit() throws {
        var rng = SystemRandomNumberGenerator()
        var texts: [String] = []
        for _ in 0..<5_000 {
            let d = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng))
            if d.isFinite { texts.append("\(d)") }
            let m = Double.random(in: -100_000...100_000, using: &rng)
            texts.append("\((m * 10).rounded() / 10)")
            texts.append("\(Int.random(in: -99_999...99_999, using: &rng))e\(Int.random(in: -30...30, using: &rng))")
            texts.append(String(format: "%.17g", m))
        }
        for text in texts {
            let data = #"{"point":{"x":\#(text),"y":0},"unit":"C11"}"#
            let codec = try? EventCodec.decode(seq: 1, time: Date(), type: EventType.unitPosition, data: data)
            guard let fast = FastEventDecoder.decodeData(type: EventType.unitPosition, data: data) else { continue }
            guard case .unitPosition(let a)? = codec?.event, case .unitPosition(let b) = fast else {
                XCTFail("codec rejects \(text) but fast path decoded it")
                continue
            }
            XCTAssertEqual(a.point.x.bitPattern, b.point.x.bitPattern, text)
        }
    }
}
