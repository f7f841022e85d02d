import Foundation

/// A minimal in-memory bus for headless runs (shift generation, drills, tests): numbers
/// events, folds them into a state, keeps every envelope, and hands each to a responder
/// (the routing engine) whose replies are published at once, at the same time, in order.
/// Synchronous: no queues, no subscribers.
public struct HeadlessBus {
    public private(set) var state: PrecinctState
    public private(set) var envelopes: [EventEnvelope] = []

    /// A bus starting empty, or going on from a folded state (numbering after its last seq;
    /// its envelopes are not kept).
    public init(state: PrecinctState = PrecinctState()) {
        self.state = state
    }

    /// Publishes one event at `time`, then the responder's replies (and theirs), in order.
    public mutating func publish(_ event: Event, at time: Date, respond: (EventEnvelope) -> [Event]) {
        var queue = [event]
        var k = 0
        while k < queue.count {
            let envelope = EventEnvelope(seq: state.lastSeq + 1, time: time, event: queue[k])
            k += 1
            state.apply(envelope)
            envelopes.append(envelope)
            queue += respond(envelope)
        }
    }
}
