import Foundation
import WatchroomCore

/// What a shift file says about itself (its `meta` table).
public struct ShiftMeta: Hashable, Sendable {
    /// The `meta` keys this build writes.
    public enum Key {
        public static let map = "map"
        public static let timeZone = "time_zone"
        public static let created = "created"
        public static let watchroomVersion = "watchroom_version"
        public static let mode = "mode"
    }

    /// The map the shift was recorded on (`PrecinctMap.key`).
    public var map: MapKey
    /// IANA time zone of the precinct; every `time` in the file is written in it.
    public var timeZone: String
    /// When the file was created, ISO 8601 with offset.
    public var created: String
    /// The Watchroom version that created the file.
    public var watchroomVersion: String
    /// live, replay or drill.
    public var mode: ShiftMode
    /// Every `meta` entry, including ones a newer build wrote.
    public var all: [String: String]

    /// The zone as a `TimeZone` (validated when the file is opened).
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current }

    init(map: MapKey, timeZone: String, created: String, watchroomVersion: String, mode: ShiftMode) {
        self.map = map
        self.timeZone = timeZone
        self.created = created
        self.watchroomVersion = watchroomVersion
        self.mode = mode
        all = [Key.map: map.rawValue, Key.timeZone: timeZone, Key.created: created,
               Key.watchroomVersion: watchroomVersion, Key.mode: mode.rawValue]
    }

    /// Reads the entries of a file, checking the ones every shift needs.
    init(entries: [String: String], path: String) throws {
        func required(_ key: String) throws -> String {
            guard let v = entries[key], !v.isEmpty else {
                throw ShiftStoreError.badMeta(path: path, key: key, reason: "missing")
            }
            return v
        }
        map = MapKey(try required(Key.map))
        timeZone = try required(Key.timeZone)
        guard TimeZone(identifier: timeZone) != nil else {
            throw ShiftStoreError.badMeta(path: path, key: Key.timeZone,
                                          reason: "\"\(timeZone)\" is not a time zone this system knows")
        }
        let modeText = try required(Key.mode)
        guard let m = ShiftMode(rawValue: modeText) else {
            throw ShiftStoreError.badMeta(path: path, key: Key.mode, reason: "\"\(modeText)\" is not live, replay or drill")
        }
        mode = m
        created = entries[Key.created] ?? ""
        watchroomVersion = entries[Key.watchroomVersion] ?? ""
        all = entries
    }
}

/// One `event` row as stored, before decoding.
public struct StoredEvent: Hashable, Sendable {
    public var seq: UInt64
    /// ISO 8601 with milliseconds and offset, as on the wire.
    public var time: String
    public var timeMs: Int64
    public var type: String
    public var incident: String?
    public var unit: String?
    /// The `data` object, canonical JSON.
    public var data: String

    /// The JSON Lines form (docs/events.md), without the newline: the same bytes
    /// `EventCodec.encode` writes for the event, built without decoding it.
    public var jsonLine: String {
        EventCodec.line(seq: seq, time: time, type: type, data: data)
    }

    /// The event, decoded (unknown types become `Event.unknown`); its instant from
    /// ``timeMs`` (the same `Date` as parsing ``time``), its payload by
    /// ``FastEventDecoder`` when it can, else ``EventCodec``.
    public func envelope() throws -> EventEnvelope {
        try FastEventDecoder.decode(seq: seq, time: FastEventDecoder.date(millisecondsSince1970: timeMs),
                                    type: type, data: data)
    }
}

/// One time a program opened a shift file for writing (schema version 2, ``ShiftSchema``).
public struct ShiftSession: Hashable, Sendable {
    /// How the session began.
    public enum How: String, Sendable {
        /// The file was created.
        case create
        /// An existing file was opened to record more (after a restart or a crash).
        case resume
        /// The history of a file migrated from schema version 1, whose sessions were not noted.
        case schemaOne = "schema-1"
    }

    public var id: Int64
    /// When it opened, ISO 8601 with the precinct's offset.
    public var opened: String
    public var pid: Int?
    public var watchroomVersion: String
    public var how: How
    /// The first seq the session could write (the file's last seq + 1 when it opened).
    public var firstSeq: UInt64
    /// When it closed cleanly; `nil` while open, or when it ended abruptly.
    public var closed: String?
    /// The file's last seq at the clean close.
    public var lastSeq: UInt64?
}
