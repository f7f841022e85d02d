import Foundation
import WatchroomCore
import WatchroomRouting

extension ShiftSimulator {
    /// Runs a whole simulated shift headless, as fast as it computes: the simulator's
    /// events are numbered and folded like a bus would, every envelope (the simulator's
    /// and the replies) goes to `respond`, and what `respond` answers is published right
    /// after, at the same time (plug the routing engine in here:
    /// `var core = RoutingCore(map: map)` and `{ core.handle($0) }`; without it no routes
    /// are assigned and dispatched units find their own way after a short wait).
    ///
    /// - Parameters:
    ///   - hours: simulated length of the shift.
    ///   - start: when it starts.
    ///   - step: simulated seconds between two `advance` calls (the state the simulator
    ///     sees lags by at most this much).
    ///   - commanderDesk: runs the virtual commander's decisions as the commander's desk
    ///     does (``VirtualCommander/desk``); `nil`: bare `dispatch` events, no order sheets.
    /// - Returns: every envelope, seq from 1, in order.
    public static func generateShift(map: PrecinctMap, config: SimulationConfig, hours: Double, start: Date,
                                     step: TimeInterval = 1,
                                     respond: (EventEnvelope) -> [Event] = { _ in [] },
                                     commanderDesk: ((VirtualCommander.Decision, PrecinctState, Date) -> [Event])? = nil) -> [EventEnvelope] {
        var run = HeadlessShift(map: map, config: config, start: start)
        run.simulator.commander.desk = commanderDesk
        run.run(until: start.addingTimeInterval(max(0, hours) * 3600), step: step, respond: respond)
        return run.envelopes
    }
}

/// A simulator with a minimal in-memory bus: numbers events, folds them into a state and
/// hands every envelope to a responder (the routing engine) whose replies are published
/// at once. For headless shift generation and tests.
public struct HeadlessShift {
    public let simulator: ShiftSimulator
    private var bus = HeadlessBus()
    public var state: PrecinctState { bus.state }
    public var envelopes: [EventEnvelope] { bus.envelopes }
    /// Simulated time reached.
    public private(set) var time: Date
    private var started = false

    public init(map: PrecinctMap, config: SimulationConfig, start: Date, index: RoutingIndex? = nil) {
        simulator = ShiftSimulator(map: map, config: config, index: index)
        time = start
    }

    /// A shift taken over from a folded state at `time` (``ShiftSimulator/resume(from:at:only:)``):
    /// the state is kept (its envelopes are not), numbering goes on after its last seq, and
    /// what the simulator says on taking over is published at once.
    public init(map: PrecinctMap, config: SimulationConfig, resuming state: PrecinctState, at time: Date,
                index: RoutingIndex? = nil, respond: (EventEnvelope) -> [Event] = { _ in [] }) {
        simulator = ShiftSimulator(map: map, config: config, index: index)
        bus = HeadlessBus(state: state)
        self.time = time
        started = true
        for e in simulator.resumeTimed(from: state, at: time) { publish(e.event, at: e.time, respond: respond) }
    }

    /// Publishes one event at `time`, then the responder's replies (and theirs), in order.
    public mutating func publish(_ event: Event, at time: Date, respond: (EventEnvelope) -> [Event]) {
        bus.publish(event, at: time, respond: respond)
    }

    /// Advances to `end` in steps of `step` seconds (the first call also starts the shift).
    public mutating func run(until end: Date, step: TimeInterval = 1, respond: (EventEnvelope) -> [Event]) {
        if !started {
            started = true
            for e in simulator.startTimed(at: time) { publish(e.event, at: e.time, respond: respond) }
        }
        let step = max(0.01, step.isFinite ? step : 1)
        let origin = time
        var k = 1.0
        while time < end {
            let next = min(end, origin.addingTimeInterval(k * step))
            k += 1
            for e in simulator.advanceTimed(to: next, state: state) { publish(e.event, at: e.time, respond: respond) }
            time = next
        }
    }
}
