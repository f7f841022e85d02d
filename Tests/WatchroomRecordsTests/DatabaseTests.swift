import Foundation
import WatchroomCore
import WatchroomRecords
import XCTest

final class DatabaseTests: XCTestCase {
    func testStatementsBindStepAndReadTypedColumns() {
        forEachEmptyDatabase(self) { db, storage in
            try db.exec("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT) STRICT")
            let insert = try db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)")
            for k in 0..<3 {
                try insert.bind([.integer(Int64(k)), .real(Double(k) + 0.5), .text("永平门街 \(k)"), .blob([1, 2, UInt8(k)]), nil])
                XCTAssertFalse(try insert.step())
            }
            let rows = try db.query("SELECT i, r, s, b, n FROM t ORDER BY i") { r in
                (r.int(0), r.double(1), r.text(2), r.blob(3), r.text(4), r.isNull(4))
            }
            XCTAssertEqual(rows.count, 3, "\(storage)")
            XCTAssertEqual(rows[2].0, 2)
            XCTAssertEqual(rows[2].1, 2.5)
            XCTAssertEqual(rows[2].2, "永平门街 2")
            XCTAssertEqual(rows[2].3, [1, 2, 2])
            XCTAssertNil(rows[2].4)
            XCTAssertTrue(rows[2].5)
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM t"), 3)
            XCTAssertEqual(try db.query("SELECT s FROM t WHERE i = 1") { $0.value(0) }, [.text("永平门街 1")])
        }
    }

    func testWrongArgumentCountAndBadSQLAreErrorsWithTheSQL() {
        forEachEmptyDatabase(self) { db, _ in
            try db.exec("CREATE TABLE t (x INTEGER)")
            XCTAssertThrowsError(try db.execute("INSERT INTO t VALUES (?1)", [])) { error in
                XCTAssertTrue("\(error)".contains("INSERT INTO t"), "\(error)")
            }
            XCTAssertThrowsError(try db.prepare("SELEC nonsense")) { error in
                guard case let DatabaseError.sqlite(_, message, sql) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(message.contains("syntax error"), message)
                XCTAssertEqual(sql, "SELEC nonsense")
            }
        }
    }

    func testTransactionCommitsOrRollsBack() {
        forEachEmptyDatabase(self) { db, _ in
            try db.exec("CREATE TABLE t (x INTEGER NOT NULL)")
            try db.transaction { try db.execute("INSERT INTO t VALUES (1)") }
            struct Boom: Error {}
            XCTAssertThrowsError(try db.transaction {
                try db.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            })
            XCTAssertThrowsError(try db.transaction {
                try db.execute("INSERT INTO t VALUES (3)")
                try db.execute("INSERT INTO t VALUES (NULL)")
            })
            XCTAssertEqual(try db.query("SELECT x FROM t") { $0.int(0) }, [1])
        }
    }

    func testForeignKeysAreOnAndDiskUsesWAL() throws {
        forEachEmptyDatabase(self) { db, storage in
            XCTAssertEqual(try db.scalarInt("PRAGMA foreign_keys"), 1)
            let mode = try db.scalarText("PRAGMA journal_mode")
            XCTAssertEqual(mode, storage == .disk ? "wal" : "memory")
        }
    }

    func testMigrationsFromEmptySetUserVersionAndAreIdempotent() {
        forEachEmptyDatabase(self) { db, _ in
            XCTAssertEqual(try db.userVersion(), 0)
            let from = try RecordsSchema.migrator.migrate(db)
            XCTAssertEqual(from, 0)
            XCTAssertEqual(try db.userVersion(), RecordsSchema.version)
            XCTAssertGreaterThanOrEqual(RecordsSchema.version, 1)
            let tables = Set(try db.query("SELECT name FROM sqlite_schema WHERE type = 'table'") { $0.text(0) ?? "" })
            for t in ["person", "household", "resident", "phone", "vehicle", "past_incident", "involvement", "warning", "audit"] {
                XCTAssertTrue(tables.contains(t), t)
            }
            XCTAssertEqual(try RecordsSchema.migrator.migrate(db), RecordsSchema.version)
            XCTAssertNoThrow(try RecordsSchema.migrator.check(db))
        }
    }

    func testMigratorRefusesBadNumberingAndRollsBackAFailedStep() {
        forEachEmptyDatabase(self) { db, _ in
            var bad = Migrator()
            bad.register(2, "skips one") { _ in }
            XCTAssertThrowsError(try bad.migrate(db)) { error in
                guard case DatabaseError.invalidMigrations = error else { return XCTFail("\(error)") }
            }
            var failing = Migrator()
            failing.register(1, "good") { db in try db.exec("CREATE TABLE a (x)") }
            failing.register(2, "bad") { db in try db.exec("CREATE TABLE b (x); CREATE TABLE a (y)") }
            XCTAssertThrowsError(try failing.migrate(db))
            XCTAssertEqual(try db.userVersion(), 1)
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM sqlite_schema WHERE name = 'b'"), 0)
        }
    }

    func testNewerUserVersionIsRefusedClearly() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("future.sqlite").path
        do {
            let db = try Database.open(path: path)
            try db.setUserVersion(RecordsSchema.version + 5)
        }
        XCTAssertThrowsError(try SQLiteRecords.open(path: path)) { error in
            XCTAssertEqual(error as? DatabaseError,
                           .schemaTooNew(path: path, found: RecordsSchema.version + 5, supported: RecordsSchema.version))
            XCTAssertTrue("\(error)".contains("newer than this build supports"), "\(error)")
        }
        let memory = try Database.inMemory()
        try memory.setUserVersion(99)
        XCTAssertThrowsError(try SQLiteRecords(database: memory)) { error in
            guard case DatabaseError.schemaTooNew(_, 99, _) = error else { return XCTFail("\(error)") }
        }
    }

    func testCorruptFileIsAClearErrorNotACrash() throws {
        let dir = try temporaryDirectory(self)
        var generator = SystemRandomNumberGenerator()
        for (name, bytes) in [("random", (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }),
                              ("text", Array("not a database at all\n".utf8)),
                              ("header-only", Array("SQLite format 3\u{0}".utf8) + [UInt8](repeating: 0xFF, count: 84))] {
            let path = dir.appendingPathComponent("\(name).sqlite").path
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            XCTAssertThrowsError(try SQLiteRecords.open(path: path), name) { error in
                guard case let DatabaseError.notADatabase(p, message) = error else { return XCTFail("\(name): \(error)") }
                XCTAssertEqual(p, path)
                XCTAssertFalse(message.isEmpty)
                XCTAssertTrue("\(error)".contains("not a usable SQLite database"))
            }
            XCTAssertThrowsError(try Database.open(path: path, readOnly: true), name)
        }
    }

    func testMissingDirectoryAndReadOnlyAreClearErrors() throws {
        XCTAssertThrowsError(try Database.open(path: "/nonexistent-dir-\(UUID().uuidString)/x.sqlite")) { error in
            guard case DatabaseError.open = error else { return XCTFail("\(error)") }
        }
        let path = try temporaryDirectory(self).appendingPathComponent("ro.sqlite").path
        do { _ = try SQLiteRecords.open(path: path) }
        let ro = try Database.open(path: path, readOnly: true)
        XCTAssertThrowsError(try ro.execute("INSERT INTO street VALUES ('k', 'n', 'r')"))
        XCTAssertNoThrow(try SQLiteRecords(database: ro))
        let empty = try temporaryDirectory(self).appendingPathComponent("empty.sqlite").path
        do { _ = try Database.open(path: empty) }
        XCTAssertThrowsError(try SQLiteRecords(database: try Database.open(path: empty, readOnly: true))) { error in
            guard case DatabaseError.schemaOutdated(_, 0, _) = error else { return XCTFail("\(error)") }
        }
    }

    func testBuildRefusesToOverwriteAFileAndReportsAMissingFixture() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("exists.sqlite").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        XCTAssertThrowsError(try SQLiteRecords.build(fromSQL: fixturePath, at: path)) { error in
            XCTAssertEqual(error as? DatabaseError, .fileExists(path: path))
        }
        XCTAssertThrowsError(try SQLiteRecords.openDefault(fixturePath: "/nonexistent/records.sql")) { error in
            guard case DatabaseError.unreadable = error else { return XCTFail("\(error)") }
        }
    }

    func testOnDiskBuildReopensWithDataAndAudit() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("reopen.sqlite").path
        do {
            let records = try SQLiteRecords.build(fromSQL: fixturePath, at: path, clock: ManualClock(fixedInstant))
            _ = try records.byPhone("13800001009", who: "commander")
        }
        let reopened = try SQLiteRecords.open(path: path)
        XCTAssertEqual(try reopened.auditTrail().count, 1)
        XCTAssertFalse(try reopened.byPhone("13800001009", who: "commander").isEmpty)
        XCTAssertEqual(try reopened.auditTrail().count, 2)
    }
}
