/// Schema migrations in one place, tracked by `PRAGMA user_version`.
///
/// Migrations are numbered 1, 2, 3, ...; each runs in its own transaction together with
/// the `user_version` bump, so a file is always at a whole version. A file whose version
/// is above the newest known migration is refused (``DatabaseError/schemaTooNew``).
public struct Migrator: Sendable {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let apply: @Sendable (Database) throws -> Void
    }

    public private(set) var migrations: [Migration] = []

    public init() {}

    /// The version a fully migrated file has.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Adds the next migration; versions must be registered 1, 2, 3, ... in order.
    public mutating func register(_ version: Int, _ name: String,
                                  _ apply: @escaping @Sendable (Database) throws -> Void) {
        migrations.append(Migration(version: version, name: name, apply: apply))
    }

    /// Brings `db` up to ``latestVersion``; returns the version it started at.
    @discardableResult
    public func migrate(_ db: Database) throws -> Int {
        for (offset, migration) in migrations.enumerated() where migration.version != offset + 1 {
            throw DatabaseError.invalidMigrations("migration \"\(migration.name)\" has version \(migration.version), expected \(offset + 1)")
        }
        let found = try db.userVersion()
        guard found <= latestVersion else {
            throw DatabaseError.schemaTooNew(path: db.path, found: found, supported: latestVersion)
        }
        guard found < latestVersion else { return found }
        guard !db.isReadOnly else {
            throw DatabaseError.schemaOutdated(path: db.path, found: found, expected: latestVersion)
        }
        for migration in migrations where migration.version > found {
            try db.transaction {
                try migration.apply(db)
                let violations = try db.foreignKeyViolations()
                guard violations.isEmpty else {
                    throw DatabaseError.invalidMigrations("\"\(migration.name)\" leaves foreign-key violations: \(violations.prefix(5).joined(separator: ", "))")
                }
                try db.setUserVersion(migration.version)
            }
        }
        return found
    }

    /// Fails unless `db` is exactly at ``latestVersion`` (for connections that must not migrate).
    public func check(_ db: Database) throws {
        let found = try db.userVersion()
        if found > latestVersion {
            throw DatabaseError.schemaTooNew(path: db.path, found: found, supported: latestVersion)
        }
        if found < latestVersion {
            throw DatabaseError.schemaOutdated(path: db.path, found: found, expected: latestVersion)
        }
    }
}
