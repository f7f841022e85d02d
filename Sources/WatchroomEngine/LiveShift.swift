import Dispatch
import Foundation
import WatchroomCore
import WatchroomRouting

/// Something that makes a shift happen: a simulation now, live GPS and call feeds later.
///
/// Called only from the live shift's own queue.
public protocol ShiftSource: AnyObject {
    /// The events that open the shift (roster, initial positions ...).
    func start(at time: Date) -> [Event]
    /// What happened between the previous call and `time`, given the shift's current state.
    func advance(to time: Date, state: PrecinctState) -> [Event]
    /// Takes over a shift folded from a recording at `time` (instead of `start`): the
    /// events that set it going again, none already in `state`.
    func resume(from state: PrecinctState, at time: Date) -> [Event]
}

extension ShiftSource {
    /// A source that cannot take over a recorded shift adds nothing to it.
    public func resume(from state: PrecinctState, at time: Date) -> [Event] { [] }
}

/// A running shift: the bus, its clock, the routing engine and the source of events,
/// independent of any console. A console reads `bus` (state, log, subscriptions) and
/// publishes the commander's decisions to it; it could as well live in another process.
public final class LiveShift: @unchecked Sendable {
    public let map: PrecinctMap
    public let bus: EventBus
    public let clock: SimulatedClock
    public let routing: RoutingService
    public let mode: ShiftMode

    private let source: ShiftSource?
    private let seed: UInt64?
    private let queue = DispatchQueue(label: "watchroom.shift")
    private var timer: DispatchSourceTimer?
    private let tickMilliseconds: Int
    /// The recorded state this shift resumes from, if it does.
    private let resumed: PrecinctState?
    /// Set by `stop()`, read by a tick between slices (any thread).
    private let stopping = NSLock()
    private var _stopped = false
    /// The simulated time the source was last advanced to (on `queue`).
    private var advancedTo: Date?

    /// The longest stretch of simulated time one call to the source covers. A tick that
    /// is behind the clock (a slow machine, a high speed) catches up slice by slice, so
    /// `stop()` waits for one slice, never for the whole backlog.
    public static let sliceSeconds: TimeInterval = 60

    /// How many recent events the live bus keeps in memory: over 3 s of a busy shift at
    /// 1000x (about 900 events a second), and full within the first simulated hour of one
    /// (about 3,300 events an hour), so the console's memory stops growing early.
    public static let logCapacity = 3_000

    /// - Parameters:
    ///   - tickMilliseconds: how often (in real time) the source is advanced.
    ///   - resuming: a shift folded from its recording: the bus starts from this state and
    ///     its seq, `start()` publishes no `shift.started` and asks the source to
    ///     `resume(from:at:)` instead of `start(at:)`.
    ///   - index: the map's shared routing index (built here when `nil`).
    public init(map: PrecinctMap, clock: SimulatedClock, source: ShiftSource?, mode: ShiftMode = .live,
                seed: UInt64? = nil, tickMilliseconds: Int = 200, resuming: PrecinctState? = nil, index: RoutingIndex? = nil) {
        self.map = map
        self.clock = clock
        self.source = source
        self.mode = mode
        self.seed = seed
        self.tickMilliseconds = max(10, tickMilliseconds)
        resumed = resuming
        // The console reads only what came since its last frame (the ticker) and the
        // recording holds every event, so the in-memory log can stay small (100,000 events
        // by default is some 30 MB).
        bus = EventBus(clock: clock, state: resuming ?? PrecinctState(), logCapacity: LiveShift.logCapacity,
                       preallocate: true)
        routing = RoutingService(map: map, bus: bus, index: index)
    }

    /// Opens the shift (or takes up a resumed one) and starts the clock-driven source. Call once.
    public func start() {
        routing.start()
        queue.sync {
            if let resumed {
                for event in source?.resume(from: resumed, at: clock.now()) ?? [] { _ = bus.publish(event) }
            } else {
                _ = bus.publish(.shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: map.timeZone, mode: mode, seed: seed)))
                for event in source?.start(at: clock.now()) ?? [] { _ = bus.publish(event) }
            }
        }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(tickMilliseconds), repeating: .milliseconds(tickMilliseconds),
                       leeway: .milliseconds(tickMilliseconds / 4))
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        self.timer = timer
    }

    /// Advances the source to the clock's present and publishes what happened, in slices
    /// of at most ``sliceSeconds`` of simulated time, each seeing the state the previous
    /// one left; stops between slices once `stop()` was called.
    public func tick() {
        guard let source, !clock.isPaused else { return }
        let target = clock.now()
        var from = advancedTo ?? target
        repeat {
            if stopping.withLock({ _stopped }) { return }
            let to = min(target, from.addingTimeInterval(LiveShift.sliceSeconds))
            for event in source.advance(to: to, state: bus.state) { _ = bus.publish(event) }
            advancedTo = to
            from = to
        } while from < target
    }

    /// Publishes an event from outside (the commander's console), on the bus's order.
    @discardableResult
    public func publish(_ event: Event) -> EventEnvelope {
        bus.publish(event)
    }

    /// Stops the clock-driven source (a tick under way ends after its current slice) and
    /// the routing engine. Safe to call twice.
    public func stop() {
        stopping.withLock { _stopped = true }
        timer?.cancel()
        timer = nil
        routing.stop()
        queue.sync {}
    }
}
