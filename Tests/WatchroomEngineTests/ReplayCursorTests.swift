import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomTestSupport
import WatchroomRouting
import XCTest

/// The replay cursor over the committed busy-night fixture: every seek lands on the state a
/// straight fold reaches, wherever it comes from.
final class ReplayCursorTests: XCTestCase {
    nonisolated(unsafe) private static var cached: [EventEnvelope]?

    private func busyNight() throws -> [EventEnvelope] {
        if let e = Self.cached { return e }
        let url = CLIRunner.packageRoot.appendingPathComponent("Fixtures/shifts/busy-night.jsonl")
        let result = try EventLogReader().read(contentsOf: url)
        XCTAssertTrue(result.errors.isEmpty)
        XCTAssertGreaterThan(result.envelopes.count, 40_000)
        Self.cached = result.envelopes
        return result.envelopes
    }

    /// The straight fold's state after each of `indices` (sorted) envelopes.
    private func straightFold(_ envelopes: [EventEnvelope], at indices: [Int]) -> [Int: PrecinctState] {
        var out: [Int: PrecinctState] = [:]
        var s = PrecinctState()
        var k = 0
        for i in indices.sorted() {
            while k < i { s.apply(envelopes[k]); k += 1 }
            out[i] = s
        }
        return out
    }

    func testSeekToIndexMatchesTheStraightFoldEverywhereInAnyOrder() throws {
        let envelopes = try busyNight()
        let n = envelopes.count
        var cursor = ReplayCursor(envelopes: envelopes)
        XCTAssertGreaterThan(cursor.snapshotCount, n / ReplayCursor.defaultSnapshotEvents)
        // Ends, snapshot edges and their neighbours, and seeded random points.
        var points = [0, 1, n - 1, n, 1_999, 2_000, 2_001, 4_000, 20_001]
        var rng = SplitMix64(seed: 42)
        for _ in 0..<30 { points.append(Int(rng.next() % UInt64(n + 1))) }
        let reference = straightFold(envelopes, at: points)
        for p in points {  // unsorted: back and forth
            cursor.seek(toIndex: p)
            XCTAssertEqual(cursor.position, p)
            let expected = try XCTUnwrap(reference[p])
            XCTAssertEqual(cursor.state.digest, expected.digest, "after \(p) events")
            XCTAssertEqual(cursor.state, expected, "after \(p) events")
            XCTAssertEqual(cursor.seq, p > 0 ? envelopes[p - 1].seq : 0)
        }
    }

    func testSeekToTimeAppliesExactlyTheEventsUpToThatTime() throws {
        let envelopes = try busyNight()
        var cursor = ReplayCursor(envelopes: envelopes)
        let start = cursor.start
        XCTAssertEqual(cursor.end, envelopes[envelopes.count - 1].time)
        XCTAssertEqual(cursor.duration, 12 * 3600 - 6, accuracy: 6, "the last event within a position interval of the end")
        // Minutes into the shift, out of order.
        let minutes: [Double] = [600, 5, 719, 0, 333.3, 61, 60, 480.25, 1]
        for m in minutes {
            let t = start.addingTimeInterval(m * 60)
            cursor.seek(to: t)
            let count = envelopes.firstIndex { $0.time > t } ?? envelopes.count
            XCTAssertEqual(cursor.position, count, "minute \(m)")
            XCTAssertEqual(cursor.time, t)
            let expected = try XCTUnwrap(straightFold(envelopes, at: [count])[count])
            XCTAssertEqual(cursor.state.digest, expected.digest, "minute \(m)")
        }
        // By seq: the event with that seq is the last applied.
        let seq = envelopes[31_337].seq
        cursor.seek(toSeq: seq)
        XCTAssertEqual(cursor.seq, seq)
        XCTAssertEqual(cursor.position, 31_338)
        XCTAssertEqual(cursor.time, envelopes[31_337].time)
        cursor.seek(toSeq: 0)
        XCTAssertEqual(cursor.position, 0)
        XCTAssertEqual(cursor.state, PrecinctState())
    }

    func testOpensAtTheStartWithTheRosterAndClampsAtBothEnds() throws {
        let envelopes = try busyNight()
        var cursor = ReplayCursor(envelopes: envelopes)
        XCTAssertEqual(cursor.time, cursor.start)
        XCTAssertNotNil(cursor.state.shift, "shift.started applied")
        XCTAssertEqual(cursor.state.units.count, 14, "the roster stamped at the first instant is applied")
        XCTAssertTrue(envelopes[cursor.position].time > cursor.start)
        cursor.seek(to: cursor.start.addingTimeInterval(-86_400))
        XCTAssertEqual(cursor.time, cursor.start)
        cursor.seek(to: cursor.end.addingTimeInterval(86_400))
        XCTAssertEqual(cursor.time, cursor.end)
        XCTAssertTrue(cursor.atEnd)
        XCTAssertEqual(cursor.fraction, 1)
        XCTAssertNil(cursor.stepForward())
        XCTAssertTrue(cursor.advance(byWallSeconds: 10, speed: 1000).isEmpty)
        XCTAssertTrue(cursor.atEnd)
        cursor.seek(toIndex: -5)
        XCTAssertEqual(cursor.position, 0)
        XCTAssertFalse(cursor.stepBack())
        cursor.seek(toIndex: 10_000_000)
        XCTAssertEqual(cursor.position, envelopes.count)
    }

    func testStepForwardAndBackOneEventAtATime() throws {
        let envelopes = try busyNight()
        var cursor = ReplayCursor(envelopes: envelopes)
        cursor.seek(toIndex: 3_998)
        var expected = try XCTUnwrap(straightFold(envelopes, at: [3_998])[3_998])
        for k in 3_998..<4_004 {  // across a snapshot boundary
            let e = try XCTUnwrap(cursor.stepForward())
            XCTAssertEqual(e, envelopes[k])
            expected.apply(e)
            XCTAssertEqual(cursor.state, expected)
            XCTAssertEqual(cursor.time, e.time)
        }
        let before = try XCTUnwrap(straightFold(envelopes, at: [4_001])[4_001])
        for _ in 0..<3 { XCTAssertTrue(cursor.stepBack()) }
        XCTAssertEqual(cursor.position, 4_001)
        XCTAssertEqual(cursor.state, before)
        XCTAssertEqual(cursor.time, envelopes[4_000].time)
    }

    func testNextAndPreviousIncidentWalkTheIncidentsInOrder() throws {
        let envelopes = try busyNight()
        var cursor = ReplayCursor(envelopes: envelopes)
        let reported = envelopes.enumerated().filter {
            if case .incidentReported = $0.element.event { return true } else { return false }
        }
        XCTAssertEqual(cursor.incidents.count, reported.count)
        XCTAssertGreaterThan(reported.count, 50)
        XCTAssertEqual(cursor.incidents.map(\.index), reported.map(\.offset))
        XCTAssertTrue(cursor.incidents.contains { $0.priority == 1 })
        for k in 0..<3 {
            let mark = try XCTUnwrap(cursor.nextIncident())
            XCTAssertEqual(mark.index, reported[k].offset)
            XCTAssertEqual(cursor.position, mark.index + 1)
            XCTAssertEqual(cursor.time, mark.time)
            XCTAssertNotNil(cursor.state.incidents[mark.id], "the incident is on the board")
        }
        XCTAssertEqual(cursor.previousIncident()?.index, reported[1].offset)
        XCTAssertEqual(cursor.previousIncident()?.index, reported[0].offset)
        XCTAssertNil(cursor.previousIncident())
        XCTAssertEqual(cursor.position, reported[0].offset + 1, "nothing moves when there is none")
        // Later on, N goes back to the incident last reported, n to the one after it.
        cursor.seek(to: cursor.start.addingTimeInterval(6 * 3600))
        let last = try XCTUnwrap(cursor.incidents.last { $0.index < cursor.position })
        let next = try XCTUnwrap(cursor.incidents.first { $0.index >= cursor.position })
        var probe = cursor
        XCTAssertEqual(probe.nextIncident(), next)
        XCTAssertEqual(cursor.previousIncident(), last)
        cursor.seek(to: cursor.end)
        XCTAssertNil(cursor.nextIncident())
        XCTAssertTrue(cursor.atEnd)
    }

    func testAdvancePlaysAtTheClampedSpeedAndReturnsWhatItApplied() throws {
        let envelopes = try busyNight()
        var cursor = ReplayCursor(envelopes: envelopes)
        let t0 = cursor.time
        let applied = cursor.advance(byWallSeconds: 0.5, speed: 120)
        XCTAssertEqual(cursor.time, t0.addingTimeInterval(60))
        let expected = envelopes.filter { $0.time > t0 && $0.time <= t0.addingTimeInterval(60) }
        XCTAssertEqual(Array(applied), expected)
        XCTAssertFalse(expected.isEmpty)
        XCTAssertEqual(cursor.envelopes(after: expected[0].seq).first, expected.count > 1 ? expected[1] : nil)
        // Above 1000x plays at 1000x; zero, negative or not a number plays at 1x.
        var fast = cursor
        fast.advance(byWallSeconds: 1, speed: 1e9)
        XCTAssertEqual(fast.time.timeIntervalSince(cursor.time), 1000, accuracy: 1e-6)
        for speed in [0, -5, Double.nan, Double.infinity] {
            var slow = cursor
            slow.advance(byWallSeconds: 2, speed: speed)
            XCTAssertEqual(slow.time.timeIntervalSince(cursor.time), 2, accuracy: 1e-6, "\(speed)")
        }
        var still = cursor
        still.advance(byWallSeconds: -1, speed: 10)
        still.advance(byWallSeconds: .nan, speed: 10)
        XCTAssertEqual(still.time, cursor.time)
        XCTAssertEqual(ReplayCursor.clamp(speed: 5000), 1000)
        XCTAssertEqual(ReplayCursor.clamp(speed: 0.1), 1)
        XCTAssertEqual(ReplayCursor.faster(than: 1), 2)
        XCTAssertEqual(ReplayCursor.faster(than: 7), 10)
        XCTAssertEqual(ReplayCursor.faster(than: 1000), 1000)
        XCTAssertEqual(ReplayCursor.slower(than: 1000), 500)
        XCTAssertEqual(ReplayCursor.slower(than: 1), 1)
        XCTAssertEqual(ReplayCursor.speedSteps, [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000])
    }

    func testRecentEventsForTheTickerLeavePositionsOut() throws {
        let envelopes = try busyNight()
        var cursor = ReplayCursor(envelopes: envelopes)
        cursor.seek(to: cursor.start.addingTimeInterval(3 * 3600))
        let recent = cursor.recent(limit: 20)
        XCTAssertEqual(recent.count, 20)
        XCTAssertTrue(recent.allSatisfy {
            if case .unitPosition = $0.event { return false } else { return true }
        })
        XCTAssertEqual(recent.map(\.seq), recent.map(\.seq).sorted())
        XCTAssertLessThanOrEqual(recent.last?.seq ?? .max, cursor.seq)
    }

    func testSnapshotsAtLeastEveryFiveSimulatedMinutes() throws {
        let envelopes = try busyNight()
        let byTime = ReplayCursor(envelopes: envelopes, snapshotEvents: .max)
        // Twelve hours: about 144 five-minute snapshots plus the empty one.
        XCTAssertGreaterThanOrEqual(byTime.snapshotCount, 140)
        XCTAssertLessThanOrEqual(byTime.snapshotCount, 150)
        var c = byTime
        c.seek(toIndex: 30_000)
        XCTAssertEqual(c.state, straightFold(envelopes, at: [30_000])[30_000])
    }

    func testSnapshotsAreCappedForMemoryAndStillSeekRight() throws {
        let envelopes = try busyNight()
        var dense = ReplayCursor(envelopes: envelopes, snapshotEvents: 1)
        // Every event asked for; about maximumSnapshots by count (plus the five-minute ones) kept.
        XCTAssertLessThanOrEqual(dense.snapshotCount, ReplayCursor.maximumSnapshots + 150)
        XCTAssertGreaterThan(dense.snapshotCount, ReplayCursor.maximumSnapshots / 2)
        for p in [12_345, 7, envelopes.count - 3] {
            dense.seek(toIndex: p)
            XCTAssertEqual(dense.state, straightFold(envelopes, at: [p])[p], "after \(p) events")
        }
    }

    func testAnEmptyRecordingIsAQuietCursor() {
        var cursor = ReplayCursor(envelopes: [])
        XCTAssertTrue(cursor.isEmpty)
        XCTAssertTrue(cursor.atEnd)
        XCTAssertEqual(cursor.position, 0)
        XCTAssertEqual(cursor.state, PrecinctState())
        XCTAssertNil(cursor.stepForward())
        XCTAssertFalse(cursor.stepBack())
        XCTAssertNil(cursor.nextIncident())
        XCTAssertNil(cursor.previousIncident())
        XCTAssertTrue(cursor.advance(byWallSeconds: 1, speed: 10).isEmpty)
        cursor.seek(to: Date())
        cursor.seek(toSeq: 99)
        XCTAssertEqual(cursor.position, 0)
        XCTAssertEqual(cursor.fraction, 1)
        XCTAssertTrue(cursor.recent().isEmpty)
        XCTAssertTrue(cursor.incidents.isEmpty)
    }
}
