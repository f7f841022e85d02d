import Foundation
import WatchroomRecords
import XCTest

/// The shipped fixture loads, is the size the issue asks for, and agrees with the map.
final class FixtureTests: XCTestCase {
    /// `address a06 street=yongping number="23" ...` lines of the default map: id -> (street, number).
    private func mapAddresses() throws -> [String: (street: String, number: String)] {
        let text = try String(contentsOfFile: mapPath, encoding: .utf8)
        let pattern = try NSRegularExpression(
            pattern: #"^address\s+(\S+)\s+street=(\S+)\s+number="([^"]*)""#, options: [.anchorsMatchLines])
        var result: [String: (String, String)] = [:]
        let ns = text as NSString
        for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            result[ns.substring(with: m.range(at: 1))] = (ns.substring(with: m.range(at: 2)), ns.substring(with: m.range(at: 3)))
        }
        return result
    }

    /// `street yongping name="永平门街" roman="Yongping Gate Street"` lines: key -> (name, roman).
    private func mapStreets() throws -> [String: (name: String, roman: String)] {
        let text = try String(contentsOfFile: mapPath, encoding: .utf8)
        let pattern = try NSRegularExpression(
            pattern: #"^street\s+(\S+)\s+name="([^"]*)"\s+roman="([^"]*)""#, options: [.anchorsMatchLines])
        var result: [String: (String, String)] = [:]
        let ns = text as NSString
        for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            result[ns.substring(with: m.range(at: 1))] = (ns.substring(with: m.range(at: 2)), ns.substring(with: m.range(at: 3)))
        }
        return result
    }

    func testFixtureLoadsWithTheExpectedVolume() {
        forEachStorage(self) { records, storage in
            try records.withDatabase { db in
                func count(_ table: String) throws -> Int { Int(try db.scalarInt("SELECT count(*) FROM \(table)") ?? 0) }
                XCTAssertGreaterThanOrEqual(try count("resident"), 40, "\(storage)")
                XCTAssertGreaterThanOrEqual(try count("household"), 20)
                XCTAssertGreaterThanOrEqual(try count("vehicle"), 10)
                XCTAssertGreaterThanOrEqual(try count("past_incident"), 15)
                XCTAssertGreaterThanOrEqual(try count("warning"), 8)
                XCTAssertGreaterThanOrEqual(try db.scalarInt("SELECT count(*) FROM household h JOIN address a ON a.key = h.address_key WHERE a.street_key = 'yongping'") ?? 0, 5)
                XCTAssertEqual(try count("audit"), 0)
                XCTAssertEqual(try db.foreignKeyViolations(), [])
                XCTAssertEqual(try db.quickCheck(), ["ok"])
                // Every phone number is in the obviously fake ranges.
                let numbers = try db.query("SELECT number FROM phone UNION SELECT phone FROM person WHERE phone IS NOT NULL") { $0.text(0) ?? "" }
                for n in numbers {
                    XCTAssertTrue(n.hasPrefix("1380000") || n.hasPrefix("1390000") || n.hasPrefix("0236000"), n)
                }
                // Every main number is also in the phone table.
                XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM person WHERE phone IS NOT NULL AND phone NOT IN (SELECT number FROM phone WHERE person_id = person.id)"), 0)
            }
        }
    }

    func testEveryAddressAndStreetInTheFixtureExistsInTheMap() throws {
        let addresses = try mapAddresses()
        let streets = try mapStreets()
        XCTAssertGreaterThan(addresses.count, 40, "the regex should find the map's address lines")
        let records = try SQLiteRecords.openDefault(fixturePath: fixturePath)
        try records.withDatabase { db in
            let rows = try db.query("SELECT key, street_key, number FROM address") { ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "") }
            XCTAssertGreaterThanOrEqual(rows.count, 20)
            for (key, street, number) in rows {
                guard let onMap = addresses[key] else { XCTFail("address \(key) is not in the map"); continue }
                XCTAssertEqual(onMap.street, street, key)
                XCTAssertEqual(onMap.number, number, key)
            }
            for table in ["household", "past_incident", "warning"] {
                let keys = try db.query("SELECT DISTINCT address_key FROM \(table) WHERE address_key IS NOT NULL") { $0.text(0) ?? "" }
                for key in keys { XCTAssertNotNil(addresses[key], "\(table): \(key) is not in the map") }
            }
            let streetRows = try db.query("SELECT key, name, roman FROM street") { ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "") }
            for (key, name, roman) in streetRows {
                XCTAssertEqual(streets[key]?.name, name, key)
                XCTAssertEqual(streets[key]?.roman, roman, key)
            }
        }
    }

    func testFixtureSaysItIsFictionalAndHoldsNoSchema() throws {
        let text = try String(contentsOfFile: fixturePath, encoding: .utf8)
        XCTAssertTrue(text.prefix(600).contains("ALL FICTIONAL"))
        XCTAssertFalse(text.uppercased().contains("CREATE TABLE"))
        XCTAssertFalse(text.uppercased().contains("PRAGMA"))
    }

    func testAFixtureWithDanglingReferencesIsRejectedWhole() throws {
        let records = try SQLiteRecords.build(fromSQL: fixturePath, at: nil)
        XCTAssertThrowsError(try records.load(sql: """
            INSERT INTO person (id, name) VALUES ('y1', '某');
            INSERT INTO phone (number, person_id) VALUES ('13800008888', 'nobody');
            """))
        try records.withDatabase { db in
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM person WHERE id = 'y1'"), 0)
        }
    }
}
