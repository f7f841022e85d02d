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
public enum ShiftSchema {
    /// The schema version this build writes (`PRAGMA user_version`).
    public static var version: Int { migrator.latestVersion }

    /// Marks the file as a Watchroom shift (`PRAGMA application_id`, "WRSH").
    public static let applicationID: Int32 = 0x5752_5348

    public static let migrator: Migrator = {
        var m = Migrator()
        m.register(1, "shift file: meta, event, event_unit") { db in
            try db.exec("""
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
                """)
        }
        return m
    }()
}
