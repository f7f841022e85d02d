import Foundation
import WatchroomCore

/// Records everything published on an ``EventBus`` into a ``ShiftStore``.
///
/// The bus hands each envelope to the recorder's subscription queue, which only adds
/// it to a pending batch; a separate writer queue appends the batch in one transaction
/// and takes whatever arrived meanwhile next. The bus and the console therefore never
/// wait for the disk, and a burst of events costs one fsync per batch, not per event.
///
/// Durability promise:
/// - An event is *committed* once the transaction holding it returns; committed events
///   are in the file's WAL, fsynced (`synchronous = FULL`), and survive `kill -9`, a
///   crash or a power cut. Reopening the file finds every committed event and no part
///   of an uncommitted batch.
/// - Events published but not yet committed (the batch being written, normally a few
///   milliseconds' worth) can be lost by a crash.
/// - ``flushAndWait()`` returns only when every event published on the bus before the
///   call is committed. The console calls it after publishing a dispatch decision and
///   before showing the dispatch as sent, so a decision shown as sent is on disk.
/// - If a write fails (disk full), the events stay pending and are retried with the
///   next batch; ``flushAndWait()`` and ``lastError`` report the failure.
public final class ShiftRecorder: @unchecked Sendable {
    public let store: ShiftStore
    private let bus: EventBus
    private let writer = DispatchQueue(label: "watchroom.shift.recorder")
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: [EventEnvelope] = []
    private var flushScheduled = false
    private var committedSeq: UInt64
    private var _lastError: (any Error)?
    private var _batches = 0
    private var _stats = Stats()
    private var token: SubscriptionToken?
    private var observers: [UInt64: @Sendable (Committed) -> Void] = [:]
    private var nextObserver: UInt64 = 1

    /// Starts recording `bus` into `store` (opened for writing). Events the bus still
    /// holds in its log after the store's last seq are recorded first, so a recorder
    /// attached late, or resuming a file, misses nothing the bus remembers.
    public init(store: ShiftStore, bus: EventBus) throws {
        guard !store.isReadOnly else { throw ShiftStoreError.notWritable(path: store.path) }
        self.store = store
        self.bus = bus
        committedSeq = store.lastSeq
        token = bus.subscribe(replayingAfter: store.lastSeq) { [weak self] envelope in
            self?.enqueue(envelope)
        }
    }

    /// The last seq committed to the file.
    public var lastCommittedSeq: UInt64 { condition.withLock { committedSeq } }

    /// The last write failure, if the latest attempt failed.
    public var lastError: (any Error)? { condition.withLock { _lastError } }

    /// Transactions written so far.
    public var batchCount: Int { condition.withLock { _batches } }

    /// What the writer has done so far (for benchmarks and diagnostics).
    public struct Stats: Sendable, Hashable {
        /// Transactions committed.
        public var batches = 0
        /// Events committed.
        public var events = 0
        /// The most events in one transaction.
        public var largestBatch = 0
        /// Seconds spent in committed transactions (insert and fsync), in all and the longest.
        public var writeSeconds = 0.0
        public var longestWriteSeconds = 0.0
    }

    public var stats: Stats { condition.withLock { _stats } }

    /// One committed transaction: its events in seq order and when its commit returned
    /// (`CLOCK_MONOTONIC`, nanoseconds: comparable across processes on the same host).
    public struct Committed: Sendable {
        public var envelopes: [EventEnvelope]
        /// Each event's `data` object as written to the file, in ``timeZone``.
        public var data: [String]
        public var timeZone: TimeZone
        public var at: UInt64
    }

    /// The host's monotonic clock in nanoseconds (`CLOCK_MONOTONIC`).
    public static func monotonicNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// Calls `handler` with every transaction committed from now on, in seq order, on the
    /// writer's queue right after the commit (keep it short: hand the batch on). A shift
    /// server sends an event to its clients only from here, so no client ever holds an event
    /// a crash could take back.
    /// - Returns: the last seq committed before `handler` was added; call
    ///   ``removeObserver(_:)`` with the id to stop.
    public func observeCommits(_ handler: @escaping @Sendable (Committed) -> Void) -> (id: UInt64, committed: UInt64) {
        condition.withLock {
            let id = nextObserver
            nextObserver += 1
            observers[id] = handler
            return (id, committedSeq)
        }
    }

    public func removeObserver(_ id: UInt64) {
        condition.withLock { _ = observers.removeValue(forKey: id) }
    }

    /// The committed events with `after < seq <= through`, read from the file (on the
    /// writer's queue, between transactions).
    public func committedEvents(after: UInt64, through: UInt64) throws -> [EventEnvelope] {
        guard after < through else { return [] }
        return try writer.sync { try store.events(from: after + 1, to: min(through, store.lastSeq)) }
    }

    /// Waits until every event published on the bus before this call is committed.
    /// - Throws: the write failure, if writing is failing.
    public func flushAndWait(timeout: TimeInterval = 30) throws {
        let target = bus.lastSeq
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while committedSeq < target {
            if let error = _lastError { throw error }
            if !condition.wait(until: deadline) {
                throw ShiftStoreError.io(path: store.path,
                                         message: "recording did not reach seq \(target) within \(timeout) s (at \(committedSeq))")
            }
        }
    }

    /// Writes everything published so far, stops listening and closes the file.
    public func stop() throws {
        try flushAndWait()
        token?.cancel()
        token = nil
        try writer.sync {
            flush()
            if let error = condition.withLock({ _lastError }) { throw error }
            try store.close()
        }
    }

    // MARK: - Batching

    private func enqueue(_ envelope: EventEnvelope) {
        condition.lock()
        pending.append(envelope)
        let schedule = !flushScheduled
        flushScheduled = true
        condition.unlock()
        if schedule { writer.async { [self] in flush() } }
    }

    /// Runs on `writer`: appends what is pending, until nothing is.
    private func flush() {
        while true {
            condition.lock()
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            if batch.isEmpty {
                flushScheduled = false
                condition.unlock()
                return
            }
            condition.unlock()
            // The bus may replay envelopes the file already has (a late subscription).
            let fresh = batch.filter { $0.seq > store.lastSeq }
            do {
                let began = DispatchTime.now().uptimeNanoseconds
                let data = try store.append(fresh)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
                let at = Self.monotonicNanoseconds()
                condition.lock()
                committedSeq = max(committedSeq, store.lastSeq)
                _lastError = nil
                _batches += 1
                _stats.batches += 1
                _stats.events += fresh.count
                _stats.largestBatch = max(_stats.largestBatch, fresh.count)
                _stats.writeSeconds += seconds
                _stats.longestWriteSeconds = max(_stats.longestWriteSeconds, seconds)
                condition.broadcast()
                let told = fresh.isEmpty ? [] : Array(observers.values)
                condition.unlock()
                for observer in told { observer(Committed(envelopes: fresh, data: data, timeZone: store.timeZone, at: at)) }
            } catch {
                condition.lock()
                _lastError = error
                pending.insert(contentsOf: fresh, at: 0)
                flushScheduled = false
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }
}
