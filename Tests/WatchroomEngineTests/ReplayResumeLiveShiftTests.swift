import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomTestSupport
import XCTest

/// A live shift resumed from a recorded state: the bus goes on from its seq, no second
/// `shift.started`, and the source is asked to resume instead of to start.
final class ReplayResumeLiveShiftTests: XCTestCase {
    private final class Source: ShiftSource, @unchecked Sendable {
        var started = 0
        var resumedFrom: UInt64?
        func start(at time: Date) -> [Event] {
            started += 1
            return [.unitRegistered(UnitRegistered(id: "C1", kind: .car, home: .zero))]
        }
        func advance(to time: Date, state: PrecinctState) -> [Event] { [] }
        func resume(from state: PrecinctState, at time: Date) -> [Event] {
            resumedFrom = state.lastSeq
            return [.unitStatus(UnitStatusChange(unit: "C1", status: .busy))]
        }
    }

    func testResumedShiftContinuesTheSeqAndAsksTheSourceToResume() throws {
        let map = try TestMaps.jiangbei()
        let t0 = ISOTime.parse("2026-03-14T20:00:00+08:00") ?? Date()
        var recorded = PrecinctState()
        recorded.apply(EventEnvelope(seq: 1, time: t0, event: .shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: map.timeZone, mode: .live))))
        recorded.apply(EventEnvelope(seq: 2, time: t0, event: .unitRegistered(UnitRegistered(id: "C1", kind: .car, home: .zero))))
        recorded.apply(EventEnvelope(seq: 41, time: t0 + 3600, event: .unitStatus(UnitStatusChange(unit: "C1", status: .enRoute))))

        let source = Source()
        let clock = SimulatedClock(start: t0 + 3600, speed: 1, paused: true)
        let shift = LiveShift(map: map, clock: clock, source: source, resuming: recorded)
        XCTAssertEqual(shift.bus.lastSeq, 41)
        shift.start()
        defer { shift.stop() }
        XCTAssertEqual(source.started, 0)
        XCTAssertEqual(source.resumedFrom, 41)
        let log = shift.bus.envelopes(after: 0)
        XCTAssertEqual(log.map(\.seq), [42])
        XCTAssertFalse(log.contains { $0.event.type == EventType.shiftStarted })
        XCTAssertEqual(shift.bus.state.units["C1"]?.status, .busy)
        XCTAssertEqual(shift.bus.state.shift?.map, MapKey(map.key), "the recorded shift is the one going on")

        // A fresh shift still opens with shift.started and the source's start.
        let fresh = Source()
        let live = LiveShift(map: map, clock: SimulatedClock(start: t0, paused: true), source: fresh)
        live.start()
        defer { live.stop() }
        XCTAssertEqual(fresh.started, 1)
        XCTAssertNil(fresh.resumedFrom)
        XCTAssertEqual(live.bus.envelopes(after: 0).first?.event.type, EventType.shiftStarted)
    }
}
