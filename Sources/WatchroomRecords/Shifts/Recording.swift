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

    /// A warning when the shift was recorded on another map than `map` (the one in
    /// use), else `nil` (same map, or the recording does not say). Sanitised.
    public func mapWarning(using map: MapKey) -> String? {
        guard let recorded = mapKey, recorded != map else { return nil }
        return Sanitizer.inert("\(path) was recorded on map \"\(recorded)\" but the map in use is \"\(map)\": "
            + "places and positions may not match the streets shown; give --map the map file of \"\(recorded)\" to replay it faithfully")
    }

    /// Loads a recording. Throws only when nothing can be replayed (missing, unreadable,
    /// not a shift file, truncated, a schema too new); everything else becomes a warning
    /// and the rest is replayed:
    /// - JSON Lines: bad lines (`FILE:LINE: what; skipped`), events whose seq does not
    ///   come after the previous one (out of order or repeated; skipped);
    /// - a shift file damaged part-way: the events before the damage, and a warning;
    /// - both: event types this build does not know (kept; the replay ignores them).
    ///
    /// A shift file is opened read-only (``ShiftStore/open(path:readOnly:watchroomVersion:)``):
    /// never written, never migrated, no `-wal`/`-shm` created beside it; a file still
    /// being recorded reads up to its last committed event.
    public static func load(path: String) throws -> Recording {
        if isSQLite(path) {
            let store = try ShiftStore.open(path: path, readOnly: true)
            defer { try? store.close() }
            var envelopes: [EventEnvelope] = []
            var warnings: [String] = []
            do {
                envelopes = try store.events()
            } catch let error as ShiftStoreError {
                // Keep what was read before the damage, when there is anything.
                var partial: [EventEnvelope] = []
                try? store.forEach { partial.append($0) }
                guard let last = partial.last else { throw error }
                envelopes = partial
                warnings.append(Sanitizer.inert("\(error); replaying the \(partial.count) events up to seq \(last.seq) only"))
            }
            warnings += unknownTypeWarnings(envelopes, path: path)
            return Recording(path: path, meta: store.meta, envelopes: envelopes, warnings: warnings)
        }
        let result: EventLogReader.Result
        do {
            result = try EventLogReader().read(contentsOf: URL(fileURLWithPath: path))
        } catch {
            if !FileManager.default.fileExists(atPath: path) { throw ShiftStoreError.missing(path: path) }
            throw ShiftStoreError.io(path: path, message: "cannot read it (\(error.localizedDescription))")
        }
        var problems: [(line: Int, text: String)] = result.errors.map { ($0.line, "\($0.error)") }
        var envelopes: [EventEnvelope] = []
        envelopes.reserveCapacity(result.entries.count)
        var last: UInt64 = 0
        for (line, e) in result.entries {
            guard e.seq > last else {
                let what = e.seq == last ? "repeats seq \(last)" : "does not come after seq \(last)"
                problems.append((line, "seq \(e.seq) \(what) (events must be in order)"))
                continue
            }
            last = e.seq
            envelopes.append(e)
        }
        guard !envelopes.isEmpty || problems.isEmpty else {
            throw ShiftStoreError.corrupt(path: path, message: "no line reads as an event (line \(problems.map(\.line).min() ?? 1): "
                + "\(problems.min { $0.line < $1.line }?.text ?? "")); is it a JSON Lines recording?")
        }
        problems.sort { $0.line < $1.line }
        var warnings = problems.prefix(100).map { Sanitizer.inert("\(path):\($0.line): \($0.text); skipped") }
        if problems.count > 100 { warnings.append(Sanitizer.inert("\(path): \(problems.count - 100) more bad lines skipped")) }
        warnings += unknownTypeWarnings(envelopes, path: path)
        return Recording(path: path, meta: nil, envelopes: envelopes, warnings: warnings)
    }

    /// One warning per event type this build does not know (extension types it does
    /// know, such as `order.issued`, are not warned about).
    static func unknownTypeWarnings(_ envelopes: [EventEnvelope], path: String) -> [String] {
        var counts: [String: (count: Int, first: UInt64)] = [:]
        for e in envelopes {
            if case .unknown(let type, _) = e.event, type != EventType.orderIssued {
                counts[type, default: (0, e.seq)].count += 1
            }
        }
        return counts.sorted { $0.value.first < $1.value.first }.map { type, v in
            Sanitizer.inert("\(path): \(v.count) event\(v.count == 1 ? "" : "s") of type \(type) (first at seq \(v.first)) "
                + "not known to this build: kept, ignored by the replay (a newer Watchroom knows them)")
        }
    }
}
