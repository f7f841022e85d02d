import Foundation
import XCTest
@testable import WatchroomCore

/// Collects envelopes from any thread.
final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [EventEnvelope] = []
    func add(_ e: EventEnvelope) { lock.withLock { items.append(e) } }
    var all: [EventEnvelope] { lock.withLock { items } }
}

final class EventBusTests: XCTestCase {
    private func waitUntil(_ timeout: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date() + timeout
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return condition()
    }

    func testPublishStampsSeqAndClockTimeAndFolds() {
        let clock = ManualClock(Samples.t0)
        let bus = EventBus(clock: clock)
        let a = bus.publish(Samples.register("P-1"))
        clock.advance(by: 2)
        let b = bus.publish(Samples.report("I1"))
        XCTAssertEqual(a.seq, 1)
        XCTAssertEqual(b.seq, 2)
        XCTAssertEqual(b.time, Samples.t0 + 2)
        XCTAssertEqual(bus.lastSeq, 2)
        XCTAssertEqual(bus.state.incidents["I1"]?.reportedAt, Samples.t0 + 2)
        XCTAssertEqual(bus.envelopes(), [a, b])
        XCTAssertEqual(bus.envelopes(after: 1), [b])
        XCTAssertEqual(bus.state, PrecinctState.fold([a, b]))
    }

    func testConcurrentPublishersKeepOneOrderForEveryone() {
        let bus = EventBus(clock: WallClock())
        let collectors = (0..<3).map { _ in Collector() }
        let tokens = collectors.map { c in bus.subscribe { c.add($0) } }
        let streamed = Collector()
        let stream = bus.stream()
        let reader = Task { for await e in stream { streamed.add(e); if e.seq == 4_000 { break } } }

        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<500 {
                bus.publish(.unitPosition(UnitPosition(unit: UnitID("u\(worker)"), point: Point(x: Double(i), y: 0))))
            }
        }
        XCTAssertEqual(bus.lastSeq, 4_000)
        for c in collectors {
            XCTAssertTrue(waitUntil { c.all.count == 4_000 }, "subscriber got \(c.all.count)")
            XCTAssertEqual(c.all.map(\.seq), Array(1...4_000))
        }
        XCTAssertTrue(waitUntil { streamed.all.count == 4_000 }, "stream got \(streamed.all.count)")
        XCTAssertEqual(streamed.all.map(\.seq), Array(1...4_000))
        // Each worker's own events arrive in the order it published them.
        let byWorker = Dictionary(grouping: collectors[0].all) { $0.event.unitIDs.first?.rawValue ?? "" }
        for (_, events) in byWorker {
            let xs = events.compactMap { e -> Double? in if case .unitPosition(let p) = e.event { return p.point.x } else { return nil } }
            XCTAssertEqual(xs, xs.sorted())
        }
        XCTAssertEqual(bus.state.appliedCount, 4_000)
        reader.cancel()
        tokens.forEach { $0.cancel() }
    }

    func testHandlersRunOffThePublishersThread() {
        let bus = EventBus(clock: WallClock())
        XCTAssertTrue(Thread.isMainThread, "this test publishes from the main thread")
        let done = expectation(description: "delivered")
        let onOtherThread = Collector()
        let token = bus.subscribe { e in
            if !Thread.isMainThread { onOtherThread.add(e) }
            done.fulfill()
        }
        bus.publish(.clockTick(ClockTick()))
        wait(for: [done], timeout: 5)
        XCTAssertEqual(onOtherThread.all.count, 1)
        token.cancel()
    }

    func testUnsubscribeStopsDelivery() {
        let bus = EventBus(clock: WallClock())
        let kept = Collector(), dropped = Collector()
        let keep = bus.subscribe { kept.add($0) }
        let drop = bus.subscribe { dropped.add($0) }
        bus.publish(.clockTick(ClockTick()))
        XCTAssertTrue(waitUntil { dropped.all.count == 1 })
        drop.cancel()
        drop.cancel()
        XCTAssertEqual(bus.subscriberCount, 1)
        for _ in 0..<50 { bus.publish(.clockTick(ClockTick())) }
        XCTAssertTrue(waitUntil { kept.all.count == 51 })
        XCTAssertEqual(dropped.all.count, 1)
        keep.cancel()
        XCTAssertEqual(bus.subscriberCount, 0)
    }

    func testStreamTerminationUnsubscribes() async {
        let bus = EventBus(clock: WallClock())
        do {
            let stream = bus.stream()
            XCTAssertEqual(bus.subscriberCount, 1)
            bus.publish(.clockTick(ClockTick()))
            for await e in stream { XCTAssertEqual(e.seq, 1); break }
        }
        // Breaking out of the loop drops the iterator, which terminates the stream.
        for _ in 0..<500 where bus.subscriberCount > 0 { try? await Task.sleep(nanoseconds: 2_000_000) }
        XCTAssertEqual(bus.subscriberCount, 0)
    }

    func testPublishingFromASubscriberDoesNotDeadlock() {
        let bus = EventBus(clock: WallClock())
        let seen = Collector()
        let done = expectation(description: "chain finished")
        // Every report triggers a recommendation from inside the handler, like the routing engine.
        let engine = bus.subscribe { e in
            if case .incidentReported(let p) = e.event {
                bus.publish(.unitsRecommended(UnitsRecommended(incident: p.id, ranked: [])))
            }
        }
        let watcher = bus.subscribe { e in
            seen.add(e)
            if seen.all.count == 20 { done.fulfill() }
        }
        for i in 0..<10 { bus.publish(Samples.report(IncidentID("I\(i)"))) }
        wait(for: [done], timeout: 10)
        XCTAssertEqual(seen.all.map(\.seq), Array(1...20))
        XCTAssertEqual(bus.state.incidents.values.filter { $0.recommendedAt != nil }.count, 10)
        engine.cancel()
        watcher.cancel()
    }

    func testAppendKeepsRecordedSeqAndTimeAndRefusesOldOnes() {
        let bus = EventBus(clock: ManualClock(.distantFuture))
        let recorded = Samples.envelopes([Samples.register("P-1"), Samples.report("I1")], start: 0)
            .map { EventEnvelope(seq: $0.seq * 10, time: $0.time, event: $0.event) }
        let got = Collector()
        let token = bus.subscribe { got.add($0) }
        XCTAssertTrue(bus.append(recorded[0]))
        XCTAssertTrue(bus.append(recorded[1]))
        XCTAssertFalse(bus.append(recorded[0]))
        XCTAssertEqual(bus.rejectedAppends, 1)
        XCTAssertEqual(bus.lastSeq, 20)
        XCTAssertTrue(waitUntil { got.all.count == 2 })
        XCTAssertEqual(got.all, recorded)
        // A live event after a replayed one continues the sequence.
        XCTAssertEqual(bus.publish(.clockTick(ClockTick())).seq, 21)
        token.cancel()
    }

    func testSubscribeReplayingTheLogMissesNothing() {
        let bus = EventBus(clock: WallClock(), logCapacity: 1_000)
        for _ in 0..<5 { bus.publish(.clockTick(ClockTick())) }
        let got = Collector()
        let token = bus.subscribe(replayingAfter: 2) { got.add($0) }
        bus.publish(.clockTick(ClockTick()))
        XCTAssertTrue(waitUntil { got.all.count == 4 })
        XCTAssertEqual(got.all.map(\.seq), [3, 4, 5, 6])
        token.cancel()
    }

    func testLogIsBoundedAndRestoreSeeks() {
        let bus = EventBus(clock: WallClock(), logCapacity: 10)
        for _ in 0..<100 { bus.publish(.clockTick(ClockTick())) }
        let log = bus.envelopes()
        XCTAssertLessThanOrEqual(log.count, 13)
        XCTAssertGreaterThanOrEqual(log.count, 10)
        XCTAssertEqual(log.last?.seq, 100)
        XCTAssertEqual(bus.state.appliedCount, 100, "the state folds everything, whatever the log keeps")

        let snapshot = PrecinctState.fold(Samples.envelopes([Samples.register("P-1")]))
        bus.restore(snapshot)
        XCTAssertEqual(bus.state, snapshot)
        XCTAssertEqual(bus.envelopes(), [])
        XCTAssertEqual(bus.publish(.clockTick(ClockTick())).seq, 2)
    }
}
