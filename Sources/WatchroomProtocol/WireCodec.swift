import Foundation
import WatchroomCore

/// Why a frame's payload is not a message or an event this version reads.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = Sanitizer.inert(description) }
}

/// Turns messages and events into frames and back (docs/protocol.md). Decoding never
/// traps: anything that is not a valid message or event is a ``WireError``.
public struct WireCodec: Sendable {
    /// The zone event lines are written in (the precinct's).
    public let events: EventCodec

    public init(timeZone: TimeZone) {
        events = EventCodec(timeZone: timeZone)
    }

    // MARK: - Messages

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Exact instants (a double of seconds since 2001), so a snapshot folds to the very
        // state the server holds (its digest equal).
        encoder.dateEncodingStrategy = .deferredToDate
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    public func frame(_ message: ServerMessage) throws -> Frame {
        try Frame(kind: .message, payload: Array(Self.makeEncoder().encode(message)))
    }

    public func frame(_ message: ClientMessage) throws -> Frame {
        try Frame(kind: .message, payload: Array(Self.makeEncoder().encode(message)))
    }

    public func serverMessage(_ frame: Frame) throws(WireError) -> ServerMessage {
        guard frame.kind == .message else { throw WireError("expected a message frame, got an event") }
        return try Self.decode(ServerMessage.self, frame.payload)
    }

    public func clientMessage(_ frame: Frame) throws(WireError) -> ClientMessage {
        guard frame.kind == .message else { throw WireError("a client sends no event frames") }
        return try Self.decode(ClientMessage.self, frame.payload)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ payload: [UInt8]) throws(WireError) -> T {
        do {
            return try makeDecoder().decode(T.self, from: Data(payload))
        } catch let error as DecodingError {
            throw WireError(Self.describe(error))
        } catch {
            throw WireError("not a JSON message: \(error)")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.isEmpty ? "" : " at " + c.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let c): return "bad message\(path(c)): \(c.debugDescription)"
        case .keyNotFound(let key, let c): return "message without \"\(key.stringValue)\"\(path(c))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "bad message\(path(c)): \(c.debugDescription)"
        @unknown default: return "bad message"
        }
    }

    // MARK: - Events

    /// An event frame: the exact instant, then the event's JSON line (docs/events.md).
    public func frame(_ envelope: EventEnvelope) throws -> Frame {
        Frame(kind: .event, payload: Self.eventPayload(time: envelope.time, line: try events.encode(envelope)))
    }

    /// The payload of an event frame from the instant and the line already written.
    public static func eventPayload(time: Date, line: String) -> [UInt8] {
        let bits = time.timeIntervalSinceReferenceDate.bitPattern
        var out: [UInt8] = []
        out.reserveCapacity(8 + line.utf8.count)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        out.append(contentsOf: line.utf8)
        return out
    }

    /// The envelope of an event frame, and its line as sent. The instant must agree with
    /// the line's time (to the millisecond the line keeps) and every number be in bounds.
    public func event(_ frame: Frame) throws(WireError) -> (envelope: EventEnvelope, line: String) {
        guard frame.kind == .event else { throw WireError("expected an event frame, got a message") }
        let payload = frame.payload
        guard payload.count > 8 else { throw WireError("event frame of \(payload.count) bytes: shorter than its instant and a line") }
        var bits: UInt64 = 0
        for k in 0..<8 { bits = bits << 8 | UInt64(payload[k]) }
        let seconds = Double(bitPattern: bits)
        guard seconds.isFinite else { throw WireError("event frame with an instant that is not a finite number") }
        guard let line = String(validating: payload[8...], as: UTF8.self) else { throw WireError("event line is not UTF-8") }
        var envelope: EventEnvelope
        do {
            envelope = try EventCodec.decode(line)
        } catch {
            throw WireError("bad event line: \(error)")
        }
        let exact = Date(timeIntervalSinceReferenceDate: seconds)
        guard abs(exact.timeIntervalSince(envelope.time)) < 0.001 else {
            throw WireError("event \(envelope.seq): its instant and its line's time disagree")
        }
        envelope.time = exact
        if let problem = envelope.outOfRange { throw WireError("event \(envelope.seq): \(problem)") }
        return (envelope, line)
    }
}

/// A short fingerprint of a map's contents (its key, zone, intersections, segments,
/// cameras, addresses and landmarks): two processes that load different files under the
/// same key are told apart at handshake.
public enum MapDigest {
    public static func of(_ map: PrecinctMap) -> String {
        var text = "\(map.key)|\(map.timeZone)|\(map.intersections.count)|\(map.segments.count)|\(map.cameras.count)|"
            + "\(map.addresses.count)|\(map.landmarks.count)\n"
        func tenth(_ v: Double) -> String { v.isFinite ? String(Int((max(-1e12, min(1e12, v)) * 10).rounded())) : "x" }
        for i in map.intersections { text += "\(i.key) \(tenth(i.position.x)) \(tenth(i.position.y))\n" }
        for s in map.segments { text += "\(s.key) \(s.from) \(s.to)\n" }
        for c in map.cameras { text += "\(c.key) \(tenth(c.position.x)) \(tenth(c.position.y))\n" }
        let hex = String(FNV1a64.hash(text.utf8), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
