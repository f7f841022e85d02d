import Foundation
import WatchroomCore
import WatchroomRecords
import XCTest

/// Shift files: round trips, read-only opens, bad files, durability, the recorder.
final class ShiftStoreTests: XCTestCase {
    /// The first `count` events of the busy night fixture, plus an event type this build
    /// does not know.
    private func sampleEvents(_ count: Int = 400) throws -> [EventEnvelope] {
        let url = repoRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl")
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let head = try handle.read(upToCount: 400 * count) ?? Data()
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\n").dropLast().prefix(count)
        var events = try lines.map { try EventCodec.decode(String($0)) }
        XCTAssertEqual(events.count, count)
        let last = events.last!
        events.append(EventEnvelope(seq: last.seq + 1, time: last.time.addingTimeInterval(0.25),
                                    event: .unknown(type: "radio.message", json: #"{"from":"C11","text":"在路上 / on the way"}"#)))
        return events
    }

    private func newStore(_ dir: URL, name: String = "t.shift") throws -> ShiftStore {
        try ShiftStore.create(path: dir.appendingPathComponent(name).path, map: "jiangbei-city",
                              timeZone: "Asia/Shanghai", watchroomVersion: "test")
    }

    private func assertShiftError(_ body: @autoclosure () throws -> Any, file: StaticString = #filePath,
                                  line: UInt = #line, _ check: (ShiftStoreError) -> Bool) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let e = error as? ShiftStoreError else {
                return XCTFail("not a ShiftStoreError: \(error)", file: file, line: line)
            }
            XCTAssertTrue(check(e), "unexpected: \(e)", file: file, line: line)
        }
    }

    // MARK: - Round trip

    func testAppendAndReadBackEveryEventIncludingUnknownTypes() throws {
        let dir = try temporaryDirectory(self)
        let events = try sampleEvents(2_500)
        let store = try newStore(dir)
        try store.append(Array(events[..<100]))
        try store.append(Array(events[100...]))
        XCTAssertEqual(store.lastSeq, events.last?.seq)
        try store.close()

        let read = try ShiftStore.open(path: dir.appendingPathComponent("t.shift").path, readOnly: true)
        XCTAssertEqual(try read.events(), events)
        XCTAssertEqual(try read.count(), events.count)
        XCTAssertEqual(read.lastSeq, events.last?.seq)
        XCTAssertEqual(read.meta.map, "jiangbei-city")
        XCTAssertEqual(read.meta.timeZone, "Asia/Shanghai")
        XCTAssertEqual(read.meta.mode, .live)
        XCTAssertEqual(read.meta.watchroomVersion, "test")
        XCTAssertEqual(try read.events(from: 10, to: 12).map(\.seq), [10, 11, 12])
        guard case .unknown(let type, let json)? = try read.events(from: read.lastSeq).first?.event else {
            return XCTFail("the unknown event should come back as .unknown")
        }
        XCTAssertEqual(type, "radio.message")
        XCTAssertTrue(json.contains("在路上"))

        // The stored rows give the codec's exact lines.
        let codec = EventCodec(timeZone: shanghai)
        var lines: [String] = []
        try read.forEachStored { lines.append($0.jsonLine) }
        XCTAssertEqual(lines, try events.map { try codec.encode($0) })

        // Indexed columns: a dispatch of several units is found under each of them.
        let dispatch = try XCTUnwrap(events.first { if case .dispatch(let d) = $0.event { return d.units.count > 1 } else { return false } },
                                     "the sample should hold a multi-unit dispatch")
        for unit in dispatch.event.unitIDs {
            XCTAssertTrue(try read.seqs(unit: unit).contains(dispatch.seq), "\(unit)")
        }
        XCTAssertEqual(Set(try read.units()), Set(events.flatMap(\.event.unitIDs)))
        XCTAssertEqual(Set(try read.incidents()), Set(events.compactMap(\.event.incidentID)))
        XCTAssertEqual(PrecinctState.fold(try read.events()).digest, PrecinctState.fold(events).digest)
    }

    func testAppendRefusesOutOfOrderAndKeepsNothingOfAFailedBatch() throws {
        let dir = try temporaryDirectory(self)
        let events = try sampleEvents(20)
        let store = try newStore(dir)
        try store.append(Array(events[..<10]))
        assertShiftError(try store.append([events[3]])) { if case .outOfOrder(_, 4, 10) = $0 { true } else { false } }
        assertShiftError(try store.append([events[12], events[11]])) { if case .outOfOrder = $0 { true } else { false } }
        // A batch that fails half-way (an unknown payload that is not an object) leaves none of its events.
        var bad = events[11]
        bad.event = .unknown(type: "x.bad", json: "[1]")
        assertShiftError(try store.append([events[10], bad])) { if case .unencodable = $0 { true } else { false } }
        XCTAssertEqual(try store.count(), 10)
        XCTAssertEqual(store.lastSeq, 10)
        try store.append(Array(events[10...]))
        XCTAssertEqual(try store.events(), events)
    }

    func testCreateRefusesAnExistingFile() throws {
        let dir = try temporaryDirectory(self)
        try newStore(dir).close()
        assertShiftError(try self.newStore(dir)) { if case .fileExists = $0 { true } else { false } }
    }

    // MARK: - Read-only

    func testReadOnlyOpenNeverWritesTheFile() throws {
        let dir = try temporaryDirectory(self)
        let path = dir.appendingPathComponent("t.shift").path
        let store = try newStore(dir)
        try store.append(try sampleEvents())
        try store.close()
        let before = try fingerprint(path)
        let listing = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        // Let a write, if any, show in the modification time.
        Thread.sleep(forTimeInterval: 0.05)

        let read = try ShiftStore.open(path: path, readOnly: true)
        XCTAssertTrue(read.isReadOnly)
        XCTAssertGreaterThan(try read.events().count, 0)
        _ = try read.countsByType()
        _ = try read.bounds()
        try read.verify()
        assertShiftError(try read.append([EventEnvelope(seq: 9_999, time: fixedInstant, event: .clockTick(ClockTick()))])) {
            if case .notWritable = $0 { true } else { false }
        }
        try read.close()

        XCTAssertEqual(try fingerprint(path), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), listing,
                       "no -wal or -shm files beside it")
    }

    private func fingerprint(_ path: String) throws -> [String] {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return ["\(attributes[.size] ?? "")", "\(attributes[.modificationDate] ?? "")",
                String(FNV1a64.hash(data), radix: 16)]
    }

    // MARK: - Bad files

    func testWrongSchemaVersionIsAClearError() throws {
        let dir = try temporaryDirectory(self)
        let path = dir.appendingPathComponent("t.shift").path
        try newStore(dir).close()
        do {
            let db = try Database.open(path: path)
            try db.setUserVersion(ShiftSchema.version + 1)
        }
        for readOnly in [true, false] {
            assertShiftError(try ShiftStore.open(path: path, readOnly: readOnly)) {
                if case .schemaTooNew(_, let found, let supported) = $0 {
                    return found == ShiftSchema.version + 1 && supported == ShiftSchema.version
                }
                return false
            }
        }
        XCTAssertTrue(ShiftStoreError.schemaTooNew(path: path, found: 2, supported: 1).description.contains("newer Watchroom"))
    }

    func testOtherFilesAreRefusedClearly() throws {
        let dir = try temporaryDirectory(self)
        let garbage = dir.appendingPathComponent("garbage.shift").path
        var generator = SystemRandomNumberGenerator()
        try Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: garbage))
        assertShiftError(try ShiftStore.open(path: garbage)) { if case .notADatabase = $0 { true } else { false } }

        let empty = dir.appendingPathComponent("empty.shift").path
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        assertShiftError(try ShiftStore.open(path: empty)) { $0 == .empty(path: empty) }

        let other = dir.appendingPathComponent("other.sqlite").path
        try Database.open(path: other).exec("CREATE TABLE t(x)")
        assertShiftError(try ShiftStore.open(path: other)) { if case .notAShift = $0 { true } else { false } }
        assertShiftError(try ShiftStore.open(path: other, readOnly: false)) { if case .notAShift = $0 { true } else { false } }

        assertShiftError(try ShiftStore.open(path: dir.appendingPathComponent("none.shift").path)) {
            if case .missing = $0 { true } else { false }
        }
    }

    func testTruncatedFileIsAClearError() throws {
        let dir = try temporaryDirectory(self)
        let path = dir.appendingPathComponent("t.shift").path
        let store = try newStore(dir)
        try store.append(try sampleEvents(2_000))
        try store.close()
        let size = ShiftStoreTestsSupport.size(path)
        XCTAssertGreaterThan(size, 100_000)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
        assertShiftError(try ShiftStore.open(path: path)) {
            if case .truncated(_, let expected, let actual) = $0 { return expected == size && actual == size / 2 }
            return false
        }
        XCTAssertTrue(ShiftStoreError.truncated(path: "a", expectedBytes: 2, actualBytes: 1).description.contains("truncated"))
    }

    func testCorruptPagesAreAClearErrorNeverACrash() throws {
        let dir = try temporaryDirectory(self)
        let path = dir.appendingPathComponent("t.shift").path
        let store = try newStore(dir)
        let events = try sampleEvents(2_000)
        try store.append(events)
        try store.close()
        // Scribble over every page after the first (the header stays valid).
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        var state: UInt64 = 42
        for i in stride(from: 4096, to: data.count, by: 1) where (i / 512) % 3 == 1 {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            data[i] = UInt8(truncatingIfNeeded: state >> 33)
        }
        try data.write(to: URL(fileURLWithPath: path))
        do {
            let read = try ShiftStore.open(path: path)
            _ = try read.events()
            try read.verify()
            XCTFail("a damaged file should not read cleanly")
        } catch let error as ShiftStoreError {
            switch error {
            case .corrupt, .notADatabase, .notAShift, .badMeta: break
            default: XCTFail("unexpected: \(error)")
            }
            XCTAssertTrue(error.description.contains(path))
        }
    }

    // MARK: - Durability

    /// A process-free crash: copy the files as they are on disk while the store is still
    /// open (no close, no checkpoint), as `kill -9` would leave them, and open the copy.
    func testCommittedEventsSurviveACrash() throws {
        let dir = try temporaryDirectory(self)
        let path = dir.appendingPathComponent("t.shift").path
        let events = try sampleEvents(1_500)
        let store = try newStore(dir)
        for chunk in stride(from: 0, to: events.count, by: 100) {
            try store.append(Array(events[chunk..<min(events.count, chunk + 100)]))
        }
        XCTAssertGreaterThan(ShiftStoreTestsSupport.size(path + "-wal"), 0, "committed events are in the WAL")
        let crashed = dir.appendingPathComponent("crashed", isDirectory: true)
        try FileManager.default.createDirectory(at: crashed, withIntermediateDirectories: true)
        let copy = crashed.appendingPathComponent("t.shift").path
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix)
        }
        withExtendedLifetime(store) {}

        let reopened = try ShiftStore.open(path: copy, readOnly: false)
        XCTAssertEqual(try reopened.events(), events)
        XCTAssertEqual(reopened.lastSeq, events.last?.seq)
        // Resuming: the shift goes on where it stopped.
        let next = EventEnvelope(seq: reopened.lastSeq + 1, time: events.last!.time, event: .clockTick(ClockTick()))
        try reopened.append([next])
        try reopened.close()
        XCTAssertEqual(try ShiftStore.open(path: copy).events().last, next)
        XCTAssertEqual(ShiftStoreTestsSupport.size(copy + "-wal"), 0, "a closed file is one file")
    }

    // MARK: - Recorder

    func testRecorderRecordsEverythingPublishedOnTheBus() throws {
        let dir = try temporaryDirectory(self)
        let path = dir.appendingPathComponent("t.shift").path
        let clock = ManualClock(fixedInstant)
        let bus = EventBus(clock: clock)
        let events = try sampleEvents(1_000)
        bus.publish(events[0].event)  // before the recorder: replayed from the bus's log
        let recorder = try ShiftRecorder(store: try newStore(dir), bus: bus)
        for e in events.dropFirst() {
            clock.advance(by: 0.5)
            bus.publish(e.event)
        }
        try recorder.flushAndWait()
        XCTAssertEqual(recorder.lastCommittedSeq, bus.lastSeq)
        // A second connection sees every committed event while recording goes on.
        let reader = try ShiftStore.open(path: path)
        XCTAssertEqual(try reader.count(), events.count)
        XCTAssertLessThan(recorder.batchCount, events.count, "events are written in batches")
        try reader.close()
        bus.publish(.clockTick(ClockTick()))
        try recorder.stop()
        let stored = try ShiftStore.open(path: path).events()
        XCTAssertEqual(stored.map(\.seq), Array(1...UInt64(events.count + 1)))
        XCTAssertEqual(PrecinctState.fold(stored).digest, bus.state.digest)
    }
}

enum ShiftStoreTestsSupport {
    static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
