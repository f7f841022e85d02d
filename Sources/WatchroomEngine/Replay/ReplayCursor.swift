import Foundation
import WatchroomCore

/// A position in a recorded shift, and the state there: the engine of `watchroom replay`.
///
/// Pure: no terminal, no disk. Over the recording's envelopes (in seq order) it keeps
/// ``state``, the fold of the first ``position`` envelopes, and a playback ``time`` that
/// can lie between two events. Seeking restores the nearest periodic snapshot at or
/// before the target and folds forward from there, so a jump anywhere costs at most one
/// snapshot interval of folding, whatever the length of the shift.
///
/// Invariant: every envelope before ``position`` is applied, and none after it has a time
/// before ``time`` (events at exactly ``time`` may still be ahead: `stepBack`).
///
/// ```swift
/// var cursor = ReplayCursor(envelopes: recording.envelopes)
/// cursor.seek(to: someDate)          // cursor.state == fold of every event up to someDate
/// cursor.advance(byWallSeconds: 0.1, speed: 60)
/// ```
public struct ReplayCursor: Sendable {
    /// One incident on the timeline.
    public struct IncidentMark: Sendable, Hashable {
        public var id: IncidentID
        public var time: Date
        public var priority: Int
        public var seq: UInt64
        /// Index of its `incident.reported` in ``envelopes``.
        public var index: Int
    }

    /// The fold of the first `index` envelopes.
    private struct Snapshot: Sendable {
        var index: Int
        var state: PrecinctState
    }

    /// The playback speeds `<` and `>` step through (simulated seconds per real second).
    public static let speedSteps: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
    public static let minimumSpeed = 1.0
    public static let maximumSpeed = 1000.0

    /// A snapshot is kept at least every this many events...
    public static let defaultSnapshotEvents = 2_000
    /// ...and at least every this many simulated seconds (when events fall in between).
    public static let defaultSnapshotSeconds: TimeInterval = 300
    /// At most about this many snapshots by event count: a longer recording spaces them
    /// further apart. Each snapshot costs about 20 KB on a busy night (18 units, about 100
    /// incidents: measured as the resident-memory growth per added snapshot), so the
    /// default for a 500,000-event shift (251 snapshots) holds about 5 MB.
    public static let maximumSnapshots = 2_000

    public let envelopes: [EventEnvelope]
    /// Incidents in the order reported, for the timeline and `n` / `N`.
    public let incidents: [IncidentMark]
    /// First and last event times (both the epoch for an empty recording).
    public let start: Date
    public let end: Date

    public private(set) var state: PrecinctState
    /// How many envelopes are applied (0 ... `envelopes.count`).
    public private(set) var position: Int
    /// The playback instant (between ``start`` and ``end``).
    public private(set) var time: Date

    private let snapshots: [Snapshot]
    /// `times[i]` is the latest time among envelopes `0...i` (a recording should never go
    /// back in time, but a hand-edited one might: this keeps the binary search sound).
    private let times: [Date]

    /// Folds the recording once, keeping a snapshot every `snapshotEvents` events and at
    /// least every `snapshotSeconds` of simulated time; then stands at the start, with
    /// every event stamped at the first instant applied (shift start, roster).
    ///
    /// - Complexity: O(n) folds once; memory one state per snapshot (each shares unchanged
    ///   collections with its neighbours only where Swift's copy-on-write lets it).
    public init(envelopes: [EventEnvelope], snapshotEvents: Int = ReplayCursor.defaultSnapshotEvents,
                snapshotSeconds: TimeInterval = ReplayCursor.defaultSnapshotSeconds) {
        self.envelopes = envelopes
        let every = Swift.max(1, snapshotEvents, (envelopes.count + Self.maximumSnapshots - 1) / Self.maximumSnapshots)
        let seconds = snapshotSeconds.isFinite && snapshotSeconds > 0 ? snapshotSeconds : .infinity
        var snaps = [Snapshot(index: 0, state: PrecinctState())]
        var marks: [IncidentMark] = []
        var times: [Date] = []
        times.reserveCapacity(envelopes.count)
        var fold = PrecinctState()
        var latest = Date(timeIntervalSince1970: 0)
        var lastSnapTime: Date?
        for (i, e) in envelopes.enumerated() {
            if i == 0 || e.time > latest { latest = e.time }
            times.append(latest)
            if case .incidentReported(let r) = e.event {
                marks.append(IncidentMark(id: r.id, time: e.time, priority: Swift.min(3, Swift.max(1, r.priority)),
                                          seq: e.seq, index: i))
            }
            fold.apply(e)
            let n = i + 1
            let since = lastSnapTime.map { latest.timeIntervalSince($0) } ?? 0
            if n - (snaps.last?.index ?? 0) >= every || since >= seconds {
                snaps.append(Snapshot(index: n, state: fold))
                lastSnapTime = latest
            }
            if lastSnapTime == nil { lastSnapTime = latest }
        }
        snapshots = snaps
        incidents = marks
        self.times = times
        start = envelopes.first?.time ?? Date(timeIntervalSince1970: 0)
        end = times.last ?? start
        state = PrecinctState()
        position = 0
        time = start
        seek(to: start)
    }

    // MARK: - Where it stands

    public var count: Int { envelopes.count }
    public var isEmpty: Bool { envelopes.isEmpty }
    public var atEnd: Bool { position >= envelopes.count }
    /// The seq of the last applied envelope; 0 before any.
    public var seq: UInt64 { position > 0 ? envelopes[position - 1].seq : 0 }
    /// How many states are kept for seeking.
    public var snapshotCount: Int { snapshots.count }
    /// The shift's length.
    public var duration: TimeInterval { end.timeIntervalSince(start) }
    /// Where ``time`` is in the shift, 0 at the start and 1 at the end.
    public var fraction: Double { duration > 0 ? time.timeIntervalSince(start) / duration : (atEnd ? 1 : 0) }

    // MARK: - Seeking

    /// Stands at `date` (clamped to the shift): every event up to and including `date` applied.
    ///
    /// - Complexity: a binary search, then at most one snapshot interval of folding.
    public mutating func seek(to date: Date) {
        let t = Swift.min(end, Swift.max(start, date))
        seek(toIndex: upperBound(t), time: t)
    }

    /// Stands just after the event with seq `target` (or the last one before it): every
    /// event with a seq up to `target` applied; the time is that event's.
    public mutating func seek(toSeq target: UInt64) {
        var lo = 0, hi = envelopes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if envelopes[mid].seq <= target { lo = mid + 1 } else { hi = mid }
        }
        seek(toIndex: lo, time: lo > 0 ? times[lo - 1] : start)
    }

    /// Applies exactly the first `index` envelopes (clamped), at `time`.
    public mutating func seek(toIndex index: Int) {
        let i = Swift.min(envelopes.count, Swift.max(0, index))
        seek(toIndex: i, time: i > 0 ? times[i - 1] : start)
    }

    private mutating func seek(toIndex target: Int, time t: Date) {
        // Back: from the nearest snapshot. Forward: from a snapshot only when one lies
        // between here and there, else on from here.
        let snap = snapshot(atOrBefore: target)
        if target < position || snap.index > position {
            state = snap.state
            position = snap.index
        }
        while position < target {
            state.apply(envelopes[position])
            position += 1
        }
        time = t
    }

    private func snapshot(atOrBefore index: Int) -> Snapshot {
        var lo = 0, hi = snapshots.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if snapshots[mid].index <= index { lo = mid } else { hi = mid - 1 }
        }
        return snapshots[lo]
    }

    /// The number of envelopes whose (running latest) time is at or before `t`.
    private func upperBound(_ t: Date) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    // MARK: - Stepping

    /// Applies the next event and moves the time to it; `nil` (and nothing changes) at the end.
    @discardableResult
    public mutating func stepForward() -> EventEnvelope? {
        guard position < envelopes.count else { return nil }
        let e = envelopes[position]
        state.apply(e)
        time = times[position]
        position += 1
        return e
    }

    /// Takes back the last applied event (a seek one event back, from the nearest
    /// snapshot); `false` at the start.
    @discardableResult
    public mutating func stepBack() -> Bool {
        guard position > 0 else { return false }
        seek(toIndex: position - 1)
        return true
    }

    /// Plays on: the time moves by `seconds` of real time at `speed` (clamped to
    /// 1...1000x) and every event up to the new time is applied.
    ///
    /// - Returns: the envelopes applied, oldest first.
    @discardableResult
    public mutating func advance(byWallSeconds seconds: TimeInterval, speed: Double) -> ArraySlice<EventEnvelope> {
        guard seconds.isFinite, seconds > 0 else { return envelopes[position..<position] }
        let step = seconds * Self.clamp(speed: speed)
        let target = Swift.min(end, time.addingTimeInterval(step))
        let from = position
        let to = upperBound(target)
        while position < to {
            state.apply(envelopes[position])
            position += 1
        }
        time = Swift.max(time, target)
        return envelopes[from..<position]
    }

    // MARK: - Incidents

    /// Stands just after the next `incident.reported` not yet applied; `nil` when there is none.
    @discardableResult
    public mutating func nextIncident() -> IncidentMark? {
        guard let mark = incidents.first(where: { $0.index >= position }) else { return nil }
        seek(toIndex: mark.index + 1, time: mark.time)
        return mark
    }

    /// Stands just after the last `incident.reported` before the last applied event (so
    /// from an incident it goes to the one before, from later on back to the current one);
    /// `nil` when there is none.
    @discardableResult
    public mutating func previousIncident() -> IncidentMark? {
        guard let mark = incidents.last(where: { $0.index < position - 1 }) else { return nil }
        seek(toIndex: mark.index + 1, time: mark.time)
        return mark
    }

    // MARK: - What the screen shows

    /// The latest applied events worth a ticker line (positions and ticks left out), oldest
    /// first: at most `limit`, looking back over at most `scan` envelopes.
    public func recent(limit: Int = 200, scan: Int = 50_000) -> [EventEnvelope] {
        var out: [EventEnvelope] = []
        var i = position - 1
        let stop = Swift.max(0, position - scan)
        while i >= stop, out.count < limit {
            switch envelopes[i].event {
            case .unitPosition, .clockTick: break
            default: out.append(envelopes[i])
            }
            i -= 1
        }
        return out.reversed()
    }

    /// The applied envelopes with a seq greater than `seq`, oldest first.
    public func envelopes(after seq: UInt64) -> ArraySlice<EventEnvelope> {
        var lo = 0, hi = position
        while lo < hi {
            let mid = (lo + hi) / 2
            if envelopes[mid].seq <= seq { lo = mid + 1 } else { hi = mid }
        }
        return envelopes[lo..<position]
    }

    // MARK: - Speed

    /// `speed` within 1...1000x (not finite: 1x).
    public static func clamp(speed: Double) -> Double {
        guard speed.isFinite else { return minimumSpeed }
        return Swift.min(maximumSpeed, Swift.max(minimumSpeed, speed))
    }

    /// The next step above `speed` (1000x stays).
    public static func faster(than speed: Double) -> Double {
        speedSteps.first { $0 > speed } ?? maximumSpeed
    }

    /// The next step below `speed` (1x stays).
    public static func slower(than speed: Double) -> Double {
        speedSteps.last { $0 < speed } ?? minimumSpeed
    }
}
