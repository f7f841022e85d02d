/// The schema of a shift file (a recorded shift in SQLite), version by version.
///
/// - `meta(key, value)`: facts about the recording (``ShiftMeta/Key``).
/// - `event`: one row per event. `seq` is the event's sequence number (the row id);
///   `time` its instant as written on the wire (ISO 8601 with milliseconds and the
///   precinct's offset); `time_ms` the same instant in milliseconds since 1970 (for
///   ordering and seeking); `type` the wire type; `incident` the incident it concerns;
///   `unit` the first unit it concerns; `data` the `data` object exactly as
///   `EventCodec.encodeData` writes it (canonical JSON), so export is byte-faithful.
/// - `event_unit(unit, seq)`: every unit of an event that concerns several (a
///   dispatch of two cars), so "everything about C12" finds the dispatch too.
///
/// Indexes on `time_ms`, `type`, `incident` and `unit`.
///
/// Version 2 adds `session`: one row each time a program opened the file for writing
/// (``ShiftSession``): `opened` (ISO 8601 with the precinct's offset), `pid`,
/// `watchroom_version`, `how` (`create`, `resume`, or `schema-1` for the history of a
/// file migrated from version 1, whose sessions were not noted), `first_seq` (the first
/// seq this session could write: the file's last seq + 1 when it opened), and `closed`
/// and `last_seq`, set by a clean close. A session left without `closed` that is not
/// the newest ended abruptly (kill -9, crash, power cut): the replay and drills can say
/// where a recording was interrupted and resumed.
///
/// Reading: every version from 1 to ``version`` replays read-only as it is (nothing is
/// migrated, nothing written); a version above ``version`` is refused with the version
/// found. Opening for writing migrates an older file in place, each step in one
/// transaction. docs/shift-file.md describes the file for other tools.
public enum ShiftSchema {
    /// The schema version this build writes (`PRAGMA user_version`).
    public static var version: Int { migrator.latestVersion }

    /// Marks the file as a Watchroom shift (`PRAGMA application_id`, "WRSH").
    public static let applicationID: Int32 = 0x5752_5348

    public static let migrator: Migrator = {
        var m = Migrator()
        m.register(1, "shift file: meta, event, event_unit") { db in
            try db.exec(ShiftSchema.version1SQL)
        }
        m.register(2, "session: who opened the file for writing, when, and whether it closed cleanly") { db in
            try db.exec("""
                CREATE TABLE session (
                    id                INTEGER PRIMARY KEY,
                    opened            TEXT NOT NULL,
                    pid               INTEGER,
                    watchroom_version TEXT NOT NULL,
                    how               TEXT NOT NULL CHECK (how IN ('create', 'resume', 'schema-1')),
                    first_seq         INTEGER NOT NULL CHECK (first_seq >= 1),
                    closed            TEXT,
                    last_seq          INTEGER
                );
                INSERT INTO session(opened, pid, watchroom_version, how, first_seq, closed, last_seq)
                SELECT coalesce((SELECT value FROM meta WHERE key = 'created'), ''), NULL,
                       coalesce((SELECT value FROM meta WHERE key = 'watchroom_version'), 'unknown'), 'schema-1',
                       coalesce((SELECT min(seq) FROM event), 1), NULL, (SELECT max(seq) FROM event)
                WHERE EXISTS (SELECT 1 FROM meta);
                """)
        }
        return m
    }()

    /// The version-1 schema exactly as builds of that version created it, for tests
    /// that need an old file (`PRAGMA user_version` and `application_id` not included).
    public static let version1SQL = """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE event (
            seq      INTEGER PRIMARY KEY CHECK (seq >= 1),
            time     TEXT NOT NULL,
            time_ms  INTEGER NOT NULL,
            type     TEXT NOT NULL,
            incident TEXT,
            unit     TEXT,
            data     TEXT NOT NULL
        );
        CREATE INDEX event_time_ms ON event(time_ms);
        CREATE INDEX event_type ON event(type);
        CREATE INDEX event_incident ON event(incident) WHERE incident IS NOT NULL;
        CREATE INDEX event_unit_first ON event(unit) WHERE unit IS NOT NULL;
        CREATE TABLE event_unit (
            unit TEXT NOT NULL,
            seq  INTEGER NOT NULL REFERENCES event(seq),
            PRIMARY KEY (unit, seq)
        ) WITHOUT ROWID;
        """
}
