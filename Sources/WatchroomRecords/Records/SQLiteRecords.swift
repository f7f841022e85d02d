import Foundation
import WatchroomCore

/// The records database behind ``RecordsLookup``: SQLite, one audit row per lookup.
///
/// Thread-safe: every use of the connection is serialised by a lock shared by all views
/// of the same database (see ``viewer(observer:)``). Text leaving the database goes
/// through `Sanitizer.inert`; an observer gets masked reports and is audited as one.
public final class SQLiteRecords: RecordsLookup, @unchecked Sendable {
    /// Where the fixture lives relative to the repository root.
    public static let defaultFixturePath = "Fixtures/records/jiangbei-records.sql"

    /// The precinct's zone when none is given (the default map's `Asia/Shanghai`).
    public static let defaultTimeZone: TimeZone =
        TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current

    /// Whether this view masks names, phones and plates (and is audited as an observer).
    public let observer: Bool
    /// The OS user and front end every lookup of this view is audited with.
    public let context: AuditContext
    private let shared: Shared
    private let clock: any Clock
    private let timeZone: TimeZone

    private final class Shared {
        let db: Database
        let lock = NSLock()
        var closed = false
        init(_ db: Database) { self.db = db }
    }

    // MARK: - Opening

    /// Wraps an open connection, migrating it to the current schema (a read-only
    /// connection must already be current).
    public init(database: Database, observer: Bool = false, clock: any Clock = WallClock(),
                timeZone: TimeZone = SQLiteRecords.defaultTimeZone,
                context: AuditContext = .current(mode: "console")) throws {
        if database.isReadOnly {
            try RecordsSchema.migrator.check(database)
        } else {
            try RecordsSchema.migrator.migrate(database)
        }
        shared = Shared(database)
        self.observer = observer
        self.clock = clock
        self.timeZone = timeZone
        self.context = context
    }

    private init(shared: Shared, observer: Bool, clock: any Clock, timeZone: TimeZone, context: AuditContext) {
        self.shared = shared
        self.observer = observer
        self.clock = clock
        self.timeZone = timeZone
        self.context = context
    }

    /// Another view of the same database (same connection, same audit trail), masked or not.
    public func viewer(observer: Bool) -> SQLiteRecords {
        SQLiteRecords(shared: shared, observer: observer, clock: clock, timeZone: timeZone, context: context)
    }

    /// Opens (creating and migrating if needed) the records file at `path`.
    public static func open(path: String, observer: Bool = false, clock: any Clock = WallClock(),
                            timeZone: TimeZone = SQLiteRecords.defaultTimeZone,
                            context: AuditContext = .current(mode: "console")) throws -> SQLiteRecords {
        try SQLiteRecords(database: try Database.open(path: path), observer: observer,
                          clock: clock, timeZone: timeZone, context: context)
    }

    /// A fresh database from a fixture file of SQL INSERTs, at `databasePath` (a new
    /// file; an existing one is refused) or in memory when `nil`.
    public static func build(fromSQL fixturePath: String, at databasePath: String?, observer: Bool = false,
                             clock: any Clock = WallClock(),
                             timeZone: TimeZone = SQLiteRecords.defaultTimeZone,
                             context: AuditContext = .current(mode: "console")) throws -> SQLiteRecords {
        let sql: String
        do {
            sql = try String(contentsOfFile: fixturePath, encoding: .utf8)
        } catch {
            throw DatabaseError.unreadable(path: fixturePath, reason: error.localizedDescription)
        }
        let db: Database
        if let databasePath {
            try Database.createPrivateFile(databasePath)
            db = try Database.open(path: databasePath)
        } else {
            db = try Database.inMemory()
        }
        let records = try SQLiteRecords(database: db, observer: observer, clock: clock, timeZone: timeZone, context: context)
        try records.load(sql: sql)
        return records
    }

    /// The default precinct's fictional records, in memory, from the fixture at
    /// `fixturePath` (the command line passes the path it found).
    public static func openDefault(fixturePath: String = SQLiteRecords.defaultFixturePath, observer: Bool = false,
                                   clock: any Clock = WallClock(),
                                   timeZone: TimeZone = SQLiteRecords.defaultTimeZone,
                                   context: AuditContext = .current(mode: "console")) throws -> SQLiteRecords {
        try build(fromSQL: fixturePath, at: nil, observer: observer, clock: clock, timeZone: timeZone, context: context)
    }

    /// Runs a script of INSERTs (a fixture) in one transaction; refuses a script that
    /// changes the schema version or leaves foreign-key violations.
    public func load(sql: String) throws {
        try withDatabase { db in
            let version = try db.userVersion()
            try db.transaction {
                try db.exec(sql)
                let violations = try db.foreignKeyViolations()
                guard violations.isEmpty else {
                    throw DatabaseError.sqlite(code: 787, message: "foreign key violations: "
                                               + violations.prefix(5).joined(separator: ", "), sql: "fixture")
                }
                guard try db.userVersion() == version else {
                    throw DatabaseError.invalidMigrations("a fixture must not change the schema version")
                }
            }
        }
    }

    /// Runs `body` with the connection, holding the lock (tools, tests, maintenance).
    public func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        shared.lock.lock()
        defer { shared.lock.unlock() }
        guard !shared.closed else { throw DatabaseError.closed(path: shared.db.path) }
        return try body(shared.db)
    }

    /// Closes the connection of every view of this database, so no `-wal` or `-shm` is
    /// left beside it at exit; lookups fail from then on. Closing twice does nothing.
    public func close() {
        shared.lock.withLock {
            shared.closed = true
            shared.db.close()
        }
    }

    // MARK: - Lookups

    public func byAddress(street: String, number: String, addressKey: String?, who: String) throws -> BackgroundReport {
        let asked = "street=\(street) number=\(number)" + (addressKey.map { " key=\($0)" } ?? "")
        return try audited(kind: "address", asked: asked, who: who) { db in
            let keys = try resolveAddress(db, street: street, number: number, addressKey: addressKey)
            let households = try loadHouseholds(db, where: "h.address_key IN (\(marks(keys.count)))",
                                                keys.map { .text($0) })
            let personIDs = unique(households.flatMap { $0.residentIDs })
            var report = try assemble(db, households: households, personIDs: personIDs, addressKeys: keys)
            report.query = try describeAddresses(db, keys) ?? Sanitizer.inert("\(street) \(number)")
            return report
        }
    }

    public func byPhone(_ phone: String, who: String) throws -> BackgroundReport {
        let digits = PhoneNumber.digits(phone)
        return try audited(kind: "phone", asked: phone, who: who) { db in
            let owners: [(id: String, kind: String)] = digits.isEmpty ? [] : try db.query("""
                SELECT person_id, kind FROM phone WHERE number = ?1
                UNION SELECT id, 'mobile' FROM person WHERE phone = ?1 AND id NOT IN (SELECT person_id FROM phone WHERE number = ?1)
                ORDER BY 1
                """, [.text(digits)]) { ($0.text(0) ?? "", $0.text(1) ?? "mobile") }
            let ownerIDs = unique(owners.map(\.id))
            let households = try loadHouseholds(db, where: """
                h.id IN (SELECT household_id FROM resident WHERE person_id IN (\(marks(ownerIDs.count))))
                """, ownerIDs.map { .text($0) })
            let keys = unique(households.map(\.household.addressKey))
            let personIDs = unique(ownerIDs + households.flatMap { $0.residentIDs })
            var report = try assemble(db, households: households, personIDs: personIDs, addressKeys: keys)
            let people = try loadPeople(db, ownerIDs)
            report.matchedPeople = owners.compactMap { owner in
                people[owner.id].map { p in
                    BackgroundReport.Resident(name: p.name, born: p.born, role: "\(owner.kind) owner",
                                              phone: PhoneNumber.display(digits), note: p.note)
                }
            }
            report.query = "phone " + Sanitizer.inert(digits.isEmpty ? phone : PhoneNumber.display(digits))
            return report
        }
    }

    /// The audit trail, oldest first.
    public func auditTrail() throws -> [AuditEntry] {
        try withDatabase { db in
            try db.query("""
                SELECT id, time, who, query_kind, query, shown, observer, os_user, role, mode FROM audit ORDER BY id
                """) { r in
                AuditEntry(id: r.int64(0) ?? 0, time: r.text(1) ?? "", who: r.text(2) ?? "",
                           queryKind: r.text(3) ?? "", query: r.text(4) ?? "", shown: r.text(5) ?? "",
                           observer: r.int64(6) == 1, osUser: r.text(7) ?? "", role: r.text(8) ?? "", mode: r.text(9) ?? "")
            }
        }
    }

    // MARK: - Audit

    private func audited(kind: String, asked: String, who: String,
                         _ lookup: (Database) throws -> BackgroundReport) throws -> BackgroundReport {
        let who = who.trimmingSpaces
        guard !who.isEmpty else { throw RecordsError.anonymousLookup }
        return try withDatabase { db in
            try db.transaction {
                let full = try lookup(db)
                let report = observer ? full.masked() : full
                // The query as asked, even for an observer: the mask is for the screen, the
                // audit must say what was looked up.
                try db.execute("""
                    INSERT INTO audit (time, who, query_kind, query, shown, observer, os_user, role, mode)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                    """, [.text(ISOTime.format(clock.now(), timeZone: timeZone)),
                          .text(Sanitizer.inert(who)), .text(kind), .text(Sanitizer.inert(asked)),
                          .text(report.summary), .integer(observer ? 1 : 0),
                          .text(Sanitizer.inert(context.osUser)), .text(observer ? "observer" : "commander"),
                          .text(Sanitizer.inert(context.mode))])
                return report
            }
        }
    }

    // MARK: - Queries

    private struct LoadedHousehold {
        var household: BackgroundReport.Household
        var residentIDs: [String]
    }

    private struct PersonRow {
        var name: String
        var born: String?
        var phone: String?
        var note: String?
    }

    private func resolveAddress(_ db: Database, street: String, number: String, addressKey: String?) throws -> [String] {
        if let addressKey = addressKey?.trimmingSpaces, !addressKey.isEmpty,
           let key = try db.scalarText("SELECT key FROM address WHERE key = ?1", [.text(addressKey)]) {
            return [key]
        }
        let streetKey = SQLiteRecords.normalisedStreet(street)
        let houseNumber = SQLiteRecords.normalisedNumber(number)
        guard !streetKey.isEmpty, !houseNumber.isEmpty else { return [] }
        return try db.query("""
            SELECT a.key FROM address a JOIN street s ON s.key = a.street_key
            WHERE (lower(s.name) = ?1 OR lower(s.roman) = ?1 OR lower(s.key) = ?1) AND a.number = ?2
            ORDER BY a.key
            """, [.text(streetKey), .text(houseNumber)]) { $0.text(0) ?? "" }
    }

    /// Lower case (ASCII, as SQLite's `lower`), spaces collapsed.
    static func normalisedStreet(_ street: String) -> String {
        street.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }

    /// `23` for `23`, `23号`, `No. 23`, ` 23 `.
    static func normalisedNumber(_ number: String) -> String {
        var s = number.trimmingSpaces
        if s.hasSuffix("号") { s.removeLast() }
        for prefix in ["No.", "no.", "NO.", "No", "#"] where s.hasPrefix(prefix) {
            s.removeFirst(prefix.count)
            break
        }
        return s.trimmingSpaces
    }

    private func loadHouseholds(_ db: Database, where condition: String, _ args: [SQLValue]) throws -> [LoadedHousehold] {
        guard !args.isEmpty else { return [] }
        var households: [LoadedHousehold] = try db.query("""
            SELECT h.id, h.address_key, s.name, a.number, h.unit
            FROM household h JOIN address a ON a.key = h.address_key JOIN street s ON s.key = a.street_key
            WHERE \(condition) ORDER BY h.address_key, h.unit, h.id
            """, args) { r in
            LoadedHousehold(household: .init(addressKey: inert(r.text(1)), street: inert(r.text(2)),
                                             number: inert(r.text(3)), unit: r.text(4).map { Sanitizer.inert($0) },
                                             residents: []),
                            residentIDs: [r.text(0) ?? ""])
        }
        let residentQuery = try db.prepare("""
            SELECT p.id, p.name, p.born, coalesce(p.phone, (SELECT min(number) FROM phone WHERE person_id = p.id)),
                   p.note, r.role
            FROM resident r JOIN person p ON p.id = r.person_id
            WHERE r.household_id = ?1
            ORDER BY CASE r.role WHEN 'head' THEN 0 WHEN 'spouse' THEN 1 WHEN 'partner' THEN 1 ELSE 2 END,
                     p.born, p.id
            """)
        for index in households.indices {
            let householdID = households[index].residentIDs[0]
            try residentQuery.bind([.text(householdID)])
            var ids: [String] = []
            var residents: [BackgroundReport.Resident] = []
            while try residentQuery.step() {
                ids.append(residentQuery.text(0) ?? "")
                residents.append(.init(name: inert(residentQuery.text(1)),
                                       born: residentQuery.text(2).map { Sanitizer.inert($0) },
                                       role: inert(residentQuery.text(5)),
                                       phone: residentQuery.text(3).map { Sanitizer.inert(PhoneNumber.display($0)) },
                                       note: residentQuery.text(4).map { Sanitizer.inert($0) }))
            }
            households[index].residentIDs = ids
            households[index].household.residents = residents
        }
        return households
    }

    private func loadPeople(_ db: Database, _ ids: [String]) throws -> [String: PersonRow] {
        guard !ids.isEmpty else { return [:] }
        let rows = try db.query("SELECT id, name, born, phone, note FROM person WHERE id IN (\(marks(ids.count)))",
                                ids.map { .text($0) }) { r in
            (r.text(0) ?? "", PersonRow(name: inert(r.text(1)), born: r.text(2).map { Sanitizer.inert($0) },
                                         phone: r.text(3), note: r.text(4).map { Sanitizer.inert($0) }))
        }
        return Dictionary(rows, uniquingKeysWith: { a, _ in a })
    }

    /// Vehicles, earlier incidents and warnings for these people and addresses.
    private func assemble(_ db: Database, households: [LoadedHousehold], personIDs: [String],
                          addressKeys: [String]) throws -> BackgroundReport {
        let people = try loadPeople(db, personIDs)
        let personArgs: [SQLValue] = personIDs.map { .text($0) }
        let keyArgs: [SQLValue] = addressKeys.map { .text($0) }

        let vehicles: [BackgroundReport.Vehicle] = personIDs.isEmpty ? [] : try db.query("""
            SELECT plate, make, colour, person_id FROM vehicle WHERE person_id IN (\(marks(personIDs.count)))
            ORDER BY plate
            """, personArgs) { r in
            .init(plate: inert(r.text(0)), make: inert(r.text(1)), colour: inert(r.text(2)),
                  owner: people[r.text(3) ?? ""]?.name ?? "?")
        }

        var incidents: [BackgroundReport.PastIncident] = []
        if !personIDs.isEmpty || !addressKeys.isEmpty {
            let involvedQuery = try db.prepare("""
                SELECT p.name, i.role FROM involvement i JOIN person p ON p.id = i.person_id
                WHERE i.past_incident_id = ?1 ORDER BY i.role, p.id
                """)
            let rows: [(String, BackgroundReport.PastIncident)] = try db.query("""
                SELECT id, date, category, summary, outcome, address_key FROM past_incident
                WHERE address_key IN (\(marks(addressKeys.count, from: 1)))
                   OR id IN (SELECT past_incident_id FROM involvement
                             WHERE person_id IN (\(marks(personIDs.count, from: addressKeys.count + 1))))
                ORDER BY date DESC, id
                """, keyArgs + personArgs) { r in
                (r.text(0) ?? "", .init(date: inert(r.text(1)), category: inert(r.text(2)), summary: inert(r.text(3)),
                                        outcome: inert(r.text(4)), addressKey: inert(r.text(5))))
            }
            for (id, var incident) in rows {
                try involvedQuery.bind([.text(id)])
                while try involvedQuery.step() {
                    incident.involved.append("\(inert(involvedQuery.text(0))) (\(inert(involvedQuery.text(1))))")
                }
                incidents.append(incident)
            }
        }

        var warnings: [BackgroundReport.Warning] = []
        if !personIDs.isEmpty || !addressKeys.isEmpty {
            warnings = try db.query("""
                SELECT w.text, w.since, w.severity, p.name, s.name, a.number
                FROM warning w LEFT JOIN person p ON p.id = w.person_id
                     LEFT JOIN address a ON a.key = w.address_key LEFT JOIN street s ON s.key = a.street_key
                WHERE w.address_key IN (\(marks(addressKeys.count, from: 1)))
                   OR w.person_id IN (\(marks(personIDs.count, from: addressKeys.count + 1)))
                ORDER BY CASE w.severity WHEN 'danger' THEN 0 WHEN 'caution' THEN 1 ELSE 2 END, w.since DESC, w.id
                """, keyArgs + personArgs) { r in
                let person = r.text(3)
                let subject = person ?? "\(r.text(4) ?? "") \(r.text(5) ?? "")"
                return .init(subject: Sanitizer.inert(subject), isAboutPerson: person != nil,
                             text: inert(r.text(0)), since: inert(r.text(1)),
                             severity: BackgroundReport.Severity(rawValue: r.text(2) ?? "") ?? .info)
            }
        }

        return BackgroundReport(query: "", households: households.map(\.household), vehicles: vehicles,
                                pastIncidents: incidents, warningDetails: warnings)
    }

    private func describeAddresses(_ db: Database, _ keys: [String]) throws -> String? {
        guard !keys.isEmpty else { return nil }
        let parts = try db.query("""
            SELECT s.name, a.number, a.key FROM address a JOIN street s ON s.key = a.street_key
            WHERE a.key IN (\(marks(keys.count))) ORDER BY a.key
            """, keys.map { .text($0) }) { r in "\(inert(r.text(0))) \(inert(r.text(1)))号 (\(inert(r.text(2))))" }
        return "address " + parts.joined(separator: ", ")
    }
}

/// `?1, ?2, ...` for `count` parameters starting at `from`; `NULL` for none (so `IN (NULL)` matches nothing).
private func marks(_ count: Int, from first: Int = 1) -> String {
    count == 0 ? "NULL" : (first..<(first + count)).map { "?\($0)" }.joined(separator: ", ")
}

private func inert(_ text: String?) -> String { Sanitizer.inert(text ?? "") }

private func unique(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}
