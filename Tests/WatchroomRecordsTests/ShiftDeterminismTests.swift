import Foundation
import WatchroomCore
import WatchroomRecords
import XCTest

/// Replaying a shift reproduces exactly the recorded state at every event.
final class ShiftDeterminismTests: XCTestCase {
    /// The busy night fixture is fed to a live bus with a real recorder writing a shift
    /// file; the file is loaded back with `Recording.load` (the fast decoder and `time_ms`
    /// path). Then a second bus is fed the fixture again while the loaded events are
    /// folded beside it, in lockstep: after every single event the two states must be
    /// equal (`==`, every field), and their digests must agree after every event that is
    /// not a position report, after every 100th event and at the end (a digest is the
    /// canonical JSON of the whole state: some milliseconds each in a debug build).
    func testBusyNightReplaysToTheSameStateAfterEveryEvent() throws {
        let fixture = repoRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl")
        let source = try EventLogReader().read(contentsOf: fixture)
        XCTAssertEqual(source.errors, [])
        let envelopes = source.envelopes
        XCTAssertGreaterThan(envelopes.count, 10_000)
        guard case .shiftStarted(let started)? = envelopes.first?.event else {
            return XCTFail("the fixture starts with shift.started")
        }

        // Live: the bus folds, the recorder writes.
        let dir = try temporaryDirectory(self)
        let path = dir.appendingPathComponent("busy-night.shift").path
        let recordingBus = EventBus(clock: ManualClock(envelopes[0].time))
        let store = try ShiftStore.create(path: path, map: started.map, timeZone: started.timeZone, watchroomVersion: "test")
        let recorder = try ShiftRecorder(store: store, bus: recordingBus)
        for e in envelopes { XCTAssertTrue(recordingBus.append(e)) }
        try recorder.stop()

        // Replay: the file, loaded, folded beside a bus fed the original again.
        let recording = try Recording.load(path: path)
        XCTAssertEqual(recording.warnings, [])
        XCTAssertEqual(recording.envelopes.count, envelopes.count)
        let bus = EventBus(clock: ManualClock(envelopes[0].time))
        var state = PrecinctState()
        var digests = 0
        for (k, e) in recording.envelopes.enumerated() {
            XCTAssertTrue(bus.append(envelopes[k]))
            state.apply(e)
            let live = bus.state
            guard state == live else {
                return XCTFail("state differs after seq \(e.seq) (\(e.event.type))")
            }
            if e.event.type != EventType.unitPosition || k % 100 == 0 || k == envelopes.count - 1 {
                guard state.digest == live.digest else {
                    return XCTFail("digest differs after seq \(e.seq) (\(e.event.type)): replay \(state.digestHex), live \(live.digestHex)")
                }
                digests += 1
            }
        }
        XCTAssertGreaterThan(digests, 1_000)
        XCTAssertEqual(state.digest, recordingBus.state.digest, "the recording bus ended in the same state")
        XCTAssertEqual(state.lastSeq, envelopes.last?.seq)
        XCTAssertEqual(recording.envelopes, envelopes, "the envelopes themselves come back equal")
    }
}
