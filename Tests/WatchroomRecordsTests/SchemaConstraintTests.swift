import WatchroomRecords
import XCTest

/// The schema refuses bad rows on its own, whatever writes them.
final class SchemaConstraintTests: XCTestCase {
    private func assertRejected(_ sql: String, _ db: Database, _ storage: Storage,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try db.execute(sql), "[\(storage)] accepted: \(sql)", file: file, line: line) { error in
            XCTAssertTrue((error as? DatabaseError)?.isConstraintViolation ?? false,
                          "[\(storage)] \(error)", file: file, line: line)
        }
    }

    func testConstraintViolationsAreRejected() {
        forEachStorage(self) { records, storage in
            try records.withDatabase { db in
                // NOT NULL, CHECK on text
                assertRejected("INSERT INTO person (id, name) VALUES ('x1', NULL)", db, storage)
                assertRejected("INSERT INTO person (id, name) VALUES ('x1', '  ')", db, storage)
                // born: YYYY or a real YYYY-MM-DD
                assertRejected("INSERT INTO person (id, name, born) VALUES ('x1', '某人', '85')", db, storage)
                assertRejected("INSERT INTO person (id, name, born) VALUES ('x1', '某人', '1990-02-30')", db, storage)
                // phones are digits only
                assertRejected("INSERT INTO person (id, name, phone) VALUES ('x1', '某人', '138-0000-1234')", db, storage)
                assertRejected("INSERT INTO phone (number, person_id) VALUES ('+8613800001234', 'p01')", db, storage)
                // foreign keys
                assertRejected("INSERT INTO phone (number, person_id) VALUES ('13800009999', 'nobody')", db, storage)
                assertRejected("INSERT INTO household (id, address_key) VALUES ('hx', 'a99')", db, storage)
                assertRejected("INSERT INTO resident (person_id, household_id, role) VALUES ('p01', 'nohouse', 'head')", db, storage)
                assertRejected("DELETE FROM address WHERE key = 'a06'", db, storage)
                // coded values
                assertRejected("INSERT INTO resident (person_id, household_id, role) VALUES ('p42', 'h01', 'boss')", db, storage)
                assertRejected("""
                    INSERT INTO past_incident VALUES ('rx', 'a06', '2025-03-14', 'robbery', 's', 'o')
                    """, db, storage)
                assertRejected("""
                    INSERT INTO past_incident VALUES ('rx', 'a06', '14/03/2025', 'dispute', 's', 'o')
                    """, db, storage)
                assertRejected("""
                    INSERT INTO past_incident VALUES ('rx', 'a06', '2025-02-29', 'dispute', 's', 'o')
                    """, db, storage)
                assertRejected("INSERT INTO warning VALUES ('wx', NULL, NULL, 'no subject', '2025-03', 'danger')", db, storage)
                assertRejected("INSERT INTO warning VALUES ('wx', 'p01', NULL, 'bad month', '2025-13', 'danger')", db, storage)
                assertRejected("INSERT INTO warning VALUES ('wx', 'p01', NULL, 'bad level', '2025-03', 'extreme')", db, storage)
                // duplicates
                assertRejected("INSERT INTO vehicle VALUES ('渝A·10231', 'p02', 'Any', 'red')", db, storage)
                assertRejected("INSERT INTO address VALUES ('a99', 'yongping', '23', NULL)", db, storage)
                // STRICT types
                assertRejected("INSERT INTO audit (time, who, query_kind, query, shown, observer) VALUES ('2026-11-25T19:48:11+08:00', 'x', 'phone', 'q', 's', 'yes')", db, storage)
                // audit times need an offset
                assertRejected("INSERT INTO audit (time, who, query_kind, query, shown, observer) VALUES ('2026-11-25 19:48:11', 'x', 'phone', 'q', 's', 0)", db, storage)
                assertRejected("INSERT INTO audit (time, who, query_kind, query, shown, observer) VALUES ('7:48 PM', 'x', 'phone', 'q', 's', 0)", db, storage)

                // A good row passes.
                XCTAssertNoThrow(try db.execute("INSERT INTO person (id, name, born, phone) VALUES ('x2', '某人', '1990-02-28', '13800009999')"))
            }
        }
    }

    func testAuditTrailIsAppendOnly() {
        forEachStorage(self) { records, storage in
            _ = try records.byPhone("13800001001", who: "commander")
            try records.withDatabase { db in
                XCTAssertThrowsError(try db.execute("UPDATE audit SET who = 'someone else'"), "\(storage)") { error in
                    XCTAssertTrue("\(error)".contains("append-only"), "\(error)")
                }
                XCTAssertThrowsError(try db.execute("DELETE FROM audit"), "\(storage)")
                XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM audit"), 1)
            }
        }
    }
}
