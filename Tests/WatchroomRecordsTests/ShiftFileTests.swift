import Foundation
import WatchroomCore
import WatchroomRecords
import XCTest

/// Shift files as replay meets them: schema versions and migration, bad input of every
/// kind, and the promise that opening a file for replay never writes anything.
final class ShiftFileTests: XCTestCase {
    private let codec = EventCodec(timeZone: shanghai)

    /// The first `count` events of the busy night fixture.
    private func events(_ count: Int) throws -> [EventEnvelope] {
        let url = repoRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl")
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let head = try handle.read(upToCount: 400 * count) ?? Data()
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\n").dropLast().prefix(count)
        let out = try lines.map { try EventCodec.decode(String($0)) }
        XCTAssertEqual(out.count, count)
        return out
    }

    private func newShift(_ dir: URL, _ events: [EventEnvelope], name: String = "t.shift", close: Bool = true) throws -> (String, ShiftStore) {
        let path = dir.appendingPathComponent(name).path
        let store = try ShiftStore.create(path: path, map: "jiangbei-city", timeZone: "Asia/Shanghai", watchroomVersion: "test")
        try store.append(events)
        if close { try store.close() }
        return (path, store)
    }

    /// A schema-1 file written the way version-1 builds wrote it: from the v1 SQL.
    private func version1Shift(_ dir: URL, _ events: [EventEnvelope]) throws -> String {
        let path = dir.appendingPathComponent("v1.shift").path
        let db = try Database.open(path: path)
        try db.exec("PRAGMA application_id = \(ShiftSchema.applicationID)")
        try db.exec(ShiftSchema.version1SQL)
        try db.setUserVersion(1)
        try db.transaction {
            for (k, v) in [("map", "jiangbei-city"), ("time_zone", "Asia/Shanghai"), ("created", "2026-03-14T20:00:00.000+08:00"),
                           ("watchroom_version", "0.1.0"), ("mode", "live")] {
                try db.execute("INSERT INTO meta(key, value) VALUES (?1, ?2)", [.text(k), .text(v)])
            }
            for e in events {
                try db.execute("INSERT INTO event(seq, time, time_ms, type, incident, unit, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", [
                    .integer(Int64(e.seq)), .text(ISOTime.format(e.time, timeZone: shanghai)),
                    .integer(Int64((e.time.timeIntervalSince1970 * 1000).rounded())), .text(e.event.type),
                    .text(e.event.incidentID?.rawValue), .text(e.event.unitIDs.first?.rawValue), .text(try codec.encodeData(e.event)),
                ])
            }
        }
        _ = try db.scalarText("PRAGMA journal_mode = DELETE")
        return path
    }

    /// Every file in `dir` with its size, modification time and content hash. A `-shm`
    /// that already exists (a live writer's, or one a crash left) counts by name only:
    /// it is SQLite's shared index, where every reader notes what it reads.
    private func snapshot(_ dir: URL) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let path = dir.appendingPathComponent(name).path
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            if name.hasSuffix("-shm") {
                out[name] = ["shared index"]
                continue
            }
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            out[name] = ["\(attributes[.size] ?? "")", "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)",
                         String(FNV1a64.hash(data), radix: 16)]
        }
        return out
    }

    /// Runs `body` (a replay open) and asserts nothing in `dir` changed: no file written,
    /// touched, created (no `-wal`, no `-shm`) or removed.
    private func assertUntouched<T>(_ dir: URL, file: StaticString = #filePath, line: UInt = #line,
                                    _ body: () throws -> T) rethrows -> T {
        let before = try? snapshot(dir)
        Thread.sleep(forTimeInterval: 0.02)  // a write, if any, shows in the modification time
        let result = try body()
        XCTAssertEqual(try? snapshot(dir), before, "opening for replay must leave every file as it was", file: file, line: line)
        return result
    }

    private func assertShiftError(_ body: @autoclosure () throws -> Any, file: StaticString = #filePath, line: UInt = #line,
                                  _ check: (ShiftStoreError) -> Bool) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let e = error as? ShiftStoreError else { return XCTFail("not a ShiftStoreError: \(error)", file: file, line: line) }
            XCTAssertTrue(check(e), "unexpected: \(e)", file: file, line: line)
        }
    }

    // MARK: - Schema versions

    func testSchemaVersion1ReplaysReadOnlyAndMigratesOnlyWhenOpenedForWriting() throws {
        let dir = try temporaryDirectory(self)
        let sample = try events(300)
        let path = try version1Shift(dir, sample)

        let recording = try assertUntouched(dir) { try Recording.load(path: path) }
        XCTAssertEqual(recording.envelopes, sample)
        XCTAssertEqual(recording.meta?.watchroomVersion, "0.1.0")
        XCTAssertEqual(recording.warnings, [])
        try assertUntouched(dir) {
            let store = try ShiftStore.open(path: path)
            XCTAssertEqual(store.schemaVersion, 1)
            XCTAssertEqual(try store.sessions(), [])
            try store.close()
        }
        XCTAssertEqual(try Database.open(path: path, readOnly: true).userVersion(), 1, "a replay never migrates")

        // Opening for writing migrates to this build's schema; the v1 history becomes one session.
        let writer = try ShiftStore.open(path: path, readOnly: false, watchroomVersion: "test")
        XCTAssertEqual(writer.schemaVersion, ShiftSchema.version)
        let next = EventEnvelope(seq: writer.lastSeq + 1, time: sample.last!.time, event: .clockTick(ClockTick()))
        try writer.append([next])
        try writer.close()
        let reopened = try ShiftStore.open(path: path)
        XCTAssertEqual(reopened.schemaVersion, 2)
        XCTAssertEqual(try reopened.events(), sample + [next])
        let sessions = try reopened.sessions()
        XCTAssertEqual(sessions.map(\.how), [.schemaOne, .resume])
        XCTAssertEqual(sessions[0].firstSeq, 1)
        XCTAssertEqual(sessions[0].lastSeq, sample.last?.seq)
        XCTAssertEqual(sessions[0].watchroomVersion, "0.1.0")
        XCTAssertEqual(sessions[1].firstSeq, sample.last!.seq + 1)
        XCTAssertEqual(sessions[1].lastSeq, next.seq)
        XCTAssertEqual(sessions[1].pid, Int(ProcessInfo.processInfo.processIdentifier))
        XCTAssertNotNil(sessions[1].closed.flatMap(ISOTime.parse), "closed is ISO 8601 with offset")
    }

    func testSessionsNoteCreateResumeAndAnAbruptEnd() throws {
        let dir = try temporaryDirectory(self)
        let sample = try events(200)
        let (path, _) = try newShift(dir, Array(sample[..<50]))
        let writer = try ShiftStore.open(path: path, readOnly: false, watchroomVersion: "test")
        try writer.append(Array(sample[50..<120]))
        // kill -9 now: the files as they are on disk, without a close.
        let crashed = dir.appendingPathComponent("crashed", isDirectory: true)
        try FileManager.default.createDirectory(at: crashed, withIntermediateDirectories: true)
        let copy = crashed.appendingPathComponent("t.shift").path
        for suffix in ["", "-wal"] { try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix) }
        withExtendedLifetime(writer) {}

        let resumed = try ShiftStore.open(path: copy, readOnly: false, watchroomVersion: "test")
        try resumed.append(Array(sample[120...]))
        try resumed.close()
        let sessions = try ShiftStore.open(path: copy).sessions()
        XCTAssertEqual(sessions.map(\.how), [.create, .resume, .resume])
        XCTAssertEqual(sessions.map(\.firstSeq), [1, 51, 121])
        XCTAssertNotNil(sessions[0].closed)
        XCTAssertEqual(sessions[0].lastSeq, 50)
        XCTAssertNil(sessions[1].closed, "the killed session never closed")
        XCTAssertNotNil(sessions[2].closed)
        XCTAssertEqual(try ShiftStore.open(path: copy).events(), sample)
    }

    func testNewerSchemaIsAClearErrorSayingWhichVersionAndWhatToDo() throws {
        let dir = try temporaryDirectory(self)
        let (path, _) = try newShift(dir, try events(20))
        try Database.open(path: path).setUserVersion(ShiftSchema.version + 1)
        _ = try Database.open(path: path).scalarText("PRAGMA journal_mode = DELETE")
        try assertUntouched(dir) {
            for body in [{ _ = try Recording.load(path: path) }, { _ = try ShiftStore.open(path: path) }] {
                XCTAssertThrowsError(try body()) { error in
                    let text = "\(error)"
                    XCTAssertTrue(text.contains(path), text)
                    XCTAssertTrue(text.contains("version \(ShiftSchema.version + 1)"), text)
                    XCTAssertTrue(text.contains("newer Watchroom"), text)
                }
            }
        }
    }

    // MARK: - Files that are not what they claim

    func testWrongApplicationIDAndOtherDatabasesAreNotShifts() throws {
        let dir = try temporaryDirectory(self)
        let (path, _) = try newShift(dir, try events(20))
        try Database.open(path: path).exec("PRAGMA application_id = 1234")
        _ = try Database.open(path: path).scalarText("PRAGMA journal_mode = DELETE")
        let other = dir.appendingPathComponent("records.sqlite").path
        let db = try Database.open(path: other)
        try db.exec("CREATE TABLE resident(id INTEGER PRIMARY KEY, name TEXT)")
        _ = try db.scalarText("PRAGMA journal_mode = DELETE")
        for p in [path, other] {
            try assertUntouched(dir) {
                assertShiftError(try Recording.load(path: p)) { if case .notAShift(p) = $0 { true } else { false } }
            }
        }
        XCTAssertTrue(ShiftStoreError.notAShift(path: other).description.contains("not a Watchroom shift file"))
    }

    func testTruncatedFileIsAClearErrorAndStaysUntouched() throws {
        let dir = try temporaryDirectory(self)
        let (path, _) = try newShift(dir, try events(2_000))
        let size = ShiftStoreTestsSupport.size(path)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(size * 2 / 3))
        try handle.close()
        try assertUntouched(dir) {
            assertShiftError(try Recording.load(path: path)) { if case .truncated = $0 { true } else { false } }
        }
    }

    /// Bytes overwritten in the middle of the file: an error naming the file, or the
    /// events before the damage with a warning; never a crash, never a write.
    func testCorruptedMiddleGivesAClearErrorOrTheEventsBeforeIt() throws {
        let dir = try temporaryDirectory(self)
        let sample = try events(3_000)
        let (path, _) = try newShift(dir, sample)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var outcomes: [String] = []
        for (k, fraction) in [0.3, 0.5, 0.7, 0.9].enumerated() {
            var data = original
            let at = Int(Double(data.count) * fraction) / 4096 * 4096 + 100
            var state = UInt64(k + 1)
            for i in at..<min(data.count, at + 3_000) {
                state = state &* 6_364_136_223_846_793_005 &+ 1442695040888963407
                data[i] = UInt8(truncatingIfNeeded: state >> 33)
            }
            try data.write(to: URL(fileURLWithPath: path))
            try assertUntouched(dir) {
                do {
                    let recording = try Recording.load(path: path)
                    if recording.envelopes == sample {
                        outcomes.append("intact (the damage hit an index)")
                    } else {
                        XCTAssertFalse(recording.warnings.isEmpty, "a partial replay must say so")
                        XCTAssertTrue(recording.warnings.contains { $0.contains(path) && $0.contains("damaged") }, "\(recording.warnings)")
                        XCTAssertEqual(Array(sample.prefix(recording.envelopes.count)), recording.envelopes,
                                       "what is replayed is the start of the shift, unchanged")
                        outcomes.append("partial \(recording.envelopes.count)")
                    }
                } catch let error as ShiftStoreError {
                    XCTAssertTrue(error.description.contains(path), error.description)
                    outcomes.append("error")
                }
            }
        }
        XCTAssertTrue(outcomes.contains { $0 != "intact (the damage hit an index)" }, "\(outcomes)")
    }

    func testGarbageAndMissingFilesAreClearErrors() throws {
        let dir = try temporaryDirectory(self)
        let garbage = dir.appendingPathComponent("g.shift").path
        try Data((0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: URL(fileURLWithPath: garbage))
        try assertUntouched(dir) {
            XCTAssertThrowsError(try Recording.load(path: garbage)) { XCTAssertTrue("\($0)".contains(garbage), "\($0)") }
            assertShiftError(try Recording.load(path: dir.appendingPathComponent("none.shift").path)) {
                if case .missing = $0 { true } else { false }
            }
        }
        // Bytes that start like SQLite but are not.
        let fake = dir.appendingPathComponent("fake.shift").path
        try (Data("SQLite format 3\0".utf8) + Data(repeating: 0xAB, count: 3_000)).write(to: URL(fileURLWithPath: fake))
        try assertUntouched(dir) {
            XCTAssertThrowsError(try Recording.load(path: fake)) { XCTAssertTrue("\($0)".contains(fake), "\($0)") }
        }
    }

    // MARK: - JSON Lines

    func testJSONLinesOutOfOrderDuplicatesUnknownTypesAndGarbageAreWarningsWithTheRestReplayed() throws {
        let dir = try temporaryDirectory(self)
        let sample = try events(40)
        var lines = try sample.map { try codec.encode($0) }
        lines.insert(lines[5], at: 10)                         // line 11: seq 6 again, out of order
        lines.insert(lines[11], at: 12)                        // line 13: repeats seq 11
        lines.insert("this is not json \u{1B}[31m", at: 20)    // line 21: garbage with an escape sequence
        lines.insert(#"{"v":1,"seq":1000,"time":"7:48 PM","type":"clock.tick"}"#, at: 25) // line 26: 12-hour time
        let unknown = #"{"v":1,"seq":500,"time":"2026-03-14T23:00:00.000+08:00","type":"bodycam.started","data":{"unit":"C11"}}"#
        lines.append(unknown)
        let path = dir.appendingPathComponent("bad.jsonl").path
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))

        let recording = try assertUntouched(dir) { try Recording.load(path: path) }
        XCTAssertEqual(Array(recording.envelopes.prefix(sample.count)), sample, "every good event, in order")
        XCTAssertEqual(recording.envelopes.count, sample.count + 1)
        XCTAssertEqual(recording.envelopes.last?.event.type, "bodycam.started")
        let w = recording.warnings
        XCTAssertTrue(w.contains { $0.hasPrefix("\(path):11: seq 6 does not come after seq 10") }, "\(w)")
        XCTAssertTrue(w.contains { $0.hasPrefix("\(path):13: seq 11 repeats seq 11") }, "\(w)")
        XCTAssertTrue(w.contains { $0.hasPrefix("\(path):21: not a JSON object") }, "\(w)")
        XCTAssertTrue(w.contains { $0.hasPrefix("\(path):26: time \"7:48 PM\"") }, "\(w)")
        XCTAssertTrue(w.contains { $0.contains("bodycam.started") && $0.contains("not known to this build") }, "\(w)")
        XCTAssertFalse(w.contains { containsControl($0) }, "warnings reach the terminal: no control characters")
        let state = PrecinctState.fold(recording.envelopes)
        XCTAssertEqual(state.anomalies.outOfOrder, 0, "out-of-order lines never reach the reducer")
        XCTAssertEqual(state.anomalies.unknownType, 1)
    }

    func testNothingReadableIsAnError() throws {
        let dir = try temporaryDirectory(self)
        let path = dir.appendingPathComponent("notes.txt").path
        try Data("shopping list\nmilk\n".utf8).write(to: URL(fileURLWithPath: path))
        assertShiftError(try Recording.load(path: path)) { e in
            if case .corrupt(let p, let message) = e { return p == path && message.contains("line 1") }
            return false
        }
    }

    // MARK: - Another map

    func testShiftRecordedOnAnotherMapGivesAWarning() throws {
        let dir = try temporaryDirectory(self)
        let (path, _) = try newShift(dir, try events(10))
        let recording = try Recording.load(path: path)
        XCTAssertEqual(recording.mapKey, "jiangbei-city")
        XCTAssertNil(recording.mapWarning(using: "jiangbei-city"))
        let warning = try XCTUnwrap(recording.mapWarning(using: "generated-7\u{1B}[2J"))
        XCTAssertTrue(warning.contains("jiangbei-city") && warning.contains("generated-7") && warning.contains(path), warning)
        XCTAssertFalse(containsControl(warning))
        // JSON Lines: the shift.started event says which map.
        let jsonl = dir.appendingPathComponent("t.jsonl").path
        try Data(try codec.encode(lines: try events(5)).utf8).write(to: URL(fileURLWithPath: jsonl))
        XCTAssertNotNil(try Recording.load(path: jsonl).mapWarning(using: "other"))
    }

    // MARK: - Live and crashed files

    /// A shift still being recorded: readable up to its last committed event, and the
    /// replay creates nothing and changes nothing (the writer's -wal and -shm are its own).
    func testAFileBeingRecordedIsReadableWithoutTouchingIt() throws {
        let dir = try temporaryDirectory(self)
        let sample = try events(1_000)
        let (path, writer) = try newShift(dir, Array(sample[..<600]), close: false)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-shm"))
        let recording = try assertUntouched(dir) { try Recording.load(path: path) }
        XCTAssertEqual(recording.envelopes, Array(sample[..<600]))
        // The writer goes on; a second replay sees the new events.
        try writer.append(Array(sample[600...]))
        XCTAssertEqual(try Recording.load(path: path).envelopes, sample)
        try writer.close()
        XCTAssertEqual(try Recording.load(path: path).envelopes, sample)
    }

    /// A file left in WAL mode by another SQLite program (its last connection removed
    /// the -wal and -shm on closing but kept WAL in the header): replay creates neither.
    func testAWALModeFileWithoutItsSideFilesReplaysAndCreatesNothing() throws {
        let dir = try temporaryDirectory(self)
        let sample = try events(500)
        let (path, _) = try newShift(dir, sample)
        do {
            let db = try Database.open(path: path)  // switches the file to WAL
            XCTAssertEqual(try db.scalarText("PRAGMA journal_mode"), "wal")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["t.shift"])
        let recording = try assertUntouched(dir) { try Recording.load(path: path) }
        XCTAssertEqual(recording.envelopes, sample)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["t.shift"])
    }

    /// A recording killed with kill -9 and copied elsewhere without its -shm: the
    /// committed events in its WAL replay, and no -shm appears beside it.
    func testACrashedFileWithoutItsIndexReplaysEverythingCommittedAndCreatesNothing() throws {
        let dir = try temporaryDirectory(self)
        let sample = try events(1_200)
        let (path, writer) = try newShift(dir, Array(sample[..<700]), close: false)
        try writer.append(Array(sample[700...]))
        for withIndex in [false, true] {
            let crashed = dir.appendingPathComponent("crashed-\(withIndex)", isDirectory: true)
            try FileManager.default.createDirectory(at: crashed, withIntermediateDirectories: true)
            let copy = crashed.appendingPathComponent("t.shift").path
            for suffix in withIndex ? ["", "-wal", "-shm"] : ["", "-wal"] {
                try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix)
            }
            XCTAssertGreaterThan(ShiftStoreTestsSupport.size(copy + "-wal"), 0)
            let recording = try assertUntouched(crashed) { try Recording.load(path: copy) }
            XCTAssertEqual(recording.envelopes, sample, "with -shm: \(withIndex)")
        }
        withExtendedLifetime(writer) {}
    }
}
