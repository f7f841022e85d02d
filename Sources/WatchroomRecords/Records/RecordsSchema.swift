/// The records database schema: every migration, in one place.
///
/// Constrained first: STRICT tables, NOT NULL, CHECKs on every coded column, foreign keys
/// (ON for every connection). Phone numbers are stored as digits only (formatting is for
/// display); dates are `YYYY-MM-DD`, warning months `YYYY-MM`, birth `YYYY` or
/// `YYYY-MM-DD`; address keys are the map's address ids (`a06`).
///
/// Beyond the list there are two small lookup tables, `street` (map street key,
/// Chinese name, roman name) and `address` (map address id, street, number), so that a
/// street + number resolves to an address key even where no household lives (a shop with
/// earlier incidents) and every address key is checked by a foreign key. `household`
/// gets its street and number through `address`.
///
/// The audit table is append-only (triggers refuse UPDATE and DELETE). It holds the
/// query exactly as asked (never masked: observer mode masks what is shown, not what is
/// audited), who asked, the OS user, the role and the mode (schema 2).
public enum RecordsSchema {
    /// The migrations, numbered from 1.
    public static let migrator: Migrator = {
        var m = Migrator()
        m.register(1, "records tables") { db in try db.exec(version1) }
        m.register(2, "audit: the OS user, the role and the mode of every lookup") { db in
            try db.exec("""
                ALTER TABLE audit ADD COLUMN os_user TEXT NOT NULL DEFAULT '';
                ALTER TABLE audit ADD COLUMN role TEXT NOT NULL DEFAULT '' CHECK (role IN ('', 'commander', 'observer'));
                ALTER TABLE audit ADD COLUMN mode TEXT NOT NULL DEFAULT '';
                """)
        }
        return m
    }()

    /// The version of a fully migrated file.
    public static var version: Int { migrator.latestVersion }

    static let categories = "'dispute','theft','assault','trafficAccident','suicideRisk','domestic','noise','missingPerson','fire','other'"

    static let version1 = """
    CREATE TABLE street (
        key    TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 64 AND key NOT GLOB '*[^A-Za-z0-9_-]*'),
        name   TEXT NOT NULL CHECK (length(trim(name)) > 0),
        roman  TEXT NOT NULL CHECK (length(trim(roman)) > 0)
    ) STRICT;

    CREATE TABLE address (
        key        TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 64 AND key NOT GLOB '*[^A-Za-z0-9_-]*'),
        street_key TEXT NOT NULL REFERENCES street(key),
        number     TEXT NOT NULL CHECK (length(trim(number)) > 0),
        name       TEXT,
        UNIQUE (street_key, number)
    ) STRICT;

    CREATE TABLE person (
        id    TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 32),
        name  TEXT NOT NULL CHECK (length(trim(name)) > 0),
        born  TEXT CHECK (born IS NULL
                          OR born GLOB '[12][0-9][0-9][0-9]'
                          OR (born GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND date(born, '+0 days') = born)),
        phone TEXT CHECK (phone IS NULL OR (length(phone) BETWEEN 5 AND 15 AND phone NOT GLOB '*[^0-9]*')),
        note  TEXT
    ) STRICT;

    CREATE TABLE household (
        id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 32),
        address_key TEXT NOT NULL REFERENCES address(key),
        unit        TEXT CHECK (unit IS NULL OR length(trim(unit)) > 0),
        UNIQUE (address_key, unit)
    ) STRICT;
    CREATE INDEX household_by_address ON household(address_key);

    CREATE TABLE resident (
        person_id    TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        household_id TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,
        role         TEXT NOT NULL CHECK (role IN ('head','spouse','partner','child','parent','grandparent','sibling','relative','tenant','lodger','carer','other')),
        PRIMARY KEY (person_id, household_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX resident_by_household ON resident(household_id);

    CREATE TABLE phone (
        number    TEXT NOT NULL CHECK (length(number) BETWEEN 5 AND 15 AND number NOT GLOB '*[^0-9]*'),
        person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        kind      TEXT NOT NULL DEFAULT 'mobile' CHECK (kind IN ('mobile','landline','work')),
        PRIMARY KEY (number, person_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX phone_by_person ON phone(person_id);

    CREATE TABLE vehicle (
        plate     TEXT PRIMARY KEY NOT NULL CHECK (length(trim(plate)) BETWEEN 3 AND 16),
        person_id TEXT NOT NULL REFERENCES person(id),
        make      TEXT NOT NULL CHECK (length(trim(make)) > 0),
        colour    TEXT NOT NULL CHECK (length(trim(colour)) > 0)
    ) STRICT;
    CREATE INDEX vehicle_by_person ON vehicle(person_id);

    CREATE TABLE past_incident (
        id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 32),
        address_key TEXT NOT NULL REFERENCES address(key),
        date        TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND date(date, '+0 days') = date),
        category    TEXT NOT NULL CHECK (category IN (\(categories))),
        summary     TEXT NOT NULL CHECK (length(trim(summary)) > 0),
        outcome     TEXT NOT NULL CHECK (length(trim(outcome)) > 0)
    ) STRICT;
    CREATE INDEX past_incident_by_address ON past_incident(address_key);

    CREATE TABLE involvement (
        person_id        TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        past_incident_id TEXT NOT NULL REFERENCES past_incident(id) ON DELETE CASCADE,
        role             TEXT NOT NULL CHECK (role IN ('caller','victim','suspect','subject','witness','involved')),
        PRIMARY KEY (person_id, past_incident_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX involvement_by_incident ON involvement(past_incident_id);

    CREATE TABLE warning (
        id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 32),
        person_id   TEXT REFERENCES person(id) ON DELETE CASCADE,
        address_key TEXT REFERENCES address(key),
        text        TEXT NOT NULL CHECK (length(trim(text)) > 0),
        since       TEXT NOT NULL CHECK (since GLOB '[12][0-9][0-9][0-9]-[01][0-9]' AND substr(since, 6, 2) BETWEEN '01' AND '12'),
        severity    TEXT NOT NULL CHECK (severity IN ('info','caution','danger')),
        CHECK (person_id IS NOT NULL OR address_key IS NOT NULL)
    ) STRICT;
    CREATE INDEX warning_by_person ON warning(person_id);
    CREATE INDEX warning_by_address ON warning(address_key);

    CREATE TABLE audit (
        id         INTEGER PRIMARY KEY,
        time       TEXT NOT NULL CHECK (time GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*'
                                        AND (time GLOB '*[+-][0-2][0-9]:[0-5][0-9]' OR time GLOB '*Z')),
        who        TEXT NOT NULL CHECK (length(trim(who)) > 0),
        query_kind TEXT NOT NULL CHECK (query_kind IN ('address','phone')),
        query      TEXT NOT NULL,
        shown      TEXT NOT NULL,
        observer   INTEGER NOT NULL CHECK (observer IN (0, 1))
    ) STRICT;
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    """
}
