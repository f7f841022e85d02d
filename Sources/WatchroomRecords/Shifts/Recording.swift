import Foundation
import WatchroomCore

/// A recorded shift loaded for replay or a drill: a SQLite shift file (opened read-only,
/// never written) or a JSON Lines recording, with the warnings met on the way.
public struct Recording: Sendable {
    public var path: String
    /// The file's meta table (nil for JSON Lines).
    public var meta: ShiftMeta?
    /// Every event, in sequence order.
    public var envelopes: [EventEnvelope]
    /// Problems that did not stop the load ("FILE:LINE: what; skipped"), already sanitised.
    public var warnings: [String]

    public init(path: String, meta: ShiftMeta?, envelopes: [EventEnvelope], warnings: [String]) {
        self.path = path
        self.meta = meta
        self.envelopes = envelopes
        self.warnings = warnings
    }

    /// The precinct's time zone: the file's meta, else the shift.started event, else UTC.
    public var timeZone: TimeZone {
        if let meta { return meta.zone }
        for e in envelopes.prefix(50) {
            if case .shiftStarted(let s) = e.event, let z = TimeZone(identifier: s.timeZone) { return z }
        }
        return TimeZone(identifier: "UTC") ?? .current
    }

    /// The map the shift was recorded on, if the recording says.
    public var mapKey: MapKey? {
        if let meta { return meta.map }
        for e in envelopes.prefix(50) {
            if case .shiftStarted(let s) = e.event { return s.map }
        }
        return nil
    }

    /// Whether `path` starts with the SQLite file header.
    public static func isSQLite(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        return head == Data("SQLite format 3\0".utf8)
    }

    /// Loads a recording. Throws only when nothing can be replayed (missing, unreadable,
    /// not a shift file, wrong schema); bad lines and rows become warnings.
    public static func load(path: String) throws -> Recording {
        if isSQLite(path) {
            let store = try ShiftStore.open(path: path, readOnly: true)
            defer { try? store.close() }
            return Recording(path: path, meta: store.meta, envelopes: try store.events(), warnings: [])
        }
        let result = try EventLogReader().read(contentsOf: URL(fileURLWithPath: path))
        let warnings = result.errors.map { Sanitizer.inert("\(path):\($0.line): \($0.error); skipped") }
        return Recording(path: path, meta: nil, envelopes: result.envelopes, warnings: warnings)
    }
}
