import Foundation
import XCTest
@testable import WatchroomCore

final class ClockTests: XCTestCase {
    func testSimulatedClockRunsAtItsSpeed() {
        let base = ManualClock(Date(timeIntervalSince1970: 1_000))
        let clock = SimulatedClock(start: Samples.t0, speed: 10, base: base)
        XCTAssertEqual(clock.now(), Samples.t0)
        base.advance(by: 1)
        XCTAssertEqual(clock.now(), Samples.t0 + 10)
        clock.speed = 1000
        base.advance(by: 0.5)
        XCTAssertEqual(clock.now(), Samples.t0 + 510, "changing speed must not make time jump")
        XCTAssertEqual(clock.baseDelay(until: Samples.t0 + 1510), 1)
        XCTAssertEqual(clock.baseDelay(until: Samples.t0), 0)
    }

    func testPauseResumeAdvanceAndSet() {
        let base = ManualClock(Date(timeIntervalSince1970: 0))
        let clock = SimulatedClock(start: Samples.t0, speed: 2, base: base)
        base.advance(by: 3)
        clock.pause()
        XCTAssertTrue(clock.isPaused)
        base.advance(by: 100)
        XCTAssertEqual(clock.now(), Samples.t0 + 6)
        XCTAssertNil(clock.baseDelay(until: Samples.t0 + 60))
        clock.advance(by: 4)
        XCTAssertEqual(clock.now(), Samples.t0 + 10)
        clock.resume()
        base.advance(by: 1)
        XCTAssertEqual(clock.now(), Samples.t0 + 12)
        clock.set(Samples.t0)
        XCTAssertEqual(clock.now(), Samples.t0)
        clock.speed = -5
        XCTAssertEqual(clock.speed, 1, "a nonsense speed falls back to 1")
    }

    func testSimulatedClockAgainstRealTime() {
        let clock = SimulatedClock(start: Samples.t0, speed: 1000)
        Thread.sleep(forTimeInterval: 0.05)
        let elapsed = clock.now().timeIntervalSince(Samples.t0)
        XCTAssertGreaterThan(elapsed, 40)   // at least 0.04 s real at 1000x
        XCTAssertLessThan(elapsed, 5_000)   // generous upper bound for a loaded machine
    }

    func testSimulatedClockIsThreadSafeAndMonotonicAtFixedSpeed() {
        let clock = SimulatedClock(start: Samples.t0, speed: 100)
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            var last = Date.distantPast
            for _ in 0..<2_000 {
                if i == 0 { clock.advance(by: 0.001) }
                let now = clock.now()
                XCTAssertGreaterThanOrEqual(now, last)
                last = now
            }
        }
    }
}
