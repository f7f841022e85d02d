import Foundation

/// The in-process event bus: every part of Watchroom publishes to it and listens to it.
///
/// `publish` assigns the next sequence number and the clock's time, appends the
/// envelope to an in-memory log, folds it into ``state`` and hands it to every
/// subscriber, all under one lock, so the seq order, the log order, the fold order
/// and each subscriber's delivery order are the same.
///
/// Handlers run on the subscriber's own serial queue, never on the publisher's
/// thread and never under the bus's lock, so a handler may publish without deadlock.
///
/// The log keeps the latest `logCapacity` envelopes (older ones are dropped in
/// batches); the recorder, not this log, is the durable history.
public final class EventBus: @unchecked Sendable {
    private let lock = NSLock()
    private let clock: any Clock
    private let logCapacity: Int
    // Everything below is guarded by `lock`.
    private var seq: UInt64 = 0
    private var _state = PrecinctState()
    private var log: [EventEnvelope] = []
    private var subscribers: [UInt64: Subscriber] = [:]
    private var nextSubscriberID: UInt64 = 1
    private var _rejectedAppends = 0

    /// - Parameters:
    ///   - clock: stamps published events.
    ///   - state: the state to continue from (a snapshot); publishing resumes after its `lastSeq`.
    ///   - logCapacity: how many recent envelopes the in-memory log keeps (at least 1).
    ///   - preallocate: allocate the log's storage for `logCapacity` (and the batch that
    ///     is dropped at once) now, so a long-running bus does not grow it by doubling later.
    public init(clock: any Clock, state: PrecinctState = PrecinctState(), logCapacity: Int = 100_000,
                preallocate: Bool = false) {
        self.clock = clock
        self.logCapacity = max(1, logCapacity)
        _state = state
        seq = state.lastSeq
        if preallocate { log.reserveCapacity(self.logCapacity + self.logCapacity / 4 + 1) }
    }

    // MARK: - Publishing

    /// Stamps `event` with the next seq and the clock's time, folds and delivers it.
    @discardableResult
    public func publish(_ event: Event) -> EventEnvelope {
        lock.withLock {
            seq += 1
            let envelope = EventEnvelope(seq: seq, time: clock.now(), event: event)
            acceptLocked(envelope)
            return envelope
        }
    }

    /// Feeds a recorded envelope, keeping its seq and time (replay, drills).
    ///
    /// - Returns: `false`, and changes nothing, when `envelope.seq` is not after the
    ///   bus's last seq.
    @discardableResult
    public func append(_ envelope: EventEnvelope) -> Bool {
        lock.withLock {
            guard envelope.seq > seq else {
                _rejectedAppends += 1
                return false
            }
            seq = envelope.seq
            acceptLocked(envelope)
            return true
        }
    }

    /// Replaces the state with a snapshot (a seek in a replay) and empties the log.
    /// Subscribers are kept; they receive what is published or appended next.
    public func restore(_ state: PrecinctState) {
        lock.withLock {
            _state = state
            seq = state.lastSeq
            log.removeAll()
        }
    }

    private func acceptLocked(_ envelope: EventEnvelope) {
        _state.apply(envelope)
        log.append(envelope)
        if log.count >= logCapacity + logCapacity / 4 + 1 {
            log.removeFirst(log.count - logCapacity)
        }
        // Sorted for a deterministic delivery order across subscribers.
        for id in subscribers.keys.sorted() {
            subscribers[id]?.deliver(envelope)
        }
    }

    // MARK: - Reading

    /// The fold of everything published or appended so far (a snapshot).
    public var state: PrecinctState { lock.withLock { _state } }

    /// The last seq assigned or appended; 0 before any.
    public var lastSeq: UInt64 { lock.withLock { seq } }

    /// How many `append` calls were refused for being out of order.
    public var rejectedAppends: Int { lock.withLock { _rejectedAppends } }

    /// The logged envelopes with seq greater than `seq`, oldest first (only what the log still holds).
    public func envelopes(after seq: UInt64 = 0) -> [EventEnvelope] {
        lock.withLock { log.filter { $0.seq > seq } }
    }

    /// The state and the log read together, consistently.
    public func snapshot() -> (state: PrecinctState, log: [EventEnvelope]) {
        lock.withLock { (_state, log) }
    }

    // MARK: - Subscribing

    /// Calls `handler` with every envelope published or appended from now on, in order,
    /// on a serial queue of its own (targeting `queue` when given).
    ///
    /// - Parameter replayingAfter: first deliver the logged envelopes with a greater seq
    ///   (e.g. 0 for everything the log holds), atomically with subscribing, so none is
    ///   missed or doubled.
    /// - Returns: a token; the subscription lasts until `cancel()` (dropping the token
    ///   does not end it).
    public func subscribe(replayingAfter: UInt64? = nil, on queue: DispatchQueue? = nil,
                          _ handler: @escaping @Sendable (EventEnvelope) -> Void) -> SubscriptionToken {
        let serial = DispatchQueue(label: "watchroom.bus.subscriber", target: queue)
        let subscriber = Subscriber.handler(HandlerSubscriber(queue: serial, handler: handler))
        return add(subscriber, replayingAfter: replayingAfter)
    }

    /// Every envelope published or appended from now on, as an async sequence.
    /// Ending the iteration (or cancelling its task) unsubscribes.
    ///
    /// - Parameter bufferingNewest: keep only this many undelivered envelopes for a slow
    ///   reader (older ones are dropped); `nil` buffers without bound.
    public func stream(replayingAfter: UInt64? = nil, bufferingNewest: Int? = nil) -> AsyncStream<EventEnvelope> {
        let policy: AsyncStream<EventEnvelope>.Continuation.BufferingPolicy =
            bufferingNewest.map { .bufferingNewest(max(1, $0)) } ?? .unbounded
        let (stream, continuation) = AsyncStream<EventEnvelope>.makeStream(bufferingPolicy: policy)
        let token = add(.stream(continuation), replayingAfter: replayingAfter)
        continuation.onTermination = { _ in token.cancel() }
        return stream
    }

    /// Ends a subscription: envelopes still queued for it are dropped. A handler call
    /// already under way on its queue when this is called still completes.
    public func unsubscribe(_ token: SubscriptionToken) {
        let removed = lock.withLock { subscribers.removeValue(forKey: token.id) }
        removed?.stop()
    }

    /// How many subscriptions are active.
    public var subscriberCount: Int { lock.withLock { subscribers.count } }

    private func add(_ subscriber: Subscriber, replayingAfter: UInt64?) -> SubscriptionToken {
        lock.withLock {
            let id = nextSubscriberID
            nextSubscriberID += 1
            if let after = replayingAfter {
                for e in log where e.seq > after { subscriber.deliver(e) }
            }
            subscribers[id] = subscriber
            return SubscriptionToken(id: id, bus: self)
        }
    }
}

/// A handle on a subscription. Keep it to end the subscription with ``cancel()``.
public final class SubscriptionToken: Sendable {
    let id: UInt64
    private weak let bus: EventBus?

    init(id: UInt64, bus: EventBus) {
        self.id = id
        self.bus = bus
    }

    /// Ends the subscription. Safe to call more than once and from any thread.
    public func cancel() { bus?.unsubscribe(self) }
}

// MARK: - Subscribers

private enum Subscriber: Sendable {
    case handler(HandlerSubscriber)
    case stream(AsyncStream<EventEnvelope>.Continuation)

    func deliver(_ envelope: EventEnvelope) {
        switch self {
        case .handler(let h): h.deliver(envelope)
        case .stream(let c): c.yield(envelope)
        }
    }

    func stop() {
        switch self {
        case .handler(let h): h.stop()
        case .stream(let c): c.finish()
        }
    }
}

private final class HandlerSubscriber: @unchecked Sendable {
    private let queue: DispatchQueue
    private let handler: @Sendable (EventEnvelope) -> Void
    private let lock = NSLock()
    private var active = true

    init(queue: DispatchQueue, handler: @escaping @Sendable (EventEnvelope) -> Void) {
        self.queue = queue
        self.handler = handler
    }

    func deliver(_ envelope: EventEnvelope) {
        queue.async { [self] in
            guard lock.withLock({ active }) else { return }
            handler(envelope)
        }
    }

    func stop() { lock.withLock { active = false } }
}
