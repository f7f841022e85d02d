import Foundation

/// Where "now" comes from. Everything that needs the time takes a `Clock`, so a
/// shift can run live, replayed faster than real time, or stepped by a test.
public protocol Clock: Sendable {
    func now() -> Date
}

/// The system's real time.
public struct WallClock: Clock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to: for tests and for stepping a replay.
public final class ManualClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public func now() -> Date { lock.withLock { current } }

    public func set(_ date: Date) { lock.withLock { current = date } }

    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// Simulated time for replays and drills: starts at an instant of the recorded shift
/// and runs at `speed` times a base clock (1x, 10x, 1000x), can be paused, and can be
/// moved by hand.
///
/// Internally it keeps an anchor (simulated instant, base instant); `now()` is
/// `anchor + (base.now() - baseAnchor) * speed`. Changing the speed or pausing
/// re-anchors, so simulated time never jumps. Thread-safe.
public final class SimulatedClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private let base: any Clock
    private var simAnchor: Date
    private var baseAnchor: Date
    private var _speed: Double
    private var _paused: Bool

    /// - Parameters:
    ///   - start: the simulated instant at creation.
    ///   - speed: simulated seconds per base second; must be positive (values `<= 0`
    ///     or not finite are treated as 1).
    ///   - paused: start paused.
    ///   - base: the clock simulated time runs against (real time by default).
    public init(start: Date, speed: Double = 1, paused: Bool = false, base: any Clock = WallClock()) {
        self.base = base
        simAnchor = start
        baseAnchor = base.now()
        _speed = SimulatedClock.sanitized(speed)
        _paused = paused
    }

    public func now() -> Date {
        lock.withLock { currentLocked(base.now()) }
    }

    /// Simulated seconds per base second.
    public var speed: Double {
        get { lock.withLock { _speed } }
        set { lock.withLock { reanchorLocked(); _speed = SimulatedClock.sanitized(newValue) } }
    }

    public var isPaused: Bool { lock.withLock { _paused } }

    public func pause() { lock.withLock { reanchorLocked(); _paused = true } }

    public func resume() { lock.withLock { reanchorLocked(); _paused = false } }

    /// Moves simulated time by `seconds` (may be negative), paused or not.
    public func advance(by seconds: TimeInterval) {
        lock.withLock { reanchorLocked(); simAnchor += seconds }
    }

    /// Jumps to `date` (a seek in a replay).
    public func set(_ date: Date) {
        lock.withLock { reanchorLocked(); simAnchor = date }
    }

    /// How long, in base (real) seconds, until simulated time reaches `date` at the
    /// current speed; `nil` while paused; `0` if already there.
    public func baseDelay(until date: Date) -> TimeInterval? {
        lock.withLock {
            if _paused { return nil }
            let remaining = date.timeIntervalSince(currentLocked(base.now()))
            return remaining <= 0 ? 0 : remaining / _speed
        }
    }

    private func currentLocked(_ baseNow: Date) -> Date {
        _paused ? simAnchor : simAnchor + baseNow.timeIntervalSince(baseAnchor) * _speed
    }

    private func reanchorLocked() {
        let b = base.now()
        simAnchor = currentLocked(b)
        baseAnchor = b
    }

    private static func sanitized(_ speed: Double) -> Double {
        speed.isFinite && speed > 0 ? speed : 1
    }
}
