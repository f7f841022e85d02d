import Foundation

/// The JSON Lines form of events: one envelope per line,
/// `{"v":1,"seq":12,"time":"2026-11-25T19:48:11.250+08:00","type":"incident.reported","data":{...}}`.
///
/// Encoding is deterministic: the envelope keys in that fixed order, the `data`
/// object's keys sorted, times in the codec's time zone, so two recordings of the
/// same shift are byte-identical and diff cleanly. See docs/events.md.
public struct EventCodec: Sendable {
    /// The format version this build writes and the highest it reads.
    public static let version = 1

    /// The zone times are written in (the precinct's).
    public var timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    // MARK: - Encoding

    /// One line, without the trailing newline.
    ///
    /// - Throws: ``EventEncodingError`` when a number is not finite or an unknown
    ///   event's `json` is not a JSON object.
    public func encode(_ envelope: EventEnvelope) throws -> String {
        let data = try encodeData(envelope.event)
        return Self.line(seq: envelope.seq, time: ISOTime.format(envelope.time, timeZone: timeZone),
                         type: envelope.event.type, data: data)
    }

    /// One line from its parts, without the trailing newline: `time` as written on the
    /// wire, `data` the object ``encodeData(_:)`` writes (used as it is, but for DEL and
    /// C1 controls, escaped as ``encodeData(_:)`` escapes them, for rows older files hold raw).
    public static func line(seq: UInt64, time: String, type: String, data: String) -> String {
        "{\"v\":\(version),\"seq\":\(seq),\"time\":" + quoted(time) + ",\"type\":" + quoted(type)
            + ",\"data\":" + escapingControls(data) + "}"
    }

    /// Several lines, each ending with a newline.
    public func encode<S: Sequence>(lines envelopes: S) throws -> String where S.Element == EventEnvelope {
        var out = ""
        for e in envelopes {
            out += try encode(e)
            out += "\n"
        }
        return out
    }

    /// The `data` object of an event as canonical JSON.
    public func encodeData(_ event: Event) throws -> String {
        let encoder = makeEncoder()
        do {
            let bytes: Data
            switch event {
            case .shiftStarted(let p): bytes = try encoder.encode(p)
            case .clockTick(let p): bytes = try encoder.encode(p)
            case .incidentReported(let p): bytes = try encoder.encode(p)
            case .incidentUpdated(let p): bytes = try encoder.encode(p)
            case .incidentClosed(let p): bytes = try encoder.encode(p)
            case .unitRegistered(let p): bytes = try encoder.encode(p)
            case .unitPosition(let p): bytes = try encoder.encode(p)
            case .unitStatus(let p): bytes = try encoder.encode(p)
            case .dispatch(let p): bytes = try encoder.encode(p)
            case .routeAssigned(let p): bytes = try encoder.encode(p)
            case .unitsRecommended(let p): bytes = try encoder.encode(p)
            case .unitArrived(let p): bytes = try encoder.encode(p)
            case .cameraStatus(let p): bytes = try encoder.encode(p)
            case .trafficChanged(let p): bytes = try encoder.encode(p)
            case .unknown(let type, let json):
                guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) else {
                    throw EventEncodingError.unknownPayloadNotAnObject(type: type)
                }
                bytes = try encoder.encode(object)
            }
            return Self.escapingControls(String(decoding: bytes, as: UTF8.self))
        } catch let error as EventEncodingError {
            throw error
        } catch {
            throw EventEncodingError.unencodable(type: event.type, reason: String(describing: error))
        }
    }

    private func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let zone = timeZone
        encoder.dateEncodingStrategy = .custom { date, enc in
            var c = enc.singleValueContainer()
            try c.encode(ISOTime.format(date, timeZone: zone))
        }
        return encoder
    }

    /// A JSON string literal for `s` (control characters, C1 included, as `\uXXXX`).
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `json` with DEL and the C1 controls (U+007F to U+009F) written as `\u00XX`:
    /// `JSONEncoder` leaves them raw, and a terminal showing the line would act on
    /// U+009B (CSI), U+009D (OSC) and U+009C (ST). They can only occur inside strings,
    /// where the escape means the same character.
    static func escapingControls(_ json: String) -> String {
        guard json.utf8.contains(where: { $0 == 0x7F || $0 == 0xC2 }) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) {
                out.append(contentsOf: "\\u00\(String(scalar.value, radix: 16))".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    // MARK: - Decoding

    /// Reads one line (surrounding whitespace allowed).
    ///
    /// Unknown fields are ignored and unknown types become ``Event/unknown(type:json:)``.
    /// - Throws: ``EventDecodingError``.
    public static func decode(_ line: String) throws -> EventEnvelope {
        try decode(Data(line.utf8), using: makeDecoder())
    }

    /// Rebuilds an envelope from stored parts (e.g. a database row holding `seq`,
    /// `time`, `type` and the `data` object written by ``encodeData(_:)``).
    /// - Throws: ``EventDecodingError``.
    public static func decode(seq: UInt64, time: Date, type: String, data: String) throws -> EventEnvelope {
        // `data` must be exactly one object, so it cannot smuggle envelope keys into the line.
        guard case .object? = try? JSONDecoder().decode(JSONValue.self, from: Data(data.utf8)) else {
            throw EventDecodingError.invalidField("data", reason: "expected one JSON object")
        }
        let line = Self.line(seq: seq, time: ISOTime.format(time, offsetSeconds: 0), type: type, data: data)
        var envelope = try decode(Data(line.utf8), using: makeDecoder())
        envelope.time = time  // keep sub-millisecond precision of the stored instant
        return envelope
    }

    /// Reads one line's bytes with a prepared decoder (see ``EventLogReader``).
    static func decode(_ bytes: Data, using decoder: JSONDecoder) throws -> EventEnvelope {
        do {
            return try decoder.decode(WireLine.self, from: bytes).envelope
        } catch let error as EventDecodingError {
            throw error
        } catch let error as DecodingError {
            throw EventDecodingError(error)
        } catch {
            throw EventDecodingError.invalidJSON(String(describing: error))
        }
    }

    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { dec in
            let c = try dec.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = ISOTime.parse(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 time with offset: \(s)")
            }
            return date
        }
        return decoder
    }
}

/// Why an event could not be written.
public enum EventEncodingError: Error, Equatable, CustomStringConvertible {
    /// A value JSON cannot hold (a NaN or infinite number).
    case unencodable(type: String, reason: String)
    /// An `.unknown` event whose `json` is not a JSON object.
    case unknownPayloadNotAnObject(type: String)

    public var description: String {
        switch self {
        case .unencodable(let type, let reason): return "cannot encode \(type): \(reason)"
        case .unknownPayloadNotAnObject(let type): return "payload of unknown event \(type) is not a JSON object"
        }
    }
}

/// Why a line could not be read as an event.
public enum EventDecodingError: Error, Equatable, CustomStringConvertible {
    /// Not JSON at all, or not a JSON object.
    case invalidJSON(String)
    /// The bytes are not UTF-8.
    case invalidUTF8
    /// Written by a newer format version than this build reads.
    case unsupportedVersion(found: Int, supported: Int)
    /// A required field is missing; `field` is a path such as `data.point`.
    case missingField(String)
    /// A field has the wrong type or an invalid value.
    case invalidField(String, reason: String)
    /// The envelope's `time` is not ISO 8601 with an offset.
    case invalidTime(String)

    public var description: String {
        switch self {
        case .invalidJSON(let m): return "not a JSON object: \(m)"
        case .invalidUTF8: return "not valid UTF-8"
        case .unsupportedVersion(let found, let supported):
            return "format version \(found) is newer than this build reads (up to \(supported)); upgrade Watchroom"
        case .missingField(let f): return "missing field \(f)"
        case .invalidField(let f, let reason): return "invalid field \(f): \(reason)"
        case .invalidTime(let t): return "time \"\(t)\" is not ISO 8601 with an offset (e.g. 2026-11-25T19:48:11.250+08:00)"
        }
    }

    init(_ error: DecodingError) {
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let all = keys + (last.map { [$0] } ?? [])
            let text = all.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .reduce("") { acc, k in k.hasPrefix("[") || acc.isEmpty ? acc + k : acc + "." + k }
            return text.isEmpty ? "(line)" : text
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            self = .missingField(path(ctx.codingPath, key))
        case .typeMismatch(let type, let ctx):
            self = ctx.codingPath.isEmpty ? .invalidJSON("expected an object")
                : .invalidField(path(ctx.codingPath), reason: "expected \(type)")
        case .valueNotFound(let type, let ctx):
            self = .invalidField(path(ctx.codingPath), reason: "null where \(type) expected")
        case .dataCorrupted(let ctx):
            self = ctx.codingPath.isEmpty ? .invalidJSON(ctx.debugDescription)
                : .invalidField(path(ctx.codingPath), reason: ctx.debugDescription)
        @unknown default:
            self = .invalidJSON(String(describing: error))
        }
    }
}

/// The shape of one line on the wire.
private struct WireLine: Decodable {
    var envelope: EventEnvelope

    enum CodingKeys: String, CodingKey { case v, seq, time, type, data }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // The version first: a newer line may not fit the rest of this reader.
        let v = try c.decode(Int.self, forKey: .v)
        guard v <= EventCodec.version else {
            throw EventDecodingError.unsupportedVersion(found: v, supported: EventCodec.version)
        }
        guard v >= 1 else { throw EventDecodingError.invalidField("v", reason: "version must be 1 or more, not \(v)") }
        let seq = try c.decode(UInt64.self, forKey: .seq)
        guard seq >= 1 else { throw EventDecodingError.invalidField("seq", reason: "sequence numbers start at 1") }
        let timeText = try c.decode(String.self, forKey: .time)
        guard let time = ISOTime.parse(timeText) else { throw EventDecodingError.invalidTime(timeText) }
        let type = try c.decode(String.self, forKey: .type)
        let event: Event
        // A kind with no required fields may omit `data`.
        func payload<T: Decodable>(_ t: T.Type) throws -> T {
            if !c.contains(.data), let empty = try? JSONDecoder().decode(T.self, from: Data("{}".utf8)) { return empty }
            return try c.decode(T.self, forKey: .data)
        }
        switch type {
        case EventType.shiftStarted: event = .shiftStarted(try payload(ShiftStarted.self))
        case EventType.clockTick: event = .clockTick(try payload(ClockTick.self))
        case EventType.incidentReported: event = .incidentReported(try payload(IncidentReported.self))
        case EventType.incidentUpdated: event = .incidentUpdated(try payload(IncidentUpdated.self))
        case EventType.incidentClosed: event = .incidentClosed(try payload(IncidentClosed.self))
        case EventType.unitRegistered: event = .unitRegistered(try payload(UnitRegistered.self))
        case EventType.unitPosition: event = .unitPosition(try payload(UnitPosition.self))
        case EventType.unitStatus: event = .unitStatus(try payload(UnitStatusChange.self))
        case EventType.dispatch: event = .dispatch(try payload(DispatchOrder.self))
        case EventType.routeAssigned: event = .routeAssigned(try payload(RouteAssigned.self))
        case EventType.unitsRecommended: event = .unitsRecommended(try payload(UnitsRecommended.self))
        case EventType.unitArrived: event = .unitArrived(try payload(UnitArrived.self))
        case EventType.cameraStatus: event = .cameraStatus(try payload(CameraStatus.self))
        case EventType.trafficChanged: event = .trafficChanged(try payload(TrafficChanged.self))
        default:
            let data = try c.decodeIfPresent(JSONValue.self, forKey: .data) ?? .object([:])
            guard case .object(let object) = data else {
                throw EventDecodingError.invalidField("data", reason: "expected an object")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let json = String(decoding: try encoder.encode(object), as: UTF8.self)
            event = .unknown(type: type, json: json)
        }
        envelope = EventEnvelope(seq: seq, time: time, event: event)
    }
}
