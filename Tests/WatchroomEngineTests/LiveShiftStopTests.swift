import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomTestSupport
import XCTest

/// A tick that is far behind the clock catches up in slices of simulated time, and
/// `stop()` ends it after the slice under way instead of after the whole backlog (a
/// console quit at 600x once waited 98 s for one tick to cover 16 simulated hours).
final class LiveShiftStopTests: XCTestCase {
    /// Notes every time it is advanced to; runs `onAdvance` with the call's number.
    private final class Source: ShiftSource, @unchecked Sendable {
        var times: [Date] = []
        var onAdvance: ((Int) -> Void)?
        func start(at time: Date) -> [Event] { [] }
        func advance(to time: Date, state: PrecinctState) -> [Event] {
            times.append(time)
            onAdvance?(times.count)
            return [.unitStatus(UnitStatusChange(unit: "C1", status: .busy))]
        }
    }

    private let t0 = ISOTime.parse("2026-03-14T20:00:00+08:00") ?? Date()

    /// A shift on a clock that moves only when the test says (its timer never fires).
    private func shift(_ source: Source) throws -> (LiveShift, ManualClock) {
        let base = ManualClock(t0)
        let clock = SimulatedClock(start: t0, speed: 1, base: base)
        let shift = LiveShift(map: try TestMaps.jiangbei(), clock: clock, source: source, tickMilliseconds: 3_600_000)
        return (shift, base)
    }

    func testATickBehindTheClockCatchesUpInSlicesEndingAtTheClock() throws {
        let source = Source()
        let (shift, base) = try shift(source)
        defer { shift.stop() }
        shift.tick()
        XCTAssertEqual(source.times, [t0])
        base.advance(by: 10 * 60 + 30)
        shift.tick()
        let slices = source.times.dropFirst().map { $0.timeIntervalSince(t0) }
        XCTAssertEqual(slices, [60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 630])
        XCTAssertEqual(shift.bus.lastSeq, 12, "every slice's events are published")
    }

    func testStopEndsACatchUpAfterTheSliceUnderWay() throws {
        let source = Source()
        let (shift, base) = try shift(source)
        shift.tick()
        base.advance(by: 16 * 3600)
        source.onAdvance = { n in if n == 4 { shift.stop() } }
        shift.tick()
        XCTAssertEqual(source.times.count, 4, "the first tick, two slices, and the slice during which stop() came; not 960 slices")
        XCTAssertEqual(source.times.last.map { $0.timeIntervalSince(self.t0) }, 180)
        shift.tick()
        XCTAssertEqual(source.times.count, 4, "a stopped shift advances no more")
    }
}
