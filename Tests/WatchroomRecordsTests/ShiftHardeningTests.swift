import Foundation
import WatchroomCore
import WatchroomRecords
import XCTest

/// Recordings from outside, hostile or damaged: numbers out of range, bad time columns,
/// missing tables, things that are not files, and crashed files whose side files must
/// stay exactly as they are.
final class ShiftHardeningTests: XCTestCase {
    private func events(_ count: Int) throws -> [EventEnvelope] {
        let url = repoRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl")
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        return try text.split(separator: "\n").prefix(count).map { try EventCodec.decode(String($0)) }
    }

    private func newShift(_ dir: URL, _ events: [EventEnvelope], close: Bool = true) throws -> (String, ShiftStore) {
        let path = dir.appendingPathComponent("t.shift").path
        let store = try ShiftStore.create(path: path, map: "jiangbei-city", timeZone: "Asia/Shanghai", watchroomVersion: "test")
        try store.append(events)
        if close { try store.close() }
        return (path, store)
    }

    /// Runs SQL on a closed shift file (as a tamperer would), leaving it in DELETE mode.
    private func tamper(_ path: String, _ sql: String) throws {
        let db = try Database.open(path: path)
        try db.exec(sql)
        _ = try db.scalarText("PRAGMA journal_mode = DELETE")
    }

    /// Every file in `dir` with its bytes and modification time, `-shm` included.
    private func exactSnapshot(_ dir: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let path = dir.appendingPathComponent(name).path
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            out[name] = "\(data.count) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0) \(FNV1a64.hash(data))"
        }
        return out
    }

    func testOutOfRangeNumbersAreNamedByRowAndSkippedWithAWarning() throws {
        let dir = try temporaryDirectory(self)
        let sample = try events(300)
        let (path, _) = try newShift(dir, sample)
        let position = try XCTUnwrap(sample.first { if case .unitPosition = $0.event { return $0.seq > 50 } else { return false } })
        let registered = try XCTUnwrap(sample.first { if case .unitRegistered = $0.event { return true } else { return false } })
        try tamper(path, """
            UPDATE event SET time_ms = 9223372036854775807 WHERE seq = 20;
            UPDATE event SET time_ms = -5 WHERE seq = 21;
            UPDATE event SET data = replace(data, '"x":', '"x":1e300,"old":') WHERE seq = \(position.seq);
            UPDATE event SET data = replace(data, '"home":{"x":', '"home":{"x":20000000,"old":') WHERE seq = \(registered.seq);
            """)
        let rows = try ShiftStore.open(path: path).verifyRows()
        XCTAssertEqual(rows.total, 4, "\(rows.problems)")
        XCTAssertEqual(rows.sound, sample.count - 4)
        XCTAssertTrue(rows.problems.contains { $0.hasPrefix("event seq 20: time_ms 9223372036854775807") }, "\(rows.problems)")
        XCTAssertTrue(rows.problems.contains { $0.hasPrefix("event seq 21: time_ms -5") }, "\(rows.problems)")
        XCTAssertTrue(rows.problems.contains { $0.hasPrefix("event seq \(position.seq) (unit.position): point 1e+300") }, "\(rows.problems)")
        XCTAssertTrue(rows.problems.contains { $0.contains("event seq \(registered.seq) (unit.registered): home 20000000") }, "\(rows.problems)")

        // Reading for replay or a drill: the four are left out, each named, with a total.
        let recording = try Recording.load(path: path)
        XCTAssertEqual(recording.envelopes.map(\.seq), sample.map(\.seq).filter { ![20, 21, position.seq, registered.seq].contains($0) })
        XCTAssertTrue(recording.warnings.contains { $0.contains("event seq 20: time_ms") && $0.hasSuffix("; skipped") }, "\(recording.warnings)")
        XCTAssertTrue(recording.warnings.contains("\(path): 4 bad events skipped in all"), "\(recording.warnings)")
        // Plain reading without a skip handler refuses with the row named.
        XCTAssertThrowsError(try ShiftStore.open(path: path).events()) { error in
            guard case let .outOfRange(_, seq, problem)? = error as? ShiftStoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(seq, min(20, position.seq, registered.seq))
            XCTAssertTrue("\(error)".hasSuffix("\(problem); the recording was altered or damaged"), "\(error)")
        }
    }

    func testJSONLinesEventsOutOfRangeAreSkippedByLine() throws {
        let dir = try temporaryDirectory(self)
        var lines = try events(40).map { try EventCodec(timeZone: shanghai).encode($0) }
        let k = try XCTUnwrap(lines.firstIndex { $0.contains("\"unit.position\"") })
        lines[k] = lines[k].replacingOccurrences(of: "\"x\":", with: "\"x\":-3e9,\"old\":")
        lines[3] = lines[3].replacingOccurrences(of: #""time":"2026"#, with: #""time":"0001"#)
        let path = dir.appendingPathComponent("r.jsonl").path
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let recording = try Recording.load(path: path)
        XCTAssertEqual(recording.envelopes.count, 38)
        XCTAssertTrue(recording.warnings.contains { $0.hasPrefix("\(path):4: time ") && $0.contains("outside the years 1970 to 9999") }, "\(recording.warnings)")
        XCTAssertTrue(recording.warnings.contains { $0.hasPrefix("\(path):\(k + 1): point -3000000000") }, "\(recording.warnings)")
        XCTAssertEqual(recording.warnings.last, "\(path): 2 bad lines skipped in all")
    }

    func testBadTimeColumnsAndAMissingTableAreNamed() throws {
        let dir = try temporaryDirectory(self)
        let (path, _) = try newShift(dir, try events(100))
        try tamper(path, """
            UPDATE event SET time = 'garbage' WHERE seq = 3;
            UPDATE event SET time_ms = 'abc' WHERE seq = 4;
            UPDATE event SET time = '2026-03-14T20:00:00.000+08:00', time_ms = 1 WHERE seq = 5;
            DROP TABLE session;
            """)
        let rows = try ShiftStore.open(path: path).verifyRows()
        XCTAssertEqual(rows.problems, [
            "table session is missing (schema version 2 has it)",
            "event seq 3: time \"garbage\" is not an ISO 8601 time with offset",
            "event seq 4: time_ms abc is not milliseconds from 1970 to 9999",
            "event seq 5: time 2026-03-14T20:00:00.000+08:00 and time_ms 1 are different instants",
        ])
        XCTAssertEqual(rows.sound, 97)
    }

    func testThingsThatAreNotRecordingsAreRefusedInPlainWords() throws {
        let dir = try temporaryDirectory(self)
        let (path, _) = try newShift(dir, try events(200))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        func write(_ name: String, _ data: Data) throws -> String {
            let p = dir.appendingPathComponent(name).path
            try data.write(to: URL(fileURLWithPath: p))
            return p
        }
        let empty = try write("empty.shift", Data())
        let emptyLines = try write("empty.jsonl", Data())
        let cut = try write("cut.shift", bytes.prefix(15))
        var zeroedBytes = bytes
        zeroedBytes.replaceSubrange(0..<4096, with: Data(count: 4096))
        let zeroed = try write("zeroed.bin", zeroedBytes)
        let folder = dir.appendingPathComponent("folder.shift").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let fifo = dir.appendingPathComponent("pipe.shift").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)

        let expected: [(String, String)] = [
            (empty, "\(empty) is empty (0 bytes): nothing was recorded in it"),
            (emptyLines, "\(emptyLines) is empty (0 bytes): nothing was recorded in it"),
            (cut, "\(cut) is damaged: it has 15 bytes, fewer than an SQLite header (100): the copy is incomplete or cut short"),
            (zeroed, "\(zeroed) is not a shift file (not SQLite or damaged: its first page is zeroed, so its header and schema are gone)"),
            (folder, "\(folder) is a directory, not a recorded shift; give the path of a .shift or .jsonl file"),
            (fifo, "\(fifo) is a pipe (FIFO), not a recorded shift; give the path of a .shift or .jsonl file"),
            ("/dev/zero", "/dev/zero is a device, not a recorded shift; give the path of a .shift or .jsonl file"),
        ]
        for (file, message) in expected {
            XCTAssertThrowsError(try Recording.load(path: file), file) { error in
                XCTAssertEqual("\(error)", message)
            }
        }
    }

    /// A console killed with kill -9 leaves the file, its -wal and its -shm. Reading it
    /// (verify, info, replay) changes none of the three, not even the -shm.
    func testACrashedFileKeepsItsSideFilesByteForByte() throws {
        let dir = try temporaryDirectory(self)
        let sample = try events(900)
        let (path, writer) = try newShift(dir, Array(sample[..<500]), close: false)
        try writer.append(Array(sample[500...]))
        let crashed = dir.appendingPathComponent("crashed", isDirectory: true)
        try FileManager.default.createDirectory(at: crashed, withIntermediateDirectories: true)
        let copy = crashed.appendingPathComponent("t.shift").path
        for suffix in ["", "-wal", "-shm"] { try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix) }
        withExtendedLifetime(writer) {}
        let before = try exactSnapshot(crashed)
        Thread.sleep(forTimeInterval: 0.02)
        let store = try ShiftStore.open(path: copy)
        XCTAssertEqual(try store.verifyRows().sound, 900)
        try store.verify(full: true)
        try store.close()
        XCTAssertEqual(try Recording.load(path: copy).envelopes, sample)
        XCTAssertEqual(try exactSnapshot(crashed), before)
    }

    /// A stray -wal of garbage beside a cleanly closed file: read, nothing created, the
    /// -wal left in place.
    func testAGarbageWALBesideACleanFileIsLeftAloneAndNoIndexIsCreated() throws {
        let dir = try temporaryDirectory(self)
        let sample = try events(300)
        let (path, _) = try newShift(dir, sample)
        var garbage = Data()
        for i in 0..<5000 { garbage.append(UInt8(truncatingIfNeeded: i &* 7919 >> 3)) }
        try garbage.write(to: URL(fileURLWithPath: path + "-wal"))
        let before = try exactSnapshot(dir)
        Thread.sleep(forTimeInterval: 0.02)
        XCTAssertEqual(try Recording.load(path: path).envelopes, sample)
        XCTAssertEqual(try ShiftStore.open(path: path).verifyRows().sound, 300)
        XCTAssertEqual(try exactSnapshot(dir), before)
    }
}
