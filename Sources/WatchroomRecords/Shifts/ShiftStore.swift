import CSQLite
import Foundation
import WatchroomCore

/// A recorded shift in one SQLite file: every event of the shift, one row each, in
/// sequence order (schema: ``ShiftSchema``).
///
/// Durability: a file opened for writing runs in WAL mode with `synchronous = FULL`,
/// so when ``append(_:)`` returns, its events are on disk (the WAL is fsynced at each
/// commit): a `kill -9` or a power cut after that loses none of them, and an append
/// interrupted half-way leaves none of its events (one transaction per call). On
/// ``close()`` the WAL is folded back and the file is left as a single self-contained
/// file (journal mode DELETE) that can be copied as is.
///
/// Read-only opens (`open(path:readOnly: true)`) use `SQLITE_OPEN_READONLY`: they never
/// write the file, never migrate it and never checkpoint it.
///
/// Not thread-safe: use a store from one thread at a time (``ShiftRecorder`` owns one
/// on its own queue).
public final class ShiftStore {
    public let path: String
    public let isReadOnly: Bool
    /// The file's `meta` entries.
    public let meta: ShiftMeta
    /// The last stored seq; 0 for an empty shift.
    public private(set) var lastSeq: UInt64
    /// The file's schema version (``ShiftSchema``): this build's for a file opened for
    /// writing (it was migrated), anything from 1 up for a read-only one.
    public let schemaVersion: Int
    /// The `session` row this connection writes (`nil` read-only).
    private var sessionID: Int64?
    /// The private folder holding the copy read instead of a crashed file (removed on close).
    private var privateFolder: URL?

    private var db: Database?
    private var insertEvent: Statement?
    private var insertUnit: Statement?
    private let codec: EventCodec
    private let zone: TimeZone
    /// The zone event times and `data` are written in (the precinct's).
    public var timeZone: TimeZone { zone }

    private init(db: Database, path: String, meta: ShiftMeta, lastSeq: UInt64, schemaVersion: Int) {
        self.schemaVersion = schemaVersion
        self.db = db
        self.path = path
        isReadOnly = db.isReadOnly
        self.meta = meta
        self.lastSeq = lastSeq
        zone = meta.zone
        codec = EventCodec(timeZone: zone)
    }

    deinit {
        try? close()
    }

    // MARK: - Creating and opening

    /// Creates a new, empty shift file, mode 0600 (its `-wal` and `-shm` get the same).
    /// Refuses to overwrite an existing file, even one made a moment before.
    ///
    /// - Parameters:
    ///   - map: the key of the map the shift is on.
    ///   - timeZone: IANA identifier of the precinct's zone; event times are written in it.
    public static func create(path: String, map: MapKey, timeZone: String, mode: ShiftMode = .live,
                              watchroomVersion: String = "unknown", created: Date = Date()) throws -> ShiftStore {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ShiftStoreError.badMeta(path: path, key: ShiftMeta.Key.timeZone,
                                          reason: "\"\(timeZone)\" is not a time zone this system knows")
        }
        do { try Database.createPrivateFile(path) } catch { throw Self.wrap(error, path: path) }
        let meta = ShiftMeta(map: map, timeZone: timeZone, created: ISOTime.format(created, timeZone: zone),
                             watchroomVersion: watchroomVersion, mode: mode)
        do {
            let db = try Database.open(path: path)
            try db.exec("PRAGMA synchronous = FULL")
            try db.exec("PRAGMA application_id = \(ShiftSchema.applicationID)")
            try ShiftSchema.migrator.migrate(db)
            let session = try db.transaction {
                for (key, value) in meta.all.sorted(by: { $0.key < $1.key }) {
                    try db.execute("INSERT INTO meta(key, value) VALUES (?1, ?2)", [.text(key), .text(value)])
                }
                return try Self.beginSession(db, how: .create, zone: zone, version: watchroomVersion, lastSeq: 0)
            }
            let store = ShiftStore(db: db, path: path, meta: meta, lastSeq: 0, schemaVersion: ShiftSchema.version)
            store.sessionID = session
            return store
        } catch let error as ShiftStoreError {
            throw error
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    /// Opens an existing shift file.
    ///
    /// A file for writing is migrated to this build's schema and gets a `session` row
    /// (`resume`). A read-only file is read at whatever version from 1 up it has (an
    /// older one still replays) and is never written: a cleanly closed file is opened
    /// with `SQLITE_OPEN_READONLY`; a WAL file being recorded now (its `-shm` locked by
    /// the writer, ``hasLiveConnection(shm:)``) shares the writer's index, so a live
    /// recording stays readable; any other file with a `-wal` (left by a crash, copied
    /// elsewhere, a stray `-wal` beside a clean file) is read with a private in-memory
    /// index, so no `-shm` is created or rewritten beside it and nothing is changed. Fails with a
    /// ``ShiftStoreError`` that says what is wrong: not SQLite, not a shift, truncated,
    /// damaged, a schema too new.
    public static func open(path: String, readOnly: Bool = true, watchroomVersion: String = "unknown") throws -> ShiftStore {
        let fm = FileManager.default
        try Recording.checkFile(path)
        var privateFolder: URL?
        func removePrivateCopy() {
            if let privateFolder { try? fm.removeItem(at: privateFolder) }
        }
        let fileSize = Self.size(of: path)
        let magic = Data("SQLite format 3\0".utf8)
        if let handle = FileHandle(forReadingAtPath: path) {
            let head = (try? handle.read(upToCount: 16)) ?? Data()
            try? handle.close()
            if head.allSatisfy({ $0 == 0 }) {
                throw ShiftStoreError.notADatabase(path: path, message: "its first page is zeroed, so its header and schema are gone")
            }
            if !magic.starts(with: head) {
                throw ShiftStoreError.notADatabase(path: path, message: "it does not start with the SQLite header")
            }
        }
        if fileSize < 100 {
            throw ShiftStoreError.corrupt(path: path, message: "it has \(fileSize) bytes, fewer than an SQLite header (100): the copy is incomplete or cut short")
        }
        // Truncation: the header's size against the bytes present (a WAL may
        // legitimately hold pages the main file does not have yet).
        if Self.size(of: path + "-wal") == 0, let expected = Self.headerSize(path), expected > fileSize {
            throw ShiftStoreError.truncated(path: path, expectedBytes: expected, actualBytes: fileSize)
        }
        do {
            let db: Database
            do {
                let hasWAL = fm.fileExists(atPath: path + "-wal")
                if readOnly, Self.isWALMode(path) || hasWAL, !Self.hasLiveConnection(shm: path + "-shm") {
                    if hasWAL {
                        // SQLite may delete or rewrite a `-wal` it recovers: read a private copy.
                        let copy = try Self.privateCopy(of: path)
                        privateFolder = copy.deletingLastPathComponent()
                        db = try Database.openPrivateReadOnly(path: copy.path)
                    } else {
                        db = try Database.openPrivateReadOnly(path: path)
                    }
                } else {
                    db = try Database.open(path: path, readOnly: readOnly)
                }
            } catch DatabaseError.notADatabase(_, let message) {
                throw ShiftStoreError.notADatabase(path: path, message: message)
            }
            let appID = try db.scalarInt("PRAGMA application_id") ?? 0
            guard appID == Int64(ShiftSchema.applicationID) else { throw ShiftStoreError.notAShift(path: path) }
            let version: Int
            if readOnly {
                // Pages straight from the page cache, no copy per read (a replay reads them all).
                _ = try? db.scalarInt("PRAGMA mmap_size = 1073741824")
                version = try db.userVersion()
                guard version <= ShiftSchema.version else {
                    throw ShiftStoreError.schemaTooNew(path: path, found: version, supported: ShiftSchema.version)
                }
                guard version >= 1 else {
                    throw ShiftStoreError.corrupt(path: path, message: "schema version \(version): the file was never set up as a shift")
                }
            } else {
                try db.exec("PRAGMA synchronous = FULL")
                try ShiftSchema.migrator.migrate(db)
                version = ShiftSchema.version
            }
            var entries: [String: String] = [:]
            for (k, v) in try db.query("SELECT key, value FROM meta", row: { ($0.text(0) ?? "", $0.text(1) ?? "") }) {
                entries[k] = v
            }
            let meta = try ShiftMeta(entries: entries, path: path)
            // Reading the last row walks the table's right edge: damage there shows now.
            let last = UInt64(max(0, try db.scalarInt("SELECT max(seq) FROM event") ?? 0))
            let store = ShiftStore(db: db, path: path, meta: meta, lastSeq: last, schemaVersion: version)
            store.privateFolder = privateFolder
            if !readOnly {
                store.sessionID = try db.transaction {
                    try Self.beginSession(db, how: .resume, zone: meta.zone, version: watchroomVersion, lastSeq: last)
                }
            }
            return store
        } catch let error as ShiftStoreError {
            removePrivateCopy()
            throw error
        } catch {
            removePrivateCopy()
            throw Self.wrap(error, path: path)
        }
    }

    /// The shift file and its `-wal` in a new private folder (mode 0700) under the
    /// temporary directory: the file hard-linked when it can be (nothing is copied, and a
    /// read-only connection never writes it), else copied; the `-wal` copied. Returns the
    /// copy's path.
    static func privateCopy(of path: String) throws -> URL {
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("watchroom-read-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            let copy = folder.appendingPathComponent("shift")
            if link(path, copy.path) != 0 { try fm.copyItem(atPath: path, toPath: copy.path) }
            try fm.copyItem(atPath: path + "-wal", toPath: copy.path + "-wal")
            return copy
        } catch {
            try? fm.removeItem(at: folder)
            throw ShiftStoreError.io(path: path, message: "cannot make a private copy to read its -wal (\(error.localizedDescription)); free space in \(fm.temporaryDirectory.path) or set TMPDIR")
        }
    }

    /// Folds the WAL into the file, leaves it a single file, and closes it. Further
    /// calls do nothing; reading or writing afterwards fails with ``ShiftStoreError/notWritable(path:)``.
    public func close() throws {
        guard let db else { return }
        insertEvent = nil
        insertUnit = nil
        defer {
            self.db = nil
            if let privateFolder { try? FileManager.default.removeItem(at: privateFolder) }
        }
        if !db.isReadOnly {
            do {
                if let sessionID {
                    try db.execute("UPDATE session SET closed = ?1, last_seq = ?2 WHERE id = ?3",
                                   [.text(ISOTime.format(Date(), timeZone: zone)),
                                    .integer(Int64(bitPattern: lastSeq)), .integer(sessionID)])
                }
                try db.exec("PRAGMA wal_checkpoint(TRUNCATE)")
                _ = try db.scalarText("PRAGMA journal_mode = DELETE")
            } catch {
                throw Self.wrap(error, path: path)
            }
        }
    }

    // MARK: - Writing

    /// Appends events in one transaction (all or none), durably (see the type's comment).
    ///
    /// Sequence numbers must increase, past ``lastSeq`` (gaps are allowed).
    /// - Returns: each event's `data` object as written (``EventCodec/encodeData(_:)`` in
    ///   ``timeZone``), so a caller that sends the events on need not encode them again.
    @discardableResult
    public func append(_ envelopes: [EventEnvelope]) throws -> [String] {
        guard !envelopes.isEmpty else { return [] }
        guard let db, !isReadOnly else { throw ShiftStoreError.notWritable(path: path) }
        var previous = lastSeq
        for e in envelopes {
            guard e.seq > previous else { throw ShiftStoreError.outOfOrder(path: path, seq: e.seq, after: previous) }
            previous = e.seq
        }
        do {
            let insert = try insertEvent ?? db.prepare(
                "INSERT INTO event(seq, time, time_ms, type, incident, unit, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            insertEvent = insert
            let unitRow = try insertUnit ?? db.prepare("INSERT OR IGNORE INTO event_unit(unit, seq) VALUES (?1, ?2)")
            insertUnit = unitRow
            var written: [String] = []
            written.reserveCapacity(envelopes.count)
            try db.transaction {
                written.removeAll(keepingCapacity: true)
                for e in envelopes {
                    let data: String
                    do {
                        data = try codec.encodeData(e.event)
                    } catch {
                        throw ShiftStoreError.unencodable(path: path, seq: e.seq, reason: String(describing: error))
                    }
                    written.append(data)
                    let units = e.event.unitIDs
                    try insert.bind([
                        .integer(Int64(bitPattern: e.seq)),
                        .text(ISOTime.format(e.time, timeZone: zone)),
                        .integer(Int64((e.time.timeIntervalSince1970 * 1000).rounded())),
                        .text(e.event.type),
                        .text(e.event.incidentID?.rawValue),
                        .text(units.first?.rawValue),
                        .text(data),
                    ])
                    try insert.step()
                    if units.count > 1 {
                        for u in units {
                            try unitRow.bind([.text(u.rawValue), .integer(Int64(bitPattern: e.seq))])
                            try unitRow.step()
                        }
                    }
                }
            }
            lastSeq = previous
            return written
        } catch let error as ShiftStoreError {
            throw error
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    // MARK: - Reading

    /// The events with `from <= seq <= to`, in order.
    ///
    /// `skipping` as in ``forEach(from:to:skipping:_:)``.
    public func events(from: UInt64 = 1, to: UInt64 = .max,
                       skipping: ((_ seq: UInt64, _ problem: String) -> Void)? = nil) throws -> [EventEnvelope] {
        var out: [EventEnvelope] = []
        let upper = min(lastSeq, to)
        if from <= upper { out.reserveCapacity(Int(clamping: upper - from + 1).clamped(to: 0...20_000_000)) }
        try forEach(from: from, to: to, skipping: skipping) { out.append($0) }
        return out
    }

    /// Calls `body` with each event with `from <= seq <= to`, in order, reading row by
    /// row (the whole shift is never in memory). A row that does not decode fails with
    /// ``ShiftStoreError/corrupt(path:message:)`` naming its seq.
    ///
    /// The instant comes from the `time_ms` column (the same `Date` parsing `time`
    /// gives, see ``FastEventDecoder/date(millisecondsSince1970:)``); the hot event types
    /// are decoded by ``FastEventDecoder`` straight from SQLite's bytes, anything else
    /// (or anything unusual) by ``EventCodec``.
    ///
    /// A row whose numbers lie outside ``Bounds`` (a `time_ms` that is not an integer
    /// from 1970 to 9999, a coordinate more than 10,000 km out, a duration beyond 7 days,
    /// a number that is not finite) is passed to `skipping` with what is wrong and left
    /// out; without `skipping` it fails with ``ShiftStoreError/outOfRange(path:seq:problem:)``.
    public func forEach(from: UInt64 = 1, to: UInt64 = .max,
                        skipping: ((_ seq: UInt64, _ problem: String) -> Void)? = nil,
                        _ body: (EventEnvelope) throws -> Void) throws {
        let lo = Int64(clamping: from), hi = Int64(clamping: to)
        func skip(_ seq: UInt64, _ problem: String) throws {
            guard let skipping else { throw ShiftStoreError.outOfRange(path: path, seq: seq, problem: problem) }
            skipping(seq, problem)
        }
        try read { db in
            let statement = try db.prepare(
                "SELECT seq, time_ms, type, data, typeof(time_ms) = 'integer' FROM event WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq")
            try statement.bind([.integer(lo), .integer(hi)])
            while try statement.step() {
                let seq = UInt64(bitPattern: statement.int64(0) ?? 0)
                let ms = statement.int64(1) ?? 0
                guard statement.int64(4) == 1, Bounds.milliseconds.contains(ms) else {
                    try skip(seq, "time_ms \(Sanitizer.inert(statement.text(1) ?? "NULL")) is not milliseconds from 1970 to 9999")
                    continue
                }
                let time = FastEventDecoder.date(millisecondsSince1970: ms)
                let fast = statement.withUTF8(2) { type in
                    statement.withUTF8(3) { data in FastEventDecoder.decodeData(type: type, data: data) }
                }
                let envelope: EventEnvelope
                if let fast {
                    envelope = EventEnvelope(seq: seq, time: time, event: fast)
                } else {
                    let type = statement.text(2) ?? "", data = statement.text(3) ?? ""
                    do {
                        envelope = try EventCodec.decode(seq: seq, time: time, type: type, data: data)
                    } catch {
                        throw ShiftStoreError.corrupt(path: path, message: "event seq \(seq) (\(type)): \(error)")
                    }
                }
                if let problem = envelope.event.outOfRange {
                    try skip(seq, problem)
                    continue
                }
                try body(envelope)
            }
        }
    }

    /// Calls `body` with each stored row with `from <= seq <= to`, in order, undecoded.
    public func forEachStored(from: UInt64 = 1, to: UInt64 = .max, _ body: (StoredEvent) throws -> Void) throws {
        let lo = Int64(clamping: from), hi = Int64(clamping: to)
        try read { db in
            let statement = try db.prepare(
                "SELECT \(Self.columns) FROM event WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq")
            try statement.bind([.integer(lo), .integer(hi)])
            while try statement.step() { try body(Self.storedRow(statement)) }
        }
    }

    /// The yardstick for replay benchmarks: steps through every row of `event` in seq
    /// order reading every column (integers as integers, text as its bytes) without
    /// decoding anything. Returns the rows and the text bytes seen.
    public func scanRaw() throws -> (rows: Int, bytes: Int, checksum: Int64) {
        try read { db in
            let statement = try db.prepare("SELECT \(Self.columns) FROM event ORDER BY seq")
            var rows = 0, bytes = 0
            var checksum: Int64 = 0
            while try statement.step() {
                rows += 1
                checksum &+= (statement.int64(0) ?? 0) &+ (statement.int64(2) ?? 0)
                bytes += statement.withUTF8(1) { $0.count } + statement.withUTF8(3) { $0.count }
                    + statement.withUTF8(4) { $0.count } + statement.withUTF8(5) { $0.count }
                    + statement.withUTF8(6) { $0.count }
            }
            return (rows, bytes, checksum)
        }
    }

    /// How many events the file holds.
    public func count() throws -> Int {
        try read { Int(try $0.scalarInt("SELECT count(*) FROM event") ?? 0) }
    }

    /// The first and last stored rows, or `nil` for an empty shift.
    public func bounds() throws -> (first: StoredEvent, last: StoredEvent)? {
        let rows = try read { db in
            try db.query("""
                SELECT \(Self.columns) FROM event
                WHERE seq IN ((SELECT min(seq) FROM event), (SELECT max(seq) FROM event)) ORDER BY seq
                """, row: Self.storedRow)
        }
        guard let first = rows.first, let last = rows.last else { return nil }
        return (first, last)
    }

    /// Events per type, most frequent first (ties by type name).
    public func countsByType() throws -> [(type: String, count: Int)] {
        try read { db in
            try db.query("SELECT type, count(*) FROM event GROUP BY type ORDER BY count(*) DESC, type") {
                (type: $0.text(0) ?? "", count: $0.int(1) ?? 0)
            }
        }
    }

    /// The distinct incidents the events concern, in id order.
    public func incidents() throws -> [IncidentID] {
        try read { db in
            try db.query("SELECT DISTINCT incident FROM event WHERE incident IS NOT NULL ORDER BY incident") {
                IncidentID($0.text(0) ?? "")
            }
        }
    }

    /// The distinct units the events concern (including every unit of a multi-unit dispatch), in id order.
    public func units() throws -> [UnitID] {
        try read { db in
            try db.query("""
                SELECT unit FROM event WHERE unit IS NOT NULL UNION SELECT unit FROM event_unit ORDER BY 1
                """) { UnitID($0.text(0) ?? "") }
        }
    }

    /// The seqs of every event about `unit`, in order.
    public func seqs(unit: UnitID) throws -> [UInt64] {
        try read { db in
            try db.query("""
                SELECT seq FROM event WHERE unit = ?1 UNION SELECT seq FROM event_unit WHERE unit = ?1 ORDER BY 1
                """, [.text(unit.rawValue)]) { UInt64($0.int64(0) ?? 0) }
        }
    }

    /// SQLite's full consistency check (reads every page: seconds for a big file).
    /// Throws ``ShiftStoreError/corrupt(path:message:)`` on damage.
    /// `full` runs `PRAGMA integrity_check` (also every index against its table) instead.
    public func verify(full: Bool = false) throws {
        let result = try read { db in
            full ? try db.query("PRAGMA integrity_check") { $0.text(0) ?? "" } : try db.quickCheck()
        }
        guard result == ["ok"] else {
            throw ShiftStoreError.corrupt(path: path, message: result.prefix(3).joined(separator: "; "))
        }
    }

    /// Every problem `shift verify` reports beyond SQLite's own check, each naming its
    /// table or row: a table of the schema missing; a row whose `time` is not ISO 8601
    /// with offset, whose `time_ms` is not an integer, differs from `time` or lies outside
    /// 1970-9999; a `data` that does not decode; a number outside ``Bounds``. Returns the
    /// first `limit` problems, the total, and how many events are sound.
    public func verifyRows(limit: Int = 100) throws -> (problems: [String], total: Int, sound: Int) {
        var problems: [String] = []
        var total = 0
        func note(_ text: String) {
            total += 1
            if problems.count < limit { problems.append(Sanitizer.inert(text)) }
        }
        let tables = Set(try read { db in try db.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.text(0) ?? "" } })
        var required = ["meta", "event", "event_unit"]
        if schemaVersion >= 2 { required.append("session") }
        for table in required where !tables.contains(table) {
            note("table \(table) is missing (schema version \(schemaVersion) has it)")
        }
        guard tables.contains("event") else { return (problems, total, 0) }
        var sound = 0
        try read { db in
            let statement = try db.prepare("""
                SELECT seq, time, time_ms, typeof(time_ms) = 'integer', type, data FROM event ORDER BY seq
                """)
            while try statement.step() {
                let seq = statement.int64(0) ?? 0
                let timeText = statement.text(1) ?? "NULL"
                let ms = statement.int64(2) ?? 0
                guard statement.int64(3) == 1, Bounds.milliseconds.contains(ms) else {
                    note("event seq \(seq): time_ms \(statement.text(2) ?? "NULL") is not milliseconds from 1970 to 9999")
                    continue
                }
                guard let parsed = ISOTime.parse(timeText) else {
                    note("event seq \(seq): time \"\(timeText.prefix(40))\" is not an ISO 8601 time with offset")
                    continue
                }
                let parsedMs = (parsed.timeIntervalSince1970 * 1000).rounded()
                guard parsedMs == Double(ms) else {
                    note("event seq \(seq): time \(timeText) and time_ms \(ms) are different instants")
                    continue
                }
                let type = statement.text(4) ?? "", data = statement.text(5) ?? ""
                let envelope: EventEnvelope
                do {
                    envelope = try FastEventDecoder.decode(seq: UInt64(bitPattern: seq),
                                                           time: FastEventDecoder.date(millisecondsSince1970: ms),
                                                           type: type, data: data)
                } catch {
                    note("event seq \(seq) (\(type.prefix(40))): \(error)")
                    continue
                }
                if let problem = envelope.event.outOfRange {
                    note("event seq \(seq) (\(type)): \(problem)")
                    continue
                }
                sound += 1
            }
        }
        return (problems, total, sound)
    }

    /// The file's sessions in order (empty for a schema-1 file, which did not note them).
    public func sessions() throws -> [ShiftSession] {
        guard schemaVersion >= 2 else { return [] }
        return try read { db in
            try db.query("""
                SELECT id, opened, pid, watchroom_version, how, first_seq, closed, last_seq FROM session ORDER BY id
                """) { row in
                ShiftSession(id: row.int64(0) ?? 0, opened: row.text(1) ?? "", pid: row.int(2),
                             watchroomVersion: row.text(3) ?? "", how: ShiftSession.How(rawValue: row.text(4) ?? "") ?? .resume,
                             firstSeq: UInt64(max(1, row.int64(5) ?? 1)), closed: row.text(6),
                             lastSeq: row.int64(7).map { UInt64(max(0, $0)) })
            }
        }
    }

    // MARK: - Helpers

    /// Notes a writing session; returns its row id.
    private static func beginSession(_ db: Database, how: ShiftSession.How, zone: TimeZone, version: String,
                                     lastSeq: UInt64) throws -> Int64 {
        try db.execute("""
            INSERT INTO session(opened, pid, watchroom_version, how, first_seq) VALUES (?1, ?2, ?3, ?4, ?5)
            """, [.text(ISOTime.format(Date(), timeZone: zone)), .integer(Int64(ProcessInfo.processInfo.processIdentifier)),
                  .text(version), .text(how.rawValue), .integer(Int64(bitPattern: lastSeq &+ 1))])
        return db.lastInsertRowID
    }

    /// Whether a process has the shift open now: SQLite's unix VFS keeps a shared lock
    /// on byte 128 of the `-shm` (the "DMS" slot) for as long as a connection uses it. A
    /// `-shm` nobody locks was left by a killed or crashed writer; sharing it would make
    /// SQLite rebuild it (writing beside a read-only recording), so such a file is read
    /// with a private in-memory index instead. No `-shm` at all: nobody has it open.
    static func hasLiveConnection(shm: String) -> Bool {
        let fd = Foundation.open(shm, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { Foundation.close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 128
        lock.l_len = 1
        guard fcntl(fd, F_GETLK, &lock) == 0 else { return true }  // cannot tell: share, as before
        return lock.l_type != Int16(F_UNLCK)
    }

    /// Whether the file's header says WAL mode (read and write versions 2).
    static func isWALMode(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let h = try? handle.read(upToCount: 20), h.count == 20 else { return false }
        return h[h.startIndex + 18] == 2 || h[h.startIndex + 19] == 2
    }

    private static let columns = "seq, time, time_ms, type, incident, unit, data"

    private static func storedRow(_ s: Statement) -> StoredEvent {
        StoredEvent(seq: UInt64(s.int64(0) ?? 0), time: s.text(1) ?? "", timeMs: s.int64(2) ?? 0,
                    type: s.text(3) ?? "", incident: s.text(4), unit: s.text(5), data: s.text(6) ?? "")
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        guard let db else { throw ShiftStoreError.notWritable(path: path) }
        do {
            return try body(db)
        } catch let error as ShiftStoreError {
            throw error
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    /// The database size an SQLite file's header states (page size times the
    /// in-header page count), or `nil` when the header is not SQLite's or the count is
    /// not valid (SQLite then goes by the file's size).
    static func headerSize(_ path: String) -> Int64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let h = try? handle.read(upToCount: 100), h.count == 100,
              h.prefix(16) == Data("SQLite format 3\0".utf8) else { return nil }
        func be32(_ at: Int) -> Int64 { h[at..<at + 4].reduce(Int64(0)) { $0 << 8 | Int64($1) } }
        let rawPageSize = Int64(h[16]) << 8 | Int64(h[17])
        let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
        // The in-header count is valid only when "version-valid-for" matches the change counter.
        guard be32(92) == be32(24), pageSize >= 512 else { return nil }
        return pageSize * be32(28)
    }

    static func size(of path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func wrap(_ error: any Error, path: String) -> any Error {
        guard let dbError = error as? DatabaseError else { return error }
        switch dbError {
        case let .notADatabase(_, message):
            return ShiftStoreError.notADatabase(path: path, message: message)
        case let .schemaTooNew(_, found, supported):
            return ShiftStoreError.schemaTooNew(path: path, found: found, supported: supported)
        case let .schemaOutdated(_, found, expected):
            return ShiftStoreError.schemaOutdated(path: path, found: found, expected: expected)
        case let .fileExists(p):
            return ShiftStoreError.fileExists(path: p)
        case let .sqlite(code, message, _), let .open(_, code, message):
            let primary = code & 0xFF
            if primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB {
                return ShiftStoreError.corrupt(path: path, message: message)
            }
            if code == SQLITE_IOERR | (2 << 8) {  // SQLITE_IOERR_SHORT_READ
                return ShiftStoreError.corrupt(path: path, message: "the file ends early (\(message))")
            }
            return ShiftStoreError.io(path: path, message: "\(message) (SQLite code \(code))")
        default:
            return ShiftStoreError.io(path: path, message: dbError.description)
        }
    }
}

extension Int {
    fileprivate func clamped(to range: ClosedRange<Int>) -> Int { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
