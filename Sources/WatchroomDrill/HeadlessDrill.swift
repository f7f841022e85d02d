import Foundation
import WatchroomCore
import WatchroomRouting
import WatchroomEngine

/// A drill without a terminal (scripts, tests, CI): a ``DrillSource`` on a minimal
/// in-memory bus with the routing engine (``RoutingCore``) answering and a
/// ``DrillScorer`` keeping score. The clock only moves when ``run(until:step:)`` says so.
public struct HeadlessDrill {
    public let map: PrecinctMap
    public let source: DrillSource
    public let scorer: DrillScorer
    public private(set) var routing: RoutingCore
    private var bus = HeadlessBus()
    public var state: PrecinctState { bus.state }
    public var envelopes: [EventEnvelope] { bus.envelopes }
    /// Simulated time reached.
    public private(set) var time: Date

    /// Opens the drill at the recording's start (or at `from`, part-way into it: calls made
    /// before are left out): `shift.started` (mode drill, `source` the name given), then
    /// what the recording holds up to that instant.
    public init(map: PrecinctMap, recording: [EventEnvelope], name: String, seed: UInt64 = 1, from: Date? = nil) {
        self.map = map
        let aliases = IncidentAliases()
        // One road network and one set of indexes for the simulation, the scorer and the engine.
        let index = RoutingIndex(map: map)
        source = DrillSource(map: map, recording: recording, seed: seed, aliases: aliases, index: index)
        scorer = DrillScorer(map: map, recording: recording, aliases: aliases, name: name, index: index)
        routing = RoutingCore(index: index)
        time = max(source.startTime, min(from ?? source.startTime, source.endTime))
        publish(.shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: map.timeZone, mode: .drill, seed: seed, source: name)),
                at: time)
        for e in source.start(at: time) { publish(e, at: time) }
    }

    /// When the recording ends.
    public var endTime: Date { source.endTime }

    /// Publishes one event at `time` and the routing engine's answers, in order.
    public mutating func publish(_ event: Event, at time: Date) {
        bus.publish(event, at: time) { envelope in
            scorer.ingest(envelope)
            return routing.handle(envelope)
        }
    }

    /// Runs the clock to `end` in steps of `step` seconds.
    public mutating func run(until end: Date, step: TimeInterval = 1) {
        let step = max(0.05, step.isFinite ? step : 1)
        while time < end {
            let next = min(end, time.addingTimeInterval(step))
            for e in source.advance(to: next, state: state) { publish(e, at: next) }
            time = next
        }
    }

    /// The after-action report now.
    public func report() -> AfterActionReport {
        scorer.report(now: time, finished: time >= endTime)
    }
}
