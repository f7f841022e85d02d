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

    /// Whether `path` is to be read as a shift file (SQLite) rather than JSON Lines: it
    /// starts with the SQLite header (or the start of one, when cut short), or with a NUL
    /// byte (a zeroed first page), or its name ends in `.shift`. A damaged shift file is
    /// then reported as a damaged shift file, not as bad JSON Lines.
    public static func isSQLite(_ path: String) -> Bool {
        if path.hasSuffix(".shift") { return true }
        guard isRegularFile(path), let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        guard let first = head.first else { return false }
        return first == 0 || Data("SQLite format 3\0".utf8).starts(with: head)
    }

    /// Refuses, with a plain-language ``ShiftStoreError``, what cannot be a recording:
    /// a missing path, a directory, a device, a pipe or a socket (a pipe would block the
    /// read), an unreadable or empty file.
    public static func checkFile(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw ShiftStoreError.missing(path: path) }
            throw ShiftStoreError.io(path: path, message: "cannot read it (\(String(cString: strerror(errno))))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ShiftStoreError.notAFile(path: path, kind: "a directory")
        case S_IFCHR, S_IFBLK: throw ShiftStoreError.notAFile(path: path, kind: "a device")
        case S_IFIFO: throw ShiftStoreError.notAFile(path: path, kind: "a pipe (FIFO)")
        case S_IFSOCK: throw ShiftStoreError.notAFile(path: path, kind: "a socket")
        default: throw ShiftStoreError.notAFile(path: path, kind: "not a regular file")
        }
        guard access(path, R_OK) == 0 else {
            throw ShiftStoreError.io(path: path, message: "cannot read it (permission denied); check the file's owner and mode")
        }
        guard info.st_size > 0 else { throw ShiftStoreError.empty(path: path) }
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
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
        try checkFile(path)
        if isSQLite(path) {
            let store = try ShiftStore.open(path: path, readOnly: true)
            defer { try? store.close() }
            var envelopes: [EventEnvelope] = []
            var warnings: [String] = []
            var skipped: [(line: Int, text: String)] = []
            let skip = { (seq: UInt64, problem: String) in skipped.append((Int(clamping: seq), problem)) }
            do {
                envelopes = try store.events(skipping: skip)
            } catch let error as ShiftStoreError {
                // Keep what was read before the damage, when there is anything.
                var partial: [EventEnvelope] = []
                skipped = []
                try? store.forEach(skipping: skip) { partial.append($0) }
                guard let last = partial.last else { throw error }
                envelopes = partial
                warnings.append(Sanitizer.inert("\(error); replaying the \(partial.count) events up to seq \(last.seq) only"))
            }
            warnings += skippedWarnings(skipped, path: path, where: "event seq")
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
            if let problem = e.outOfRange {
                problems.append((line, problem))
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
        var warnings = skippedWarnings(problems, path: path, where: nil)
        warnings += unknownTypeWarnings(envelopes, path: path)
        return Recording(path: path, meta: nil, envelopes: envelopes, warnings: warnings)
    }

    /// The first 100 skipped lines or rows, one warning each (`FILE:LINE: what; skipped`,
    /// or `FILE: event seq N: what; skipped`), then the total when there are any.
    static func skippedWarnings(_ problems: [(line: Int, text: String)], path: String, where label: String?) -> [String] {
        guard !problems.isEmpty else { return [] }
        var warnings = problems.prefix(100).map { p in
            Sanitizer.inert(label.map { "\(path): \($0) \(p.line): \(p.text); skipped" } ?? "\(path):\(p.line): \(p.text); skipped")
        }
        let what = label == nil ? "line" : "event"
        let more = problems.count > 100 ? " (the first 100 listed)" : ""
        warnings.append(Sanitizer.inert("\(path): \(problems.count) bad \(what)\(problems.count == 1 ? "" : "s") skipped in all\(more)"))
        return warnings
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
