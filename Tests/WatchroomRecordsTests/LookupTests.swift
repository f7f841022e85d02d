import Foundation
import WatchroomCore
import WatchroomRecords
import XCTest

final class LookupTests: XCTestCase {
    // MARK: - By address

    func testByAddressKeyFindsHouseholdsResidentsAndTheKnifeWarning() {
        forEachStorage(self) { records, storage in
            let report = try records.byAddress(street: "", number: "", addressKey: "a06", who: "commander")
            XCTAssertEqual(report.query, "address 永平门街 23号 (a06)")
            XCTAssertEqual(report.households.map(\.unit), ["1-101", "2-301", "3-502"], "\(storage)")
            XCTAssertTrue(report.households.allSatisfy { $0.street == "永平门街" && $0.number == "23" })
            let names = report.people.map(\.name)
            XCTAssertTrue(names.contains("刘桂芬"), "\(names)")
            let liu = report.people.first { $0.name == "刘桂芬" }
            XCTAssertEqual(liu?.phone, "138-0000-1009")
            XCTAssertEqual(liu?.born, "1974-09-03")
            XCTAssertTrue(report.warnings.contains("knife involved, 2025-03"), "\(report.warnings)")
            XCTAssertEqual(report.warnings.first, "knife involved, 2025-03", "danger first")
            XCTAssertEqual(report.warningDetails.first?.subject, "刘桂芬")
            XCTAssertTrue(report.warnings.contains { $0.hasPrefix("compound gate locked") }, "address warning")
            // Her earlier knife incident at the department store is shown, though it happened at a09.
            let knife = report.pastIncidents.first { $0.addressKey == "a09" }
            XCTAssertEqual(knife?.date, "2025-03-14")
            XCTAssertEqual(knife?.category, "dispute")
            XCTAssertEqual(knife?.involved, ["刘桂芬 (suspect)"])
            XCTAssertTrue(knife?.outcome.contains("knife seized") ?? false)
            XCTAssertTrue(report.pastIncidents.contains { $0.addressKey == "a06" && $0.category == "noise" })
            XCTAssertEqual(report.pastIncidents.map(\.date), report.pastIncidents.map(\.date).sorted(by: >), "newest first")
            XCTAssertTrue(report.vehicles.contains { $0.plate == "渝A·31550" && $0.owner == "刘桂芬" })
        }
    }

    func testByChineseAndRomanStreetAndNumberMatchTheKey() {
        forEachStorage(self) { records, storage in
            let byKey = try records.byAddress(street: "", number: "", addressKey: "a06", who: "c")
            for (street, number) in [("永平门街", "23"), ("永平门街", "23号"), ("Yongping Gate Street", "23"),
                                     ("yongping gate street", " 23 "), ("YONGPING  GATE STREET", "No. 23"),
                                     ("yongping", "23")] {
                let r = try records.byAddress(street: street, number: number, addressKey: nil, who: "c")
                XCTAssertEqual(r, byKey, "[\(storage)] \(street) \(number)")
            }
            // An unknown key falls back to street + number.
            XCTAssertEqual(try records.byAddress(street: "永平门街", number: "23", addressKey: "a54", who: "c"), byKey)
            // A shop without households still has its earlier incidents.
            let store = try records.byAddress(street: "Yongping Gate Street", number: "40", addressKey: nil, who: "c")
            XCTAssertTrue(store.households.isEmpty)
            XCTAssertEqual(store.pastIncidents.first?.summary.contains("kitchen knife"), true)
            // Nothing there.
            let none = try records.byAddress(street: "Nowhere Road", number: "1", addressKey: nil, who: "c")
            XCTAssertTrue(none.isEmpty)
            XCTAssertEqual(none.summary, "nothing found")
        }
    }

    func testDogAndSuicideRiskWarnings() {
        forEachStorage(self) { records, _ in
            let dog = try records.byAddress(street: "溪东路", number: "9", addressKey: nil, who: "c")
            XCTAssertTrue(dog.warnings.contains("dog on premises (large, bites strangers), 2025-04"), "\(dog.warnings)")
            XCTAssertEqual(dog.warningDetails.first { $0.text.hasPrefix("dog") }?.isAboutPerson, false)

            let risk = try records.byAddress(street: "文昌街", number: "15", addressKey: "a29", who: "c")
            XCTAssertTrue(risk.warnings.contains("previous suicide attempt, 2024-11"), "\(risk.warnings)")
            XCTAssertTrue(risk.warnings.contains("talks to female officers, 2024-11"))
            XCTAssertEqual(risk.pastIncidents.filter { $0.category == "suicideRisk" }.count, 2)
        }
    }

    // MARK: - By phone

    func testByPhoneInSeveralNotations() {
        forEachStorage(self) { records, storage in
            let plain = try records.byPhone("13800001009", who: "c")
            XCTAssertEqual(plain.query, "phone 138-0000-1009")
            XCTAssertEqual(plain.matchedPeople.map(\.name), ["刘桂芬"], "\(storage)")
            XCTAssertEqual(plain.households.map(\.addressKey), ["a06"])
            XCTAssertEqual(plain.households.first?.unit, "2-301")
            XCTAssertTrue(plain.warnings.contains("knife involved, 2025-03"))
            for notation in ["138-0000-1009", "138 0000 1009", "+86 138 0000 1009", "+86-138-0000-1009",
                             "008613800001009", "(138)0000-1009"] {
                XCTAssertEqual(try records.byPhone(notation, who: "c").matchedPeople, plain.matchedPeople, notation)
            }
            // Her second number, only in the phone table.
            XCTAssertEqual(try records.byPhone("139 0000 1109", who: "c").matchedPeople.map(\.name), ["刘桂芬"])
            // A landline shared by a household finds both people.
            let landline = try records.byPhone("023-6000-0117", who: "c")
            XCTAssertEqual(Set(landline.matchedPeople.map(\.name)), ["陈静", "张淑珍"])
            XCTAssertTrue(landline.warnings.contains("previous suicide attempt, 2024-11"))
            // A number with no household.
            let alone = try records.byPhone("13900001042", who: "c")
            XCTAssertEqual(alone.matchedPeople.map(\.name), ["范丽华"])
            XCTAssertTrue(alone.households.isEmpty)
            // Unknown and empty numbers find nothing.
            XCTAssertTrue(try records.byPhone("13800009999", who: "c").isEmpty)
            XCTAssertTrue(try records.byPhone("--", who: "c").isEmpty)
        }
    }

    // MARK: - Audit

    func testEveryLookupIsAuditedWithISOTimeWhoQueryAndShown() {
        let clock = ManualClock(fixedInstant)
        forEachStorage(self, clock: clock) { records, storage in
            _ = try records.byAddress(street: "永平门街", number: "23", addressKey: "a06", who: "duty commander 李")
            clock.advance(by: 61)
            _ = try records.byPhone("+86 138 0000 1009", who: "desk")
            _ = try records.byPhone("13800009999", who: "desk")
            XCTAssertThrowsError(try records.byPhone("13800001009", who: "  ")) { error in
                XCTAssertEqual(error as? RecordsError, .anonymousLookup)
            }
            let trail = try records.auditTrail()
            XCTAssertEqual(trail.count, 3, "[\(storage)] one row per lookup, none for a refused one")
            XCTAssertEqual(trail[0].who, "duty commander 李")
            XCTAssertEqual(trail[0].queryKind, "address")
            XCTAssertEqual(trail[0].query, "street=永平门街 number=23 key=a06")
            XCTAssertTrue(trail[0].shown.contains("刘桂芬"), trail[0].shown)
            XCTAssertTrue(trail[0].shown.contains("knife involved, 2025-03"), trail[0].shown)
            XCTAssertFalse(trail[0].observer)
            XCTAssertEqual(trail[1].queryKind, "phone")
            XCTAssertEqual(trail[1].query, "+86 138 0000 1009")
            XCTAssertTrue(trail[1].shown.contains("138-0000-1009"), trail[1].shown)
            XCTAssertEqual(trail[2].shown, "nothing found")
            for entry in trail {
                XCTAssertEqual(entry.osUser, records.context.osUser)
                XCTAssertFalse(entry.osUser.isEmpty)
                XCTAssertEqual(entry.role, "commander")
                XCTAssertEqual(entry.mode, "console")
            }
            for entry in trail {
                XCTAssertNotNil(ISOTime.parseWithOffset(entry.time), entry.time)
                XCTAssertTrue(entry.time.hasSuffix("+08:00"), entry.time)
            }
            XCTAssertEqual(trail[0].time, ISOTime.format(clock.now().addingTimeInterval(-61), timeZone: shanghai))
            XCTAssertEqual(ISOTime.parse(trail[1].time), clock.now())
            clock.set(fixedInstant)
        }
    }

    // MARK: - Observer

    func testObserverMasksNamesPhonesAndPlatesInReportsAndAudit() {
        forEachStorage(self, observer: true) { records, storage in
            XCTAssertTrue(records.observer)
            let byAddress = try records.byAddress(street: "永平门街", number: "23", addressKey: "a06", who: "demo")
            let byPhone = try records.byPhone("138-0000-1009", who: "demo")
            for report in [byAddress, byPhone] {
                XCTAssertTrue(report.isMasked)
                for person in report.people {
                    XCTAssertEqual(person.name.count, 2, person.name)
                    XCTAssertTrue(person.name.hasSuffix("*"), person.name)
                    if let phone = person.phone { XCTAssertTrue(phone.contains("****"), phone) }
                    XCTAssertNil(person.note)
                }
                for v in report.vehicles { XCTAssertTrue(v.plate.contains("****") && v.owner.hasSuffix("*"), "\(v)") }
                let all = "\(report)"
                for secret in ["刘桂芬", "周涛", "郑国华", "13800001009", "138-0000-1009", "0000-1009", "31550"] {
                    XCTAssertFalse(all.contains(secret), "[\(storage)] \(secret) leaked")
                }
                XCTAssertTrue(report.warnings.contains("knife involved, 2025-03"), "warnings stay readable")
            }
            XCTAssertEqual(byPhone.query, "phone 138-****-1009")
            XCTAssertEqual(byPhone.matchedPeople.first?.name, "刘*")
            XCTAssertEqual(byPhone.matchedPeople.first?.phone, "138-****-1009")
            let trail = try records.auditTrail()
            XCTAssertEqual(trail.count, 2)
            for entry in trail {
                XCTAssertTrue(entry.observer)
                XCTAssertEqual(entry.role, "observer")
                for secret in ["刘桂芬", "138-0000-1009", "13800001009"] {
                    XCTAssertFalse(entry.shown.contains(secret), "what was shown is masked: \(entry.shown)")
                }
                XCTAssertTrue(entry.shown.contains("刘*"), entry.shown)
            }
            // What was looked up is audited exactly, never masked.
            XCTAssertEqual(trail.map(\.query), ["street=永平门街 number=23 key=a06", "138-0000-1009"])

            // An unmasked view of the same database shares the trail and audits as non-observer.
            let commander = records.viewer(observer: false)
            XCTAssertTrue(try commander.byPhone("13800001009", who: "commander").people.contains { $0.name == "刘桂芬" })
            XCTAssertEqual(try records.auditTrail().map(\.observer), [true, true, false])
        }
    }

    func testMaskedIsIdempotentAndEqualsObserverOutput() throws {
        let plain = try SQLiteRecords.openDefault(fixturePath: fixturePath, clock: ManualClock(fixedInstant), timeZone: shanghai)
        let observer = plain.viewer(observer: true)
        let a = try plain.byAddress(street: "", number: "", addressKey: "a29", who: "c")
        let b = try observer.byAddress(street: "", number: "", addressKey: "a29", who: "c")
        XCTAssertEqual(a.masked(), b)
        XCTAssertEqual(a.masked().masked(), b)
        XCTAssertFalse(a.isMasked)
    }

    // MARK: - Closing

    func testCloseLeavesNoWALOrSHMAndLaterLookupsFailPlainly() throws {
        let dir = NSTemporaryDirectory() + "watchroom-close-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/records.sqlite"
        let records = try SQLiteRecords.build(fromSQL: fixturePath, at: path, clock: ManualClock(fixedInstant), timeZone: shanghai)
        let observer = records.viewer(observer: true)
        _ = try observer.byPhone("13800001009", who: "commander")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"), "an open database in WAL mode has its -wal")
        records.close()
        records.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-shm"))
        XCTAssertThrowsError(try observer.byPhone("13800001009", who: "commander")) { error in
            XCTAssertEqual(error as? DatabaseError, .closed(path: path))
        }
        let trail = try SQLiteRecords(database: try Database.open(path: path, readOnly: true)).auditTrail()
        XCTAssertEqual(trail.count, 1, "the lookup before closing was audited and is on disk")
    }

    // MARK: - Threads

    func testConcurrentLookupsFromManyThreadsAreSerialisedAndAllAudited() {
        forEachStorage(self) { records, storage in
            let observer = records.viewer(observer: true)
            DispatchQueue.concurrentPerform(iterations: 40) { i in
                let target = i % 2 == 0 ? records : observer
                do {
                    _ = try target.byPhone("13800001009", who: "t\(i)")
                    _ = try target.byAddress(street: "永平门街", number: "23", addressKey: nil, who: "t\(i)")
                } catch {
                    XCTFail("[\(storage)] \(error)")
                }
            }
            let trail = try records.auditTrail()
            XCTAssertEqual(trail.count, 80, "\(storage)")
            XCTAssertEqual(trail.filter(\.observer).count, 40)
        }
    }

    // MARK: - Hostile text

    func testHostileTextInARecordComesOutInert() {
        forEachStorage(self) { records, storage in
            let esc = "\u{1B}[2J\u{1B}]0;pwned\u{07}"
            try records.withDatabase { db in
                try db.execute("INSERT INTO street VALUES ('evil', ?1, ?2)", [.text("恶\(esc)街"), .text("Evil\u{9B}31m Street")])
                try db.execute("INSERT INTO address VALUES ('a90', 'evil', ?1, NULL)", [.text("1\(esc)")])
                try db.execute("INSERT INTO person (id, name, phone, note) VALUES ('x1', ?1, '13800009990', ?2)",
                               [.text("坏\(esc)人"), .text("note\u{1B}[31m red\u{202E}")])
                try db.execute("INSERT INTO household VALUES ('hx', 'a90', ?1)", [.text("u\(esc)")])
                try db.execute("INSERT INTO resident VALUES ('x1', 'hx', 'head')")
                try db.execute("INSERT INTO vehicle VALUES (?1, 'x1', ?2, ?3)", [.text("渝A·\u{1B}[1m9"), .text("make\(esc)"), .text("red\r\n")])
                try db.execute("INSERT INTO past_incident VALUES ('rx', 'a90', '2025-01-01', 'other', ?1, ?2)",
                               [.text("summary\(esc)"), .text("outcome\u{1B}c")])
                try db.execute("INSERT INTO involvement VALUES ('x1', 'rx', 'suspect')")
                try db.execute("INSERT INTO warning VALUES ('wx', 'x1', 'a90', ?1, '2025-01', 'danger')", [.text("warn\(esc)")])
            }
            let byAddress = try records.byAddress(street: "Evil\u{9B}31m Street", number: "1\(esc)", addressKey: "a90", who: "c\(esc)")
            let byPhone = try records.byPhone("13800009990", who: "c")
            for report in [byAddress, byPhone, byAddress.masked()] {
                XCTAssertFalse(report.isEmpty, "\(storage)")
                XCTAssertFalse(containsControl("\(report)"), "[\(storage)] control characters leaked: \(report)")
                XCTAssertFalse("\(report)".unicodeScalars.contains("\u{202E}"))
                XCTAssertTrue(report.warnings.contains { $0.contains("\\u{1B}[2J") }, "\(report.warnings)")
            }
            XCTAssertEqual(byAddress.people.first?.name, "坏\\u{1B}[2J\\u{1B}]0;pwned\\u{7}人")
            for entry in try records.auditTrail() {
                XCTAssertFalse(containsControl(entry.who + entry.query + entry.shown), "\(entry)")
            }
        }
    }
}
